package copy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/cmd/watch"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// start records the copies in the state file (under its lock), refuses
// duplicates unless --again, and sends them through the tracker.
func (c *run) start(reqs []model.CopyRequest, sources []model.Snapshot) int {
	unlock, err := model.LockStateFile(c.statePath)
	if err != nil {
		c.say("%v", err)
		return cmd.ExitUsage
	}
	defer unlock()
	now := c.now()
	list, err := model.LoadWatchList(c.statePath, now)
	var sfe *model.StateFileError
	switch {
	case errors.As(err, &sfe):
		c.say("%s", sfe.Error())
	case err != nil:
		c.say("%v", err)
		return cmd.ExitFailed
	}
	locks := &hostLocks{}
	if !c.o.again {
		var err error
		if locks, err = c.lockOnHost(reqs); err != nil {
			if code, ok := c.stopped(0); ok {
				return code
			}
			c.say("%s; nothing was sent", textsafe.Clean(err.Error()))
			return cmd.ExitFailed
		}
		defer locks.release()
		ctx, cancel := context.WithTimeout(c.ctx, c.lookupBound())
		dup, err := existingCopy(ctx, c.destClient(), c.sameAccount(list.Copies), reqs)
		cancel()
		switch {
		case err != nil:
			if code, ok := c.stopped(0); ok {
				return code
			}
			c.say("could not check for an existing copy: %s; nothing was sent (--again copies without checking)", textsafe.Clean(model.Explain(err, model.Brief())))
			return cmd.ExitFailed
		case dup != "":
			c.say("%s; nothing was sent (--again makes another copy)", textsafe.Clean(dup))
			return cmd.ExitDuplicate
		}
	}

	byID := map[string]model.Snapshot{}
	for _, s := range sources {
		byID[s.ID] = s
	}
	copies := make([]*model.Copy, 0, len(reqs))
	ids := make([]string, 0, len(reqs))
	for _, r := range reqs {
		cp := model.NewCopy(r, byID[r.SourceSnapshotID], now)
		// Found nowhere before it is sent: a twin made at the same time
		// on another host is resolved once AWS shows both.
		cp.OnlyCopy = !c.o.again
		c.crossInto(cp)
		copies = append(copies, cp)
		ids = append(ids, cp.RequestID)
	}
	t := track.NewTracker(c.client, list, c.statePath, c.trackerOptions())
	defer c.closeAccounts()
	if err := t.Add(copies...); err != nil {
		c.say("%v", err)
		return cmd.ExitFailed
	}
	if c.o.wait {
		return c.follow(t, ids, locks)
	}
	return c.send(t, ids, locks)
}

// mine is the tracker's copies of ids, in that order.
func mine(t *track.Tracker, ids []string) []model.Copy {
	by := map[string]model.Copy{}
	for _, c := range t.Copies() {
		by[c.RequestID] = c
	}
	out := make([]model.Copy, 0, len(ids))
	for _, id := range ids {
		out = append(out, by[id])
	}
	return out
}

// allAnswered reports whether AWS answered the CopySnapshot of every copy of ids.
func allAnswered(copies []model.Copy, ids []string) bool {
	for _, cp := range copies {
		if slices.Contains(ids, cp.RequestID) && !answered(cp) {
			return false
		}
	}
	return true
}

// answered reports whether AWS has answered the copy's CopySnapshot: it
// has an id or ended, or AWS asked it to wait (throttled, at its limit).
func answered(c model.Copy) bool {
	switch c.Phase {
	case model.PhaseQueued:
		return c.Attempts > 0
	case model.PhaseSending:
		return false
	}
	return true
}

