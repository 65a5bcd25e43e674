package model

import (
	"testing"
	"time"
)

// queuedCopy is a new copy into us-east-1.
func queuedCopy() *Copy {
	return NewCopy(CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0123456789abcdef0"}, Snapshot{VolumeSizeGiB: 8}, t0)
}

func TestCopyEvents(t *testing.T) {
	later := t0.Add(time.Minute)
	awsStart := t0.Add(-time.Hour)
	cases := []struct {
		name  string
		setup func(c *Copy)
		event func(c *Copy)
		check func(t *testing.T, c *Copy)
	}{
		{"Sent counts the attempt and marks the copy sending", nil, func(c *Copy) { c.Sent(later) },
			func(t *testing.T, c *Copy) {
				if c.Phase != PhaseSending || c.Attempts != 1 || !c.AttemptedAt.Equal(later) || c.Note != "sending CopySnapshot" {
					t.Errorf("%s attempts %d at %v note %q", c.Phase, c.Attempts, c.AttemptedAt, c.Note)
				}
			}},
		{"Started keeps the id and the first send time", func(c *Copy) { c.Sent(t0); c.SentAt = t0 }, func(c *Copy) { c.Started("snap-0aaaaaaaaaaaaaaaa", later) },
			func(t *testing.T, c *Copy) {
				if c.Phase != PhaseStarting || c.SnapshotID != "snap-0aaaaaaaaaaaaaaaa" || !c.SentAt.Equal(t0) || c.Note != "" {
					t.Errorf("%s %q sent %v note %q", c.Phase, c.SnapshotID, c.SentAt, c.Note)
				}
			}},
		{"Found starts the copy when AWS says it started", func(c *Copy) { c.Sent(t0) }, func(c *Copy) { c.Found(Snapshot{ID: "snap-0bbbbbbbbbbbbbbbb", StartTime: awsStart}, later) },
			func(t *testing.T, c *Copy) {
				if c.Phase != PhaseStarting || c.SnapshotID != "snap-0bbbbbbbbbbbbbbbb" || !c.SentAt.Equal(awsStart) || !c.StartTime.Equal(awsStart) {
					t.Errorf("%s %q sent %v AWS start %v", c.Phase, c.SnapshotID, c.SentAt, c.StartTime)
				}
			}},
		{"Found without a start time starts it now", func(c *Copy) { c.Sent(t0) }, func(c *Copy) { c.Found(Snapshot{ID: "snap-0bbbbbbbbbbbbbbbb"}, later) },
			func(t *testing.T, c *Copy) {
				if !c.SentAt.Equal(later) {
					t.Errorf("sent %v, want %v", c.SentAt, later)
				}
			}},
		{"Observed keeps AWS's StartTime, later than the send for a copy AWS queued",
			func(c *Copy) { c.Sent(t0); c.Started("snap-0aaaaaaaaaaaaaaaa", t0) },
			func(c *Copy) {
				c.Observed(Snapshot{ID: "snap-0aaaaaaaaaaaaaaaa", State: StatePending, StartTime: later, Progress: 0}, later)
			},
			func(t *testing.T, c *Copy) {
				if !c.StartTime.Equal(later) || !c.SentAt.Equal(t0) {
					t.Errorf("AWS start %v sent %v, want %v and %v", c.StartTime, c.SentAt, later, t0)
				}
			}},
		{"NoAnswer keeps the copy sending from when the failure was seen", func(c *Copy) { c.Sent(t0) }, func(c *Copy) { c.NoAnswer("no answer", later) },
			func(t *testing.T, c *Copy) {
				if c.Phase != PhaseSending || !c.AttemptedAt.Equal(later) || c.Note != "no answer" || c.Attempts != 1 {
					t.Errorf("%s at %v note %q attempts %d", c.Phase, c.AttemptedAt, c.Note, c.Attempts)
				}
			}},
		{"Refused for AWS's limit queues the copy again", func(c *Copy) { c.Sent(t0) },
			func(c *Copy) {
				c.Refused(&APIError{Code: "ResourceLimitExceeded", Message: "too many", Kind: ErrLimit}, later)
			},
			func(t *testing.T, c *Copy) {
				if c.Phase != PhaseQueued || c.Note != "waiting: ResourceLimitExceeded: too many" || !c.DoneAt.IsZero() {
					t.Errorf("%s note %q", c.Phase, c.Note)
				}
			}},
		{"Refused with no code says the message", func(c *Copy) { c.Sent(t0) },
			func(c *Copy) { c.Refused(&APIError{Message: "connection refused", Kind: ErrUnreachable}, later) },
			func(t *testing.T, c *Copy) {
				if c.Phase != PhaseQueued || c.Note != "waiting: connection refused" {
					t.Errorf("%s note %q", c.Phase, c.Note)
				}
			}},
		{"Refused for good fails the copy with AWS's words", func(c *Copy) { c.Sent(t0) },
			func(c *Copy) {
				c.Refused(&APIError{Code: "InvalidParameterValue", Message: "bad", Kind: ErrInvalid}, later)
			},
			func(t *testing.T, c *Copy) {
				if c.Phase != PhaseFailed || c.StateMessage != "InvalidParameterValue: bad" || !c.DoneAt.Equal(later) || c.Note != "" {
					t.Errorf("%s message %q done %v", c.Phase, c.StateMessage, c.DoneAt)
				}
			}},
		{"Lost fails the copy and says why", func(c *Copy) { c.Started("snap-0aaaaaaaaaaaaaaaa", t0) }, func(c *Copy) { c.Lost("us-east-1", later) },
			func(t *testing.T, c *Copy) {
				want := "AWS says the copy snap-0aaaaaaaaaaaaaaaa does not exist in us-east-1: it was deleted outside snapcopy, or the credentials in use belong to another account than the one that started it"
				if c.Phase != PhaseFailed || c.StateMessage != want {
					t.Errorf("%s %q", c.Phase, c.StateMessage)
				}
			}},
		{"Held changes the note only", nil, func(c *Copy) { c.Held("waiting: limit") },
			func(t *testing.T, c *Copy) {
				if c.Phase != PhaseQueued || c.Note != "waiting: limit" {
					t.Errorf("%s %q", c.Phase, c.Note)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := queuedCopy()
			if tc.setup != nil {
				tc.setup(c)
			}
			tc.event(c)
			tc.check(t, c)
		})
	}
}

func TestJudgeSend(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want SendOutcome
	}{
		{"answered", nil, SendStarted},
		{"5xx", &APIError{Code: "InternalError", Kind: ErrTransient, Status: 500}, SendUnanswered},
		{"dropped connection", &APIError{Kind: ErrTransient}, SendUnanswered},
		{"canceled while out", errCanceled{}, SendUnanswered},
		{"throttled", &APIError{Code: "RequestLimitExceeded", Kind: ErrThrottled}, SendRefused},
		{"not reached", &APIError{Kind: ErrUnreachable}, SendRefused},
		{"invalid", &APIError{Code: "InvalidParameterValue", Kind: ErrInvalid}, SendRefused},
		{"expired", &APIError{Code: "RequestExpired", Kind: ErrCredentials}, SendRefused},
		{"signature refused", &APIError{Code: "SignatureDoesNotMatch", Kind: ErrSignature, Status: 403}, SendRefused},
		{"success not decoded", &APIError{Kind: ErrUndecodable, Status: 200}, SendUnanswered},
		{"refusal not decoded", &APIError{Kind: ErrUndecodable, Status: 400}, SendRefused},
	}
	for _, tc := range cases {
		if got := JudgeSend(tc.err); got != tc.want {
			t.Errorf("%s: JudgeSend = %v, want %v", tc.name, got, tc.want)
		}
	}
}

type errCanceled struct{}

func (errCanceled) Error() string { return "context canceled" }

func TestRefusalWaits(t *testing.T) {
	for kind, want := range map[ErrorKind]bool{
		ErrInvalid: false, ErrNotFound: false, ErrState: false, ErrPermission: false, ErrDryRunOK: false,
		ErrLimit: true, ErrCredentials: true, ErrThrottled: true, ErrTransient: true, ErrUnreachable: true,
		ErrSignature: true, ErrUndecodable: false,
	} {
		if got := RefusalWaits(&APIError{Kind: kind}); got != want {
			t.Errorf("RefusalWaits(kind %d) = %v, want %v", kind, got, want)
		}
	}
}

func TestSettled(t *testing.T) {
	c := queuedCopy()
	c.Sent(t0)
	for _, tc := range []struct {
		after time.Duration
		want  bool
	}{{0, false}, {14 * time.Second, false}, {15 * time.Second, true}, {time.Hour, true}} {
		if got := c.Settled(t0.Add(tc.after), DefaultSettleDelay); got != tc.want {
			t.Errorf("Settled %v after the send = %v, want %v", tc.after, got, tc.want)
		}
	}
}

func TestOverdue(t *testing.T) {
	for _, tc := range []struct {
		phase  Phase
		misses int
		since  time.Duration
		want   bool
	}{
		{PhaseRunning, MissingPolls - 1, time.Hour, false},
		{PhaseRunning, MissingPolls, 0, true},
		{PhaseStarting, 100, StartingTimeout - time.Second, false},
		{PhaseStarting, 1, StartingTimeout, true},
		{PhaseQueued, 100, time.Hour, false},
		{PhaseCompleted, 100, time.Hour, false},
	} {
		c := Copy{Phase: tc.phase, SentAt: t0}
		if got := c.Overdue(tc.misses, t0.Add(tc.since)); got != tc.want {
			t.Errorf("%s, %d misses, %v after the send: Overdue = %v, want %v", tc.phase, tc.misses, tc.since, got, tc.want)
		}
	}
}

func TestVisiblyChanged(t *testing.T) {
	base := Copy{Phase: PhaseRunning, Progress: 10, SnapshotID: "snap-0aaaaaaaaaaaaaaaa", Note: "n", StateMessage: ""}
	for name, edit := range map[string]func(*Copy){
		"phase":    func(c *Copy) { c.Phase = PhaseCompleted },
		"progress": func(c *Copy) { c.Progress = 11 },
		"id":       func(c *Copy) { c.SnapshotID = "snap-0bbbbbbbbbbbbbbbb" },
		"message":  func(c *Copy) { c.StateMessage = "x" },
		"note":     func(c *Copy) { c.Note = "" },
		"start":    func(c *Copy) { c.StartTime = t0 },
	} {
		b := base
		edit(&b)
		if !VisiblyChanged(base, b) {
			t.Errorf("a change of %s is not visible", name)
		}
	}
	b := base
	b.UpdatedAt, b.Attempts = t0, 3
	if VisiblyChanged(base, b) {
		t.Error("bookkeeping alone counted as a visible change")
	}
}

func TestInFlight(t *testing.T) {
	for p, want := range map[Phase]bool{PhaseQueued: false, PhaseSending: true, PhaseStarting: true, PhaseRunning: true, PhaseCompleted: false, PhaseFailed: false} {
		if got := p.InFlight(); got != want {
			t.Errorf("%s.InFlight() = %v, want %v", p, got, want)
		}
	}
}
