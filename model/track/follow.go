package track

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// The one loop that follows copies, shaped like the AWS SDK's waiters: the
// loop (Follow) knows nothing of what a step means, and what to do after a
// step (stop, wait how long, resume first) is the pure function decide.
// The screen, plain mode and `snapcopy copy` differ only in FollowOptions.

// DefaultStepTimeout bounds one step, so a hung connection cannot stop the
// following; a CopySnapshot cut short is looked up by its tag later.
const DefaultStepTimeout = time.Minute

// Stepper is what Follow asks of a tracker: *Tracker, or a test's stand-in.
type Stepper interface {
	// Step starts and polls copies once and saves the state file.
	Step(ctx context.Context) StepResult
	// Copies returns the tracked copies as values.
	Copies() []model.Copy
	// Resume lets Step call AWS again after a pause for credentials.
	Resume()
}

// Pause says what Follow does once a step reports that the credentials
// expired (StepResult.Paused): nothing moves until they are renewed.
type Pause struct {
	stop  bool
	after time.Duration
}

var (
	// WaitForResume waits, however long, for a step asked for (StepNow:
	// the pane's key, pressed once the credentials are renewed), then
	// resumes the tracker and steps.
	WaitForResume = Pause{}
	// StopWhenPaused ends Follow with ErrPaused: `snapcopy copy` without
	// --wait leaves its copies to `snapcopy watch`.
	StopWhenPaused = Pause{stop: true}
)

// ResumeAfter resumes the tracker by itself after d (or at a step asked
// for, sooner): where no key can be pressed, the credentials may still be
// renewed in another terminal.
func ResumeAfter(d time.Duration) Pause { return Pause{after: d} }

// ErrPaused ends a Follow told to StopWhenPaused.
var ErrPaused = errors.New("credentials expired: following paused")

// FollowOptions are what tell one follower of copies from another. The
// zero value follows every copy until ctx ends, waiting for StepNow when
// paused.
type FollowOptions struct {
	// Until says, from the copies, when the following is done: asked
	// before the first step and after each (nil: never; UntilEnded).
	Until func(copies []model.Copy) bool
	// OnStep is told each step's result and the copies after it, before
	// Until is asked. An error from it ends Follow with that error.
	OnStep func(res StepResult, copies []model.Copy) error
	// WhenPaused is what to do when the credentials expired.
	WhenPaused Pause
	// StepTimeout bounds one step (0: DefaultStepTimeout).
	StepTimeout time.Duration
	// StepNow ends a wait at once when it receives: a key asking for a
	// poll, or copies just added. Nil: only the waits decide.
	StepNow <-chan struct{}
	// MinWait and MaxWait bound the wait between two steps (0: no bound).
	MinWait, MaxWait time.Duration
	// GiveUp, when above 0, ends Follow with a *GiveUpError once its steps
	// have met only silence (StepResult.Unanswered) for that long: where
	// nobody watches, a hung endpoint ends the run rather than holding it.
	// No step then runs longer than GiveUp.
	GiveUp time.Duration
	// Now is the clock GiveUp is measured on (nil: time.Now).
	Now func() time.Time
	// After is the clock the waits are measured on (nil: the real one):
	// asked at each wait, it returns a channel that receives once d has
	// passed. A negative d is a wait for StepNow alone, which the real
	// clock never ends. A test passes one over a simulated clock.
	After func(d time.Duration) <-chan time.Time
}

// UntilEnded is done once every copy of requestIDs has ended (completed,
// failed or cancelled) and looked for its twins (model.Copy.OnlyCopy);
// with no ids, every copy tracked.
func UntilEnded(requestIDs ...string) func([]model.Copy) bool {
	return func(copies []model.Copy) bool {
		for _, c := range copies {
			if (len(requestIDs) == 0 || slices.Contains(requestIDs, c.RequestID)) && (!c.Phase.Done() || c.TwinCheckPending() || c.SnapLockPending()) {
				return false
			}
		}
		return true
	}
}

