package model

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestNextPoll(t *testing.T) {
	now := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	timeBased := func(minutes int32, sentAgo time.Duration) *Copy {
		return &Copy{Phase: PhaseRunning, SentAt: now.Add(-sentAgo), Request: CopyRequest{CompletionDurationMinutes: minutes}}
	}
	standard := &Copy{Phase: PhaseRunning, SentAt: now.Add(-time.Minute)}
	tests := []struct {
		name   string
		copies []*Copy
		want   time.Duration
	}{
		{"nothing tracked", nil, PollInterval},
		{"only finished copies", []*Copy{{Phase: PhaseCompleted}, {Phase: PhaseFailed}}, PollInterval},
		{"a standard copy moves", []*Copy{standard}, PollInterval},
		{"a queued copy waits to start", []*Copy{{Phase: PhaseQueued}, timeBased(2880, 0)}, PollInterval},
		{"a starting copy is not visible yet", []*Copy{{Phase: PhaseStarting, SentAt: now}}, PollInterval},
		{"time-based, deadline two days away", []*Copy{timeBased(2880, time.Minute)}, PollIntervalSlow},
		{"time-based, deadline exactly an hour away", []*Copy{timeBased(120, time.Hour)}, PollIntervalSlow},
		{"time-based, deadline 30 minutes away", []*Copy{timeBased(60, 30*time.Minute)}, 30 * time.Second},
		{"time-based, deadline 2 minutes away", []*Copy{timeBased(15, 13*time.Minute)}, PollInterval},
		{"time-based, deadline passed", []*Copy{timeBased(15, time.Hour)}, PollInterval},
		{"nearest deadline rules", []*Copy{timeBased(2880, 0), timeBased(60, 40*time.Minute)}, 20 * time.Second},
		{"a standard copy among slow ones", []*Copy{timeBased(2880, 0), standard}, PollInterval},
		{"finished copies do not count", []*Copy{timeBased(2880, 0), {Phase: PhaseCompleted}}, PollIntervalSlow},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := NextPoll(tc.copies, now); got != tc.want {
				t.Errorf("NextPoll = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestBackoffGrowsToCapWithinJitter(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	var b Backoff
	ceilings := []time.Duration{2, 4, 8, 16, 32, 64, 120, 120, 120}
	for i, c := range ceilings {
		ceiling := c * time.Second
		// Draw many times per step to see the whole jitter range.
		lo, hi := time.Duration(1<<62), time.Duration(0)
		for range 200 {
			probe := b
			d := probe.Next(rnd)
			lo, hi = min(lo, d), max(hi, d)
		}
		if lo < BackoffFloor || hi > ceiling {
			t.Fatalf("attempt %d: waits in [%v, %v], want within [%v, %v]", i, lo, hi, BackoffFloor, ceiling)
		}
		// Full jitter: the draws spread over most of the range.
		if hi < ceiling*3/4 || lo > BackoffFloor+(ceiling-BackoffFloor)/4 {
			t.Fatalf("attempt %d: waits in [%v, %v] do not spread over [0, %v]", i, lo, hi, ceiling)
		}
		b.Next(rnd)
		if b.Failures() != i+1 {
			t.Fatalf("Failures = %d, want %d", b.Failures(), i+1)
		}
	}
}

func TestBackoffIsDeterministicForASeed(t *testing.T) {
	draw := func() []time.Duration {
		rnd := rand.New(rand.NewPCG(7, 7))
		var b Backoff
		var out []time.Duration
		for range 8 {
			out = append(out, b.Next(rnd))
		}
		return out
	}
	a, b := draw(), draw()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("draw %d differs for the same seed: %v vs %v", i, a[i], b[i])
		}
	}
}

func TestBackoffResetStartsOver(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	var b Backoff
	for range 10 {
		b.Next(rnd)
	}
	b.Reset()
	if b.Failures() != 0 {
		t.Fatalf("Failures after Reset = %d", b.Failures())
	}
	for range 50 {
		probe := b
		if d := probe.Next(rnd); d > BackoffBase {
			t.Fatalf("first wait after Reset = %v, want at most %v", d, BackoffBase)
		}
	}
}

func TestBackoffCustomBaseAndCapNeverOverflow(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	b := Backoff{Base: time.Second, Cap: 10 * time.Second}
	for i := range 100 {
		d := b.Next(rnd)
		if d < BackoffFloor || d > 10*time.Second {
			t.Fatalf("attempt %d: wait %v outside [%v, 10s]", i, d, BackoffFloor)
		}
	}
}
