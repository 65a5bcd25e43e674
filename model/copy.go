package model

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Phase is where a tracked copy stands, from the app's point of view.
type Phase string

const (
	// PhaseQueued: not sent yet, or refused with ResourceLimitExceeded and
	// waiting to be sent again.
	PhaseQueued Phase = "queued"
	// PhaseSending: CopySnapshot was sent and its outcome is not known (no
	// answer, a dropped connection or a 5xx). Before sending again the app
	// looks for a snapshot carrying the request tag.
	PhaseSending Phase = "sending"
	// PhaseStarting: CopySnapshot returned an id that DescribeSnapshots does
	// not show yet (AWS's visibility lag). Not a failure.
	PhaseStarting Phase = "starting"
	// PhaseRunning: the copy is pending in AWS.
	PhaseRunning Phase = "running"
	// PhaseCompleted: the copy is completed.
	PhaseCompleted Phase = "completed"
	// PhaseFailed: the copy is in error, or CopySnapshot was refused for good.
	PhaseFailed Phase = "failed"
	// PhaseCancelled: the operator cancelled the copy: it was never sent,
	// or the copy AWS was making was deleted.
	PhaseCancelled Phase = "cancelled"
)

// Done reports whether the phase is final.
func (p Phase) Done() bool {
	return p == PhaseCompleted || p == PhaseFailed || p == PhaseCancelled
}

// Sample is one observation of a copy's progress.
type Sample struct {
	At       time.Time
	Progress int
}

// maxSamples bounds the progress history kept per copy: enough for a rate
// over the last few minutes, small enough for the state file.
const maxSamples = 32

// Copy is one copy snapcopy started (or is about to start) and tracks to
// the end. It is saved through the state file's own schema (statefile.go),
// never encoded as it is.
type Copy struct {
	// RequestID is unique per copy and is sent as the RequestTagKey tag.
	RequestID string
	Request   CopyRequest
	// SourceName and SizeGiB describe the source for display and estimates.
	SourceName string
	SizeGiB    int32

	SnapshotID   string
	Phase        Phase
	Progress     int
	StateMessage string
	// Note says what the app is doing about the copy: "waiting: too many
	// copies in flight", "retrying in 12 s". Saved with the copy, so the
	// next run shows it until its first step says otherwise.
	Note string

	CreatedAt time.Time
	// AttemptedAt is when CopySnapshot was last sent; Attempts counts sends.
	AttemptedAt time.Time
	Attempts    int
	SentAt      time.Time
	// StartTime is the copy's StartTime as AWS reports it: a time-based
	// copy's deadline counts from it (a second time-based copy of one
	// snapshot starts only when the first ends, later than it was sent).
	StartTime time.Time
	UpdatedAt time.Time
	DoneAt    time.Time
	Samples   []Sample

	// RetryOf is the request id of the failed copy this one retries, ""
	// for a first attempt; Attempt numbers the copies of one request
	// (0 or 1 the first, 2 its first retry).
	RetryOf string
	Attempt int
	// Discovered marks a copy found in flight in AWS (snapcopy watch --discover)
	// rather than started here: it is followed to the end, never sent,
	// retried or cancelled by snapcopy on its own.
	Discovered bool
	// Origin says who made a found copy, as far as AWS tells: "snapcopy",
	// "copied by another tool" or "copy or new snapshot, origin unknown".
	Origin string

	// OnlyCopy marks a copy sent as the only copy of its source at its
	// destination (none was found before sending): a twin made at the
	// same time by another snapcopy is resolved (twins.go). TwinChecked is
	// set once it was; DuplicateOf is the id of the twin kept when this
	// copy was deleted for it.
	OnlyCopy    bool
	TwinChecked bool
	DuplicateOf string

	// Cross is how a copy into another account gets there, and how far it
	// got (crossaccount.go); zero for a copy within one account.
	Cross CrossAccount
}

// NewRequestID returns a fresh random request id ("sc-" and 16 hex digits).
func NewRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "sc-" + hex.EncodeToString(b[:])
}

// NewCopy makes a queued copy for req, tagging the request with a new request id.
func NewCopy(req CopyRequest, source Snapshot, now time.Time) *Copy {
	id := NewRequestID()
	return &Copy{
		RequestID:  id,
		Request:    req.WithTag(RequestTagKey, id),
		SourceName: source.Name(),
		SizeGiB:    source.VolumeSizeGiB,
		Phase:      PhaseQueued,
		CreatedAt:  now,
		UpdatedAt:  now,
	}
}

