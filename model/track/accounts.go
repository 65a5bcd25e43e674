package track

import (
	"context"
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
