package awsops

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/snapcopy/snapcopy/model"
)

// Snapshot lock: LockSnapshot and DescribeLockedSnapshots in the copy's
// destination Region (the copy's own Region), as "Lock an Amazon EBS
// snapshot" and the API reference describe them. UNCONFIRMED, in this one
// place: that DescribeLockedSnapshots shows a lock as soon as LockSnapshot
// was applied (no document speaks of a delay; a lost answer is checked
// with it before LockSnapshot is sent again), and the codes AWS refuses a
// lock with (an Outpost's local snapshot, a snapshot in a state that
// cannot be locked): the simulator's are UnsupportedOperation and
// IncorrectState, and snapcopy reads any refusal by its kind, not its code.

// LockSnapshot locks the snapshot id of region as spec says, and returns
// the lock as AWS answered it. A duration lock of a pending copy counts
// from its completion: AWS answers no expiry until then.
func (c *Client) LockSnapshot(ctx context.Context, region, id string, spec model.SnapLockSpec) (model.SnapLockInfo, error) {
	in := &ec2.LockSnapshotInput{SnapshotId: aws.String(id), LockMode: types.LockMode(spec.Mode)}
	switch {
	case spec.Days > 0:
		in.LockDuration = aws.Int32(spec.Days)
	case !spec.Expires.IsZero():
		// A date the operator typed: a date, not a time on the host's clock.
		in.ExpirationDate = aws.Time(spec.Expires.UTC())
	default:
		return model.SnapLockInfo{}, fmt.Errorf("lock %s in %s: the lock has neither a duration nor an expiry date", id, region)
	}
	if spec.CoolOffHours > 0 {
		in.CoolOffPeriod = aws.Int32(spec.CoolOffHours)
	}
	// Never retried by the SDK: an attempt whose answer was lost may have
	// been applied, and the tracker checks with SnapshotLock before
	// sending again, so exactly one LockSnapshot is applied.
	out, err := c.EC2(region).LockSnapshot(ctx, in, noRetry)
	if err != nil {
		return model.SnapLockInfo{}, c.apiError("LockSnapshot", region, err)
	}
	if aws.ToString(out.SnapshotId) != id || out.LockState == "" {
		// EC2 answers a lock with its snapshot and state: anything else is
		// not its answer, and the lock may or may not have been applied.
		return model.SnapLockInfo{}, &model.APIError{Op: "LockSnapshot", Region: region, Kind: model.ErrNotAWS, Status: 200,
			Message: fmt.Sprintf("ec2.%s answered LockSnapshot of %s naming snapshot %q in lock state %q: not EC2's answer", region, id, aws.ToString(out.SnapshotId), out.LockState)}
	}
	return c.snapLockInfo(types.LockedSnapshotsInfo{LockState: out.LockState, LockDuration: out.LockDuration,
		CoolOffPeriod: out.CoolOffPeriod, LockCreatedOn: out.LockCreatedOn, LockDurationStartTime: out.LockDurationStartTime,
		LockExpiresOn: out.LockExpiresOn, CoolOffPeriodExpiresOn: out.CoolOffPeriodExpiresOn}), nil
}

// SnapshotLock reads the lock of the snapshot id of region with
// DescribeLockedSnapshots; false when the snapshot has none.
func (c *Client) SnapshotLock(ctx context.Context, region, id string) (model.SnapLockInfo, bool, error) {
	out, err := c.EC2(region).DescribeLockedSnapshots(ctx, &ec2.DescribeLockedSnapshotsInput{SnapshotIds: []string{id}})
	if err != nil {
		return model.SnapLockInfo{}, false, c.apiError("DescribeLockedSnapshots", region, err)
	}
	for _, l := range out.Snapshots {
		if aws.ToString(l.SnapshotId) != id {
			continue
		}
		return c.snapLockInfo(l), true, nil
	}
	return model.SnapLockInfo{}, false, nil
}

// snapLockInfo is a lock as AWS answered it, its times on the host's clock.
func (c *Client) snapLockInfo(l types.LockedSnapshotsInfo) model.SnapLockInfo {
	return model.SnapLockInfo{
		State:         string(l.LockState),
		Days:          aws.ToInt32(l.LockDuration),
		CoolOffHours:  aws.ToInt32(l.CoolOffPeriod),
		CreatedOn:     c.clock.toHost(aws.ToTime(l.LockCreatedOn)),
		DurationStart: c.clock.toHost(aws.ToTime(l.LockDurationStartTime)),
		ExpiresOn:     c.clock.toHost(aws.ToTime(l.LockExpiresOn)),
		CoolOffEnds:   c.clock.toHost(aws.ToTime(l.CoolOffPeriodExpiresOn)),
	}
}
