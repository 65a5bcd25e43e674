package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/snapcopy/snapcopy/model"
)

// PageSize is the DescribeSnapshots page size: the largest AWS allows, so a
// large account loads in few round trips.
const PageSize = 1000

// Scope chooses which snapshots to list.
type Scope int

const (
	// Owned lists the account's own snapshots (OwnerIds=self).
	Owned Scope = iota
	// SharedWithMe lists snapshots other accounts shared with this one (RestorableByUserIds=self).
	SharedWithMe
)

func (s Scope) String() string {
	if s == SharedWithMe {
		return "shared with me"
	}
	return "owned"
}

// SnapshotPager reads the snapshots of one Region page by page, so the UI
// can show the first page while the next ones load.
type SnapshotPager struct {
	c      *Client
	region string
	pages  int
	p      *ec2.DescribeSnapshotsPaginator
	// shared pagers drop the caller's own snapshots: RestorableByUserIds=self
	// returns the snapshots the account owns too.
	shared bool
	own    string
	ownOK  bool
}

// Snapshots returns a pager over the snapshots of region in scope.
func (c *Client) Snapshots(region string, scope Scope) *SnapshotPager {
	in := &ec2.DescribeSnapshotsInput{MaxResults: aws.Int32(PageSize)}
	if scope == SharedWithMe {
		in.RestorableByUserIds = []string{"self"}
	} else {
		in.OwnerIds = []string{"self"}
	}
	return &SnapshotPager{region: region, p: ec2.NewDescribeSnapshotsPaginator(c.EC2(region), in), shared: scope == SharedWithMe, c: c}
}

// HasMore reports whether another page is to be read.
func (p *SnapshotPager) HasMore() bool { return p.p.HasMorePages() }

// Pages is how many pages were read so far.
func (p *SnapshotPager) Pages() int { return p.pages }

// Next reads the next page. A shared page holds only other accounts'
// snapshots, so it may be shorter than the page AWS sent, even empty.
func (p *SnapshotPager) Next(ctx context.Context) ([]model.Snapshot, error) {
	if p.shared && !p.ownOK {
		own, err := p.c.ownAccountIn(ctx, p.region)
		if err != nil {
			return nil, err
		}
		p.own, p.ownOK = own, true
	}
	out, err := p.p.NextPage(ctx)
	if err != nil {
		return nil, p.c.apiError("DescribeSnapshots", p.region, err)
	}
	p.pages++
	snaps := make([]model.Snapshot, 0, len(out.Snapshots))
	for i := range out.Snapshots {
		if p.shared && p.own != "" && aws.ToString(out.Snapshots[i].OwnerId) == p.own {
			continue
		}
		snaps = append(snaps, p.c.toSnapshot(&out.Snapshots[i], p.region))
	}
	return snaps, nil
}

// ListSnapshots reads every page, calling onPage (may be nil) after each,
// and returns all snapshots.
func (c *Client) ListSnapshots(ctx context.Context, region string, scope Scope, onPage func(page []model.Snapshot)) ([]model.Snapshot, error) {
	p := c.Snapshots(region, scope)
	var all []model.Snapshot
	for p.HasMore() {
		page, err := p.Next(ctx)
		if err != nil {
			return all, err
		}
		all = append(all, page...)
		if onPage != nil {
			onPage(page)
		}
	}
	return all, nil
}

// toSnapshot turns an SDK snapshot into the model's. Its state message is
// AWS text that may quote a request: credentials are redacted from it.
func (c *Client) toSnapshot(s *types.Snapshot, region string) model.Snapshot {
	m := model.Snapshot{
		ID:            aws.ToString(s.SnapshotId),
		Region:        region,
		VolumeID:      aws.ToString(s.VolumeId),
		VolumeSizeGiB: aws.ToInt32(s.VolumeSize),
		FullSizeBytes: aws.ToInt64(s.FullSnapshotSizeInBytes),
		State:         string(s.State),
		StateMessage:  c.redact(aws.ToString(s.StateMessage)),
		Progress:      model.ParseProgress(aws.ToString(s.Progress)),
		// AWS's times, on the host's clock (clock.go).
		StartTime:         c.clock.toHost(aws.ToTime(s.StartTime)),
		CompletionTime:    c.clock.toHost(aws.ToTime(s.CompletionTime)),
		Description:       aws.ToString(s.Description),
		Encrypted:         aws.ToBool(s.Encrypted),
		KmsKeyID:          aws.ToString(s.KmsKeyId),
		OwnerID:           aws.ToString(s.OwnerId),
		OwnerAlias:        aws.ToString(s.OwnerAlias),
		StorageTier:       string(s.StorageTier),
		RestoreExpiry:     c.clock.toHost(aws.ToTime(s.RestoreExpiryTime)),
		OutpostArn:        aws.ToString(s.OutpostArn),
		AvailabilityZone:  aws.ToString(s.AvailabilityZone),
		TransferType:      string(s.TransferType),
		CompletionMinutes: aws.ToInt32(s.CompletionDurationMinutes),
	}
	if m.StorageTier == "" {
		m.StorageTier = model.TierStandard
	}
	if len(s.Tags) > 0 {
		m.Tags = make([]model.Tag, len(s.Tags))
		for i, t := range s.Tags {
			m.Tags[i] = model.Tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)}
		}
	}
	// A normal AZ is not a location of its own: only Local Zones count.
	if !model.IsLocalZone(m.AvailabilityZone) {
		m.AvailabilityZone = ""
	}
	return m
}
