package track

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// What follows a step, for every kind of step and option: the decision
// alone, apart from the loop.
func TestDecide(t *testing.T) {
	paused := StepResult{Paused: true}
	cases := []struct {
		name string
		res  StepResult
		done bool
		o    FollowOptions
		want next
	}{
		{"done stops", StepResult{Next: 5 * time.Second}, true, FollowOptions{}, next{stop: true}},
		{"done stops even paused", paused, true, FollowOptions{WhenPaused: StopWhenPaused}, next{stop: true}},
		{"the tracker's pace", StepResult{Next: 12 * time.Second}, false, FollowOptions{}, next{wait: 12 * time.Second}},
		{"no pace named: the poll interval", StepResult{}, false, FollowOptions{}, next{wait: model.PollInterval}},
		{"a backoff longer than MaxWait is cut", StepResult{Next: 90 * time.Second}, false, FollowOptions{MinWait: time.Second, MaxWait: 5 * time.Second}, next{wait: 5 * time.Second}},
		{"a wait shorter than MinWait is raised", StepResult{Next: 600 * time.Millisecond}, false, FollowOptions{MinWait: time.Second, MaxWait: 5 * time.Second}, next{wait: time.Second}},
		{"within the bounds as asked", StepResult{Next: 3 * time.Second}, false, FollowOptions{MinWait: time.Second, MaxWait: 5 * time.Second}, next{wait: 3 * time.Second}},
		{"paused, waiting for resume", paused, false, FollowOptions{WhenPaused: WaitForResume}, next{wait: forever, resume: true}},
		{"paused, resuming by itself", paused, false, FollowOptions{WhenPaused: ResumeAfter(30 * time.Second)}, next{wait: 30 * time.Second, resume: true}},
		{"paused, the bounds do not apply", paused, false, FollowOptions{WhenPaused: ResumeAfter(30 * time.Second), MaxWait: 5 * time.Second}, next{wait: 30 * time.Second, resume: true}},
		{"paused, stopping", paused, false, FollowOptions{WhenPaused: StopWhenPaused}, next{stop: true, err: ErrPaused}},
	}
	for _, c := range cases {
		if got := decide(c.res, c.done, c.o); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

// waits is a clock for Follow that records its waits and, instead of
// sleeping, moves the bench's clock and fires at once; between lets a
// test act at the n-th wait.
func (b *bench) waits(between func(n int, d time.Duration)) (func(time.Duration) <-chan time.Time, *[]time.Duration) {
	var got []time.Duration
	return func(d time.Duration) <-chan time.Time {
		got = append(got, d)
		if between != nil {
			between(len(got), d)
		}
		if d > 0 {
			b.clock.Advance(d)
		}
		return firedNow
	}, &got
}

// firedNow is a clock's channel that has fired.
var firedNow = func() chan time.Time { c := make(chan time.Time); close(c); return c }()

// UntilEnded ends the following once the copies named have ended, and
// not before: OnStep sees every step, the last one too.
func TestFollowUntilEnded(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	mine := b.add("us-east-1", "eu-west-1")
	other := b.add("ap-south-1")
	wait, waited := b.waits(func(n int, _ time.Duration) {
		if n == 2 {
			b.aws.completeAll()
		}
	})
	steps := 0
	err := Follow(context.Background(), b.tr, FollowOptions{
		Until:  UntilEnded(mine[0].RequestID, mine[1].RequestID),
		OnStep: func(StepResult, []model.Copy) error { steps++; return nil },
		After:  wait,
	})
	if err != nil {
		t.Fatal(err)
	}
	if steps != 3 || len(*waited) != 2 {
		t.Errorf("%d steps and %d waits, want 3 and 2", steps, len(*waited))
	}
	for _, c := range mine {
		if got := b.copy(c.RequestID).Phase; got != model.PhaseCompleted {
			t.Errorf("%s is %s", c.RequestID, got)
		}
	}
	// The copy not waited for is stepped all the same.
	if got := b.copy(other[0].RequestID).Phase; got != model.PhaseCompleted {
		t.Errorf("the other copy is %s", got)
	}
	if (*waited)[0] != model.PollInterval {
		t.Errorf("waited %v, want the tracker's pace %v", (*waited)[0], model.PollInterval)
	}
}

// Copies that have ended already are not stepped at all.
func TestFollowDoneBeforeTheFirstStep(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	err := Follow(context.Background(), b.tr, FollowOptions{
		Until:  UntilEnded(),
		OnStep: func(StepResult, []model.Copy) error { t.Error("stepped"); return nil },
	})
	if err != nil || len(b.aws.callList()) != 0 {
		t.Errorf("err %v, AWS calls %v", err, b.aws.callList())
	}
}

// An error from OnStep (a log that cannot be written) ends the following.
func TestFollowEndsWithOnStepsError(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.add("us-east-1")
	full := errors.New("disk full")
	err := Follow(context.Background(), b.tr, FollowOptions{OnStep: func(StepResult, []model.Copy) error { return full }})
	if !errors.Is(err, full) {
		t.Errorf("Follow = %v, want OnStep's error", err)
	}
}

// The context ends the following, in a wait or before a step.
func TestFollowEndsWithTheContext(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.add("us-east-1")
	ctx, cancel := context.WithCancel(context.Background())
	wait, _ := b.waits(func(n int, _ time.Duration) {
		if n == 2 {
			cancel()
		}
	})
	steps := 0
	err := Follow(ctx, b.tr, FollowOptions{After: wait, OnStep: func(StepResult, []model.Copy) error { steps++; return nil }})
	if !errors.Is(err, context.Canceled) || steps != 2 {
		t.Errorf("Follow = %v after %d steps, want context.Canceled after 2", err, steps)
	}
}

// A step that never gets an answer is cut short by StepTimeout, and the
// following goes on.
func TestFollowBoundsEachStep(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.add("us-east-1")
	b.step() // sent: the next steps poll
	b.aws.set(func(f *fakeAWS) { f.hangPolls = true })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	steps := 0
	go func() {
		done <- Follow(ctx, b.tr, FollowOptions{
			StepTimeout: 50 * time.Millisecond,
			After:       func(time.Duration) <-chan time.Time { return firedNow },
			OnStep: func(StepResult, []model.Copy) error {
				if steps++; steps == 3 {
					cancel()
				}
				return nil
			},
		})
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Follow = %v", err)
		}
	case <-time.After(time.Minute): // a bound on a hang, not a speed check
		t.Fatal("a step that gets no answer was not cut short")
	}
}

// StepNow ends a wait at once: the real clock's wait of an hour is not
// waited.
func TestFollowStepsNowWhenAsked(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.add("us-east-1")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	now := make(chan struct{}, 1)
	stepped := make(chan int, 4)
	steps := 0
	go func() {
		_ = Follow(ctx, b.tr, FollowOptions{
			MinWait: time.Hour,
			StepNow: now,
			OnStep:  func(StepResult, []model.Copy) error { steps++; stepped <- steps; return nil },
		})
	}()
	for want := 1; want <= 2; want++ {
		select {
		case n := <-stepped:
			if n != want {
				t.Fatalf("step %d, want %d", n, want)
			}
		case <-time.After(time.Minute): // a bound on a hang, not a speed check
			t.Fatalf("step %d did not come", want)
		}
		now <- struct{}{}
	}
}

// Expired credentials, each way a follower can take them: waiting for a
// step asked for, resuming by itself after a while, or stopping.
func TestFollowWhenPaused(t *testing.T) {
	expired := apiErr("CopySnapshot", "us-east-1", "RequestExpired", model.ErrCredentials)
	cases := []struct {
		name     string
		pause    Pause
		wantWait time.Duration
		wantErr  error
	}{
		{"wait for resume", WaitForResume, forever, nil},
		{"resume after 30 s", ResumeAfter(30 * time.Second), 30 * time.Second, nil},
		{"stop", StopWhenPaused, 0, ErrPaused},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newBench(t, TrackerOptions{})
			cp := b.add("us-east-1")[0]
			b.aws.set(func(f *fakeAWS) { f.regionErr["us-east-1"] = expired })
			wait, waited := b.waits(func(n int, _ time.Duration) {
				if n == 1 {
					// Renewed meanwhile, and asked for or waited out.
					b.aws.set(func(f *fakeAWS) { delete(f.regionErr, "us-east-1") })
				}
			})
			var results []StepResult
			err := Follow(context.Background(), b.tr, FollowOptions{
				Until:      func([]model.Copy) bool { return len(results) == 2 },
				WhenPaused: c.pause,
				After:      wait,
				OnStep:     func(res StepResult, _ []model.Copy) error { results = append(results, res); return nil },
			})
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("Follow = %v, want %v", err, c.wantErr)
			}
			if !results[0].Paused {
				t.Fatalf("the first step was not paused: %+v", results[0])
			}
			if c.wantErr != nil {
				if len(results) != 1 || len(*waited) != 0 || !b.tr.Paused() {
					t.Errorf("stopping stepped %d times, waited %v; paused %v", len(results), *waited, b.tr.Paused())
				}
				return
			}
			if len(*waited) != 1 || (*waited)[0] != c.wantWait {
				t.Errorf("waits %v, want [%v]", *waited, c.wantWait)
			}
			if results[1].Paused || b.tr.Paused() {
				t.Errorf("not resumed after the wait: %+v", results[1])
			}
			if got := b.copy(cp.RequestID).Phase; got != model.PhaseRunning && got != model.PhaseStarting {
				t.Errorf("after resuming the copy is %s, want sent", got)
			}
		})
	}
}

