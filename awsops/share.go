package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// UNCONFIRMED (the one place): that adding a share that is there already,
// or removing one that is not, changes nothing and is answered as a
// success. AWS's ModifySnapshotAttribute reference and "Share an Amazon EBS
// snapshot" do not say; the simulator and moto answer so. A resumed step
// of a copy into another account relies on it to send either again.

// ShareSnapshot lets account create volumes from (and copy) the snapshot
// id of region: ModifySnapshotAttribute createVolumePermission add, by the
// snapshot's owner (see UNCONFIRMED above).
func (c *Client) ShareSnapshot(ctx context.Context, region, id, account string) error {
	return c.modifyShare(ctx, region, id, account, types.OperationTypeAdd)
}

// UnshareSnapshot removes account from the snapshot's
// createVolumePermission (remove; see UNCONFIRMED above).
func (c *Client) UnshareSnapshot(ctx context.Context, region, id, account string) error {
	return c.modifyShare(ctx, region, id, account, types.OperationTypeRemove)
}

// modifyShare sends the change as OperationType with UserId.N, the form
// the AWS CLI's --operation-type/--user-ids sends, rather than the SDK's
// CreateVolumePermission.Add.N.UserId: AWS takes both, and moto only the
// first (it ignores the other and answers success).
func (c *Client) modifyShare(ctx context.Context, region, id, account string, op types.OperationType) error {
	_, err := c.EC2(region).ModifySnapshotAttribute(ctx, &ec2.ModifySnapshotAttributeInput{
		SnapshotId:    aws.String(id),
		Attribute:     types.SnapshotAttributeNameCreateVolumePermission,
		OperationType: op,
		UserIds:       []string{account},
	})
	return c.apiError("ModifySnapshotAttribute", region, err)
}

// SnapshotSharedWith reads the snapshot's createVolumePermission: the
// account ids it is shared with, and "all" when it is public.
func (c *Client) SnapshotSharedWith(ctx context.Context, region, id string) ([]string, error) {
	out, err := c.EC2(region).DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{
		SnapshotId: aws.String(id),
		Attribute:  types.SnapshotAttributeNameCreateVolumePermission,
	})
	if err != nil {
		return nil, c.apiError("DescribeSnapshotAttribute", region, err)
	}
	var ids []string
	for _, p := range out.CreateVolumePermissions {
		switch {
		case p.Group == types.PermissionGroupAll:
			ids = append(ids, "all")
		case aws.ToString(p.UserId) != "":
			ids = append(ids, aws.ToString(p.UserId))
		}
	}
	return ids, nil
}
