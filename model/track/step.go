package track

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// StepResult says what one Step did.
type StepResult struct {
	// Changed lists the request ids of copies whose visible state changed.
	Changed []string
	// Ended lists the request ids of copies that just completed or failed.
	Ended []string
	// Next is how long to wait before the next Step.
	Next time.Duration
	// Status is one line about trouble, "" when fine: what failed, AWS's
	// code, what to do and AWS's words (model.Explain), after "retrying in
	// 12 s: " or "paused: ". StatusTo words it for a front end with a key.
	Status string
	// Paused is true while credentials are expired: Step does nothing until Resume.
	Paused bool
	// Trouble is the error Status words, nil when fine; StatusTo words it again.
	Trouble error
	// Unanswered is true when the step's calls went without an answer
	// from AWS (no answer in their time, no connection, an answer not
	// AWS's) and none had one: FollowOptions.GiveUp counts such steps.
	Unanswered bool

	profile string // the credentials' profile, named in the advice to renew them
}

// StatusTo is Status for a front end with its own way to ask again: where
// the advice says "then try again" it says "then " + retry ("then press
// r"), as model.RetryBy. Without Trouble it is Status.
func (r StepResult) StatusTo(retry string) string {
	if r.Trouble == nil {
		return r.Status
	}
	return statusLine(r.Trouble, r.Paused, r.Next, r.profile, retry)
}

// ErrStepCut is the trouble of a step its time bound cut short.
var ErrStepCut = errors.New("no answer from AWS in the time given to one step")

// work is one unfinished copy during a Step: the copy as it was, and the
// private copy the AWS calls update.
type work struct {
	before model.Copy
	cur    *model.Copy
	start  bool // queued or sending and allowed to start this round
}

// Step does one round: it starts queued copies within the per-Region
// in-flight limit, then polls every destination Region once for the
// copies AWS has accepted, and saves the state file if anything changed.
func (t *Tracker) Step(ctx context.Context) StepResult {
	t.stepMu.Lock()
	defer t.stepMu.Unlock()

	t.mu.Lock()
	if t.paused {
		res := t.pause
		t.mu.Unlock()
		return res
	}
	now := t.now()
	jobs, premarked := t.plan(now)
	t.mu.Unlock()
	t.heard.reset()

	var trouble error
	var credentials *model.APIError
	if premarked {
		// The file says "sending" before anything is sent: a new process
		// reading it looks for the copy by its tag before sending again.
		if err := t.save(); err != nil {
			// Without the file on disk a crash could forget a copy AWS made.
			trouble = fmt.Errorf("no copy is started while the state file cannot be written: %w", err)
			for _, j := range jobs {
				j.start = false
			}
		}
	}
	var crossTrouble error // one copy's step waiting holds back no other copy
	if trouble == nil {
		credentials, crossTrouble = t.crossSteps(ctx, jobs)
	}
	if trouble == nil && credentials == nil {
		credentials, trouble = t.startCopies(ctx, jobs)
	}
	if trouble == nil {
		trouble = crossTrouble
	}
	if credentials == nil && ctx.Err() == nil {
		cred, pollErr := t.poll(ctx, jobs)
		if trouble == nil {
			trouble = pollErr
		}
		credentials = cred
	}

	if trouble == nil && credentials == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		// The step's bound cut a call short: the operator hears of it (by
		// the call, when it said where), and the next step backs off.
		trouble = ErrStepCut
		if err := t.heard.silence(); err != nil {
			if _, ok := model.AsAPIError(err); ok {
				trouble = err
			}
		}
	}
	var res StepResult
	res.Unanswered = t.heard.unanswered()
	changedAny := premarked
	t.mu.Lock()
	for _, j := range jobs {
		orig := t.list.Find(j.cur.RequestID)
		if orig == nil {
			continue
		}
		*orig = *j.cur
		if model.VisiblyChanged(j.before, *j.cur) {
			res.Changed = append(res.Changed, j.cur.RequestID)
			changedAny = true
		}
		if !j.before.Phase.Done() && j.cur.Phase.Done() {
			res.Ended = append(res.Ended, j.cur.RequestID)
			delete(t.missing, j.cur.RequestID)
		}
	}
	t.mu.Unlock()
	if credentials == nil && ctx.Err() == nil {
		// After the polls are in: a copy just seen running may look.
		changed, ended, twinTrouble := t.lookForTwins(ctx, now)
		res.Changed = append(res.Changed, changed...)
		res.Ended = append(res.Ended, ended...)
		changedAny = changedAny || len(changed) > 0
		if trouble == nil {
			trouble = twinTrouble
		}
	}
	t.mu.Lock()
	// Ended copies due to move to the history file are a change too.
	changedAny = changedAny || len(t.list.ToHistory(t.now().Add(-model.HistoryAge))) > 0
	t.mu.Unlock()
	if changedAny {
		if err := t.save(); err != nil && trouble == nil {
			trouble = err
		}
	}
	for _, j := range jobs {
		if j.cur.Cross.Active() && j.before.SnapshotID == "" && j.cur.SnapshotID != "" {
			t.afterStep("copy") // its id is in the state file
		}
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case credentials != nil:
		t.paused = true
		res.Paused = true
		res.Trouble, res.profile = credentials, t.heard.profileRefused(t.aws.Profile())
		res.Status = res.StatusTo("")
		t.pause = StepResult{Paused: true, Status: res.Status, Trouble: res.Trouble, profile: res.profile}
	case trouble != nil && !errors.Is(ctx.Err(), context.Canceled):
		wait := t.backoff.Next(t.rnd)
		res.Next = wait
		res.Trouble, res.profile = trouble, t.aws.Profile()
		res.Status = res.StatusTo("")
	default:
		t.backoff.Reset()
		res.Next = model.NextPoll(t.list.Copies, now)
	}
	return res
}