// send follows the copies until AWS answered every CopySnapshot (or for
// startBound, a step never cut short by it), prints the copies and leaves
// them to `snapcopy watch`. It stops at expired credentials (nobody waits
// here to renew them) and polls briskly: within 1-5 s of each answer.
func (c *run) send(t *track.Tracker, ids []string, locks *hostLocks) int {
	deadline := c.now().Add(startBound)
	// ErrPaused and ctx's end are both told below, by the copies left
	// waiting; giving up, by the copies left unanswered. Copies sent as the
	// only ones wait for AWS to show their twins, if any, first.
	err := track.Follow(c.ctx, t, track.FollowOptions{
		Until: func(copies []model.Copy) bool {
			return allAnswered(copies, ids) && !twinsPending(copies, ids) && !snapLocksUnsent(copies, ids) || c.now().After(deadline)
		},
		OnStep: func(_ track.StepResult, copies []model.Copy) error {
			locks.releaseIfShown(copies, ids)
			return nil
		},
		WhenPaused: track.StopWhenPaused,
		MinWait:    time.Second,
		MaxWait:    5 * time.Second,
		GiveUp:     c.o.giveUp,
		Now:        c.now,
	})
	copies := mine(t, ids)
	now := c.now()
	queued, unanswered, failed := 0, 0, 0
	for i := range copies {
		fmt.Fprintln(c.env.Stdout, watch.CopyLine(&copies[i], now, c.o.output == "json"))
		switch {
		case copies[i].Phase == model.PhaseFailed:
			failed++
		case !answered(copies[i]):
			unanswered++
		case copies[i].Phase == model.PhaseQueued:
			queued++
		}
	}
	if code, ok := c.stopped(queued + unanswered); ok {
		return code
	}
	var gaveUp *track.GiveUpError
	if errors.As(err, &gaveUp) {
		c.say("%s", textsafe.Clean(err.Error()))
	}
	if queued > 0 {
		c.say("%d of the copies are queued, saved in %s: `snapcopy watch` sends and follows them", queued, c.statePath)
	}
	if unanswered > 0 {
		// Whether AWS made them is not known: a script must not take them
		// for started. The next snapcopy looks them up by their tag.
		c.say("AWS has not answered the CopySnapshot of %d of the copies; they are saved in %s: `snapcopy watch` looks each up by its tag and follows it", unanswered, c.statePath)
	}
	if failed > 0 {
		c.say("%d of the copies failed", failed)
	}
	c.saySnapLocksFailed(copies)
	twins := c.twinsDeleted(copies)
	switch {
	case failed > 0 || unanswered > 0:
		return cmd.ExitFailed
	case twins > 0:
		return cmd.ExitDuplicate
	}
	return cmd.ExitOK
}

// follow waits for the copies to end, as `watch --plain` does.
func (c *run) follow(t *track.Tracker, ids []string, locks *hostLocks) int {
	p := watch.Plain{RequestIDs: ids, JSON: c.o.output == "json", Out: c.env.Stdout, Notes: c.env.Stderr, Now: c.now, GiveUp: c.o.giveUp,
		AfterStep: func(copies []model.Copy) { locks.releaseIfShown(copies, ids) }}
	err := p.Follow(c.ctx, t)
	unfinished, failed := 0, 0
	for _, cp := range mine(t, ids) {
		switch {
		case !cp.Phase.Done():
			unfinished++
		case cp.Phase == model.PhaseFailed:
			failed++
		}
	}
	if err != nil {
		if code, ok := c.stopped(unfinished); ok {
			return code
		}
		c.say("%s", textsafe.Clean(err.Error()))
		if unfinished > 0 {
			c.say("the copies stay in %s (%d unfinished): `snapcopy watch` goes on with them", c.statePath, unfinished)
		}
		return cmd.ExitFailed
	}
	twins := c.twinsDeleted(mine(t, ids))
	c.saySnapLocksFailed(mine(t, ids))
	if failed > 0 {
		c.say("%d of the copies failed", failed)
		return cmd.ExitFailed
	}
	if twins > 0 {
		return cmd.ExitDuplicate
	}
	return cmd.ExitOK
}

// existingCopy names a copy of one of reqs' sources to the same
// destination that is in flight or completed (model.FindDuplicate): in the
// state file, or in AWS by snapcopy's provenance tag (one DescribeSnapshots
// per destination Region). "" when there is none.
func existingCopy(ctx context.Context, aws interface {
	CopiesOf(ctx context.Context, region string, sourceIDs []string) ([]model.Snapshot, error)
}, tracked []*model.Copy, reqs []model.CopyRequest) (string, error) {
	for _, r := range reqs {
		if d, ok := model.FindDuplicate(r, tracked, nil); ok {
			return d.String(), nil
		}
	}
	byRegion := map[string][]string{}
	var order []string
	for _, r := range reqs {
		if byRegion[r.DestinationRegion] == nil {
			order = append(order, r.DestinationRegion)
		}
		byRegion[r.DestinationRegion] = append(byRegion[r.DestinationRegion], r.SourceSnapshotID)
	}
	for _, region := range order {
		found, err := aws.CopiesOf(ctx, region, byRegion[region])
		if err != nil {
			return "", err
		}
		for _, r := range reqs {
			if r.DestinationRegion != region {
				continue
			}
			if d, ok := model.FindDuplicate(r, nil, found); ok {
				return d.String(), nil
			}
		}
	}
	return "", nil
}
