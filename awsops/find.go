package awsops

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/snapcopy/snapcopy/model"
)

// FindBy says which field a find looks in.
type FindBy int

const (
	// FindByID matches snapshot ids (snapshot-id filter).
	FindByID FindBy = iota
	// FindByVolume matches volume ids (volume-id filter).
	FindByVolume
	// FindByName matches the Name tag (tag:Name filter).
	FindByName
)

// FindSnapshots asks AWS directly for the snapshots of region in scope
// whose field holds term (a *term* wildcard, plus the term itself, so a
// whole id matches even where wildcards are not honoured). It reads one
// page of up to PageSize: enough to show matches before a listing ends.
func (c *Client) FindSnapshots(ctx context.Context, region string, scope Scope, by FindBy, term string) ([]model.Snapshot, error) {
	name, values := "snapshot-id", []string{term, "*" + term + "*"}
	switch by {
	case FindByVolume:
		name = "volume-id"
	case FindByName:
		name, values = "tag:Name", []string{"*" + term + "*"}
	}
	in := scopeInput(scope, []types.Filter{{Name: aws.String(name), Values: values}})
	out, err := c.describePage(ctx, region, in, 0, nil)
	if err != nil {
		return nil, err
	}
	found := c.toSnapshots(out.Snapshots, region)
	if scope == SharedWithMe {
		own, err := c.ownAccountIn(ctx, region)
		if err != nil {
			return nil, err
		}
		found = leaveOut(found, own)
	}
	return found, nil
}

// leaveOut drops the snapshots owned by account ("": none): RestorableBy
// self answers with the account's own snapshots beside the shared ones.
func leaveOut(snaps []model.Snapshot, account string) []model.Snapshot {
	if account == "" {
		return snaps
	}
	return slices.DeleteFunc(snaps, func(s model.Snapshot) bool { return s.OwnerID == account })
}
