package track

import (
	"context"
	"errors"
	"fmt"

	"github.com/snapcopy/snapcopy/model"
)

// Cancel stops one copy and records it as cancelled (see
// model.HowToCancel): a copy not sent yet is only marked; a copy AWS is
// making is deleted with DeleteSnapshot in its destination Region, and
// only when the snapshot found carries this copy's own request tag. A copy
// that completed or failed meanwhile is recorded as such and nothing is
// deleted. It waits for a Step in progress, so no Step works on the copy
// as it was, and returns the copy as it is after.
func (t *Tracker) Cancel(ctx context.Context, requestID string) (model.Copy, error) {
	t.stepMu.Lock()
	defer t.stepMu.Unlock()

	t.mu.Lock()
	orig := t.list.Find(requestID)
	if orig == nil {
		t.mu.Unlock()
		return model.Copy{}, fmt.Errorf("copy %s is not tracked", requestID)
	}
	cur := clone(orig)
	t.mu.Unlock()

	err := t.cancel(ctx, &cur)
	t.mu.Lock()
	if o := t.list.Find(requestID); o != nil {
		*o = cur
	}
	t.mu.Unlock()
	if serr := t.save(); serr != nil && err == nil {
		err = fmt.Errorf("the copy is %s, but the state file could not be written: %w", cur.Phase, serr)
	}
	return cur, err
}

// cancel does the work of Cancel on the private copy c.
func (t *Tracker) cancel(ctx context.Context, c *model.Copy) error {
	region := c.Request.DestinationRegion
	if why := c.SnapLockKeepsFromDelete(t.now()); why != "" {
		return errors.New(why) // no DeleteSnapshot: AWS would refuse it
	}
	if c.Cross.Step == model.CrossCleanup {
		return fmt.Errorf("copy %s has ended and is removing what it left in the source account: there is nothing to cancel", c.RequestID)
	}
	aws, err := t.pollAWS(ctx, c) // the destination account's, for a copy into another
	if err != nil {
		return err
	}
	var snap model.Snapshot
	switch model.HowToCancel(c.Phase) {
	case model.CancelNotAllowed:
		return fmt.Errorf("copy %s has %s: there is nothing to cancel", c.RequestID, ended(c.Phase))
	case model.CancelLocally:
		c.Cancelled("", t.now())
		return nil
	case model.CancelFindFirst:
		s, ok, err := aws.FindByRequestID(ctx, region, c.RequestID)
		if err != nil {
			return fmt.Errorf("look for the copy in %s: %w", region, err)
		}
		if !ok {
			return fmt.Errorf("AWS has not answered for copy %s yet and lists no copy carrying its request tag in %s: try again in a moment", c.RequestID, region)
		}
		c.Found(s, t.now())
		snap = s
	case model.CancelByDelete:
		s, ok, err := aws.SnapshotByID(ctx, region, c.SnapshotID)
		if err != nil {
			return fmt.Errorf("read the copy %s in %s: %w", c.SnapshotID, region, err)
		}
		if !ok {
			if c.Phase == model.PhaseStarting {
				return fmt.Errorf("AWS does not list the copy %s in %s yet: try again in a moment", c.SnapshotID, region)
			}
			return fmt.Errorf("AWS says the copy %s does not exist in %s: nothing was deleted", c.SnapshotID, region)
		}
		snap = s
	}
	if !c.Owns(snap) {
		return fmt.Errorf("snapshot %s in %s does not carry this copy's tag %s=%s: it was not deleted", snap.ID, region, model.RequestTagKey, c.RequestID)
	}
	if snap.State == model.StateCompleted || snap.State == model.StateError {
		c.Observed(snap, t.now())
		return fmt.Errorf("copy %s has %s before it could be cancelled: nothing was deleted", snap.ID, ended(c.Phase))
	}
	if err := aws.DeleteSnapshot(ctx, region, snap.ID); err != nil {
		// Not found: the copy is gone already, which is what was asked.
		if ae, ok := model.AsAPIError(err); !ok || ae.Kind != model.ErrNotFound {
			return fmt.Errorf("delete the copy %s in %s: %w", snap.ID, region, err)
		}
	}
	c.Cancelled(snap.ID, t.now())
	return nil
}

// ended words a final phase for a sentence: "completed", "failed",
// "been cancelled".
func ended(p model.Phase) string {
	if p == model.PhaseCancelled {
		return "been cancelled"
	}
	return string(p)
}
