package ec2sim

import (
	"net/http"
	"strings"
)

func (s *Server) describeRegions(rq *request) ([]byte, *apiError) {
	all, err := boolParam(rq.params, "AllRegions")
	if err != nil {
		return nil, err
	}
	names := listParam(rq.params, "RegionName")
	filters := parseFilters(rq.params)
	for _, f := range filters {
		switch f.name {
		case "region-name", "endpoint", "opt-in-status":
		default:
			return nil, invalidValue("The filter '%s' is invalid", f.name)
		}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, n := range names {
		if s.world[n] == nil {
			return nil, errorf(http.StatusBadRequest, "InvalidParameterValue", "Invalid region: %s", n)
		}
	}
	w := newXMLWriter(rq, "DescribeRegionsResponse", 2048)
	w.open("regionInfo")
	for _, rs := range regionSeeds {
		r := s.world[rs.name]
		if !all && len(names) == 0 && !r.enabled() {
			continue // without AllRegions, only the Regions the account can use
		}
		if len(names) > 0 && !contains(names, r.name) {
			continue
		}
		endpoint := "ec2." + r.name + ".amazonaws.com"
		ok := true
		for _, f := range filters {
			switch f.name {
			case "region-name":
				ok = ok && anyGlob(f.values, r.name)
			case "endpoint":
				ok = ok && anyGlob(f.values, endpoint)
			case "opt-in-status":
				ok = ok && anyGlob(f.values, r.optIn)
			}
		}
		if !ok {
			continue
		}
		w.open("item")
		w.text("regionName", r.name)
		w.text("regionEndpoint", endpoint)
		w.text("optInStatus", r.optIn)
		w.close("item")
	}
	w.close("regionInfo")
	return w.finish("DescribeRegionsResponse"), nil
}

func (s *Server) describeAvailabilityZones(rq *request) ([]byte, *apiError) {
	all, err := boolParam(rq.params, "AllAvailabilityZones")
	if err != nil {
		return nil, err
	}
	names := listParam(rq.params, "ZoneName")
	ids := listParam(rq.params, "ZoneId")
	filters := parseFilters(rq.params)
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.world[rq.region]
	for _, f := range filters {
		switch f.name {
		case "zone-type", "region-name", "zone-name", "zone-id", "group-name", "opt-in-status", "state", "parent-zone-name", "network-border-group":
		default:
			return nil, invalidValue("The filter '%s' is invalid", f.name)
		}
	}
	for _, n := range names {
		if _, ok := r.zone(n); !ok {
			return nil, invalidValue("Invalid availability zone: [%s]", n)
		}
	}
	w := newXMLWriter(rq, "DescribeAvailabilityZonesResponse", 4096)
	w.open("availabilityZoneInfo")
	for _, z := range r.zones {
		// Without AllAvailabilityZones, AWS lists only zones the account opted in to.
		if !all && len(names) == 0 && len(ids) == 0 && z.optIn == notOptedIn {
			continue
		}
		if len(names) > 0 && !contains(names, z.name) || len(ids) > 0 && !contains(ids, z.id) {
			continue
		}
		ok := true
		for _, f := range filters {
			var v string
			switch f.name {
			case "zone-type":
				v = z.typ
			case "region-name":
				v = z.region
			case "zone-name":
				v = z.name
			case "zone-id":
				v = z.id
			case "group-name", "network-border-group":
				v = z.group
			case "opt-in-status":
				v = z.optIn
			case "state":
				v = z.state
			case "parent-zone-name":
				v = z.parent
			}
			ok = ok && anyGlob(f.values, v)
		}
		if !ok {
			continue
		}
		w.open("item")
		w.text("zoneName", z.name)
		w.text("zoneId", z.id)
		w.text("zoneState", z.state)
		w.text("regionName", z.region)
		w.text("zoneType", z.typ)
		w.text("groupName", z.group)
		w.text("optInStatus", z.optIn)
		w.text("networkBorderGroup", z.group)
		w.textIf("parentZoneName", z.parent)
		w.textIf("parentZoneId", z.parentID)
		w.open("messageSet")
		w.close("messageSet")
		w.close("item")
	}
	w.close("availabilityZoneInfo")
	return w.finish("DescribeAvailabilityZonesResponse"), nil
}

func (s *Server) getEbsEncryptionByDefault(rq *request) ([]byte, *apiError) {
	s.mu.RLock()
	on := s.world[rq.region].encryptByDefault
	s.mu.RUnlock()
	w := newXMLWriter(rq, "GetEbsEncryptionByDefaultResponse", 256)
	w.bool("ebsEncryptionByDefault", on)
	w.text("sseType", "sse-ebs")
	return w.finish("GetEbsEncryptionByDefaultResponse"), nil
}

// getEbsDefaultKmsKeyID answers the account's default EBS key as the alias
// name "alias/aws/ebs", the form the rest of the project expects (AWS itself
// may answer the alias ARN).
func (s *Server) getEbsDefaultKmsKeyID(rq *request) ([]byte, *apiError) {
	s.mu.RLock()
	key := s.world[rq.region].defaultKey
	s.mu.RUnlock()
	w := newXMLWriter(rq, "GetEbsDefaultKmsKeyIdResponse", 256)
	w.text("kmsKeyId", key)
	return w.finish("GetEbsDefaultKmsKeyIdResponse"), nil
}

func (s *Server) createTags(rq *request) ([]byte, *apiError) {
	ids := listParam(rq.params, "ResourceId")
	if len(ids) == 0 {
		return nil, missingParameter("ResourceId")
	}
	tags := parseTagList(rq.params, "Tag")
	if len(tags) == 0 {
		return nil, missingParameter("Tag")
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.world[rq.region]
	var targets []*snapshot
	for _, id := range ids {
		if !strings.HasPrefix(id, "snap-") {
			return nil, errorf(http.StatusBadRequest, "InvalidID", "The ID '%s' is not valid", id)
		}
		if !reSnapshotID.MatchString(id) {
			return nil, errorf(http.StatusBadRequest, "InvalidSnapshotID.Malformed", "Invalid id: \"%s\" (expecting \"snap-...\")", id)
		}
		sn := r.byID[id]
		if sn == nil || !sn.visible(rq.now, s.lag) || !sn.ownedBy(rq.caller.account) {
			return nil, snapshotNotFound(id)
		}
		targets = append(targets, sn)
	}
	for _, sn := range targets {
		merged := mergeTags(sn.tags, tags)
		if len(merged) > maxTags {
			return nil, errorf(http.StatusBadRequest, "TagLimitExceeded", "The maximum number of tags for a resource (%d) has been reached for %s.", maxTags, sn.id)
		}
	}
	for _, sn := range targets {
		sn.tags = mergeTags(sn.tags, tags) // a new slice: extras share theirs
		sn.extra = false                   // changed: the state file keeps it now
	}
	rq.changed = true
	w := newXMLWriter(rq, "CreateTagsResponse", 256)
	w.bool("return", true)
	return w.finish("CreateTagsResponse"), nil
}

// mergeTags returns old with add applied: existing keys get the new value.
func mergeTags(old, add []Tag) []Tag {
	out := append([]Tag(nil), old...)
	for _, t := range add {
		found := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value, found = t.Value, true
			}
		}
		if !found {
			out = append(out, t)
		}
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
