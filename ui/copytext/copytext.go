// Package copytext words a tracked copy for people, the same on the
// progress pane and in the lines of plain mode: where it goes, its times
// and estimates, why it is not moving, and a count of copies by state.
// Text from AWS is sanitized here.
package copytext

import (
	"fmt"
	"strings"
	"time"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// Markers that carry meaning without colour.
const (
	MarkDone    = "✓"
	MarkFailed  = "✗"
	MarkWarning = "!"
	// MarkCancelled: stopped by the operator, neither done nor failed.
	MarkCancelled = "⊘"
)

// Dest names where a copy goes, short enough for a column: the Region,
// the Local Zone, or the Outpost's id.
func Dest(c *model.Copy) string {
	return textsafe.Clean(c.Request.Destination().Short())
}

// Unknown stands for a source AWS does not tell: a copy found in flight
// whose tags and description do not name what it was copied from.
const Unknown = "?"

// Source names a copy's source snapshot for a column or a line: its id,
// or Unknown.
func Source(c *model.Copy) string {
	if c.Request.SourceSnapshotID == "" {
		return Unknown
	}
	return textsafe.Clean(c.Request.SourceSnapshotID)
}

// Clock formats a duration in whole seconds: 45s, 3m05s, 1h02m05s.
func Clock(d time.Duration) string {
	s := int64(d / time.Second)
	if s < 0 {
		s = 0
	}
	h, m, sec := s/3600, s/60%60, s%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm%02ds", h, m, sec)
	case m > 0:
		return fmt.Sprintf("%dm%02ds", m, sec)
	}
	return fmt.Sprintf("%ds", sec)
}

// Roughly formats an estimate coarsely, so it does not tick every second:
// <1m, 4m, 1h05m, 2d03h.
func Roughly(d time.Duration) string {
	m := int64((d + time.Minute - 1) / time.Minute) // round up: "1m" while under a minute is left is a lie
	switch {
	case d < time.Minute:
		return "<1m"
	case m < 60:
		return fmt.Sprintf("%dm", m)
	case m < 48*60:
		return fmt.Sprintf("%dh%02dm", m/60, m%60)
	}
	return fmt.Sprintf("%dd%02dh", m/(24*60), m/60%24)
}

// Coarse is a duration in one unit, rounded down: <1m, 12m, 3h, 2d.
func Coarse(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int64(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int64(d/time.Hour))
	}
	return fmt.Sprintf("%dd", int64(d/(24*time.Hour)))
}

// ETA is the estimated time left of an unfinished copy, "" when unknown.
// A time-based copy shows the time to its deadline, or an estimate from
// its observed progress marked "~" ("~25m") when that says it finishes
// sooner, or once it is past its deadline ("?" when it has shown no
// progress then).
func ETA(c *model.Copy, now time.Time) string {
	if c.Phase.Done() {
		return ""
	}
	left, ok := c.Remaining(now)
	if d, timed := c.Deadline(now); timed {
		switch {
		case d.Late && !ok:
			return "?"
		case d.Late:
			return "~" + Roughly(left)
		}
		if est, sooner := SoonerThanDeadline(c, now); sooner {
			return "~" + Roughly(est)
		}
	}
	if !ok {
		return ""
	}
	return Roughly(left)
}

// SoonerThanDeadline is the estimate from the progress observed of a
// time-based copy on time, when it says the copy ends before its deadline
// (by a whole minute at least: a copy that keeps pace with its deadline
// shows the deadline).
func SoonerThanDeadline(c *model.Copy, now time.Time) (time.Duration, bool) {
	d, timed := c.Deadline(now)
	if !timed || d.Late || c.Phase.Done() {
		return 0, false
	}
	est, ok := c.ProgressEstimate(now)
	if !ok || est+time.Minute > d.Left {
		return 0, false
	}
	return est, true
}

// Reason is the text explaining a copy that is not moving: AWS's state
// message of a failed copy, or the app's note on a waiting one. Cleaned.
func Reason(c *model.Copy) string {
	switch c.Phase {
	case model.PhaseFailed:
		if c.StateMessage == "" {
			return "AWS gave no reason"
		}
		return textsafe.Clean(c.StateMessage)
	case model.PhaseCancelled:
		return textsafe.Clean(c.StateMessage)
	}
	return textsafe.Clean(c.Note)
}

// Summary counts copies by what they are doing, each by its latest
// attempt (model.TallyOf):
// "1 queued · 2 starting · 2 running · 5 done · 1 failed · 1 cancelled"
// (queued, starting and cancelled only when there are some).
func Summary(copies []model.Copy) string { return Counts(copies, " · ") }

// Counts is Summary with its counts joined by sep.
func Counts(copies []model.Copy, sep string) string {
	t := model.TallyOf(copies)
	queued, starting, running, done, failed := t.Queued, t.Sending+t.Starting, t.Running, t.Completed, t.Failed
	var parts []string
	if queued > 0 {
		parts = append(parts, fmt.Sprintf("%d queued", queued))
	}
	if starting > 0 {
		parts = append(parts, fmt.Sprintf("%d starting", starting))
	}
	parts = append(parts, fmt.Sprintf("%d running", running), fmt.Sprintf("%d done", done), fmt.Sprintf("%d failed", failed))
	if t.Cancelled > 0 {
		parts = append(parts, fmt.Sprintf("%d cancelled", t.Cancelled))
	}
	return strings.Join(parts, sep)
}

// Plural is n and the noun for it: "1 copy", "3 copies".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
