package progress

import (
	"fmt"
	"strings"
	"time"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// destLabel names where a copy goes, short enough for a column: the
// Region, the Local Zone, or the Outpost's id.
func destLabel(c *model.Copy) string {
	return textsafe.Clean(c.Request.Destination().Short())
}

// copyLabel is the copy's id, or what stands in for it before AWS gave one.
func copyLabel(c *model.Copy) string {
	switch {
	case c.SnapshotID != "":
		return textsafe.Clean(c.SnapshotID)
	case c.Phase == model.PhaseQueued:
		return "queued"
	case c.Phase == model.PhaseFailed, c.Phase == model.PhaseCancelled:
		return "-"
	}
	return "starting…"
}

// stateLabel is the copy's phase with its marker; a time-based copy past
// its deadline and not completed is "late by 12m".
func stateLabel(c *model.Copy, now time.Time) string {
	if late := lateLabel(c, now); late != "" {
		return late
	}
	return phaseLabel(c)
}

// phaseLabel is the copy's phase with its marker.
func phaseLabel(c *model.Copy) string {
	switch c.Phase {
	case model.PhaseCompleted:
		return markDone + " completed"
	case model.PhaseFailed:
		return markFailed + " failed"
	case model.PhaseCancelled:
		return markCancelled + " cancelled"
	}
	return string(c.Phase)
}

// clock formats a duration in whole seconds: 45s, 3m05s, 1h02m05s.
func clock(d time.Duration) string {
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

// elapsedCell is the elapsed time in a row: whole seconds for the first
// hour, then whole minutes. A row is redrawn in full whenever it changes,
// and a copy running for hours gains nothing from ticking seconds.
func elapsedCell(d time.Duration) string {
	if d < time.Hour {
		return clock(d)
	}
	m := int64(d / time.Minute)
	return fmt.Sprintf("%dh%02dm", m/60, m%60)
}

// roughly formats an estimate coarsely, so it does not tick every second:
// <1m, 4m, 1h05m, 2d03h.
func roughly(d time.Duration) string {
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

// lateLabel is "late by 12m" for a time-based copy past its deadline and
// not completed, "" otherwise. Short enough for the state column: whole
// minutes, hours or days (the detail view has the deadline itself).
func lateLabel(c *model.Copy, now time.Time) string {
	if c.Phase.Done() {
		return ""
	}
	d, ok := c.Deadline(now)
	if !ok || !d.Late {
		return ""
	}
	return "late by " + coarse(d.LateBy)
}

// coarse is a duration in one unit, rounded down: <1m, 12m, 3h, 2d.
func coarse(d time.Duration) string {
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

// eta is the estimated time left of an unfinished copy, "" when unknown.
// A time-based copy past its deadline gets an estimate from its observed
// progress ("~25m"), or "?" when it has shown none.
func eta(c *model.Copy, now time.Time) string {
	if c.Phase.Done() {
		return ""
	}
	left, ok := c.Remaining(now)
	if d, timed := c.Deadline(now); timed && d.Late {
		if !ok {
			return "?"
		}
		return "~" + roughly(left)
	}
	if !ok {
		return ""
	}
	return roughly(left)
}

// rate is the observed copy rate, "" when unknown.
func rate(c *model.Copy) string {
	r, ok := c.RateMiBps()
	if !ok {
		return ""
	}
	switch {
	case r >= 1024:
		return fmt.Sprintf("%.1f GiB/s", r/1024)
	case r >= 10:
		return fmt.Sprintf("%.0f MiB/s", r)
	}
	return fmt.Sprintf("%.1f MiB/s", r)
}

// reason is the text explaining a copy that is not moving: AWS's state
// message of a failed copy, or the app's note on a waiting one. Cleaned.
func reason(c *model.Copy) string {
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

// plainLine is the line plain mode prints for a copy at now:
// "2026-11-25T14:03:05Z snap-src -> us-east-1 snap-copy running 42% (ETA 3m)".
func plainLine(c *model.Copy, now time.Time) string {
	id := "-"
	if c.SnapshotID != "" {
		id = textsafe.Clean(c.SnapshotID)
	}
	var state string
	switch c.Phase {
	case model.PhaseRunning:
		state = fmt.Sprintf("running %d%%", c.Progress)
		if e := eta(c, now); e != "" {
			state += " (ETA " + e + ")"
		}
	case model.PhaseCompleted:
		state = "completed 100% (took " + clock(c.Elapsed(now)) + ")"
	case model.PhaseFailed:
		state = "failed: " + reason(c)
	case model.PhaseCancelled:
		state = reason(c)
	default:
		state = string(c.Phase)
		if n := reason(c); n != "" {
			state += " (" + n + ")"
		}
	}
	dest := destLabel(c)
	if c.Request.DestinationOutpostArn != "" {
		dest = textsafe.Clean(c.Request.DestinationOutpostArn)
	}
	return fmt.Sprintf("%s %s -> %s %s %s", now.UTC().Format(time.RFC3339),
		textsafe.Clean(c.Request.SourceSnapshotID), dest, id, state)
}

// summary counts copies by what they are doing:
// "1 queued · 2 starting · 2 running · 5 done · 1 failed · 1 cancelled"
// (queued, starting and cancelled only when there are some).
func summary(copies []model.Copy) string {
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
	return strings.Join(parts, " · ")
}
