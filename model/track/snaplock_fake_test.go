package track

import (
	"context"

	"github.com/snapcopy/snapcopy/model"
)

// fakeSnapLocks is the fake's snapshot locks: the lock of each copy, the
// LockSnapshot calls applied, and faults of the next calls.
type fakeSnapLocks struct {
	held    map[string]model.SnapLockInfo // id -> lock
	applied int                           // LockSnapshot calls carried out
	// lockFaults are the errors of the next LockSnapshot calls; made says
	// whether the lock was applied all the same (a lost answer).
	lockFaults []sendFault
	// readErr fails every DescribeLockedSnapshots.
	readErr error
	// onLock runs as a LockSnapshot arrives, before anything else.
	onLock func()
}

func (f *fakeAWS) LockSnapshot(ctx context.Context, region, id string, spec model.SnapLockSpec) (model.SnapLockInfo, error) {
	if f.snapLocks.onLock != nil {
		f.snapLocks.onLock()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("LockSnapshot", region); err != nil {
		return model.SnapLockInfo{}, err
	}
	l := &f.snapLocks
	var fault sendFault
	if len(l.lockFaults) > 0 {
		fault, l.lockFaults = l.lockFaults[0], l.lockFaults[1:]
	}
	if fault.err != nil && !fault.made {
		return model.SnapLockInfo{}, fault.err
	}
	s, ok := f.snaps[region][id]
	if !ok || f.hidden[id] {
		return model.SnapLockInfo{}, apiErr("LockSnapshot", region, "InvalidSnapshot.NotFound", model.ErrNotFound)
	}
	info := model.SnapLockInfo{State: string(spec.Mode), Days: spec.Days, CoolOffHours: spec.CoolOffHours, ExpiresOn: spec.Expires}
	if s.State == model.StateCompleted && spec.Days > 0 {
		info.ExpiresOn = t0.AddDate(0, 0, int(spec.Days))
	}
	if l.held == nil {
		l.held = map[string]model.SnapLockInfo{}
	}
	l.held[id] = info
	l.applied++
	return info, fault.err
}

func (f *fakeAWS) SnapshotLock(ctx context.Context, region, id string) (model.SnapLockInfo, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("SnapshotLock", region); err != nil {
		return model.SnapLockInfo{}, false, err
	}
	if f.snapLocks.readErr != nil {
		return model.SnapLockInfo{}, false, f.snapLocks.readErr
	}
	info, ok := f.snapLocks.held[id]
	if ok && info.ExpiresOn.IsZero() && info.Days > 0 && f.snaps[region][id].State == model.StateCompleted {
		// A duration lock counts from completion: AWS gives its expiry then.
		info.ExpiresOn = t0.AddDate(0, 0, int(info.Days))
	}
	return info, ok, nil
}
