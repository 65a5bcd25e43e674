package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/snapcopy/snapcopy/model"
)

// SnapshotByID reads one snapshot of region by id, with its tags; false
// when AWS answers that it does not exist (InvalidSnapshot.NotFound).
func (c *Client) SnapshotByID(ctx context.Context, region, id string) (model.Snapshot, bool, error) {
	out, err := c.EC2(region).DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{id}})
	if err != nil {
		err = c.apiError("DescribeSnapshots", region, err)
		if ae, ok := model.AsAPIError(err); ok && ae.Kind == model.ErrNotFound {
			return model.Snapshot{}, false, nil
		}
		return model.Snapshot{}, false, err
	}
	for i := range out.Snapshots {
		if s := c.toSnapshot(&out.Snapshots[i], region); s.ID == id {
			return s, true, nil
		}
	}
	return model.Snapshot{}, false, nil
}

// DeleteSnapshot deletes one snapshot of region. The caller decides which
// snapshot may be deleted (see model.Copy.Owns): this only sends the call.
func (c *Client) DeleteSnapshot(ctx context.Context, region, id string) error {
	if _, err := c.EC2(region).DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: &id}); err != nil {
		return c.apiError("DeleteSnapshot", region, err)
	}
	return nil
}
