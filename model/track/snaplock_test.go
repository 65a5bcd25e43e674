package track

import (
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// addLocked tracks a queued copy into region with the lock spec.
func (b *bench) addLocked(region string, spec model.SnapLockSpec) *model.Copy {
	b.t.Helper()
	src := model.Snapshot{ID: "snap-0000000000abc001", VolumeSizeGiB: 8}
	c := model.NewCopy(model.CopyRequest{DestinationRegion: region, SourceRegion: "us-west-2", SourceSnapshotID: src.ID, SnapLock: spec}, src, b.clock.Now())
	if err := b.tr.Add(c); err != nil {
		b.t.Fatal(err)
	}
	return c
}

var gov7 = model.SnapLockSpec{Mode: model.SnapLockGovernance, Days: 7}

// The copy is locked in the step that got its id, the state file saying
// "sending" for the lock before LockSnapshot leaves; once the copy
// completes, the lock's expiry is read, and only then has the copy ended.
func TestLocksTheCopyAsSoonAsItHasItsID(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	var onDisk []model.SnapLockStep
	b.aws.snapLocks.onLock = func() {
		list, err := model.LoadWatchList(b.path, b.clock.Now())
		if err != nil {
			t.Errorf("read the state file during LockSnapshot: %v", err)
			return
		}
		for _, c := range list.Copies {
			onDisk = append(onDisk, c.SnapLock.Step)
		}
	}
	c := b.addLocked("us-east-1", gov7)
	res := b.step()
	got := b.copy(c.RequestID)
	if b.aws.count("CopySnapshot", "us-east-1") != 1 || b.aws.count("LockSnapshot", "us-east-1") != 1 {
		t.Fatalf("calls %v, want one CopySnapshot and one LockSnapshot", b.aws.callList())
	}
	if len(onDisk) != 1 || onDisk[0] != model.SnapLockSending {
		t.Errorf("the state file said %v during LockSnapshot, want [sending]", onDisk)
	}
	if got.SnapLock.Step != model.SnapLockLocked || got.SnapLockWords(b.clock.Now()) != "locked governance, 7 days from completion" {
		t.Errorf("after the step: %+v %q", got.SnapLock, got.SnapLockWords(b.clock.Now()))
	}
	if !strings.Contains(strings.Join(res.Changed, " "), c.RequestID) {
		t.Errorf("the lock is not a change: %+v", res)
	}
	list, _ := model.LoadWatchList(b.path, b.clock.Now())
	if list.Copies[0].SnapLock.Step != model.SnapLockLocked {
		t.Errorf("saved after the answer: %+v", list.Copies[0].SnapLock)
	}

	b.aws.completeAll()
	b.step()
	got = b.copy(c.RequestID)
	if got.Phase != model.PhaseCompleted || !UntilEnded()([]model.Copy{got}) {
		// The step that saw it complete also read the expiry.
		t.Fatalf("completed copy: %s, lock %+v", got.Phase, got.SnapLock)
	}
	if want := t0.AddDate(0, 0, 7); !got.SnapLock.Lock.ExpiresOn.Equal(want) {
		t.Errorf("expiry = %v, want %v", got.SnapLock.Lock.ExpiresOn, want)
	}
	if n := b.aws.count("LockSnapshot", ""); n != 1 {
		t.Errorf("%d LockSnapshot calls, want 1", n)
	}
}

// A LockSnapshot whose answer was lost is checked with
// DescribeLockedSnapshots before it is asked again: applied, it is not
// sent again; not applied, it is sent once more. One lock applied either way.
func TestALostLockAnswerIsCheckedBeforeAskingAgain(t *testing.T) {
	lost := apiErr("LockSnapshot", "us-east-1", "", model.ErrTransient)
	for _, made := range []bool{true, false} {
		b := newBench(t, TrackerOptions{})
		b.aws.snapLocks.lockFaults = []sendFault{{err: lost, made: made}}
		c := b.addLocked("us-east-1", gov7)
		b.step()
		if got := b.copy(c.RequestID); got.SnapLock.Step != model.SnapLockSending || !strings.Contains(got.SnapLock.Message, "checking whether the copy was locked") {
			t.Fatalf("made=%v: after the lost answer: %+v", made, got.SnapLock)
		}
		b.step()
		got := b.copy(c.RequestID)
		if got.SnapLock.Step != model.SnapLockLocked {
			t.Errorf("made=%v: not locked: %+v", made, got.SnapLock)
		}
		wantSends := 2
		if made {
			wantSends = 1
		}
		if n := b.aws.count("LockSnapshot", ""); n != wantSends || b.aws.snapLocks.applied != 1 || b.aws.count("SnapshotLock", "") != 1 {
			t.Errorf("made=%v: %d LockSnapshot sent, %d applied, calls %v", made, n, b.aws.snapLocks.applied, b.aws.callList())
		}
	}
}

// A process that died between saving "sending" and AWS's answer leaves
// the next one to look first.
func TestARestartFinishesTheLock(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	c := b.addLocked("us-east-1", gov7)
	b.aws.snapLocks.lockFaults = []sendFault{{err: apiErr("LockSnapshot", "us-east-1", "", model.ErrTransient), made: true}}
	b.step()

	list, err := model.LoadWatchList(b.path, b.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.aws.resetCalls()
	next := NewTracker(b.aws, list, b.path, TrackerOptions{Now: b.clock.Now})
	next.Step(t.Context())
	for _, got := range next.Copies() {
		if got.RequestID == c.RequestID && got.SnapLock.Step != model.SnapLockLocked {
			t.Errorf("after the restart: %+v", got.SnapLock)
		}
	}
	if b.aws.count("LockSnapshot", "") != 0 || b.aws.snapLocks.applied != 1 {
		t.Errorf("the restart locked again: %v, %d applied", b.aws.callList(), b.aws.snapLocks.applied)
	}
}

// A lock AWS refuses is shown on the copy with AWS's words and what to
// do; the copy goes on to complete. A copy that fails has no lock.
func TestARefusedLockLeavesTheCopyGoingOn(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.aws.snapLocks.lockFaults = []sendFault{{err: apiErr("LockSnapshot", "us-east-1", "UnauthorizedOperation", model.ErrPermission)}}
	c := b.addLocked("us-east-1", gov7)
	res := b.step()
	got := b.copy(c.RequestID)
	if got.SnapLock.Step != model.SnapLockFailed || res.Trouble != nil {
		t.Fatalf("after the refusal: %+v, trouble %v", got.SnapLock, res.Trouble)
	}
	for _, want := range []string{"not locked: LockSnapshot in us-east-1: UnauthorizedOperation", "lacks permission for LockSnapshot", "AWS says UnauthorizedOperation", "ec2:LockSnapshot"} {
		if !strings.Contains(got.SnapLockWords(b.clock.Now()), want) {
			t.Errorf("the lock's words %q lack %q", got.SnapLockWords(b.clock.Now()), want)
		}
	}
	b.aws.completeAll()
	b.step()
	if got := b.copy(c.RequestID); got.Phase != model.PhaseCompleted || b.aws.count("LockSnapshot", "") != 1 {
		t.Errorf("the copy: %s, calls %v", got.Phase, b.aws.callList())
	}

	// Throttled, the lock waits and is asked again.
	b2 := newBench(t, TrackerOptions{})
	b2.aws.snapLocks.lockFaults = []sendFault{{err: apiErr("LockSnapshot", "us-east-1", "RequestLimitExceeded", model.ErrThrottled)}}
	c2 := b2.addLocked("us-east-1", gov7)
	b2.step()
	if got := b2.copy(c2.RequestID); got.SnapLock.Step != model.SnapLockToDo {
		t.Errorf("throttled lock: %+v", got.SnapLock)
	}
	b2.step()
	if got := b2.copy(c2.RequestID); got.SnapLock.Step != model.SnapLockLocked {
		t.Errorf("throttled lock, asked again: %+v", got.SnapLock)
	}
}

// A copy that must still look for a twin is locked once it looked, so
// that a twin made elsewhere can still be deleted.
func TestACopyLooksForItsTwinBeforeItIsLocked(t *testing.T) {
	b := newBench(t, TrackerOptions{SettleDelay: time.Second})
	src := model.Snapshot{ID: "snap-0000000000abc001", VolumeSizeGiB: 8}
	c := model.NewCopy(model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID, SnapLock: gov7,
		Tags: model.ProvenanceTags(src)}, src, b.clock.Now())
	c.OnlyCopy = true
	if err := b.tr.Add(c); err != nil {
		t.Fatal(err)
	}
	b.step()
	if b.aws.count("LockSnapshot", "") != 0 {
		t.Fatalf("locked before its look for twins: %v", b.aws.callList())
	}
	for i := 0; i < 20 && b.copy(c.RequestID).SnapLock.Step != model.SnapLockLocked; i++ {
		b.step()
	}
	got := b.copy(c.RequestID)
	if !got.TwinChecked || got.SnapLock.Step != model.SnapLockLocked {
		t.Errorf("twin checked %v, lock %+v; calls %v", got.TwinChecked, got.SnapLock, b.aws.callList())
	}
}

// A copy that failed before its lock was set has none, and ends.
func TestAFailedCopyHasNoLock(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.aws.snapLocks.lockFaults = []sendFault{{err: apiErr("LockSnapshot", "us-east-1", "RequestLimitExceeded", model.ErrThrottled)}}
	c := b.addLocked("us-east-1", gov7)
	b.step()
	b.aws.set(func(f *fakeAWS) {
		for _, s := range f.snaps["us-east-1"] {
			s.State, s.StateMessage = model.StateError, "copy failed"
		}
	})
	b.step()
	got := b.copy(c.RequestID)
	if got.Phase != model.PhaseFailed || got.SnapLock.Step != model.SnapLockCancelled || !UntilEnded()([]model.Copy{got}) {
		t.Errorf("failed copy: %s, lock %+v", got.Phase, got.SnapLock)
	}
	if b.aws.count("LockSnapshot", "") != 1 {
		t.Errorf("a failed copy was locked: %v", b.aws.callList())
	}
}

// Cancelling a locked copy sends no DeleteSnapshot and says the copy is
// locked, and until when; a copy whose lock is not set yet is cancelled,
// and never locked after.
func TestCancelALockedCopySendsNoDelete(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	c := b.addLocked("us-east-1", gov7)
	b.step()
	got, err := b.tr.Cancel(t.Context(), c.RequestID)
	if err == nil || !strings.Contains(err.Error(), "is locked governance, 7 days from completion: AWS refuses to delete a locked snapshot, so it is not cancelled") ||
		!strings.Contains(err.Error(), "aws ec2 unlock-snapshot --region us-east-1 --snapshot-id "+got.SnapshotID) {
		t.Errorf("cancel of a locked copy: %v", err)
	}
	if got.Phase != model.PhaseRunning || b.aws.count("DeleteSnapshot", "") != 0 {
		t.Errorf("copy %s, calls %v", got.Phase, b.aws.callList())
	}

	comp := newBench(t, TrackerOptions{})
	cc := comp.addLocked("us-east-1", model.SnapLockSpec{Mode: model.SnapLockCompliance, Expires: t0.AddDate(1, 0, 0)})
	comp.step()
	if _, err := comp.tr.Cancel(t.Context(), cc.RequestID); err == nil || !strings.Contains(err.Error(), "nobody can remove a compliance lock past its cool-off, so it cannot be deleted or cancelled before 2027-11-25 14:00 UTC") {
		t.Errorf("cancel of a compliance-locked copy: %v", err)
	}

	early := newBench(t, TrackerOptions{})
	early.aws.hideNew = true // listed by AWS only later: not locked yet
	ec := early.addLocked("us-east-1", gov7)
	early.step()
	got, err = early.tr.Cancel(t.Context(), ec.RequestID)
	if err != nil && !strings.Contains(err.Error(), "does not list the copy") {
		t.Fatal(err)
	}
	early.aws.set(func(f *fakeAWS) { f.hidden = map[string]bool{} })
	if got.Phase != model.PhaseCancelled {
		got, err = early.tr.Cancel(t.Context(), ec.RequestID)
	}
	if err != nil || got.Phase != model.PhaseCancelled {
		t.Fatalf("cancel before the lock: %s %v", got.Phase, err)
	}
	early.step()
	if n := early.aws.count("LockSnapshot", ""); n != 0 || early.copy(ec.RequestID).SnapLock.Step != model.SnapLockCancelled {
		t.Errorf("a cancelled copy was locked: %v %+v", early.aws.callList(), early.copy(ec.RequestID).SnapLock)
	}
}

// DescribeLockedSnapshots refused for good (a permission missing) settles
// the lock's step: a lock AWS answered keeps its words, a lost answer is
// not known; following the copies ends.
func TestARefusedLockReadSettles(t *testing.T) {
	denied := apiErr("DescribeLockedSnapshots", "us-east-1", "UnauthorizedOperation", model.ErrPermission)
	b := newBench(t, TrackerOptions{})
	c := b.addLocked("us-east-1", gov7)
	b.step()
	b.aws.set(func(f *fakeAWS) { f.snapLocks.readErr = denied })
	b.aws.completeAll()
	b.step()
	got := b.copy(c.RequestID)
	if got.SnapLock.Step != model.SnapLockLocked || got.SnapLockPending() || !UntilEnded()([]model.Copy{got}) ||
		!strings.Contains(got.SnapLock.Message, "its expiry could not be read") {
		t.Errorf("locked, expiry unread: %+v", got.SnapLock)
	}

	lost := newBench(t, TrackerOptions{})
	lost.aws.snapLocks.lockFaults = []sendFault{{err: apiErr("LockSnapshot", "us-east-1", "", model.ErrTransient), made: true}}
	lc := lost.addLocked("us-east-1", gov7)
	lost.step()
	lost.aws.set(func(f *fakeAWS) { f.snapLocks.readErr = denied })
	lost.step()
	got = lost.copy(lc.RequestID)
	if got.SnapLock.Step != model.SnapLockFailed || !got.SnapLockUnknown() || !strings.Contains(got.SnapLockWords(t0), "not known whether the copy was locked") ||
		lost.aws.count("LockSnapshot", "") != 1 {
		t.Errorf("lost answer, read refused: %+v, calls %v", got.SnapLock, lost.aws.callList())
	}
}
