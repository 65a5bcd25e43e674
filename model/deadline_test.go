package model

import (
	"testing"
	"time"
)

func TestDeadlineOf(t *testing.T) {
	start := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return start.Add(time.Duration(m) * time.Minute) }
	tests := []struct {
		name     string
		minutes  int32
		start    time.Time
		done     time.Time
		progress int
		samples  []Sample
		now      time.Time
		ok       bool
		want     Deadline
	}{
		{name: "standard copy", minutes: 0, start: start, now: at(5), ok: false},
		{name: "start not known yet", minutes: 60, now: at(5), ok: false},
		{name: "on time", minutes: 60, start: start, progress: 20, now: at(15), ok: true,
			want: Deadline{Due: at(60), Left: 45 * time.Minute, LeftKnown: true}},
		// AWS's StartTime, read onto the host's clock, a moment ahead of it.
		{name: "started a moment ahead of now", minutes: 15, start: start.Add(time.Second), now: start, ok: true,
			want: Deadline{Due: at(15).Add(time.Second), Left: 15 * time.Minute, LeftKnown: true}},
		// Progress went from 40 % to 80 % over the last 20 minutes: 2 % a
		// minute, so 20 % more takes 10 minutes from the last sample.
		{name: "late: estimated from the samples", minutes: 60, start: start, progress: 80,
			samples: []Sample{{At: at(52), Progress: 40}, {At: at(72), Progress: 80}}, now: at(72), ok: true,
			want: Deadline{Due: at(60), Late: true, LateBy: 12 * time.Minute, Left: 10 * time.Minute, Estimated: true, LeftKnown: true}},
		{name: "late: estimated since the start without samples", minutes: 15, start: start, progress: 50, now: at(30), ok: true,
			want: Deadline{Due: at(15), Late: true, LateBy: 15 * time.Minute, Left: 30 * time.Minute, Estimated: true, LeftKnown: true}},
		{name: "late with no progress: unknown", minutes: 15, start: start, progress: 0, now: at(20), ok: true,
			want: Deadline{Due: at(15), Late: true, LateBy: 5 * time.Minute, Estimated: true}},
		{name: "completed in time", minutes: 60, start: start, done: at(55), progress: 100, now: at(90), ok: true,
			want: Deadline{Due: at(60), LeftKnown: true}},
		{name: "completed late", minutes: 60, start: start, done: at(75), progress: 100, now: at(90), ok: true,
			want: Deadline{Due: at(60), Late: true, LateBy: 15 * time.Minute, LeftKnown: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := DeadlineOf(tc.start, tc.minutes, tc.done, tc.progress, tc.samples, tc.now)
			if ok != tc.ok || got != tc.want {
				t.Errorf("DeadlineOf = %+v, %v\nwant        %+v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

// The deadline counts from AWS's StartTime, not from when snapcopy sent the
// request: a copy started late by AWS is not late at SentAt + duration.
func TestDeadlineCountsFromStartTime(t *testing.T) {
	sent := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	started := sent.Add(40 * time.Minute) // after an earlier copy of the same snapshot
	d, _ := DeadlineOf(started, 60, time.Time{}, 10, nil, sent.Add(70*time.Minute))
	if d.Late || d.Due != started.Add(time.Hour) || d.Left != 30*time.Minute {
		t.Errorf("deadline %+v; want due an hour after AWS started it, 30 minutes left", d)
	}
}
