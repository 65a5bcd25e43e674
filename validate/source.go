package validate

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

var (
	// Region codes of every partition: us-west-2, cn-north-1, us-gov-west-1,
	// us-isob-east-1, eusc-de-east-1 (botocore's partitions.json).
	regionCodeRe = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-\d+$`)
	snapshotIDRe = regexp.MustCompile(`^snap-([0-9a-f]{8}|[0-9a-f]{17})$`)
)

// RegionCode checks a Region code such as us-west-2 or cn-north-1; f says
// which field it belongs to (FieldSource or FieldDestination).
func RegionCode(f Field, name string) []Problem {
	l := "Destination Region"
	if f == FieldSource {
		l = "Source Region"
	}
	switch {
	case name == "":
		return []Problem{errorf(f, "%s is required", l)}
	case !regionCodeRe.MatchString(name):
		return []Problem{errorf(f, "%s %s is not a Region code such as us-west-2 or eu-central-1", l, quote(name))}
	}
	return nil
}

// SnapshotID checks a source snapshot id: snap- and 8 or 17 lower-case hex digits.
func SnapshotID(id string) []Problem {
	if !snapshotIDRe.MatchString(id) {
		return []Problem{errorf(FieldSource, "Source snapshot id %s must be snap- followed by 8 or 17 lower-case hex digits", quote(id))}
	}
	return nil
}

// Copyable reports whether s can be copied at all (state completed; not in
// the archive tier; a temporarily restored one, which AWS reports in the
// standard tier with a RestoreExpiryTime, only until that time; not on an
// Outpost), and the reason when not.
func Copyable(s model.Snapshot, now time.Time) (bool, string) {
	switch {
	case s.Site().Kind == model.ToOutpost:
		return false, "on an Outpost: snapshots on an Outpost cannot be copied"
	case s.State != model.StateCompleted:
		state := s.State
		if state == "" {
			state = "state unknown"
		}
		return false, state + ": only a completed snapshot can be copied"
	case !s.RestoreExpiry.IsZero() && !s.Restored(now):
		// AWS reports a temporarily restored snapshot in the standard tier
		// with a RestoreExpiryTime; past it the snapshot is archived again,
		// whatever tier an older listing still shows.
		return false, "archived (the temporary restore has expired): restore it again; an archived snapshot can be copied only while restored"
	case s.StorageTier == model.TierArchive && !s.Restored(now):
		return false, "archived: restore it first; an archived snapshot can be copied only while temporarily restored"
	}
	return true, ""
}

// AllowedKinds lists the destination kinds the source allows (spec section 1).
func AllowedKinds(s model.Snapshot) []model.DestinationKind {
	switch s.Site().Kind {
	case model.ToOutpost:
		return nil
	case model.ToLocalZone:
		return []model.DestinationKind{model.ToRegion, model.ToLocalZone}
	default:
		return []model.DestinationKind{model.ToRegion, model.ToOutpost, model.ToLocalZone}
	}
}

func kindAllowed(s model.Snapshot, k model.DestinationKind) bool {
	for _, a := range AllowedKinds(s) {
		if a == k {
			return true
		}
	}
	return false
}

// zoneGroup is the zone group of a Local Zone: from the facts when known,
// otherwise from its name (us-west-2-lax-1a is in us-west-2-lax-1).
func zoneGroup(name string, facts model.DestinationFacts) string {
	if z, ok := facts.Zone(name); ok && z.GroupName != "" {
		return z.GroupName
	}
	return strings.TrimRight(name, "abcdefghijklmnopqrstuvwxyz")
}

// AllowedLocalZones lists the enabled Local Zones the source may be copied
// to: the source Region's zones for a Region source, the zones of the same
// zone group for a Local Zone source.
func AllowedLocalZones(s model.Snapshot, facts model.DestinationFacts) []model.LocalZone {
	var out []model.LocalZone
	switch s.Site().Kind {
	case model.ToRegion:
		for _, z := range facts.LocalZones {
			if z.Region == s.Region && z.Enabled() {
				out = append(out, z)
			}
		}
	case model.ToLocalZone:
		group := zoneGroup(s.AvailabilityZone, facts)
		for _, z := range facts.LocalZones {
			if zoneGroup(z.Name, facts) == group && z.Enabled() {
				out = append(out, z)
			}
		}
	}
	return out
}

// RegionAllowed reports whether the source may be copied to region: any
// Region for a snapshot of a Region, only its parent Region for one in a
// Local Zone (destinationAllows says why not), none for one on an Outpost.
func RegionAllowed(s model.Snapshot, region string) bool {
	switch s.Site().Kind {
	case model.ToOutpost:
		return false
	case model.ToLocalZone:
		return region == s.Region
	}
	return true
}

// destinationAllows says whether a resolved destination accepts the source;
// when not, the field to blame and the reason. Copyability is checked apart.
func destinationAllows(s model.Snapshot, d model.Destination, facts model.DestinationFacts) (bool, Field, string) {
	if !kindAllowed(s, d.Kind) {
		return false, FieldDestKind, fmt.Sprintf("in Local Zone %s: a snapshot in a Local Zone cannot be copied to an %s", s.AvailabilityZone, d.Kind)
	}
	lz := s.Site().Kind == model.ToLocalZone
	switch d.Kind {
	case model.ToRegion:
		if lz && d.Region != s.Region {
			return false, FieldDestination, fmt.Sprintf("in Local Zone %s: it can be copied only to its parent Region %s or a Local Zone of its zone group", s.AvailabilityZone, s.Region)
		}
	case model.ToOutpost:
		if d.Region != s.Region {
			return false, FieldDestination, fmt.Sprintf("the Outpost is in %s: a snapshot can be copied only to an Outpost of its own Region (%s)", d.Region, s.Region)
		}
	case model.ToLocalZone:
		if lz {
			if g := zoneGroup(s.AvailabilityZone, facts); zoneGroup(d.LocalZone, facts) != g {
				return false, FieldDestination, fmt.Sprintf("in Local Zone %s: it can be copied only to a Local Zone of zone group %s, not to %s", s.AvailabilityZone, g, d.LocalZone)
			}
		} else if d.Region != s.Region {
			return false, FieldDestination, fmt.Sprintf("Local Zone %s belongs to %s: a snapshot can be copied only to a Local Zone of its own Region (%s)", d.LocalZone, d.Region, s.Region)
		}
	}
	return true, "", ""
}