// Follow steps t until opts.Until says the copies are done (nil), ctx ends
// (ctx's error), OnStep fails (its error) or, told to StopWhenPaused, the
// credentials expire (ErrPaused). It is the only loop around Step.
func Follow(ctx context.Context, t Stepper, opts FollowOptions) error {
	if opts.Until != nil && opts.Until(t.Copies()) {
		return nil
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	stepTimeout := opts.StepTimeout
	if stepTimeout <= 0 {
		stepTimeout = DefaultStepTimeout
	}
	if opts.GiveUp > 0 {
		stepTimeout = min(stepTimeout, opts.GiveUp)
	}
	var silentSince time.Time // when the steps began to meet only silence
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		started := now()
		res := step(ctx, t, stepTimeout)
		copies := t.Copies()
		if opts.OnStep != nil {
			if err := opts.OnStep(res, copies); err != nil {
				return err
			}
		}
		switch {
		case !res.Unanswered:
			silentSince = time.Time{}
		case silentSince.IsZero():
			silentSince = started
		}
		done := opts.Until != nil && opts.Until(copies)
		next := decide(res, done, opts)
		if next.stop {
			return next.err
		}
		if opts.GiveUp > 0 && !silentSince.IsZero() {
			silent := now().Sub(silentSince)
			if silent >= opts.GiveUp {
				return &GiveUpError{Silent: silent, Last: res.Trouble}
			}
			// The next step comes no later than the bound.
			if left := opts.GiveUp - silent; next.wait < 0 || next.wait > left {
				next.wait = left
			}
		}
		if err := wait(ctx, next.wait, opts); err != nil {
			return err
		}
		if next.resume {
			t.Resume()
		}
	}
}

// GiveUpError ends a Follow whose steps met only silence for its GiveUp.
type GiveUpError struct {
	// Silent is how long the steps met only silence.
	Silent time.Duration
	// Last is the trouble of the last step.
	Last error
}

func (e *GiveUpError) Error() string {
	s := fmt.Sprintf("no answer from AWS for %s: giving up", e.Silent.Round(time.Second))
	if e.Last != nil {
		s += " (" + model.Explain(e.Last, model.Brief()) + ")"
	}
	return s
}

// step runs one Step within its time bound.
func step(ctx context.Context, t Stepper, timeout time.Duration) StepResult {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return t.Step(ctx)
}

// next is what follows a step.
type next struct {
	stop bool
	err  error // why it stops: nil when done
	// wait is how long before the next step; negative: until StepNow.
	wait time.Duration
	// resume: the tracker paused; Resume it before the next step.
	resume bool
}

// forever is a wait that only StepNow (or ctx) ends.
const forever = time.Duration(-1)

// decide is what to do after a step that reported res, done being Until's
// answer: stop, or wait the tracker's pace (model.PollInterval when it
// named none) bounded by MinWait and MaxWait, resuming first after a
// pause as WhenPaused says.
func decide(res StepResult, done bool, o FollowOptions) next {
	switch {
	case done:
		return next{stop: true}
	case res.Paused && o.WhenPaused.stop:
		return next{stop: true, err: ErrPaused}
	case res.Paused && o.WhenPaused.after > 0:
		return next{wait: o.WhenPaused.after, resume: true}
	case res.Paused:
		return next{wait: forever, resume: true}
	}
	wait := res.Next
	if wait <= 0 {
		wait = model.PollInterval
	}
	if o.MaxWait > 0 && wait > o.MaxWait {
		wait = o.MaxWait
	}
	if wait < o.MinWait {
		wait = o.MinWait
	}
	return next{wait: wait}
}

// wait waits d on o's clock, or until StepNow receives; ctx's error when
// ctx ends first.
func wait(ctx context.Context, d time.Duration, o FollowOptions) error {
	var fired <-chan time.Time
	switch {
	case o.After != nil:
		fired = o.After(d)
	case d >= 0:
		timer := time.NewTimer(d)
		defer timer.Stop()
		fired = timer.C
	}
	select {
	case <-fired:
	case <-o.StepNow:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}
