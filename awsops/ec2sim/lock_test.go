package ec2sim

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func lockIn(id string, mode types.LockMode, days int32) *ec2.LockSnapshotInput {
	return &ec2.LockSnapshotInput{SnapshotId: aws.String(id), LockMode: mode, LockDuration: aws.Int32(days)}
}

// lockedInfo is DescribeLockedSnapshots' answer for one id.
func lockedInfo(t *testing.T, c *ec2.Client, id string) (types.LockedSnapshotsInfo, bool) {
	t.Helper()
	out, err := c.DescribeLockedSnapshots(ctx, &ec2.DescribeLockedSnapshotsInput{SnapshotIds: []string{id}})
	if err != nil {
		t.Fatalf("DescribeLockedSnapshots %s: %v", id, err)
	}
	if len(out.Snapshots) == 0 {
		return types.LockedSnapshotsInfo{}, false
	}
	return out.Snapshots[0], true
}

func sameTime(a *time.Time, b time.Time) bool { return a != nil && a.Equal(b) }

// A governance lock on a completed snapshot counts from now; the snapshot
// cannot be deleted while it holds, and may be unlocked.
func TestGovernanceLock(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	id := h.byName("us-west-2", "dev-sandbox")
	out, err := c.LockSnapshot(ctx, lockIn(id, types.LockModeGovernance, 7))
	if err != nil {
		t.Fatal(err)
	}
	if out.LockState != types.LockStateGovernance || *out.LockDuration != 7 || !sameTime(out.LockCreatedOn, t0) ||
		!sameTime(out.LockDurationStartTime, t0) || !sameTime(out.LockExpiresOn, t0.Add(7*day)) || out.CoolOffPeriod != nil {
		t.Errorf("LockSnapshot answered %+v", out)
	}
	if _, err := c.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: aws.String(id)}); apiCode(err) != "SnapshotLocked" {
		t.Errorf("delete a locked snapshot: %v", err)
	}
	// Governance may be shortened, and removed.
	if _, err := c.LockSnapshot(ctx, lockIn(id, types.LockModeGovernance, 1)); err != nil {
		t.Errorf("shorten a governance lock: %v", err)
	}
	if _, err := c.UnlockSnapshot(ctx, &ec2.UnlockSnapshotInput{SnapshotId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	if _, found := lockedInfo(t, c, id); found {
		t.Error("an unlocked snapshot is listed as locked")
	}
	if _, err := c.UnlockSnapshot(ctx, &ec2.UnlockSnapshotInput{SnapshotId: aws.String(id)}); apiCode(err) != "IncorrectState" {
		t.Errorf("unlock a snapshot that is not locked: %v", err)
	}
	if _, err := c.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: aws.String(id)}); err != nil {
		t.Errorf("delete after unlocking: %v", err)
	}
}

// A copy locked while pending: its duration starts when it completes, and
// until then AWS answers no start or expiry; it cannot be deleted meanwhile.
func TestLockWhilePendingStartsAtCompletion(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-east-1")
	cp, err := c.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(h.byName("us-west-2", "build-cache"))})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.LockSnapshot(ctx, lockIn(*cp.SnapshotId, types.LockModeGovernance, 7))
	if err != nil {
		t.Fatal(err)
	}
	if out.LockState != types.LockStateGovernance || out.LockExpiresOn != nil || out.LockDurationStartTime != nil || !sameTime(out.LockCreatedOn, t0) {
		t.Errorf("lock of a pending copy: %+v", out)
	}
	if _, err := c.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: cp.SnapshotId}); apiCode(err) != "SnapshotLocked" {
		t.Errorf("delete a locked pending copy: %v", err)
	}
	h.clock.Advance(6 * time.Hour)
	done := describeOne(t, c, *cp.SnapshotId)
	if done.State != types.SnapshotStateCompleted {
		t.Fatalf("copy %s", done.State)
	}
	info, _ := lockedInfo(t, c, *cp.SnapshotId)
	if !sameTime(info.LockDurationStartTime, *done.CompletionTime) || !sameTime(info.LockExpiresOn, done.CompletionTime.Add(7*day)) || *info.OwnerId != AccountID {
		t.Errorf("after completion: start %v expires %v, completed %v", info.LockDurationStartTime, info.LockExpiresOn, done.CompletionTime)
	}
	h.clock.Advance(7 * day)
	if info, _ := lockedInfo(t, c, *cp.SnapshotId); info.LockState != types.LockStateExpired {
		t.Errorf("after 7 days: %s", info.LockState)
	}
	if _, err := c.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: cp.SnapshotId}); err != nil {
		t.Errorf("delete after the lock expired: %v", err)
	}
}

