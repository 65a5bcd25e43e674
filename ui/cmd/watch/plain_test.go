package watch

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/screentest"
)

func TestPlainFollowsCopiesToTheEnd(t *testing.T) {
	w := screentest.NewWorld(t, screentest.WorldOptions{Lag: 3 * time.Second})
	copies := []*model.Copy{
		w.CopyOf(w.Source("web", 2), "us-east-1"),
		w.CopyOf(w.Source("db", 50), "eu-west-1", func(r *model.CopyRequest) { r.Encrypted, r.KmsKeyID = true, "alias/old" }),
		w.CopyOf(model.Snapshot{ID: "snap-0123456789abcdef0"}, "ap-southeast-2"),
	}
	if err := w.Tracker.Add(copies...); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := runPlain(context.Background(), w.Tracker, &out, w.Clock.Now, w.SimAfter(func(round int) {
		switch round {
		case 2:
			w.Sim.SetFaults(ec2sim.Faults{ThrottleRate: 1})
		case 3:
			w.Sim.SetFaults(ec2sim.Faults{})
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		" -> us-east-1 snap-",
		"running",
		"completed 100% (took ",
		"failed: Given key ID is not accessible",
		"snap-0123456789abcdef0 -> ap-southeast-2 - failed: InvalidSnapshot.NotFound",
		"! retrying in ",
		"RequestLimitExceeded",
		"every copy has ended: 0 running · 1 done · 2 failed",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("plain output lacks %q", want)
		}
	}
	if strings.Count(s, "\n") > 40 {
		t.Errorf("plain output has %d lines for 3 copies: only changes should print", strings.Count(s, "\n"))
	}
	golden.RequireEqual(t, out.Bytes())
}

func TestPlainWaitsOutExpiredCredentials(t *testing.T) {
	w := screentest.NewWorld(t, screentest.WorldOptions{})
	if err := w.Tracker.Add(w.CopyOf(w.Source("web", 1), "us-east-1")); err != nil {
		t.Fatal(err)
	}
	w.Sim.SetFaults(ec2sim.Faults{ExpiredCredentials: true})
	var out bytes.Buffer
	var waited []time.Duration
	err := runPlain(context.Background(), w.Tracker, &out, w.Clock.Now, func(d time.Duration) <-chan time.Time {
		waited = append(waited, d)
		if len(waited) == 2 {
			w.Sim.SetFaults(ec2sim.Faults{}) // renewed in another terminal
		}
		w.Clock.Advance(d)
		return screentest.FiredNow
	})
	if err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if want := "✗ paused: credentials expired or invalid: renew them (for example `aws sso login --profile NAME`), then snapcopy tries again in 30 s — CopySnapshot in us-east-1: RequestExpired: Request has expired."; !strings.Contains(s, want) {
		t.Errorf("plain output lacks %q:\n%s", want, s)
	}
	if strings.Count(s, "paused") != 1 {
		t.Errorf("the pause is told more than once:\n%s", s)
	}
	if waited[0] != pausedRetry || waited[1] != pausedRetry {
		t.Errorf("waits %v, want %v while paused", waited, pausedRetry)
	}
	if !strings.Contains(s, "completed 100%") {
		t.Errorf("the copy did not complete after renewal:\n%s", s)
	}
}

func TestPlainEndsWithTheContext(t *testing.T) {
	w := screentest.NewWorld(t, screentest.WorldOptions{})
	if err := w.Tracker.Add(w.CopyOf(w.Source("big", 500), "us-east-1")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	err := runPlain(ctx, w.Tracker, &out, w.Clock.Now, w.SimAfter(func(round int) {
		if round == 3 {
			cancel()
		}
	}))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("runPlain = %v, want context.Canceled", err)
	}
	// The copy goes on in AWS and stays in the state file for the next run.
	saved, _ := model.LoadWatchList(w.Path, w.Clock.Now())
	if len(saved.Copies) != 1 || saved.Copies[0].Phase.Done() {
		t.Errorf("state file after an interrupted watch: %+v", saved.Copies)
	}
}

func TestPlainWithNothingToWatch(t *testing.T) {
	w := screentest.NewWorld(t, screentest.WorldOptions{})
	var out bytes.Buffer
	if err := (Plain{Out: &out, Now: w.Clock.Now}).Follow(context.Background(), w.Tracker); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "2026-11-25T14:00:00Z no copies to watch\n" {
		t.Errorf("output = %q", got)
	}
}

func TestPlainLineCleansWhatAWSSays(t *testing.T) {
	c := &model.Copy{
		Request:      model.CopyRequest{DestinationRegion: "us-east-1", SourceSnapshotID: "snap-0123456789abcdef0"},
		SnapshotID:   "snap-0fedcba9876543210",
		Phase:        model.PhaseFailed,
		StateMessage: "key \x1b]52;c;ZXZpbA==\a gone\x1b[2J",
	}
	got := plainLine(c, screentest.T0)
	want := "2026-11-25T14:00:00Z snap-0123456789abcdef0 -> us-east-1 snap-0fedcba9876543210 failed: key ␛]52;c;ZXZpbA==␇ gone␛[2J"
	if got != want {
		t.Errorf("plainLine =\n %q, want\n %q", got, want)
	}
	running := &model.Copy{
		Request:    model.CopyRequest{DestinationRegion: "us-west-2", DestinationOutpostArn: "arn:aws:outposts:us-west-2:123456789012:outpost/op-0abc1234def567890", SourceSnapshotID: "snap-0123456789abcdef0"},
		SnapshotID: "snap-0fedcba9876543210",
		Phase:      model.PhaseRunning,
		Progress:   42,
		SentAt:     screentest.T0.Add(-3 * time.Minute),
		Samples:    []model.Sample{{At: screentest.T0.Add(-2 * time.Minute), Progress: 10}, {At: screentest.T0, Progress: 42}},
	}
	want = "2026-11-25T14:00:00Z snap-0123456789abcdef0 -> arn:aws:outposts:us-west-2:123456789012:outpost/op-0abc1234def567890 snap-0fedcba9876543210 running 42% (ETA 4m)"
	if got := plainLine(running, screentest.T0); got != want {
		t.Errorf("plainLine =\n %q, want\n %q", got, want)
	}
}

// Plain mode is read in logs and by scripts, where no key can be pressed:
// whatever goes wrong, its text never asks for one.
func TestPlainNeverAsksForAKeyPress(t *testing.T) {
	cases := []struct {
		name   string
		faults ec2sim.Faults
		down   bool // the endpoint cannot be reached at all
		says   string
	}{
		{"expired credentials", ec2sim.Faults{ExpiredCredentials: true}, false, "renew"},
		{"permission denied", ec2sim.Faults{DenyPermission: true}, false, "UnauthorizedOperation"},
		{"throttled", ec2sim.Faults{ThrottleRate: 1}, false, "throttling"},
		{"endpoint unreachable", ec2sim.Faults{}, true, "cannot be reached"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := screentest.NewWorld(t, screentest.WorldOptions{})
			tracker := w.Tracker
			if tc.down {
				dead := httptest.NewServer(nil)
				dead.Close()
				client := simtest.Client(t, dead.URL, func(o *awsops.Options) { o.RetryMaxAttempts = 1 })
				tracker = track.NewTracker(client, &model.WatchList{}, w.Path, track.TrackerOptions{Now: w.Clock.Now})
			}
			if err := tracker.Add(w.CopyOf(w.Source("web", 1), "us-east-1")); err != nil {
				t.Fatal(err)
			}
			w.Sim.SetFaults(tc.faults)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var out bytes.Buffer
			_ = runPlain(ctx, tracker, &out, w.Clock.Now, w.SimAfter(func(round int) {
				if round == 4 {
					cancel()
				}
			}))
			s := out.String()
			if !strings.Contains(s, tc.says) {
				t.Fatalf("plain output does not tell the trouble (%q):\n%s", tc.says, s)
			}
			if strings.Contains(strings.ToLower(s), "press") {
				t.Errorf("plain output asks for a key press:\n%s", s)
			}
		})
	}
}

// A time-based copy started over the Region pair's quota finishes late:
// plain mode says so once, when the deadline passes, and the copy's lines
// carry an estimate from its progress.
func TestPlainTellsAMissedDeadlineOnce(t *testing.T) {
	w := screentest.NewWorld(t, screentest.WorldOptions{QuotaMiBps: 50})
	c := w.CopyOf(w.Source("db", 100), "us-east-1", func(r *model.CopyRequest) { r.CompletionDurationMinutes = 15 })
	if err := w.Tracker.Add(c); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := runPlain(context.Background(), w.Tracker, &out, w.Clock.Now, func(d time.Duration) <-chan time.Time {
		w.Clock.Advance(max(d, time.Minute)) // a minute a round: the copy takes about 34
		return screentest.FiredNow
	})
	if err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if n := strings.Count(s, "missed its deadline"); n != 1 {
		t.Fatalf("the missed deadline is told %d times, want once:\n%s", n, s)
	}
	for _, want := range []string{
		"! snap-000000000005eed01 -> us-east-1 snap-",
		"missed its deadline (15 min, due 14:15 UTC): late by <1m, AWS goes on copying",
		"(ETA ~",
		"completed 100%",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("plain output lacks %q:\n%s", want, s)
		}
	}
}
