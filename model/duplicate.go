package model

import "fmt"

// Duplicate is a copy, in flight or completed, of a request's source to
// the request's destination: sending the request would make a second one.
// It is found in the state file (a tracked copy) or in the destination
// Region by snapcopy's provenance tag TagSourceSnapshot.
type Duplicate struct {
	// Request is the request that would repeat the copy.
	Request CopyRequest
	// SnapshotID is the copy's id; "" while AWS has not numbered it.
	SnapshotID string
	// RequestID is the copy's snapcopy request id, "" when not known.
	RequestID string
	// State is the copy's phase (tracked) or AWS state, "in flight" for a
	// pending snapshot.
	State string
	// Tracked is true when the copy is the state file's, false when it was
	// found in AWS by its tag.
	Tracked bool
}

// String names the copy, its state and where it was found, for a warning
// or a refusal: "snap-0a is already copied to us-east-1: copy snap-0b
// (completed, found in AWS by its tag snapcopy:source-snapshot)".
func (d Duplicate) String() string {
	id := d.SnapshotID
	if id == "" {
		id = "not yet numbered"
	}
	where := "found in AWS by its tag " + TagSourceSnapshot
	if d.Tracked {
		where = "request " + d.RequestID + " in the state file"
	}
	return fmt.Sprintf("%s is already copied to %s: copy %s (%s, %s)",
		d.Request.SourceSnapshotID, d.Request.Destination().Short(), id, d.State, where)
}

// Repeats reports whether c, in flight or completed, copies r's source to
// r's destination. A failed or cancelled copy left nothing to duplicate.
func (c *Copy) Repeats(r CopyRequest) bool {
	q := c.Request
	return c.Phase != PhaseFailed && c.Phase != PhaseCancelled &&
		q.SourceSnapshotID == r.SourceSnapshotID && q.SourceRegion == r.SourceRegion &&
		q.Destination() == r.Destination()
}

// CopiedTo reports whether s, a snapshot of r's destination Region, is a
// copy of r's source at r's destination by snapcopy's provenance tags, and
// not one that failed. A copy without the source Region tag (written by an
// earlier version) is taken to come from r's source Region.
func (s Snapshot) CopiedTo(r CopyRequest) bool {
	from := s.Tag(TagSourceRegion)
	return s.State != StateError && s.Tag(TagSourceSnapshot) == r.SourceSnapshotID &&
		(from == "" || from == r.SourceRegion) &&
		s.OutpostArn == r.DestinationOutpostArn && s.AvailabilityZone == r.DestinationAvailabilityZone
}

// FindDuplicate is the first copy of r's source to r's destination, in
// flight or completed: among tracked (the state file's copies) first, then
// among tagged (snapshots of r's destination Region carrying
// TagSourceSnapshot). The one rule the form and `snapcopy copy` share.
func FindDuplicate(r CopyRequest, tracked []*Copy, tagged []Snapshot) (Duplicate, bool) {
	for _, c := range tracked {
		if c.Repeats(r) {
			return Duplicate{Request: r, SnapshotID: c.SnapshotID, RequestID: c.RequestID, State: string(c.Phase), Tracked: true}, true
		}
	}
	for _, s := range tagged {
		if s.Region != "" && s.Region != r.DestinationRegion {
			continue
		}
		if s.CopiedTo(r) {
			state := s.State
			if state == StatePending {
				state = "in flight"
			}
			return Duplicate{Request: r, SnapshotID: s.ID, RequestID: s.Tag(RequestTagKey), State: state}, true
		}
	}
	return Duplicate{}, false
}
