package awsops

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/snapcopy/snapcopy/model"
)

// RegionRequestBudget is how many DescribeSnapshots requests snapcopy keeps
// in flight in one Region at once: the shards of a listing, its check page
// and the look-ups of a find all draw from it. A listing takes at most all
// but one, so a find typed meanwhile never waits behind its pages.
const RegionRequestBudget = 16

// Shard-level retries: after the SDK's own attempts, a throttled or failing
// shard waits and asks for the same page again, alone, while the others go on.
const (
	shardRetries    = 6
	shardBackoff    = 500 * time.Millisecond
	shardBackoffMax = 8 * time.Second
)

// shardValues are the snapshot-id filter values of each shard, which
// together split a listing into disjoint parts. AWS's ids are snap- and 17
// hex digits, and those seen all begin with 0 (older ones have 8 digits):
// sixteen shards snap-00* ... snap-0f* hold the 17-digit ids, one more
// snap-1* ... snap-f* holds any other.
//
// UNCONFIRMED: EC2 documents * wildcards in filter values ("Filter your
// Amazon EC2 resources") but not for snapshot-id in particular, nor that
// ids begin with 0. A listing therefore checks its shards against the
// plain paginator's first page and falls back to sequential paging when
// they disagree; a skewed split only costs speed.
func shardValues() [][]string {
	const hex = "0123456789abcdef"
	out := make([][]string, 0, len(hex)+1)
	for i := range hex {
		out = append(out, []string{"snap-0" + hex[i:i+1] + "*"})
	}
	var rest []string
	for i := 1; i < len(hex); i++ {
		rest = append(rest, "snap-"+hex[i:i+1]+"*")
	}
	return append(out, rest)
}

// shardOf is the index in shardValues of the shard an id falls under, or -1.
func shardOf(id string) int {
	const hex = "0123456789abcdef"
	rest, ok := strings.CutPrefix(id, "snap-")
	if !ok || rest == "" || strings.IndexByte(hex, rest[0]) < 0 {
		return -1
	}
	if rest[0] != '0' {
		return len(hex)
	}
	if len(rest) < 2 {
		return -1
	}
	return strings.IndexByte(hex, rest[1])
}

// readShard pages through one shard, sending each page and then its end.
func (l *Listing) readShard(ctx context.Context, i int, values []string, events chan<- shardPage) {
	in := l.input([]types.Filter{{Name: aws.String("snapshot-id"), Values: values}})
	send := func(ev shardPage) bool {
		select {
		case events <- ev:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		out, err := l.c.describePage(ctx, l.region, in, shardRetries, l.share)
		if err != nil {
			if ctx.Err() == nil {
				send(shardPage{shard: i, err: err})
			}
			return
		}
		if !send(shardPage{shard: i, snaps: l.c.toSnapshots(out.Snapshots, l.region)}) {
			return
		}
		if aws.ToString(out.NextToken) == "" {
			send(shardPage{shard: i, last: true})
			return
		}
		in.NextToken = out.NextToken
	}
}

// describePage sends one DescribeSnapshots within the Region's request
// budget (and within share, when not nil). A throttled or transient
// failure (after the SDK's own retries) is tried again up to retries times
// with a growing wait, during which the request holds no place in either;
// one without an answer in its time is not.
func (c *Client) describePage(ctx context.Context, region string, in *ec2.DescribeSnapshotsInput, retries int, share chan struct{}) (*ec2.DescribeSnapshotsOutput, error) {
	budget := c.requestBudget(region)
	wait := shardBackoff
	for attempt := 0; ; attempt++ {
		if share != nil {
			select {
			case share <- struct{}{}:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		select {
		case budget <- struct{}{}:
		case <-ctx.Done():
			if share != nil {
				<-share
			}
			return nil, ctx.Err()
		}
		out, err := c.EC2(region).DescribeSnapshots(ctx, in)
		<-budget
		if share != nil {
			<-share
		}
		if err == nil {
			return out, nil
		}
		slow := c.deadlines.unanswered(err, "") != ""
		err = c.apiError("DescribeSnapshots", region, err)
		ae, ok := model.AsAPIError(err)
		// A page without an answer in its time was asked again by the SDK
		// already: the list says so rather than waiting that long again.
		if !ok || slow || attempt >= retries || (ae.Kind != model.ErrThrottled && ae.Kind != model.ErrTransient) {
			return nil, err
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
		wait = min(2*wait, shardBackoffMax)
	}
}

// requestBudget is the semaphore of a Region's DescribeSnapshots requests.
func (c *Client) requestBudget(region string) chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.budgets == nil {
		c.budgets = map[string]chan struct{}{}
	}
	b, ok := c.budgets[region]
	if !ok {
		b = make(chan struct{}, RegionRequestBudget)
		c.budgets[region] = b
	}
	return b
}

func (c *Client) toSnapshots(in []types.Snapshot, region string) []model.Snapshot {
	out := make([]model.Snapshot, len(in))
	for i := range in {
		out[i] = c.toSnapshot(&in[i], region)
	}
	return out
}
