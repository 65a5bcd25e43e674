package copytext

import (
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

func TestDurations(t *testing.T) {
	cases := []struct {
		d                     time.Duration
		clock, roughly, coars string
	}{
		{45 * time.Second, "45s", "<1m", "<1m"},
		{3*time.Minute + 5*time.Second, "3m05s", "4m", "3m"},
		{time.Hour + 2*time.Minute + 5*time.Second, "1h02m05s", "1h03m", "1h"},
		{50*time.Hour + 30*time.Minute, "50h30m00s", "2d02h", "2d"},
		{-time.Second, "0s", "<1m", "<1m"},
	}
	for _, c := range cases {
		if got := Clock(c.d); got != c.clock {
			t.Errorf("Clock(%v) = %q, want %q", c.d, got, c.clock)
		}
		if got := Roughly(c.d); got != c.roughly {
			t.Errorf("Roughly(%v) = %q, want %q", c.d, got, c.roughly)
		}
		if got := Coarse(c.d); got != c.coars {
			t.Errorf("Coarse(%v) = %q, want %q", c.d, got, c.coars)
		}
	}
}

func TestSummaryAndPlural(t *testing.T) {
	copies := []model.Copy{{Phase: model.PhaseQueued}, {Phase: model.PhaseSending}, {Phase: model.PhaseRunning},
		{Phase: model.PhaseCompleted}, {Phase: model.PhaseFailed}, {Phase: model.PhaseCancelled}}
	if got, want := Summary(copies), "1 queued · 1 starting · 1 running · 1 done · 1 failed · 1 cancelled"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	if got, want := Summary(copies[2:3]), "1 running · 0 done · 0 failed"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	if Plural(1, "copy", "copies") != "1 copy" || Plural(3, "copy", "copies") != "3 copies" {
		t.Error("Plural")
	}
}

func TestReasonIsCleaned(t *testing.T) {
	c := &model.Copy{Phase: model.PhaseFailed, StateMessage: "key \x1b[2J gone"}
	if got := Reason(c); got != "key ␛[2J gone" {
		t.Errorf("Reason = %q", got)
	}
	if got := Reason(&model.Copy{Phase: model.PhaseFailed}); got != "AWS gave no reason" {
		t.Errorf("Reason of a silent failure = %q", got)
	}
}

// LEFT of a time-based copy: the time to its deadline while its progress
// keeps pace, the estimate ("~") once the progress says it ends sooner, and
// after the deadline the estimate or "?".
func TestETAOfATimeBasedCopy(t *testing.T) {
	now := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	// A copy started 10 minutes ago with a completion duration of minutes.
	timed := func(minutes int32, progress int) *model.Copy {
		start := now.Add(-10 * time.Minute)
		return &model.Copy{Phase: model.PhaseRunning, Progress: progress, StartTime: start, SizeGiB: 100,
			Request: model.CopyRequest{CompletionDurationMinutes: minutes},
			Samples: []model.Sample{{At: start, Progress: 0}, {At: now, Progress: progress}}}
	}
	for _, tc := range []struct {
		name string
		c    *model.Copy
		want string
	}{
		{"ends well before its deadline", timed(120, 50), "~10m"},
		{"keeps pace", timed(60, 16), "50m"},
		{"no progress seen", timed(60, 0), "50m"},
		{"late", timed(5, 50), "~10m"},
		{"late, no progress", timed(5, 0), "?"},
	} {
		if got := ETA(tc.c, now); got != tc.want {
			t.Errorf("%s: ETA = %q, want %q", tc.name, got, tc.want)
		}
	}
}
