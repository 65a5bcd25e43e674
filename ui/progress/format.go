package progress

import (
	"fmt"
	"time"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/copytext"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

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
		return late + snapLockMark(c, now)
	}
	if step := stepLabel(c); step != "" {
		return step + snapLockMark(c, now)
	}
	return phaseLabel(c) + snapLockMark(c, now)
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

// elapsedCell is the elapsed time in a row: whole seconds for the first
// hour, then whole minutes. A row is redrawn in full whenever it changes,
// and a copy running for hours gains nothing from ticking seconds.
func elapsedCell(d time.Duration) string {
	if d < time.Hour {
		return copytext.Clock(d)
	}
	m := int64(d / time.Minute)
	return fmt.Sprintf("%dh%02dm", m/60, m%60)
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
	return "late by " + copytext.Coarse(d.LateBy)
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
