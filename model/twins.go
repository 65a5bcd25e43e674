package model

import (
	"fmt"
	"time"
)

// Twins: two snapcopy processes that cannot share a lock (two hosts) may
// each look for a copy of one source at one destination, find none (a new
// copy is invisible for a moment) and each send one. Once a copy was sent
// as the only one (Copy.OnlyCopy) and the visibility lag has passed, its
// tracker looks again; when snapcopy made other copies of the same source
// to the same destination within TwinWindow of it, the copy with the
// lowest request id is kept and every other side deletes its own copy (and
// only its own, by its request tag). Each side computes the same rule from
// the same snapshots, so exactly one copy is left.

// TwinWindow is how close in AWS's StartTime two copies must be to be
// twins of one race rather than a copy and a later one made on purpose
// (--again). A race spreads the sends by the visibility lag and the time
// between a look and a send; settle (the tracker's settle delay, longer
// than the lag) bounds it.
func TwinWindow(settle time.Duration) time.Duration { return settle }

// TwinCheckAfter is how long after a copy was sent its tracker looks for
// twins: its twins were sent within TwinWindow of it and are visible a lag
// (under settle) later, so by then both sides see each other.
func TwinCheckAfter(settle time.Duration) time.Duration { return TwinWindow(settle) + settle }

// TwinCheckPending reports whether the copy still has to look for twins:
// sent as the only copy, numbered by AWS, not failed or cancelled, not
// looked yet.
func (c *Copy) TwinCheckPending() bool {
	return c.OnlyCopy && !c.TwinChecked && c.SnapshotID != "" &&
		(c.Phase == PhaseStarting || c.Phase == PhaseRunning || c.Phase == PhaseCompleted)
}

// TwinCheckDue reports whether the copy looks for twins at now.
func (c *Copy) TwinCheckDue(now time.Time, settle time.Duration) bool {
	return c.TwinCheckPending() && c.Phase != PhaseStarting && !now.Before(c.SentAt.Add(TwinCheckAfter(settle)))
}

// TwinLookGivenUp reports whether a copy that its look for twins has not
// found among the copies of its source (by its provenance tag) stops
// looking: twice the time the look waits for, after its send.
func TwinLookGivenUp(c *Copy, now time.Time, settle time.Duration) bool {
	return !now.Before(c.SentAt.Add(2 * TwinCheckAfter(settle)))
}

// Twin is what a look for twins decided about a copy.
type Twin struct {
	// Lose is true when another copy is kept: this one is deleted.
	Lose bool
	// Kept is the copy kept in this one's place (when Lose).
	Kept Snapshot
	// Own is this copy as AWS shows it, carrying its request tag; its id
	// is "" when AWS did not show it.
	Own Snapshot
}

// JudgeTwins decides, from the snapshots of c's destination Region that
// copy c's source (found: by TagSourceSnapshot), whether c is kept or
// deleted for a twin: the copies snapcopy made (a request tag) of c's
// source to c's destination, not failed, whose StartTime is within window
// of c's, keep the one with the lowest request id.
func JudgeTwins(c *Copy, found []Snapshot, window time.Duration) Twin {
	var t Twin
	var start time.Time
	for _, s := range found {
		if s.ID == c.SnapshotID {
			t.Own, start = s, s.StartTime
		}
	}
	if t.Own.ID == "" {
		return t // not seen: nothing can be judged
	}
	best := c.RequestID
	for _, s := range found {
		id := s.Tag(RequestTagKey)
		if s.ID == c.SnapshotID || id == "" || !s.CopiedTo(c.Request) {
			continue
		}
		if gap := s.StartTime.Sub(start); gap > window || gap < -window {
			continue
		}
		if id < best {
			best, t.Kept, t.Lose = id, s, true
		}
	}
	return t
}

// Twinned records that the copy was deleted for its twin kept, made at
// the same time by another snapcopy: it ends cancelled, naming the copy
// kept.
func (c *Copy) Twinned(kept Snapshot, now time.Time) {
	c.Phase = PhaseCancelled
	c.DuplicateOf = kept.ID
	c.StateMessage = fmt.Sprintf("deleted as a duplicate: another snapcopy made copy %s (request %s) of %s to %s at the same time, and that copy is kept",
		kept.ID, kept.Tag(RequestTagKey), c.Request.SourceSnapshotID, c.Request.Destination().Short())
	c.TwinChecked = true
	c.Note = ""
	c.DoneAt = now
	c.UpdatedAt = now
}
