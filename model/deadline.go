package model

import "time"

// Deadline is where a time-based copy stands against its completion
// duration.
type Deadline struct {
	// Due is AWS's StartTime plus the completion duration: the deadline
	// starts when AWS starts the copy, not when it was sent (a second
	// time-based copy of one snapshot starts only after the first ends).
	Due time.Time
	// Late is true once Due has passed with the copy not completed, or when
	// it completed after Due; LateBy says by how much.
	Late   bool
	LateBy time.Duration
	// Left is the time left: until Due while on time; once late, an
	// estimate from the progress observed (Estimated). LeftKnown is false
	// when a late copy has shown no progress to estimate from.
	Left      time.Duration
	Estimated bool
	LeftKnown bool
}

// DeadlineOf computes a time-based copy's deadline at now. start is the
// copy's StartTime as AWS reports it, minutes its CompletionDurationMinutes,
// done its CompletionTime (zero while not completed), progress the latest
// percentage and samples the progress observed, oldest first. ok is false
// for a standard copy or one whose start is not known yet.
func DeadlineOf(start time.Time, minutes int32, done time.Time, progress int, samples []Sample, now time.Time) (d Deadline, ok bool) {
	if minutes <= 0 || start.IsZero() {
		return Deadline{}, false
	}
	d.Due = start.Add(time.Duration(minutes) * time.Minute)
	if !done.IsZero() {
		if done.After(d.Due) {
			d.Late, d.LateBy = true, done.Sub(d.Due)
		}
		d.LeftKnown = true
		return d, true
	}
	if now.Before(d.Due) {
		// Never more than the whole duration: AWS's StartTime, read onto
		// the host's clock from a Date header in whole seconds, can be a
		// moment ahead of it.
		d.Left, d.LeftKnown = min(d.Due.Sub(now), time.Duration(minutes)*time.Minute), true
		return d, true
	}
	d.Late, d.LateBy, d.Estimated = true, now.Sub(d.Due), true
	d.Left, d.LeftKnown = estimateLeft(start, progress, samples, now)
	return d, true
}

// estimateLeft extrapolates the progress rate: over the samples kept (the
// recent past) when they show progress, else since the start.
func estimateLeft(start time.Time, progress int, samples []Sample, now time.Time) (time.Duration, bool) {
	lastAt, lastP := now, progress
	if n := len(samples); n > 0 && samples[n-1].Progress >= progress {
		lastAt, lastP = samples[n-1].At, samples[n-1].Progress
	}
	if lastP >= 100 {
		return 0, true
	}
	fromAt, fromP := start, 0
	if len(samples) > 0 && samples[0].Progress < lastP && samples[0].At.Before(lastAt) {
		fromAt, fromP = samples[0].At, samples[0].Progress
	}
	span := lastAt.Sub(fromAt)
	if lastP <= fromP || span <= 0 {
		return 0, false
	}
	perPoint := span / time.Duration(lastP-fromP)
	left := perPoint*time.Duration(100-lastP) - now.Sub(lastAt)
	return max(left, 0), true
}

// Deadline is where the copy stands against its completion duration at
// now; ok is false for a standard copy, a failed one, or one not sent yet.
// The deadline counts from AWS's StartTime; until a poll has shown it, from
// when CopySnapshot answered.
func (c *Copy) Deadline(now time.Time) (Deadline, bool) {
	if c.Phase == PhaseFailed {
		return Deadline{}, false
	}
	start := c.StartTime
	if start.IsZero() {
		start = c.SentAt
	}
	var done time.Time
	if c.Phase == PhaseCompleted {
		done = c.DoneAt
	}
	return DeadlineOf(start, c.Request.CompletionDurationMinutes, done, c.Progress, c.Samples, now)
}
