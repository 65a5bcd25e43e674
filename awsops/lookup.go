package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/snapcopy/snapcopy/model"
)

// SnapshotsByID reads the snapshots with the given ids in region, the
// account's own or shared with it. AWS refuses the whole call
// (InvalidSnapshot.NotFound) when one id does not exist.
func (c *Client) SnapshotsByID(ctx context.Context, region string, ids []string) ([]model.Snapshot, error) {
	var out []model.Snapshot
	err := c.describeEach(ctx, region, &ec2.DescribeSnapshotsInput{SnapshotIds: ids}, func(s model.Snapshot) { out = append(out, s) })
	return out, err
}

// SnapshotsFiltered lists the account's snapshots of region that match one
// DescribeSnapshots filter (tag:team = dba, say), every page.
func (c *Client) SnapshotsFiltered(ctx context.Context, region, name string, values []string) ([]model.Snapshot, error) {
	in := &ec2.DescribeSnapshotsInput{
		OwnerIds: []string{"self"},
		Filters:  []types.Filter{{Name: aws.String(name), Values: values}},
	}
	var out []model.Snapshot
	err := c.describeEach(ctx, region, in, func(s model.Snapshot) { out = append(out, s) })
	return out, err
}
