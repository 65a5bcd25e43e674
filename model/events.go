package model

import (
	"fmt"
	"time"
)

// A copy's phase changes only through the methods below, each named for
// the event it records. The tracker decides when an event happened; these
// methods decide what it does to the copy.

// Held records that the copy waits where it is (queued, or sending and
// waiting for its tag look-up) and says why: the Region's in-flight limit,
// a Region that refuses the credentials, a look-up that failed.
func (c *Copy) Held(why string) { c.Note = why }

// Sent records that CopySnapshot goes out for the copy now: the attempt is
// counted and the copy is sending until AWS's answer is known. Recorded
// (and saved) before the request leaves, so a state file read after a crash
// never says queued for a copy that may be in flight.
func (c *Copy) Sent(now time.Time) {
	c.Phase = PhaseSending
	c.Attempts++
	c.AttemptedAt = now
	c.Note = "sending CopySnapshot"
}

// Started records CopySnapshot's answer: the id of the new copy.
func (c *Copy) Started(snapshotID string, now time.Time) {
	c.SnapshotID = snapshotID
	c.Phase = PhaseStarting
	c.Note = ""
	if c.SentAt.IsZero() {
		c.SentAt = now
	}
	c.UpdatedAt = now
}

// Found records the copy an unanswered CopySnapshot made, found by its
// request tag. It started when AWS says, which the time left of a
// time-based copy counts from; now when AWS gives no start time.
func (c *Copy) Found(s Snapshot, now time.Time) {
	started := now
	if !s.StartTime.IsZero() {
		started = s.StartTime
	}
	c.Started(s.ID, started)
	c.StartTime = s.StartTime
}

// NoAnswer records a CopySnapshot whose outcome is unknown (no answer, a
// 5xx, a dropped connection, a cancellation while the request was out):
// AWS may have made the copy, so it stays sending and is looked for by its
// tag before any new send. The settle delay counts from now, when the
// failure was seen, not from the send: a request that reached AWS late
// made its copy late. why says what happened, for the operator.
func (c *Copy) NoAnswer(why string, now time.Time) {
	c.Phase = PhaseSending
	c.AttemptedAt = now
	c.Note = why
	c.UpdatedAt = now
}

// Refused records AWS's refusal of CopySnapshot: no copy was made. A
// refusal that can pass (see RefusalWaits) puts the copy back in the queue
// to be sent again as it is; any other ends it with AWS's code and words.
func (c *Copy) Refused(ae *APIError, now time.Time) {
	if RefusalWaits(ae) {
		c.Phase = PhaseQueued
		c.Note = "waiting: " + Explain(ae, Brief())
		c.UpdatedAt = now
		return
	}
	c.Fail(Explain(ae, Brief()), now)
}

// Fail ends the copy with a reason (a copy into another account cleans up
// first: crossevents.go).
func (c *Copy) Fail(message string, now time.Time) {
	if c.cleanupFirst(PhaseFailed, message, now) {
		return
	}
	c.Phase = PhaseFailed
	c.StateMessage = message
	c.Note = ""
	c.DoneAt = now
	c.UpdatedAt = now
}

// Cancelled records that the operator cancelled the copy: before it was
// sent (deleted is ""), or by deleting the copy AWS was making, whose id
// is deleted.
func (c *Copy) Cancelled(deleted string, now time.Time) {
	msg := "cancelled before it was sent"
	if deleted != "" {
		msg = fmt.Sprintf("cancelled: the copy %s was deleted in %s", deleted, c.Request.DestinationRegion)
	}
	if c.cleanupFirst(PhaseCancelled, msg, now) {
		return
	}
	c.Phase = PhaseCancelled
	c.StateMessage = msg
	c.Note = ""
	c.DoneAt = now
	c.UpdatedAt = now
}

// Lost records that AWS, asked for the copy by id, answered that it does
// not exist in region: the copy failed.
func (c *Copy) Lost(region string, now time.Time) {
	c.Fail(fmt.Sprintf("AWS says the copy %s does not exist in %s: it was deleted outside snapcopy, or the credentials in use belong to another account than the one that started it", c.SnapshotID, region), now)
}

// Observed applies what DescribeSnapshots said about the copy and reports
// whether anything a user sees changed. A finished copy stays as it ended.
func (c *Copy) Observed(s Snapshot, now time.Time) bool {
	if c.Phase.Done() {
		return false
	}
	before := *c
	c.UpdatedAt = now
	c.Note = ""
	if c.SentAt.IsZero() {
		c.SentAt = s.StartTime
	}
	if !s.StartTime.IsZero() {
		c.StartTime = s.StartTime
	}
	if c.SizeGiB == 0 {
		c.SizeGiB = s.VolumeSizeGiB
	}
	if s.Progress >= 0 {
		c.Progress = s.Progress
	}
	switch s.State {
	case StateCompleted:
		if c.cleanupFirst(PhaseCompleted, "", now) {
			c.Progress = 100
			break
		}
		c.Phase = PhaseCompleted
		c.Progress = 100
		c.DoneAt = now
	case StateError:
		if c.cleanupFirst(PhaseFailed, s.StateMessage, now) {
			break
		}
		c.Phase = PhaseFailed
		c.StateMessage = s.StateMessage
		c.DoneAt = now
	default:
		c.Phase = PhaseRunning
	}
	if s.Progress >= 0 {
		c.addSample(Sample{At: now, Progress: c.Progress})
	}
	return VisiblyChanged(before, *c)
}
