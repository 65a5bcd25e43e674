package awsops_test

import (
	"context"
	"slices"
	"testing"

	"github.com/snapcopy/snapcopy/awsops"
)

// motoOtherAccount is the account of the role the moto test assumes:
// moto answers AssumeRole with credentials of the role ARN's account.
const motoOtherAccount = "111111111111"

// On moto: the profile dr assumes a role of another account (at
// --endpoint-url, as the operator's config says), and the first account
// shares a snapshot with it and unshares it, reading the snapshot's
// createVolumePermission back (DescribeSnapshotAttribute) each time.
// Listing and copying across accounts are checked against the simulator
// only: moto's second account does not see the snapshots shared with it,
// and its CopySnapshot looks the source up in the caller's own account.
func TestMotoAssumeRoleShareAndUnshare(t *testing.T) {
	first := motoClient(t, "us-west-2") // a freshly reset moto
	files := profilesAssuming(t, "arn:aws:iam::"+motoOtherAccount+":role/dr-copy")
	ctx := context.Background()
	ops, err := awsops.New(ctx, awsops.Options{Profile: "ops", EndpointURL: moto.url, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	dr, err := ops.OpenProfile(ctx, "dr")
	if err != nil {
		t.Fatal(err)
	}
	defer dr.Close()
	if acct, err := ops.Account(ctx); err != nil || acct != motoAccount {
		t.Fatalf("ops: account %q, %v", acct, err)
	}
	if acct, err := dr.Account(ctx); err != nil || acct != motoOtherAccount {
		t.Fatalf("dr (the role assumed): account %q, %v", acct, err)
	}

	id := motoSnapshot(t, first, "us-west-2", 8, "to share")
	if with, err := ops.SnapshotSharedWith(ctx, "us-west-2", id); err != nil || len(with) != 0 {
		t.Fatalf("before sharing: %v, %v", with, err)
	}
	if err := ops.ShareSnapshot(ctx, "us-west-2", id, motoOtherAccount); err != nil {
		t.Fatal(err)
	}
	if with, err := ops.SnapshotSharedWith(ctx, "us-west-2", id); err != nil || !slices.Equal(with, []string{motoOtherAccount}) {
		t.Errorf("shared: createVolumePermission %v, %v", with, err)
	}
	if err := ops.UnshareSnapshot(ctx, "us-west-2", id, motoOtherAccount); err != nil {
		t.Fatal(err)
	}
	if with, err := ops.SnapshotSharedWith(ctx, "us-west-2", id); err != nil || len(with) != 0 {
		t.Errorf("unshared: createVolumePermission %v, %v", with, err)
	}
}
