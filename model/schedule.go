package model

import (
	"math/rand/v2"
	"time"
)

// Poll intervals. Copies are polled often while they move and start, and
// less often when every unfinished copy is a long time-based copy whose
// deadline is far away: polling it every 5 s for hours only costs API calls.
const (
	// PollInterval is the normal wait between two polls.
	PollInterval = 5 * time.Second
	// PollIntervalSlow is the longest wait, used when every unfinished copy
	// is time-based with its deadline at least SlowPollHorizon away.
	PollIntervalSlow = 60 * time.Second
	// SlowPollHorizon is how far a time-based deadline must be for the
	// slowest interval; nearer deadlines are polled proportionally sooner.
	SlowPollHorizon = time.Hour
)

// Backoff after throttling or transient errors: capped exponential with
// full jitter (the wait is drawn uniformly up to the ceiling), reset on success.
const (
	BackoffBase = 2 * time.Second
	BackoffCap  = 2 * time.Minute
	// BackoffFloor keeps a drawn wait from being so short that retries spin.
	BackoffFloor = 500 * time.Millisecond
)

// NextPoll says how long to wait before polling copies again, from what
// the unfinished ones are doing at now. With nothing unfinished it is
// PollInterval (a poll then sends nothing).
func NextPoll(copies []*Copy, now time.Time) time.Duration {
	nearest := time.Duration(-1)
	for _, c := range copies {
		if c.TwinCheckPending() || c.SnapLockPending() {
			return PollInterval // its look for twins, or its lock, is due soon
		}
		if c.Phase.Done() {
			continue
		}
		if c.Phase != PhaseRunning || c.Request.CompletionDurationMinutes <= 0 || c.SentAt.IsZero() {
			return PollInterval // starting, queued or a standard copy: keep the pace
		}
		left := c.SentAt.Add(time.Duration(c.Request.CompletionDurationMinutes) * time.Minute).Sub(now)
		if nearest < 0 || left < nearest {
			nearest = left
		}
	}
	if nearest < 0 {
		return PollInterval
	}
	// One poll per sixtieth of the time left: 60 s an hour before the
	// deadline, back to 5 s in the last five minutes.
	d := nearest / (SlowPollHorizon / PollIntervalSlow)
	switch {
	case d > PollIntervalSlow:
		return PollIntervalSlow
	case d < PollInterval:
		return PollInterval
	}
	return d.Round(time.Second)
}

// Backoff is capped exponential backoff with full jitter. The zero value
// uses BackoffBase and BackoffCap.
type Backoff struct {
	Base, Cap time.Duration
	attempt   int
}

// Next returns the wait before the next retry and counts the attempt: a
// uniform draw from rnd in [BackoffFloor, min(Cap, Base*2^attempt)].
func (b *Backoff) Next(rnd *rand.Rand) time.Duration {
	base, cp := b.Base, b.Cap
	if base <= 0 {
		base = BackoffBase
	}
	if cp <= 0 {
		cp = BackoffCap
	}
	ceiling := cp
	if b.attempt < 30 { // past 2^30 the shift would overflow; the cap rules anyway
		if c := base << b.attempt; c > 0 && c < cp {
			ceiling = c
		}
	}
	b.attempt++
	floor := min(BackoffFloor, ceiling)
	return floor + time.Duration(rnd.Int64N(int64(ceiling-floor)+1))
}

// Reset forgets earlier failures, after a success.
func (b *Backoff) Reset() { b.attempt = 0 }

// Failures is the number of waits drawn since the last Reset.
func (b *Backoff) Failures() int { return b.attempt }
