package track

import (
	"context"

	"github.com/snapcopy/snapcopy/model"
)

// Accounts reaches AWS under the profiles of copies into other accounts
// (model.CrossAccount): the destination profile makes and polls the copy,
// the source's profile shares the snapshot and reads its key's policy.
// *awsops.Profiles does it with one client set per profile, opened once
// (ui/cmd/connect adapts it).
type Accounts interface {
	// Open returns the AWS of profile, opened the first time; "" is the
	// tracker's own.
	Open(ctx context.Context, profile string) (AccountAWS, error)
}

// AccountAWS is one account's AWS as the steps of a copy into another
// account ask it: the tracker's calls, and sharing and key policies.
type AccountAWS interface {
	AWS
	// ShareSnapshot adds account to the createVolumePermission of the
	// snapshot id of region (idempotent).
	ShareSnapshot(ctx context.Context, region, id, account string) error
	// UnshareSnapshot removes account from it (idempotent).
	UnshareSnapshot(ctx context.Context, region, id, account string) error
	// SnapshotSharedWith lists the accounts the snapshot is shared with.
	SnapshotSharedWith(ctx context.Context, region, id string) ([]string, error)
	// KeyPolicy reads the policy document of key in region.
	KeyPolicy(ctx context.Context, region, key string) (string, error)
}

// heardAccounts opens accounts whose calls count, as the tracker's own do,
// towards what a step heard from AWS (FollowOptions.GiveUp).
type heardAccounts struct {
	Accounts
	h *heard
}

func (a heardAccounts) Open(ctx context.Context, profile string) (AccountAWS, error) {
	aws, err := a.Accounts.Open(ctx, profile)
	if err != nil {
		return nil, err
	}
	return heardAccount{AccountAWS: aws, h: a.h, profile: profile}, nil
}

// heardAccount is one account's AWS whose calls the tracker's heard notes.
type heardAccount struct {
	AccountAWS
	h       *heard
	profile string
}

// note notes err as the tracker's own calls are, and which profile's
// credentials AWS refused: the advice to renew them names it.
func (a heardAccount) note(err error) {
	a.h.note(err)
	if ae, ok := model.AsAPIError(err); ok && ae.Kind == model.ErrCredentials && a.profile != "" {
		p := a.profile
		a.h.refusedProfile.Store(&p)
	}
}

func (a heardAccount) CopySnapshot(ctx context.Context, req model.CopyRequest) (string, error) {
	id, err := a.AccountAWS.CopySnapshot(ctx, req)
	a.note(err)
	return id, err
}

func (a heardAccount) FindByRequestID(ctx context.Context, region, requestID string) (model.Snapshot, bool, error) {
	s, ok, err := a.AccountAWS.FindByRequestID(ctx, region, requestID)
	a.note(err)
	return s, ok, err
}

func (a heardAccount) PollCopies(ctx context.Context, region string, ids []string) (map[string]model.Snapshot, error) {
	m, err := a.AccountAWS.PollCopies(ctx, region, ids)
	a.note(err)
	return m, err
}

func (a heardAccount) SnapshotGone(ctx context.Context, region, id string) (bool, error) {
	gone, err := a.AccountAWS.SnapshotGone(ctx, region, id)
	a.note(err)
	return gone, err
}

func (a heardAccount) SnapshotByID(ctx context.Context, region, id string) (model.Snapshot, bool, error) {
	s, ok, err := a.AccountAWS.SnapshotByID(ctx, region, id)
	a.note(err)
	return s, ok, err
}

func (a heardAccount) DeleteSnapshot(ctx context.Context, region, id string) error {
	err := a.AccountAWS.DeleteSnapshot(ctx, region, id)
	a.note(err)
	return err
}

func (a heardAccount) ShareSnapshot(ctx context.Context, region, id, account string) error {
	err := a.AccountAWS.ShareSnapshot(ctx, region, id, account)
	a.note(err)
	return err
}

func (a heardAccount) UnshareSnapshot(ctx context.Context, region, id, account string) error {
	err := a.AccountAWS.UnshareSnapshot(ctx, region, id, account)
	a.note(err)
	return err
}

func (a heardAccount) SnapshotSharedWith(ctx context.Context, region, id string) ([]string, error) {
	with, err := a.AccountAWS.SnapshotSharedWith(ctx, region, id)
	a.note(err)
	return with, err
}

func (a heardAccount) KeyPolicy(ctx context.Context, region, key string) (string, error) {
	p, err := a.AccountAWS.KeyPolicy(ctx, region, key)
	a.note(err)
	return p, err
}