// A lock on a copy whose creation fails is cancelled.
func TestLockCancelledWhenCreationFails(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-east-1")
	cp, err := c.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(h.byName("us-west-2", "build-cache")),
		Encrypted: aws.Bool(true), KmsKeyId: aws.String("alias/missing")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.LockSnapshot(ctx, lockIn(*cp.SnapshotId, types.LockModeCompliance, 30)); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Hour)
	if s := describeOne(t, c, *cp.SnapshotId); s.State != types.SnapshotStateError {
		t.Fatalf("copy %s", s.State)
	}
	if _, found := lockedInfo(t, c, *cp.SnapshotId); found {
		t.Error("a failed copy is still locked")
	}
	if _, err := c.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: cp.SnapshotId}); err != nil {
		t.Errorf("delete the failed copy: %v", err)
	}
}

// Compliance mode: changeable within its cool-off; after it, only
// extended, never removed or shortened, until it expires.
func TestComplianceLock(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	id := h.byName("us-west-2", "search-index")
	in := lockIn(id, types.LockModeCompliance, 30)
	in.CoolOffPeriod = aws.Int32(24)
	out, err := c.LockSnapshot(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if out.LockState != types.LockStateComplianceCooloff || *out.CoolOffPeriod != 24 || !sameTime(out.CoolOffPeriodExpiresOn, t0.Add(24*time.Hour)) {
		t.Errorf("compliance lock in cool-off: %+v", out)
	}
	if _, err := c.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: aws.String(id)}); apiCode(err) != "SnapshotLocked" {
		t.Errorf("delete in cool-off: %v", err)
	}
	// Within the cool-off it may be removed; lock it again.
	if _, err := c.UnlockSnapshot(ctx, &ec2.UnlockSnapshotInput{SnapshotId: aws.String(id)}); err != nil {
		t.Fatalf("unlock in cool-off: %v", err)
	}
	if _, err := c.LockSnapshot(ctx, in); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(25 * time.Hour)
	info, _ := lockedInfo(t, c, id)
	if info.LockState != types.LockStateCompliance {
		t.Fatalf("after the cool-off: %s", info.LockState)
	}
	extend := lockIn(id, types.LockModeCompliance, 60)
	for name, tc := range map[string]struct {
		call func() error
		code string
	}{
		"unlock": {func() error {
			_, err := c.UnlockSnapshot(ctx, &ec2.UnlockSnapshotInput{SnapshotId: aws.String(id)})
			return err
		}, "IncorrectState"},
		"shorten":       {func() error { _, err := c.LockSnapshot(ctx, lockIn(id, types.LockModeCompliance, 10)); return err }, "InvalidParameterValue"},
		"to governance": {func() error { _, err := c.LockSnapshot(ctx, lockIn(id, types.LockModeGovernance, 90)); return err }, "IncorrectState"},
		"with a cool-off": {func() error {
			e := *extend
			e.CoolOffPeriod = aws.Int32(1)
			_, err := c.LockSnapshot(ctx, &e)
			return err
		}, "InvalidParameterValue"},
		"delete": {func() error {
			_, err := c.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: aws.String(id)})
			return err
		}, "SnapshotLocked"},
		"the same, no later": {func() error { _, err := c.LockSnapshot(ctx, lockIn(id, types.LockModeCompliance, 28)); return err }, "InvalidParameterValue"},
	} {
		if err := tc.call(); apiCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", name, err, tc.code)
		}
	}
	out, err = c.LockSnapshot(ctx, extend)
	if err != nil || out.LockState != types.LockStateCompliance || *out.LockDuration != 60 {
		t.Fatalf("extend: %+v %v", out, err)
	}
	h.clock.Advance(61 * day)
	if _, err := c.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: aws.String(id)}); err != nil {
		t.Errorf("delete after the compliance lock expired: %v", err)
	}
}

// An expiry date instead of a duration.
func TestLockUntilADate(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	id := h.byName("us-west-2", "dev-sandbox")
	until := t0.Add(48 * time.Hour)
	out, err := c.LockSnapshot(ctx, &ec2.LockSnapshotInput{SnapshotId: aws.String(id), LockMode: types.LockModeGovernance, ExpirationDate: &until})
	if err != nil || !sameTime(out.LockExpiresOn, until) || out.LockDuration != nil {
		t.Fatalf("lock until a date: %+v %v", out, err)
	}
}

