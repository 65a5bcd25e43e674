package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/snapcopy/snapcopy/model"
)

// copiedDescription matches the description the console and the CLI give
// a copy ("[Copied snap-… from REGION]"); the brackets are literal in an
// EC2 filter, only * and ? are wildcards.
const copiedDescription = "[Copied snap-* from *]"

// EarlierCopies lists the account's copies in region that say where they
// come from: those carrying snapcopy's provenance tag, and those with the
// description the console and the CLI leave. They decide whether a new copy
// there is incremental (validate.CopyKind). Two filtered, paged listings.
func (c *Client) EarlierCopies(ctx context.Context, region string) ([]model.Snapshot, error) {
	seen := map[string]bool{}
	var out []model.Snapshot
	each := func(s model.Snapshot) {
		if !seen[s.ID] {
			seen[s.ID] = true
			out = append(out, s)
		}
	}
	for _, f := range []types.Filter{
		{Name: aws.String("tag-key"), Values: []string{model.TagSourceVolume}},
		{Name: aws.String("description"), Values: []string{copiedDescription}},
	} {
		in := &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, Filters: []types.Filter{f}, MaxResults: aws.Int32(PageSize)}
		if err := c.describeEach(ctx, region, in, each); err != nil {
			return out, err
		}
	}
	return out, nil
}
