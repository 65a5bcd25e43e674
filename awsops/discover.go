package awsops

import (
	"context"
	"sort"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/snapcopy/snapcopy/model"
)

// DiscoverParallel bounds how many Regions discovery asks at once.
const DiscoverParallel = 8

// RegionRefusal is a Region that did not answer discovery, and why: not
// opted in, or the credentials are refused or not allowed there.
type RegionRefusal struct {
	Region string
	Err    error
}

// Discovery is what one discovery found: every snapshot being created in
// the account's enabled Regions, and the Regions that refused.
type Discovery struct {
	Regions []string // the enabled Regions asked, sorted
	Pending []model.Snapshot
	Refused []RegionRefusal
}

// DiscoverPending asks every enabled Region (DescribeRegions) for the
// account's snapshots being created: one DescribeSnapshots per Region,
// filtered on status=pending and paged, at most DiscoverParallel at once.
// A Region that refuses is named in Refused and the others still answer;
// only a failing DescribeRegions is an error.
func (c *Client) DiscoverPending(ctx context.Context) (Discovery, error) {
	all, err := c.Regions(ctx)
	if err != nil {
		return Discovery{}, err
	}
	var d Discovery
	for _, r := range all {
		if r.Enabled() {
			d.Regions = append(d.Regions, r.Name)
		}
	}
	sort.Strings(d.Regions)

	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, DiscoverParallel)
	for _, region := range d.Regions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				mu.Lock()
				d.Refused = append(d.Refused, RegionRefusal{region, ctx.Err()})
				mu.Unlock()
				return
			}
			defer func() { <-slots }()
			in := &ec2.DescribeSnapshotsInput{
				OwnerIds: []string{"self"},
				Filters:  []types.Filter{{Name: aws.String("status"), Values: []string{model.StatePending}}},
			}
			var found []model.Snapshot
			err := c.describeEach(ctx, region, in, func(s model.Snapshot) { found = append(found, s) })
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				d.Refused = append(d.Refused, RegionRefusal{region, err})
				return
			}
			d.Pending = append(d.Pending, found...)
		}()
	}
	wg.Wait()
	sort.Slice(d.Pending, func(i, j int) bool {
		a, b := d.Pending[i], d.Pending[j]
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.ID < b.ID
	})
	sort.Slice(d.Refused, func(i, j int) bool { return d.Refused[i].Region < d.Refused[j].Region })
	return d, nil
}

// CopiesOf lists the account's snapshots in region that snapcopy's
// provenance tag names as copies of one of sourceIDs: one filtered
// DescribeSnapshots (paged), for refusing a duplicate copy.
func (c *Client) CopiesOf(ctx context.Context, region string, sourceIDs []string) ([]model.Snapshot, error) {
	return c.SnapshotsFiltered(ctx, region, "tag:"+model.TagSourceSnapshot, sourceIDs)
}
