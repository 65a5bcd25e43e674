package copy

import (
	"context"
	"os"
	"slices"
	"sync"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// The host's lock of each copy (model.LockCopyOnHost) is held from before
// the look for a duplicate until AWS shows the copy made (or nothing was
// sent): a second `snapcopy copy` of the same source to the same
// destination on the host, whoever runs it, waits, then finds that copy
// and is refused as a duplicate.

// Environment variables of the host lock.
const (
	// lockDirEnv moves the folder of the host locks.
	lockDirEnv = "SNAPCOPY_LOCK_DIR"
	// noHostLockEnv, when set, takes no host lock: the processes of a test
	// stand for processes on two hosts, where no lock reaches.
	noHostLockEnv = "SNAPCOPY_NO_HOST_LOCK"
)

// hostLocks are the host's locks of one run's copies.
type hostLocks struct {
	once    sync.Once
	unlocks []func()
}

// release lets go of the locks (once; later calls do nothing).
func (h *hostLocks) release() {
	h.once.Do(func() {
		for _, u := range slices.Backward(h.unlocks) {
			u()
		}
	})
}

// lockOnHost takes the host's lock of each request's copy, in one order
// for every process so that two batches never wait on each other. It
// waits for a lock held by another process, saying so once, at most
// --give-up.
func (c *run) lockOnHost(reqs []model.CopyRequest) (*hostLocks, error) {
	h := &hostLocks{}
	if os.Getenv(noHostLockEnv) != "" {
		return h, nil
	}
	dir := os.Getenv(lockDirEnv)
	if dir == "" {
		dir = model.DefaultHostLockDir
	}
	ctx, cancel := context.WithTimeout(c.ctx, c.lookupBound())
	account, _ := c.client.Account(ctx) // unknown: the lock is only wider
	cancel()
	account = c.lockAccount(account)
	names := map[string]model.CopyRequest{}
	for _, r := range reqs {
		names[model.HostLockName(account, r)] = r
	}
	order := make([]string, 0, len(names))
	for n := range names {
		order = append(order, n)
	}
	slices.Sort(order)
	wait, stop := c.ctx, func() {}
	if c.o.giveUp > 0 {
		wait, stop = context.WithTimeout(c.ctx, c.o.giveUp)
	}
	defer stop()
	for _, name := range order {
		r := names[name]
		unlock, err := model.LockCopyOnHost(wait, dir, name, func() {
			c.say("another snapcopy on this host is copying %s to %s: waiting for it, then looking again",
				textsafe.Clean(r.SourceSnapshotID), textsafe.Clean(r.Destination().Short()))
		})
		if err != nil {
			h.release()
			return nil, err
		}
		h.unlocks = append(h.unlocks, unlock)
	}
	return h, nil
}

// shown reports whether a copy no longer needs the host's lock: AWS shows
// it (running or ended), or it is not in flight (queued: not sent, or
// refused for now).
func shown(c model.Copy) bool {
	if c.Cross.BeforeCopy() {
		return false // a copy into another account before its CopySnapshot
	}
	switch c.Phase {
	case model.PhaseSending, model.PhaseStarting:
		return false
	}
	return true
}

// releaseIfShown lets go of the host's locks once every copy of ids is
// shown: told after each step.
func (h *hostLocks) releaseIfShown(copies []model.Copy, ids []string) {
	for _, c := range copies {
		if slices.Contains(ids, c.RequestID) && !shown(c) {
			return
		}
	}
	h.release()
}

// twinsDeleted says, for each copy of ids deleted for a twin another
// snapcopy made at the same time, which copy was kept; it returns how many.
func (c *run) twinsDeleted(copies []model.Copy) int {
	n := 0
	for _, cp := range copies {
		if cp.DuplicateOf != "" {
			n++
			c.say("%s", textsafe.Clean(cp.Request.SourceSnapshotID+" -> "+cp.Request.Destination().Short()+": "+cp.StateMessage))
		}
	}
	return n
}

// twinsPending reports whether a copy of ids has still to look for twins.
func twinsPending(copies []model.Copy, ids []string) bool {
	for _, c := range copies {
		if slices.Contains(ids, c.RequestID) && c.TwinCheckPending() {
			return true
		}
	}
	return false
}
