package track

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// A step whose calls get no answer (here: cut by the step's bound) is
// trouble the status line names, and once the steps have met only silence
// for GiveUp, Follow gives up, saying so; the waits never pass the bound.
func TestFollowGivesUpAfterSilence(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.add("us-east-1")
	b.step() // sent: the next steps poll
	b.aws.set(func(f *fakeAWS) { f.hangPolls = true })
	wait, waited := b.waits(nil)
	var statuses []string
	err := Follow(context.Background(), b.tr, FollowOptions{
		StepTimeout: 20 * time.Millisecond,
		GiveUp:      time.Minute,
		Now:         b.clock.Now,
		After:       wait,
		OnStep: func(res StepResult, _ []model.Copy) error {
			statuses = append(statuses, res.Status)
			if !res.Unanswered {
				t.Errorf("a step cut short is not counted as unanswered: %+v", res)
			}
			return nil
		},
	})
	var gu *GiveUpError
	if !errors.As(err, &gu) || gu.Silent < time.Minute || gu.Silent > time.Minute+time.Second {
		t.Fatalf("Follow = %v, want a GiveUpError after a minute", err)
	}
	if want := "no answer from AWS for 1m0s: giving up (no answer from AWS in the time given to one step)"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if !strings.HasPrefix(statuses[0], "retrying in ") || !strings.HasSuffix(statuses[0], ErrStepCut.Error()) {
		t.Errorf("status of a cut step = %q", statuses[0])
	}
	var total time.Duration
	for _, d := range *waited {
		total += d
	}
	if total != time.Minute {
		t.Errorf("waited %v in all (%v), want the bound exactly", total, *waited)
	}
}

// Silence counts only while it lasts: a step with an answer starts it
// again, and a refusal is an answer.
func TestFollowSilenceEndsWithAnAnswer(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.add("us-east-1")
	b.step()
	silent := apiErr("DescribeSnapshots", "us-east-1", "", model.ErrTransient) // no status: no answer
	throttled := apiErr("DescribeSnapshots", "us-east-1", "RequestLimitExceeded", model.ErrThrottled)
	throttled.Status = 503
	steps := 0
	var unanswered []bool
	err := Follow(context.Background(), b.tr, FollowOptions{
		GiveUp: time.Minute,
		Now:    b.clock.Now,
		After: func(d time.Duration) <-chan time.Time {
			b.clock.Advance(40 * time.Second) // each step and wait: 40 s
			return firedNow
		},
		OnStep: func(res StepResult, _ []model.Copy) error {
			steps++
			unanswered = append(unanswered, res.Unanswered)
			next := silent
			if steps == 1 {
				next = throttled // answered: the silence so far does not count
			}
			b.aws.set(func(f *fakeAWS) { f.regionErr["us-east-1"] = next })
			return nil
		},
		Until: func([]model.Copy) bool { return steps == 6 },
	})
	var gu *GiveUpError
	if !errors.As(err, &gu) {
		t.Fatalf("Follow = %v", err)
	}
	// Step 1 polls fine, step 2 is throttled (answered); the silence
	// begins with step 3 and is past the minute once step 5 has met it.
	if steps != 5 || unanswered[0] || unanswered[1] || !unanswered[2] || !unanswered[3] || !unanswered[4] {
		t.Errorf("gave up after %d steps (unanswered %v)", steps, unanswered)
	}
}
