package model

import (
	"regexp"
	"time"
)

// The origins of a copy found in flight, as Copy.Origin holds them.
const (
	OriginSnapcopy = "made by snapcopy"
	OriginOther    = "copied outside snapcopy"
	OriginUnknown  = "copy or new snapshot, origin unknown"
)

// copiedRe is the description AWS gives a copy made without one of its
// own: "[Copied snap-0123 from us-west-2]".
var copiedRe = regexp.MustCompile(`\[Copied (snap-[0-9a-f]+) from ([a-z0-9-]+)\]`)

// Provenance is what a snapshot in AWS tells of where it was copied from.
type Provenance struct {
	Origin           string // one of the Origin constants
	SourceSnapshotID string // "" when unknown
	SourceRegion     string // "" when unknown
	RequestID        string // snapcopy's request tag, when present
}

// ProvenanceOf reads a snapshot's tags and description: snapcopy's request
// and provenance tags first, then AWS's "[Copied … from …]" description.
// Anything else pending may be a copy or a snapshot of a volume.
func ProvenanceOf(s Snapshot) Provenance {
	p := Provenance{
		RequestID:        s.Tag(RequestTagKey),
		SourceSnapshotID: s.Tag(TagSourceSnapshot),
		SourceRegion:     s.Tag(TagSourceRegion),
	}
	m := copiedRe.FindStringSubmatch(s.Description)
	if p.SourceSnapshotID == "" && m != nil {
		p.SourceSnapshotID, p.SourceRegion = m[1], m[2]
	}
	switch {
	case p.RequestID != "" || s.Tag(TagSourceSnapshot) != "":
		p.Origin = OriginSnapcopy
	case m != nil:
		p.Origin = OriginOther
	default:
		p.Origin = OriginUnknown
	}
	return p
}

// DiscoveredCopy is a copy found in flight in AWS, to be followed to the
// end like one started here: it is running with its snapshot id, and is
// marked Discovered so it is never sent or retried. Its request id is
// snapcopy's request tag when it has one, else "found-" and the id.
func DiscoveredCopy(s Snapshot, now time.Time) *Copy {
	p := ProvenanceOf(s)
	id := p.RequestID
	if id == "" {
		id = "found-" + s.ID
	}
	req := CopyRequest{
		DestinationRegion:           s.Region,
		SourceRegion:                p.SourceRegion,
		SourceSnapshotID:            p.SourceSnapshotID,
		Description:                 s.Description,
		Encrypted:                   s.Encrypted,
		KmsKeyID:                    s.KmsKeyID,
		DestinationOutpostArn:       s.OutpostArn,
		DestinationAvailabilityZone: s.AvailabilityZone,
		CompletionDurationMinutes:   s.CompletionMinutes,
		Tags:                        append([]Tag(nil), s.Tags...),
	}
	created := s.StartTime
	if created.IsZero() {
		created = now
	}
	c := &Copy{
		RequestID:  id,
		Request:    req,
		SourceName: s.Name(),
		SizeGiB:    s.VolumeSizeGiB,
		SnapshotID: s.ID,
		Phase:      PhaseStarting,
		CreatedAt:  created,
		SentAt:     s.StartTime,
		UpdatedAt:  now,
		Discovered: true,
		Origin:     p.Origin,
	}
	c.Observed(s, now)
	return c
}
