package track

import (
	"context"
	"fmt"

	"github.com/snapcopy/snapcopy/model"
)

// lockCopies is the snapshot lock's step, after the copies' own: each copy
// with a lock to set is locked (LockSnapshot in its destination Region) as
// soon as AWS lists it, pending. The lock is a tracked step: the state file says
// "sending" before LockSnapshot leaves, and a lock whose answer was lost
// (or a restart in between) is read with DescribeLockedSnapshots before
// it is asked again, so exactly one LockSnapshot is applied. A copy that
// still looks for a twin made at the same moment elsewhere is locked once
// it looked, so that a twin can still be deleted. A lock AWS refuses is
// recorded with AWS's words on the copy, which goes on. It reports the
// copies whose lock changed, expired credentials, and the trouble met.
func (t *Tracker) lockCopies(ctx context.Context) (changed []string, credentials *model.APIError, trouble error) {
	now := t.now()
	t.mu.Lock()
	var due []model.Copy
	for _, c := range t.list.Copies {
		switch {
		case c.SnapLockUnsettled():
			c.SnapLockEnded(now)
			changed = append(changed, c.RequestID)
		case c.SnapLockPending() && !c.TwinCheckPending() && c.Phase != model.PhaseStarting:
			// Starting: AWS numbered the copy but does not list it yet,
			// and answers a lock of it InvalidSnapshot.NotFound.
			due = append(due, clone(c))
		}
	}
	t.mu.Unlock()

	// First what AWS already holds: a lock whose answer was lost, and the
	// expiry of a duration lock whose copy has completed.
	var send []*model.Copy
	for i := range due {
		c := &due[i]
		step := c.SnapLock.Step
		if step == model.SnapLockSending || step == model.SnapLockLocked {
			aws, err := t.pollAWS(ctx, c) // the destination account's, for a copy into another
			if err != nil {
				trouble = firstOf(trouble, err)
				continue
			}
			info, ok, err := aws.SnapshotLock(ctx, c.Request.DestinationRegion, c.SnapshotID)
			switch {
			case err != nil:
				ae, isAE := model.AsAPIError(err)
				if isAE && react(ae, t.aws.Region()) == pause {
					return changed, ae, trouble
				}
				if isAE && !model.RefusalWaits(ae) && ae.Kind != model.ErrNotFound {
					// Asking again gets the same refusal: a follow would
					// wait on it for ever.
					c.SnapLockUnread(ae, t.now())
					continue
				}
				if step == model.SnapLockSending {
					c.SnapLockNoAnswer("checking whether the copy was locked: "+model.Explain(err, model.Brief()), t.now())
				}
				trouble = firstOf(trouble, err)
			case ok:
				c.SnapLocked(info, t.now())
			case step == model.SnapLockSending:
				c.SnapLockNotApplied(t.now())
			default:
				c.SnapLockGone(t.now())
			}
		}
		if c.SnapLock.Step == "" || c.SnapLock.Step == model.SnapLockToDo {
			send = append(send, c)
		}
	}

	if len(send) > 0 && ctx.Err() == nil {
		// On disk before it leaves: a process started after a crash reads
		// "sending" and looks before locking again.
		t.mu.Lock()
		for _, c := range send {
			c.SnapLockSent(now)
			if orig := t.list.Find(c.RequestID); orig != nil {
				orig.SnapLock = c.SnapLock
			}
		}
		t.mu.Unlock()
		if err := t.save(); err != nil {
			return changed, nil, fmt.Errorf("no copy is locked while the state file cannot be written: %w", err)
		}
		for _, c := range send {
			if ctx.Err() != nil {
				c.SnapLockNoAnswer("canceled before AWS answered; checking whether the copy was locked", t.now())
				continue
			}
			cred, err := t.lockOne(ctx, c)
			if cred != nil {
				credentials = cred
				break
			}
			trouble = firstOf(trouble, err)
		}
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range due {
		c := &due[i]
		orig := t.list.Find(c.RequestID)
		if orig == nil {
			continue
		}
		before := *orig
		orig.SnapLock = c.SnapLock
		if model.VisiblyChanged(before, *orig) {
			changed = append(changed, c.RequestID)
		}
	}
	return changed, credentials, trouble
}

// lockOne sends one LockSnapshot and records its outcome on c.
func (t *Tracker) lockOne(ctx context.Context, c *model.Copy) (credentials *model.APIError, trouble error) {
	aws, err := t.pollAWS(ctx, c) // the destination account's, for a copy into another
	if err != nil {
		return nil, err
	}
	info, err := aws.LockSnapshot(ctx, c.Request.DestinationRegion, c.SnapshotID, c.Request.SnapLock)
	seen := t.now()
	if err == nil {
		c.SnapLocked(info, seen)
		return nil, nil
	}
	ae, ok := model.AsAPIError(err)
	switch {
	case model.JudgeSend(err) == model.SendUnanswered:
		why := "canceled before AWS answered"
		if ok {
			why = "no answer from AWS (" + ae.Message + ")"
		}
		c.SnapLockNoAnswer(why+"; checking whether the copy was locked", seen)
		return nil, err
	case react(ae, t.aws.Region()) == pause:
		c.SnapLockWaits(ae, seen)
		return ae, nil
	case ae.Kind == model.ErrNotFound:
		// A copy AWS numbered but does not list yet is not lost: its lock
		// waits for the next step (a copy gone for good fails by its poll).
		c.SnapLockWaits(ae, seen)
		return nil, nil
	case model.RefusalWaits(ae):
		c.SnapLockWaits(ae, seen)
		return nil, err
	}
	c.SnapLockRefused(ae, seen)
	return nil, nil
}

func firstOf(have, next error) error {
	if have != nil {
		return have
	}
	return next
}

func (h *heard) LockSnapshot(ctx context.Context, region, id string, spec model.SnapLockSpec) (model.SnapLockInfo, error) {
	info, err := h.AWS.LockSnapshot(ctx, region, id, spec)
	h.note(err)
	return info, err
}

func (h *heard) SnapshotLock(ctx context.Context, region, id string) (model.SnapLockInfo, bool, error) {
	info, ok, err := h.AWS.SnapshotLock(ctx, region, id)
	h.note(err)
	return info, ok, err
}