// NewEdit makes a queued copy of req, the request of the failed copy
// edited by the operator (E), under a new request id, as the next attempt
// of failed: the failed copy counts as retried (TallyOf, Retry).
func NewEdit(req CopyRequest, source Snapshot, failed *Copy, now time.Time) *Copy {
	c := NewCopy(req, source, now)
	c.RetryOf, c.Attempt = failed.RequestID, failed.AttemptNumber()+1
	return c
}

// NewRetry makes a queued copy that sends failed's request again under a
// new request id (so it is told apart from the failed copy in AWS), as the
// next attempt of that request.
func NewRetry(failed *Copy, now time.Time) *Copy {
	id := NewRequestID()
	c := &Copy{
		RequestID:  id,
		Request:    failed.Request.WithTag(RequestTagKey, id),
		SourceName: failed.SourceName,
		SizeGiB:    failed.SizeGiB,
		Phase:      PhaseQueued,
		CreatedAt:  now,
		UpdatedAt:  now,
		RetryOf:    failed.RequestID,
		Attempt:    failed.AttemptNumber() + 1,
	}
	if failed.Cross.Active() {
		c.StartCrossAccount(failed.Cross.Again()) // into the same account, from its first step
	}
	return c
}

// AttemptNumber is which attempt of its request the copy is: 1 for the
// first, 2 for its first retry.
func (c *Copy) AttemptNumber() int { return max(1, c.Attempt) }

// Edited is the request of c as the operator would edit it in the form:
// without snapcopy's own request tag, which a new copy gets afresh.
func (c *Copy) Edited() CopyRequest {
	r := c.Request
	r.Tags = nil
	for _, t := range c.Request.Tags {
		if t.Key != RequestTagKey {
			r.Tags = append(r.Tags, t)
		}
	}
	return r
}

func (c *Copy) addSample(s Sample) {
	if n := len(c.Samples); n > 0 && c.Samples[n-1].Progress == s.Progress {
		return // no movement: keep the older sample so the rate spans time
	}
	c.Samples = append(c.Samples, s)
	if len(c.Samples) > maxSamples {
		c.Samples = append(c.Samples[:0], c.Samples[len(c.Samples)-maxSamples:]...)
	}
}

// Elapsed is the time since the copy was sent (or created, before that),
// up to its end.
func (c *Copy) Elapsed(now time.Time) time.Duration {
	start := c.SentAt
	if start.IsZero() {
		start = c.CreatedAt
	}
	end := now
	if !c.DoneAt.IsZero() {
		end = c.DoneAt
	}
	if end.Before(start) {
		return 0
	}
	return end.Sub(start)
}

// RateMiBps is the observed copy rate in MiB/s over the kept samples, and
// false when there is not enough history.
func (c *Copy) RateMiBps() (float64, bool) {
	pctPerSec, ok := c.pctPerSecond()
	if !ok || c.SizeGiB == 0 {
		return 0, false
	}
	return pctPerSec / 100 * float64(c.SizeGiB) * 1024, true
}

func (c *Copy) pctPerSecond() (float64, bool) {
	if len(c.Samples) < 2 {
		return 0, false
	}
	first, last := c.Samples[0], c.Samples[len(c.Samples)-1]
	dt := last.At.Sub(first.At).Seconds()
	dp := float64(last.Progress - first.Progress)
	if dt <= 0 || dp <= 0 {
		return 0, false
	}
	return dp / dt, true
}

// Remaining estimates the time left: for a time-based copy, up to its
// deadline while it is on time, and from the observed progress once it is
// late (see Deadline); otherwise from the observed progress rate. False
// when no estimate can be made yet.
func (c *Copy) Remaining(now time.Time) (time.Duration, bool) {
	if c.Phase.Done() {
		return 0, true
	}
	if d, ok := c.Deadline(now); ok {
		return d.Left, d.LeftKnown
	}
	return c.ProgressEstimate(now)
}

// ProgressEstimate is the time left at the progress rate observed over
// the kept samples, whatever the copy's deadline; false when there is not
// enough history. A time-based copy on time may finish well before its
// deadline, which this tells.
func (c *Copy) ProgressEstimate(now time.Time) (time.Duration, bool) {
	rate, ok := c.pctPerSecond()
	if !ok {
		return 0, false
	}
	last := c.Samples[len(c.Samples)-1]
	left := time.Duration(float64(100-last.Progress)/rate*float64(time.Second)) - now.Sub(last.At)
	if left < 0 {
		left = 0
	}
	return left, true
}
