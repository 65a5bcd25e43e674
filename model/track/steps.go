package track

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/snapcopy/snapcopy/model"
)

// The steps of a copy into another account (model.CrossAccount) before its
// CopySnapshot (re-encrypt, share, check the key policy) and after it
// (cleanup). Each step's progress is in the state file before and after
// its AWS call (commit), so a process killed between two calls resumes at
// the step it was on: the intermediate copy is looked up by its own tag
// before it is sent again, and sharing or unsharing again changes nothing
// (awsops/share.go says what of that AWS does not confirm).

// maxStepsPerRound bounds the steps one copy takes in one round.
const maxStepsPerRound = 6

// account is the AWS of profile for copies into other accounts.
func (t *Tracker) account(ctx context.Context, profile string) (AccountAWS, error) {
	if t.accounts == nil {
		return nil, fmt.Errorf("profile %q cannot be reached: this snapcopy follows one account", profile)
	}
	return t.accounts.Open(ctx, profile)
}

// awsOf is the AWS that makes and polls c: its destination profile's for
// a copy into another account, else s.AWS.
func (s Starter) awsOf(ctx context.Context, c *model.Copy) (AWS, error) {
	if !c.Cross.Active() {
		return s.AWS, nil
	}
	if s.Accounts == nil {
		return nil, fmt.Errorf("profile %q cannot be reached: this snapcopy follows one account", c.Cross.DestinationProfile)
	}
	return s.Accounts.Open(ctx, c.Cross.DestinationProfile)
}

// pollKey groups the copies polled together: one call per account and
// Region.
func pollKey(c *model.Copy) string {
	return c.Cross.DestinationProfile + "\x00" + c.Request.DestinationRegion
}

// pollAWS is the AWS that polls c (see Starter.awsOf).
func (t *Tracker) pollAWS(ctx context.Context, c *model.Copy) (AWS, error) {
	if !c.Cross.Active() {
		return t.aws, nil
	}
	return t.starter.awsOf(ctx, c)
}

// crossDue reports whether a copy has a step of its own to take this round.
func crossDue(c *model.Copy) bool {
	return c.Cross.Active() && (c.Phase == model.PhaseQueued && c.Cross.BeforeCopy() || c.Cross.Step == model.CrossCleanup)
}

// crossSteps takes the due steps of copies into other accounts. Expired
// credentials stop everything, as for CopySnapshot.
func (t *Tracker) crossSteps(ctx context.Context, jobs []*work) (credentials *model.APIError, trouble error) {
	for _, j := range jobs {
		if !crossDue(j.cur) || ctx.Err() != nil {
			continue
		}
		err := t.crossStep(ctx, j)
		if err == nil {
			continue
		}
		if ae, ok := model.AsAPIError(err); ok && ae.Kind == model.ErrCredentials {
			return ae, trouble
		}
		if trouble == nil {
			trouble = err
		}
	}
	return nil, trouble
}

// crossStep takes a copy's steps until one has to wait.
func (t *Tracker) crossStep(ctx context.Context, j *work) error {
	cp := j.cur
	src, err := t.account(ctx, cp.Cross.SourceProfile)
	if err != nil {
		cp.Held("waiting: " + err.Error())
		return err
	}
	for range maxStepsPerRound {
		if !crossDue(cp) || ctx.Err() != nil {
			return nil
		}
		before := cp.Cross.Step
		var err error
		switch cp.Cross.Step {
		case model.CrossReencrypt:
			err = t.reencrypt(ctx, j, src)
		case model.CrossShare:
			err = t.share(ctx, j, src)
		case model.CrossKeyPolicy:
			err = t.checkKeyPolicy(ctx, j, src)
		case model.CrossCleanup:
			err = t.cleanUp(ctx, j, src)
		}
		if err != nil {
			return t.stepFailed(j, err)
		}
		if cp.Cross.Step == before {
			return nil // waits for AWS (a copy in progress) or the operator
		}
		if err := t.commit(j); err != nil {
			return err
		}
		t.afterStep(string(before))
	}
	return nil
}

// stepFailed records a step's error: a refusal for good fails the copy
// (cleaning up what it made), anything else waits for the next round.
func (t *Tracker) stepFailed(j *work, err error) error {
	ae, ok := model.AsAPIError(err)
	if !ok {
		j.cur.Held("waiting: " + err.Error())
		return err
	}
	switch ae.Kind {
	case model.ErrInvalid, model.ErrPermission, model.ErrNotFound, model.ErrState:
		if j.cur.Cross.Step == model.CrossCleanup {
			j.cur.CleanupRefused(model.Explain(ae, model.Brief()), t.now())
			_ = t.commit(j)
			return nil
		}
		j.cur.Fail(fmt.Sprintf("%s (%s)", model.Explain(ae, model.Brief()), j.cur.Cross.Step.Title()), t.now())
		_ = t.commit(j)
		return nil
	}
	j.cur.Held(fmt.Sprintf("waiting to %s: %s", j.cur.Cross.Step.Title(), model.Explain(ae, model.Brief())))
	return ae
}

