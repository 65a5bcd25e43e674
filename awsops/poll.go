package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/snapcopy/snapcopy/model"
)

// PollCopies reads the copies with the given ids in region with one
// DescribeSnapshots call (more only when AWS pages the answer). It filters
// by snapshot-id rather than naming SnapshotIds, because a filter never
// fails on an id AWS does not show yet: such ids are simply absent.
func (c *Client) PollCopies(ctx context.Context, region string, ids []string) (map[string]model.Snapshot, error) {
	found := make(map[string]model.Snapshot, len(ids))
	if len(ids) == 0 {
		return found, nil
	}
	in := &ec2.DescribeSnapshotsInput{
		OwnerIds: []string{"self"},
		Filters:  []types.Filter{{Name: aws.String("snapshot-id"), Values: ids}},
	}
	if err := c.describeEach(ctx, region, in, func(s model.Snapshot) { found[s.ID] = s }); err != nil {
		return found, err
	}
	return found, nil
}

// FindByRequestID looks in region for a snapshot carrying the request tag
// with the given value: the copy an earlier, unanswered CopySnapshot made.
func (c *Client) FindByRequestID(ctx context.Context, region, requestID string) (model.Snapshot, bool, error) {
	// Paged and filtered by the tag: an unpaginated scan of a large
	// account can be throttled or time out.
	in := &ec2.DescribeSnapshotsInput{
		OwnerIds:   []string{"self"},
		Filters:    []types.Filter{{Name: aws.String("tag:" + model.RequestTagKey), Values: []string{requestID}}},
		MaxResults: aws.Int32(PageSize),
	}
	var hit model.Snapshot
	ok := false
	err := c.describeEach(ctx, region, in, func(s model.Snapshot) {
		if !ok {
			hit, ok = s, true
		}
	})
	return hit, ok, err
}

func (c *Client) describeEach(ctx context.Context, region string, in *ec2.DescribeSnapshotsInput, each func(model.Snapshot)) error {
	cl := c.EC2(region)
	for {
		out, err := cl.DescribeSnapshots(ctx, in)
		if err != nil {
			return c.apiError("DescribeSnapshots", region, err)
		}
		for i := range out.Snapshots {
			each(c.toSnapshot(&out.Snapshots[i], region))
		}
		if aws.ToString(out.NextToken) == "" {
			return nil
		}
		next := *in
		next.NextToken = out.NextToken
		in = &next
	}
}

// SnapshotGone asks for one snapshot by id and reports whether AWS answers
// that it does not exist (InvalidSnapshot.NotFound). Only that answer
// proves a copy is gone: absence from a filtered listing does not.
func (c *Client) SnapshotGone(ctx context.Context, region, id string) (bool, error) {
	_, err := c.EC2(region).DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{id}})
	if err == nil {
		return false, nil
	}
	err = c.apiError("DescribeSnapshots", region, err)
	if ae, ok := model.AsAPIError(err); ok && ae.Kind == model.ErrNotFound {
		return true, nil
	}
	return false, err
}
