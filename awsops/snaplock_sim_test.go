package awsops_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
)

// LockSnapshot and DescribeLockedSnapshots through the SDK, against the
// simulator: what AWS receives and what the client reads back. moto
// (5.x) does not implement snapshot locks, so only the simulator checks
// them (README).
func TestSnapshotLockOnTheSimulator(t *testing.T) {
	k := newTrack(t, trackSetup{})
	ctx := context.Background()
	src := k.source(8)
	if _, ok, err := k.client.SnapshotLock(ctx, "us-west-2", src.ID); err != nil || ok {
		t.Fatalf("an unlocked snapshot: ok=%v err=%v", ok, err)
	}
	info, err := k.client.LockSnapshot(ctx, "us-west-2", src.ID, model.SnapLockSpec{Mode: model.SnapLockGovernance, Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	now := k.clock.Now()
	if info.State != "governance" || info.Days != 7 || !info.ExpiresOn.Equal(now.AddDate(0, 0, 7)) || !info.CreatedOn.Equal(now) {
		t.Errorf("LockSnapshot answered %+v", info)
	}
	sent := k.sim.Requests("LockSnapshot")
	if len(sent) != 1 || sent[0].Params.Get("LockMode") != "governance" || sent[0].Params.Get("LockDuration") != "7" || sent[0].Params.Has("CoolOffPeriod") || sent[0].Params.Has("ExpirationDate") {
		t.Fatalf("AWS received %+v", sent)
	}
	read, ok, err := k.client.SnapshotLock(ctx, "us-west-2", src.ID)
	if err != nil || !ok || read.State != "governance" || !read.ExpiresOn.Equal(info.ExpiresOn) {
		t.Errorf("DescribeLockedSnapshots: %+v %v %v", read, ok, err)
	}

	// Compliance with a cool-off and an expiry date.
	other := k.source(8)
	until := time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)
	info, err = k.client.LockSnapshot(ctx, "us-west-2", other.ID, model.SnapLockSpec{Mode: model.SnapLockCompliance, Expires: until, CoolOffHours: 24})
	if err != nil {
		t.Fatal(err)
	}
	if info.State != "compliance-cooloff" || !info.ExpiresOn.Equal(until) || !info.CoolOffEnds.Equal(now.Add(24*time.Hour)) {
		t.Errorf("compliance lock: %+v", info)
	}
	if p := k.sim.Requests("LockSnapshot")[1].Params; p.Get("ExpirationDate") != "2027-01-31T00:00:00Z" || p.Get("CoolOffPeriod") != "24" {
		t.Errorf("AWS received %v", p)
	}
	// A locked snapshot refuses DeleteSnapshot.
	err = k.client.DeleteSnapshot(ctx, "us-west-2", other.ID)
	if ae, ok := model.AsAPIError(err); !ok || ae.Code != "SnapshotLocked" {
		t.Errorf("DeleteSnapshot of a locked snapshot: %v", err)
	}
}

// The tracker on the simulator: a copy locked while pending completes
// locked, its 7 days counted from its completion, with one LockSnapshot;
// a LockSnapshot carried out whose answer is lost is found by
// DescribeLockedSnapshots and not sent again.
func TestTrackerLocksTheCopyOnTheSimulator(t *testing.T) {
	for _, lost := range []bool{false, true} {
		k := newTrack(t, trackSetup{})
		if lost {
			k.sim.SetFaults(ec2sim.Faults{DropNext: 1, DropAfterApply: true, Actions: []string{"LockSnapshot"}})
		}
		tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
		c := k.copyTo(k.source(8), "us-east-1", func(r *model.CopyRequest) { r.SnapLock = model.SnapLockSpec{Mode: model.SnapLockGovernance, Days: 7} })
		if err := tr.Add(c); err != nil {
			t.Fatal(err)
		}
		k.untilDone(tr, 200, nil)
		var got model.Copy
		for _, x := range tr.Copies() {
			got = x
		}
		if got.Phase != model.PhaseCompleted || got.SnapLock.Step != model.SnapLockLocked {
			t.Fatalf("lost=%v: copy %s, lock %+v", lost, got.Phase, got.SnapLock)
		}
		if n := len(k.sim.Requests("LockSnapshot")); n != 1 {
			t.Errorf("lost=%v: %d LockSnapshot sent, want 1", lost, n)
		}
		aws, ok, err := k.client.SnapshotLock(context.Background(), "us-east-1", got.SnapshotID)
		if err != nil || !ok {
			t.Fatalf("lost=%v: DescribeLockedSnapshots: %v %v", lost, ok, err)
		}
		done, _ := simtest.Snapshot(k.sim, "us-east-1", got.SnapshotID)
		if aws.State != "governance" || aws.Days != 7 || !aws.DurationStart.After(aws.CreatedOn) || !aws.ExpiresOn.Equal(aws.DurationStart.AddDate(0, 0, 7)) {
			t.Errorf("lost=%v: AWS holds %+v (copy started %v)", lost, aws, done.StartTime)
		}
		if !got.SnapLock.Lock.ExpiresOn.Equal(aws.ExpiresOn) {
			t.Errorf("lost=%v: the copy says it expires %v, AWS %v", lost, got.SnapLock.Lock.ExpiresOn, aws.ExpiresOn)
		}
		if w := got.SnapLockWords(k.clock.Now()); !strings.HasPrefix(w, "locked governance until ") {
			t.Errorf("lost=%v: words %q", lost, w)
		}
	}
}

// AWS does not lock a local snapshot on an Outpost: the lock fails with
// AWS's words and what to do, and the copy completes.
func TestALockRefusedOnAnOutpostLeavesTheCopyGoingOn(t *testing.T) {
	k := newTrack(t, trackSetup{})
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	c := k.copyTo(k.source(8), "us-west-2", func(r *model.CopyRequest) {
		r.DestinationOutpostArn, r.Encrypted = ec2sim.OutpostArn, true
		r.SnapLock = model.SnapLockSpec{Mode: model.SnapLockGovernance, Days: 7}
	})
	if err := tr.Add(c); err != nil {
		t.Fatal(err)
	}
	k.untilDone(tr, 200, nil)
	got := tr.Copies()[0]
	w := got.SnapLockWords(k.clock.Now())
	if got.Phase != model.PhaseCompleted || got.SnapLock.Step != model.SnapLockFailed ||
		!strings.Contains(w, "UnsupportedOperation") || !strings.Contains(w, "copy to a Region to keep a locked copy") {
		t.Errorf("copy %s, lock %q", got.Phase, w)
	}
}