// AddFound follows the snapshots found being created, saved at once, and
// counts those already followed instead of adding them twice.
func TestAddFound(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	mine := b.add("us-east-1")[0]
	b.step()
	sent := b.copy(mine.RequestID)
	pending := []model.Snapshot{
		{ID: sent.SnapshotID, Region: "us-east-1", State: model.StatePending, Tags: []model.Tag{{Key: model.RequestTagKey, Value: mine.RequestID}}},
		{ID: "snap-0f00000000000000a", Region: "eu-west-1", State: model.StatePending, Description: "[Copied snap-0123456789abcdef0 from us-west-2]"},
	}
	found, err := b.tr.AddFound(pending, b.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if found.Known != 1 || len(found.Added) != 1 || found.Added[0].SnapshotID != "snap-0f00000000000000a" || !found.Added[0].Discovered {
		t.Fatalf("found %+v", found)
	}
	saved, err := model.LoadWatchList(b.path, b.clock.Now())
	if err != nil || len(saved.Copies) != 2 || !saved.Copies[1].Discovered {
		t.Fatalf("state file: %v %+v", err, saved)
	}
	again, err := b.tr.AddFound(pending, b.clock.Now())
	if err != nil || again.Known != 2 || len(again.Added) != 0 {
		t.Errorf("found again: %v %+v", err, again)
	}
}
