package ec2sim

import (
	"encoding/base64"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Page size limits of DescribeSnapshots.
const (
	minMaxResults = 5
	maxMaxResults = 1000
)

// snapshotFilters are DescribeSnapshots' filters, as the API reference
// lists them (with tag:KEY); AWS refuses any other.
var snapshotFilters = map[string]bool{
	"snapshot-id": true, "status": true, "description": true, "volume-id": true,
	"tag-key": true, "storage-tier": true, "encrypted": true, "owner-id": true,
	"owner-alias": true, "volume-size": true, "progress": true, "start-time": true,
	"transfer-type": true,
}

// snapshotQuery is a parsed DescribeSnapshots request.
type snapshotQuery struct {
	ids        []string
	owners     []string
	restorable []string
	filters    []filter
	max        int // 0: all
	after      string
	offset     time.Duration // AWS's clock, for start-time
	account    string        // the caller's
}

func (s *Server) describeSnapshots(rq *request) ([]byte, *apiError) {
	q, err := parseSnapshotQuery(rq)
	if err != nil {
		return nil, err
	}
	if s.wildcardsOff() {
		q.filters = literalFilters(q.filters)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	reg := s.world[rq.region]

	var candidates []*snapshot
	if len(q.ids) > 0 {
		for _, id := range q.ids {
			sn := reg.byID[id]
			if sn == nil || !sn.visible(rq.now, s.lag) {
				return nil, snapshotNotFound(id)
			}
			// "If you specify a snapshot ID for which you do not have
			// access, it is not included in the returned results."
			if sn.restorableBy(q.account) {
				candidates = append(candidates, sn)
			}
		}
		sort.Slice(candidates, func(i, j int) bool { return candidates[i].id < candidates[j].id })
		candidates = dedupe(candidates)
	} else if ids, ok := literalIDFilter(q.filters); ok {
		// Polling many copies by snapshot-id: look them up, do not scan.
		for _, id := range ids {
			if sn := reg.byID[id]; sn != nil {
				candidates = append(candidates, sn)
			}
		}
		sort.Slice(candidates, func(i, j int) bool { return candidates[i].id < candidates[j].id })
		candidates = dedupe(candidates)
	} else {
		candidates = idPrefixWindow(reg.snaps, q.filters)
	}
	start := 0
	if q.after != "" {
		start = sort.Search(len(candidates), func(i int) bool { return candidates[i].id > q.after })
	}

	w := newXMLWriter(rq, "DescribeSnapshotsResponse", 512+700*min(len(candidates)-start, max(q.max, 50)))
	w.rawControls = s.rawControls(rq.action)
	w.open("snapshotSet")
	n, last, more := 0, "", false
	for _, sn := range candidates[start:] {
		if !sn.visible(rq.now, s.lag) {
			continue
		}
		v := sn.at(rq.now)
		if !q.matches(sn, v) {
			continue
		}
		if q.max > 0 && n == q.max {
			more = true
			break
		}
		writeSnapshot(w, sn, v)
		n++
		last = sn.id
	}
	w.close("snapshotSet")
	rq.items = n
	if more {
		w.text("nextToken", encodeToken(rq.region, last))
	}
	return w.finish("DescribeSnapshotsResponse"), nil
}

func dedupe(sorted []*snapshot) []*snapshot {
	out := sorted[:0]
	for i, sn := range sorted {
		if i == 0 || sn.id != sorted[i-1].id {
			out = append(out, sn)
		}
	}
	return out
}

func parseSnapshotQuery(rq *request) (*snapshotQuery, *apiError) {
	p := rq.params
	q := &snapshotQuery{
		ids:        listParam(p, "SnapshotId"),
		owners:     listParam(p, "Owner"),
		restorable: listParam(p, "RestorableBy"),
		filters:    parseFilters(p),
		offset:     rq.offset,
		account:    rq.caller.account,
	}
	for _, id := range q.ids {
		if !reSnapshotID.MatchString(id) {
			return nil, invalidValue("Value (%s) for parameter snapshotId is invalid. Expected: 'snap-...'.", id)
		}
	}
	pg, err := parsePage(rq, len(q.ids) > 0)
	if err != nil {
		return nil, err
	}
	q.max, q.after = pg.max, pg.after
	for _, f := range q.filters {
		if !snapshotFilters[f.name] && !strings.HasPrefix(f.name, "tag:") {
			return nil, invalidValue("The filter '%s' is invalid", f.name)
		}
	}
	return q, nil
}

// page is MaxResults and NextToken of a paged Describe call.
type page struct {
	max   int
	after string
}

// parsePage reads MaxResults (5-1000, a larger value read as 1000; not
// with ids) and NextToken of DescribeSnapshots, and of
// DescribeLockedSnapshots by the same rules (UNCONFIRMED: its reference
// does not give MaxResults' range).
func parsePage(rq *request, withIDs bool) (page, *apiError) {
	var q page
	p := rq.params
	if has(p, "MaxResults") {
		if withIDs {
			return q, invalidCombination("The parameter snapshotSet cannot be used with the parameter maxResults")
		}
		n, err := strconv.Atoi(p.Get("MaxResults"))
		if err == nil && n > maxMaxResults {
			n = maxMaxResults // AWS answers a larger page size with its largest page
		}
		if err != nil || n < minMaxResults {
			return q, invalidValue("Value ( %s ) for parameter maxResults is invalid. Expecting a value between %d and %d.", p.Get("MaxResults"), minMaxResults, maxMaxResults)
		}
		q.max = n
	}
	if tok := p.Get("NextToken"); tok != "" {
		after, ok := decodeToken(rq.region, tok)
		if !ok {
			return q, errorf(http.StatusBadRequest, "InvalidPaginationToken", "The pagination token %s is invalid or has expired.", tok)
		}
		q.after = after
	}
	return q, nil
}

// literalIDFilter returns the values of a snapshot-id filter without
// wildcards, which can be answered from the index.
func literalIDFilter(fs []filter) ([]string, bool) {
	for _, f := range fs {
		if f.name != "snapshot-id" {
			continue
		}
		for _, v := range f.values {
			if strings.ContainsAny(v, `*?\`) {
				return nil, false
			}
		}
		ids := append([]string(nil), f.values...)
		return ids, true
	}
	return nil, false
}

// matches applies Owner, RestorableBy and the filters (values of one filter
// are ORed, filters ANDed), among the snapshots the caller may use: those
// it owns, those shared with it and public ones (DescribeSnapshots: "If no
// options are specified, Amazon EC2 returns all snapshots for which you
// have create volume permissions").
func (q *snapshotQuery) matches(sn *snapshot, v view) bool {
	if !sn.restorableBy(q.account) {
		return false
	}
	if len(q.owners) > 0 {
		ok := false
		for _, o := range q.owners {
			switch o {
			case "self":
				ok = ok || sn.ownerID == q.account
			case "amazon", "aws-marketplace", "aws-backup-vault":
				ok = ok || sn.r().ownerAlias == o
			default:
				ok = ok || sn.ownerID == o
			}
		}
		if !ok {
			return false
		}
	}
	if len(q.restorable) > 0 {
		ok := false
		rf := sn.r()
		for _, u := range q.restorable {
			switch u {
			case "self", q.account:
				// "self for snapshots for which you own or have explicit
				// permissions": its own as well as shared ones, not public.
				// The caller's own id reads as self (UNCONFIRMED).
				ok = ok || sn.ownerID == q.account || contains(rf.sharedWith, q.account)
			case groupAll:
				ok = ok || rf.public
			default:
				// Another account's id: the caller's snapshots shared with
				// it ("if you own the snapshots").
				ok = ok || sn.ownerID == q.account && contains(rf.sharedWith, u)
			}
		}
		if !ok {
			return false
		}
	}
	for _, f := range q.filters {
		if !filterMatches(f, sn, v, q.offset) {
			return false
		}
	}
	return true
}

func filterMatches(f filter, sn *snapshot, v view, offset time.Duration) bool {
	if key, ok := strings.CutPrefix(f.name, "tag:"); ok {
		val, ok := sn.tag(key)
		return ok && anyGlob(f.values, val)
	}
	switch f.name {
	case "snapshot-id":
		return anyGlob(f.values, sn.id)
	case "status":
		return anyGlob(f.values, v.state)
	case "description":
		return anyGlob(f.values, sn.description)
	case "volume-id":
		return anyGlob(f.values, sn.volumeID)
	case "tag-key":
		for _, t := range sn.tags {
			if anyGlob(f.values, t.Key) {
				return true
			}
		}
		return false
	case "storage-tier":
		return anyGlob(f.values, v.tier)
	case "encrypted":
		return anyGlob(f.values, strconv.FormatBool(sn.encrypted))
	case "owner-id":
		return anyGlob(f.values, sn.ownerID)
	case "owner-alias":
		return anyGlob(f.values, sn.r().ownerAlias)
	case "volume-size":
		return anyGlob(f.values, strconv.Itoa(int(sn.sizeGiB)))
	case "progress":
		return v.progress >= 0 && anyGlob(f.values, strconv.Itoa(v.progress)+"%")
	case "start-time":
		return anyGlob(f.values, sn.start.Add(offset).UTC().Format(awsTimeLayout))
	case "transfer-type":
		return anyGlob(f.values, sn.r().transferType)
	}
	return false
}

// writeSnapshot writes one snapshotSet item with every field the SDK's
// deserializer reads that the snapshot has.
func writeSnapshot(w *xmlWriter, sn *snapshot, v view) {
	rf := sn.r()
	w.open("item")
	w.text("snapshotId", sn.id)
	w.text("volumeId", sn.volumeID)
	w.text("status", v.state)
	w.textIf("statusMessage", v.message)
	w.time("startTime", sn.start)
	w.time("completionTime", v.completion)
	w.open("progress")
	if v.progress >= 0 {
		w.b = strconv.AppendInt(w.b, int64(v.progress), 10)
		w.b = append(w.b, '%')
	}
	w.close("progress")
	w.text("ownerId", sn.ownerID)
	w.textIf("ownerAlias", rf.ownerAlias)
	w.int("volumeSize", int64(sn.sizeGiB))
	if sn.fullBytes > 0 && v.state == stateCompleted {
		w.int("fullSnapshotSizeInBytes", sn.fullBytes)
	}
	w.text("description", sn.description)
	w.bool("encrypted", sn.encrypted)
	w.textIf("kmsKeyId", sn.kmsKeyID)
	w.text("storageTier", v.tier)
	if v.tier == tierStandard {
		w.time("restoreExpiryTime", rf.restoreExpiry)
	}
	w.textIf("outpostArn", rf.outpostArn)
	w.textIf("availabilityZone", rf.az)
	w.textIf("transferType", rf.transferType)
	if rf.durationMin > 0 {
		w.int("completionDurationMinutes", int64(rf.durationMin))
	}
	writeTags(w, sn.tags)
	w.close("item")
}

func writeTags(w *xmlWriter, tags []Tag) {
	if len(tags) == 0 {
		return
	}
	w.open("tagSet")
	for _, t := range tags {
		w.open("item")
		w.text("key", t.Key)
		w.text("value", t.Value)
		w.close("item")
	}
	w.close("tagSet")
}

// tokenPrefix marks the simulator's page tokens; the rest is opaque to clients.
const tokenPrefix = "ec2sim/1|"

func encodeToken(region, lastID string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(tokenPrefix + region + "|" + lastID))
}

func decodeToken(region, tok string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", false
	}
	rest, ok := strings.CutPrefix(string(b), tokenPrefix+region+"|")
	if !ok || rest == "" {
		return "", false
	}
	return rest, true
}