// What LockSnapshot refuses, each with its code.
func TestLockRefusals(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	id := h.byName("us-west-2", "dev-sandbox")
	past := t0.Add(-time.Hour)
	withCoolOff := func(mode types.LockMode, hours int32) *ec2.LockSnapshotInput {
		in := lockIn(id, mode, 3)
		in.CoolOffPeriod = aws.Int32(hours)
		return in
	}
	for _, tc := range []struct {
		name string
		c    *ec2.Client
		in   *ec2.LockSnapshotInput
		code string
	}{
		{"duration 0", c, lockIn(id, types.LockModeGovernance, 0), "InvalidParameterValue"},
		{"duration 36501", c, lockIn(id, types.LockModeGovernance, 36501), "InvalidParameterValue"},
		{"duration 36500", c, lockIn(id, types.LockModeGovernance, 36500), ""},
		{"duration and date", c, &ec2.LockSnapshotInput{SnapshotId: aws.String(id), LockMode: types.LockModeGovernance, LockDuration: aws.Int32(1), ExpirationDate: aws.Time(t0.Add(day))}, "InvalidParameterCombination"},
		{"neither", c, &ec2.LockSnapshotInput{SnapshotId: aws.String(id), LockMode: types.LockModeGovernance}, "MissingParameter"},
		{"a date passed", c, &ec2.LockSnapshotInput{SnapshotId: aws.String(id), LockMode: types.LockModeGovernance, ExpirationDate: &past}, "InvalidParameterValue"},
		{"unknown mode", c, lockIn(id, types.LockMode("strict"), 1), "InvalidParameterValue"},
		{"cool-off in governance mode", c, withCoolOff(types.LockModeGovernance, 1), "InvalidParameterCombination"},
		{"cool-off of 73 hours", c, withCoolOff(types.LockModeCompliance, 73), "InvalidParameterValue"},
		{"cool-off of 72 hours", c, withCoolOff(types.LockModeCompliance, 72), ""},
		{"on an Outpost", c, lockIn(h.byName("us-west-2", "factory-floor-db"), types.LockModeGovernance, 1), "UnsupportedOperation"},
		{"creation failed", c, lockIn(h.byName("us-west-2", "legacy-app-data"), types.LockModeGovernance, 1), "IncorrectState"},
		{"shared, not owned", c, lockIn(h.byName("us-west-2", "partner-dataset"), types.LockModeGovernance, 1), "AuthFailure"},
		{"another account's", h.ec2With(h.assume("us-west-2", DRRoleArn)), lockIn(id, types.LockModeGovernance, 1), "InvalidSnapshot.NotFound"},
	} {
		_, err := tc.c.LockSnapshot(ctx, tc.in)
		if apiCode(err) != tc.code {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.code)
		}
		if err == nil { // start each row unlocked
			if _, err := c.UnlockSnapshot(ctx, &ec2.UnlockSnapshotInput{SnapshotId: tc.in.SnapshotId}); err != nil {
				t.Fatalf("%s: unlock: %v", tc.name, err)
			}
		}
	}
}

// DescribeLockedSnapshots pages, filters on lock-state, and keeps locks
// across a restart.
func TestDescribeLockedSnapshots(t *testing.T) {
	file := t.TempDir() + "/world.json"
	h := newHarness(t, Options{Seed: 1, StateFile: file})
	c := h.ec2("us-west-2")
	owned := describe(t, c, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, Filters: []types.Filter{{Name: aws.String("status"), Values: []string{"completed"}}}})
	var want []string
	for i, s := range owned[:7] {
		mode := types.LockModeGovernance
		if i%2 == 1 {
			mode = types.LockModeCompliance
		}
		if _, err := c.LockSnapshot(ctx, lockIn(*s.SnapshotId, mode, 3)); err != nil {
			t.Fatal(err)
		}
		want = append(want, *s.SnapshotId)
	}
	h2 := newHarness(t, Options{Seed: 1, StateFile: file})
	c2 := h2.ec2("us-west-2")
	var got []string
	pages := 0
	in := &ec2.DescribeLockedSnapshotsInput{MaxResults: aws.Int32(5)}
	for {
		out, err := c2.DescribeLockedSnapshots(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, s := range out.Snapshots {
			got = append(got, *s.SnapshotId)
		}
		if out.NextToken == nil || pages > 5 {
			break
		}
		in.NextToken = out.NextToken
	}
	if len(got) != len(want) || pages != 2 {
		t.Errorf("%d locked snapshots in %d pages, want %d in 2", len(got), pages, len(want))
	}
	comp, err := c2.DescribeLockedSnapshots(ctx, &ec2.DescribeLockedSnapshotsInput{Filters: []types.Filter{{Name: aws.String("lock-state"), Values: []string{"compliance"}}}})
	if err != nil || len(comp.Snapshots) != 3 {
		t.Errorf("lock-state compliance: %d, %v", len(comp.Snapshots), err)
	}
	if _, err := c2.DescribeLockedSnapshots(ctx, &ec2.DescribeLockedSnapshotsInput{Filters: []types.Filter{{Name: aws.String("lock-mode"), Values: []string{"x"}}}}); apiCode(err) != "InvalidParameterValue" {
		t.Errorf("unknown filter: %v", err)
	}
	// The DR account sees none of the first account's locks.
	dr, err := h2.ec2With(h2.assume("us-west-2", DRRoleArn)).DescribeLockedSnapshots(ctx, &ec2.DescribeLockedSnapshotsInput{})
	if err != nil || len(dr.Snapshots) != 0 {
		t.Errorf("the DR account's locked snapshots: %d %v", len(dr.Snapshots), err)
	}
}