// commit puts j's copy in the list and writes the state file.
func (t *Tracker) commit(j *work) error {
	t.mu.Lock()
	if orig := t.list.Find(j.cur.RequestID); orig != nil {
		*orig = clone(j.cur)
	}
	t.mu.Unlock()
	return t.save()
}

// afterStep tells TrackerOptions.AfterCrossStep.
func (t *Tracker) afterStep(step string) {
	if t.onStep != nil {
		t.onStep(step)
	}
}

// reencrypt makes the intermediate copy under the re-encrypting key, never
// twice: an unanswered CopySnapshot is looked for by its tag first.
func (t *Tracker) reencrypt(ctx context.Context, j *work, src AccountAWS) error {
	cp := j.cur
	region := cp.Request.SourceRegion
	now := t.now()
	if id := cp.Cross.IntermediateSnapshotID; id != "" {
		found, err := src.PollCopies(ctx, region, []string{id})
		if err != nil {
			return err
		}
		if s, ok := found[id]; ok {
			cp.IntermediateObserved(s, t.now())
		}
		return nil
	}
	if !cp.Cross.IntermediateSentAt.IsZero() {
		s, ok, err := src.FindByRequestID(ctx, region, cp.Cross.IntermediateRequestID)
		if err != nil {
			return err
		}
		if ok {
			cp.IntermediateStarted(s.ID, now)
			return t.commit(j)
		}
		if !cp.IntermediateSettled(now, t.starter.settle()) {
			cp.Held("re-encrypting: no answer from AWS; " + checking)
			return nil
		}
	}
	cp.IntermediateSent(now)
	if err := t.commit(j); err != nil {
		return err
	}
	id, err := src.CopySnapshot(ctx, cp.IntermediateRequest())
	switch model.JudgeSend(err) {
	case model.SendStarted:
		cp.IntermediateStarted(id, t.now())
		if err := t.commit(j); err != nil {
			return err
		}
		t.afterStep("reencrypt-sent")
		return nil
	case model.SendUnanswered:
		cp.Held("re-encrypting: no answer from AWS; " + checking)
		return nil
	}
	return err
}

// share shares the snapshot with the destination account unless it is
// already, recording first that the share is snapcopy's.
func (t *Tracker) share(ctx context.Context, j *work, src AccountAWS) error {
	cp := j.cur
	region := cp.Request.SourceRegion
	id := cp.Cross.SharedSnapshot(cp.Request.SourceSnapshotID)
	if !cp.Cross.ShareAdded {
		with, err := src.SnapshotSharedWith(ctx, region, id)
		if err != nil {
			return err
		}
		if slices.Contains(with, cp.Cross.DestinationAccount) {
			cp.Shared(t.now()) // shared before: left as it is at the end
			return nil
		}
		cp.Sharing(t.now())
		if err := t.commit(j); err != nil {
			return err
		}
	}
	if err := src.ShareSnapshot(ctx, region, id, cp.Cross.DestinationAccount); err != nil {
		return err
	}
	cp.Shared(t.now())
	return nil
}

// checkKeyPolicy reads the shared key's policy; the copy goes on only when
// it admits the destination account. Adding what is missing is the
// operator's (the screen's y/n, or by hand): nothing is sent meanwhile.
func (t *Tracker) checkKeyPolicy(ctx context.Context, j *work, src AccountAWS) error {
	cp := j.cur
	policy, err := src.KeyPolicy(ctx, cp.Request.SourceRegion, cp.Cross.SharedKey())
	if err != nil {
		if ae, ok := model.AsAPIError(err); ok && ae.Kind == model.ErrPermission {
			// Not allowed to read it: the copy tells, failing with AWS's
			// "Given key ID is not accessible" when the policy lacks them.
			cp.KeyPolicyChecked(nil, "", t.now())
			return nil
		}
		return err
	}
	missing, err := model.MissingKeyStatements(policy, cp.Cross.DestinationAccount)
	why := ""
	switch {
	case errors.Is(err, model.ErrKeyPolicyDenies):
		why = "the policy of " + cp.Cross.SharedKey() + ": " + err.Error()
	case err != nil:
		why = err.Error()
	}
	cp.KeyPolicyChecked(missing, why, t.now())
	return nil
}

// cleanUp removes the share snapcopy added and deletes the intermediate
// copy (unless kept), then ends the copy as it ended in AWS.
func (t *Tracker) cleanUp(ctx context.Context, j *work, src AccountAWS) error {
	cp := j.cur
	region := cp.Request.SourceRegion
	unshare, del := cp.Cross.CleanupWanted()
	if unshare {
		id := cp.Cross.SharedSnapshot(cp.Request.SourceSnapshotID)
		if id != "" {
			if err := src.UnshareSnapshot(ctx, region, id, cp.Cross.DestinationAccount); err != nil {
				return err
			}
		}
		cp.Unshared(t.now())
		if err := t.commit(j); err != nil {
			return err
		}
		t.afterStep("unshare")
	}
	if del {
		err := src.DeleteSnapshot(ctx, region, cp.Cross.IntermediateSnapshotID)
		if ae, ok := model.AsAPIError(err); err != nil && !(ok && ae.Kind == model.ErrNotFound) {
			return err
		}
		cp.IntermediateDeleted(t.now())
	}
	cp.CleanedUp(t.now())
	return nil
}
