package model

import "testing"

func TestTally(t *testing.T) {
	copies := func(phases ...Phase) []Copy {
		out := make([]Copy, len(phases))
		for i, p := range phases {
			out[i] = Copy{Phase: p}
		}
		return out
	}
	tests := []struct {
		name                                  string
		copies                                []Copy
		want                                  Tally
		unfinished, unconfirmed, ended, total int
	}{
		{"none", nil, Tally{}, 0, 0, 0, 0},
		{"every phase once",
			copies(PhaseQueued, PhaseSending, PhaseStarting, PhaseRunning, PhaseCompleted, PhaseFailed),
			Tally{Queued: 1, Sending: 1, Starting: 1, Running: 1, Completed: 1, Failed: 1}, 4, 2, 2, 6},
		{"all ended", copies(PhaseCompleted, PhaseFailed, PhaseCompleted), Tally{Completed: 2, Failed: 1}, 0, 0, 3, 3},
		{"waiting to start", copies(PhaseQueued, PhaseQueued, PhaseSending), Tally{Queued: 2, Sending: 1}, 3, 3, 0, 3},
		{"accepted but not yet seen", copies(PhaseStarting, PhaseRunning), Tally{Starting: 1, Running: 1}, 2, 0, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TallyOf(tt.copies)
			if got != tt.want {
				t.Fatalf("TallyOf = %+v, want %+v", got, tt.want)
			}
			if got.Unfinished() != tt.unfinished || got.Unconfirmed() != tt.unconfirmed || got.Ended() != tt.ended || got.Total() != tt.total {
				t.Errorf("unfinished %d unconfirmed %d ended %d total %d, want %d %d %d %d",
					got.Unfinished(), got.Unconfirmed(), got.Ended(), got.Total(), tt.unfinished, tt.unconfirmed, tt.ended, tt.total)
			}
			// The tally's rule is Phase.Done's.
			n := 0
			for i := range tt.copies {
				if !tt.copies[i].Phase.Done() {
					n++
				}
			}
			if n != got.Unfinished() {
				t.Errorf("Unfinished %d, but %d copies are not Done", got.Unfinished(), n)
			}
		})
	}
}

// A retried copy counts once, by its latest attempt: failed then
// completed is one done, not one failed and one done.
func TestTallyCountsTheLatestAttempt(t *testing.T) {
	first := Copy{RequestID: "sc-1", Phase: PhaseFailed}
	second := Copy{RequestID: "sc-2", RetryOf: "sc-1", Attempt: 2, Phase: PhaseFailed}
	third := Copy{RequestID: "sc-3", RetryOf: "sc-2", Attempt: 3, Phase: PhaseCompleted}
	other := Copy{RequestID: "sc-4", Phase: PhaseFailed}
	orphan := Copy{RequestID: "sc-5", RetryOf: "sc-gone", Attempt: 2, Phase: PhaseRunning}
	got := TallyOf([]Copy{first, second, third, other, orphan})
	if want := (Tally{Completed: 1, Failed: 1, Running: 1}); got != want {
		t.Errorf("TallyOf = %+v, want %+v", got, want)
	}
	if got := TallyOf([]Copy{first, {RequestID: "sc-2", RetryOf: "sc-1", Attempt: 2, Phase: PhaseRunning}}); got != (Tally{Running: 1}) {
		t.Errorf("a failed copy being retried: %+v, want one running", got)
	}
}
