package ec2sim

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// share adds (or removes) account's createVolumePermission with the SDK's
// own CreateVolumePermission member.
func share(t *testing.T, c *ec2.Client, id, account string, add bool) {
	t.Helper()
	perm := []types.CreateVolumePermission{{UserId: aws.String(account)}}
	mods := &types.CreateVolumePermissionModifications{Add: perm}
	if !add {
		mods = &types.CreateVolumePermissionModifications{Remove: perm}
	}
	if _, err := c.ModifySnapshotAttribute(ctx, &ec2.ModifySnapshotAttributeInput{SnapshotId: aws.String(id),
		Attribute: types.SnapshotAttributeNameCreateVolumePermission, CreateVolumePermission: mods}); err != nil {
		t.Fatalf("share %s with %s (add %v): %v", id, account, add, err)
	}
}

// permissions reads a snapshot's createVolumePermission as "user:ID" and "group:all".
func permissions(t *testing.T, c *ec2.Client, id string) []string {
	t.Helper()
	out, err := c.DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{SnapshotId: aws.String(id), Attribute: types.SnapshotAttributeNameCreateVolumePermission})
	if err != nil {
		t.Fatalf("DescribeSnapshotAttribute %s: %v", id, err)
	}
	if *out.SnapshotId != id {
		t.Errorf("answer for %s, asked %s", *out.SnapshotId, id)
	}
	var got []string
	for _, p := range out.CreateVolumePermissions {
		if p.UserId != nil {
			got = append(got, "user:"+*p.UserId)
		}
		if p.Group != "" {
			got = append(got, "group:"+string(p.Group))
		}
	}
	return got
}

// The owner shares a snapshot with the DR account and takes the share
// back, in both forms the API takes, and reads it back each time; the DR
// account sees the snapshot exactly while it is shared.
func TestShareAndUnshare(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	owner := h.ec2("us-west-2")
	dr := h.ec2With(h.assume("us-west-2", DRRoleArn))
	web := h.byName("us-west-2", "web-frontend-01")

	if got := permissions(t, owner, web); len(got) != 0 {
		t.Fatalf("a seeded snapshot is shared: %v", got)
	}
	// Not shared: DescribeSnapshots by id leaves it out, without an error.
	if got := describe(t, dr, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{web}}); len(got) != 0 {
		t.Fatalf("the DR account sees an unshared snapshot by id: %v", ids(got))
	}

	share(t, owner, web, DRAccountID, true)
	sent := h.sim.Requests("ModifySnapshotAttribute")
	if p := sent[len(sent)-1].Params; p.Get("CreateVolumePermission.Add.1.UserId") != DRAccountID {
		t.Errorf("the SDK sent %v", p)
	}
	if got := permissions(t, owner, web); !slices.Equal(got, []string{"user:" + DRAccountID}) {
		t.Errorf("after sharing: %v", got)
	}
	for name, in := range map[string]*ec2.DescribeSnapshotsInput{
		"by id":                 {SnapshotIds: []string{web}},
		"restorable by self":    {RestorableByUserIds: []string{"self"}},
		"owner is the first":    {OwnerIds: []string{AccountID}},
		"no owner, no restorer": {},
	} {
		if got := ids(describe(t, dr, in)); !slices.Contains(got, web) {
			t.Errorf("%s: the DR account does not see the shared snapshot among %v", name, got)
		}
	}
	if got := ids(describe(t, dr, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}})); slices.Contains(got, web) {
		t.Error("the shared snapshot is listed as the DR account's own")
	}
	// The owner finds what it shared with the DR account.
	if got := ids(describe(t, owner, &ec2.DescribeSnapshotsInput{RestorableByUserIds: []string{DRAccountID}})); !slices.Equal(got, []string{web}) {
		t.Errorf("restorable by %s: %v", DRAccountID, got)
	}

	// The older form: OperationType with UserId.N.
	if _, err := owner.ModifySnapshotAttribute(ctx, &ec2.ModifySnapshotAttributeInput{SnapshotId: aws.String(web),
		Attribute: types.SnapshotAttributeNameCreateVolumePermission, OperationType: types.OperationTypeRemove, UserIds: []string{DRAccountID}}); err != nil {
		t.Fatal(err)
	}
	if got := permissions(t, owner, web); len(got) != 0 {
		t.Errorf("after unsharing: %v", got)
	}
	if got := describe(t, dr, &ec2.DescribeSnapshotsInput{RestorableByUserIds: []string{"self"}}); slices.Contains(ids(got), web) {
		t.Error("the DR account still sees the snapshot after the share was removed")
	}
}

// Only unencrypted snapshots may be public; a public one is everyone's to
// use, and ResetSnapshotAttribute takes every permission away.
func TestPublicSnapshotAndReset(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	owner := h.ec2("us-west-2")
	dr := h.ec2With(h.assume("us-west-2", DRRoleArn))
	web := h.byName("us-west-2", "web-frontend-02")
	if _, err := owner.ModifySnapshotAttribute(ctx, &ec2.ModifySnapshotAttributeInput{SnapshotId: aws.String(web),
		Attribute: types.SnapshotAttributeNameCreateVolumePermission, OperationType: types.OperationTypeAdd, GroupNames: []string{"all"}}); err != nil {
		t.Fatal(err)
	}
	share(t, owner, web, SharingAccountID, true)
	if got := permissions(t, owner, web); !slices.Equal(got, []string{"group:all", "user:" + SharingAccountID}) {
		t.Errorf("permissions %v", got)
	}
	if got := ids(describe(t, dr, &ec2.DescribeSnapshotsInput{RestorableByUserIds: []string{"all"}})); !slices.Equal(got, []string{web}) {
		t.Errorf("restorable by all: %v", got)
	}
	// Public is not explicit: RestorableBy self leaves it out.
	if got := ids(describe(t, dr, &ec2.DescribeSnapshotsInput{RestorableByUserIds: []string{"self"}})); slices.Contains(got, web) {
		t.Error("a public snapshot is listed as restorable by self")
	}
	if _, err := owner.ResetSnapshotAttribute(ctx, &ec2.ResetSnapshotAttributeInput{SnapshotId: aws.String(web), Attribute: types.SnapshotAttributeNameCreateVolumePermission}); err != nil {
		t.Fatal(err)
	}
	if got := permissions(t, owner, web); len(got) != 0 {
		t.Errorf("after reset: %v", got)
	}
	codes, err := owner.DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{SnapshotId: aws.String(web), Attribute: types.SnapshotAttributeNameProductCodes})
	if err != nil || len(codes.ProductCodes) != 0 || len(codes.CreateVolumePermissions) != 0 {
		t.Errorf("productCodes: %+v %v", codes, err)
	}
}

// What sharing refuses, each with its code.
func TestShareRefusals(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	owner := h.ec2("us-west-2")
	dr := h.ec2With(h.assume("us-west-2", DRRoleArn))
	managed := h.byName("us-west-2", "ml-training-data")
	customer := h.byName("us-west-2", "staging-db")
	web := h.byName("us-west-2", "web-frontend-01")
	partner := h.byName("us-west-2", "partner-dataset")
	add := func(id string, users []string, groups []string) *ec2.ModifySnapshotAttributeInput {
		return &ec2.ModifySnapshotAttributeInput{SnapshotId: aws.String(id), Attribute: types.SnapshotAttributeNameCreateVolumePermission,
			OperationType: types.OperationTypeAdd, UserIds: users, GroupNames: groups}
	}
	for _, tc := range []struct {
		name string
		c    *ec2.Client
		in   *ec2.ModifySnapshotAttributeInput
		code string
	}{
		{"AWS managed key", owner, add(managed, []string{DRAccountID}, nil), "InvalidParameter"},
		{"encrypted made public", owner, add(customer, nil, []string{"all"}), "InvalidParameter"},
		{"customer managed key", owner, add(customer, []string{DRAccountID}, nil), ""},
		{"malformed account", owner, add(web, []string{"1234"}, nil), "InvalidUserID.Malformed"},
		{"unknown group", owner, add(web, nil, []string{"everyone"}), "InvalidParameterValue"},
		{"add and remove at once", owner, &ec2.ModifySnapshotAttributeInput{SnapshotId: aws.String(web), Attribute: types.SnapshotAttributeNameCreateVolumePermission,
			CreateVolumePermission: &types.CreateVolumePermissionModifications{
				Add: []types.CreateVolumePermission{{UserId: aws.String(DRAccountID)}}, Remove: []types.CreateVolumePermission{{UserId: aws.String(SharingAccountID)}}}}, "InvalidParameterCombination"},
		{"users without an operation", owner, &ec2.ModifySnapshotAttributeInput{SnapshotId: aws.String(web), Attribute: types.SnapshotAttributeNameCreateVolumePermission, UserIds: []string{DRAccountID}}, "MissingParameter"},
		{"product codes", owner, &ec2.ModifySnapshotAttributeInput{SnapshotId: aws.String(web), Attribute: types.SnapshotAttributeNameProductCodes, OperationType: types.OperationTypeAdd, UserIds: []string{DRAccountID}}, "InvalidParameterValue"},
		{"shared with the caller, not its own", owner, add(partner, []string{DRAccountID}, nil), "AuthFailure"},
		{"another account's, not shared", dr, add(web, []string{DRAccountID}, nil), "InvalidSnapshot.NotFound"},
	} {
		_, err := tc.c.ModifySnapshotAttribute(ctx, tc.in)
		if apiCode(err) != tc.code {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.code)
		}
	}
	if got := permissions(t, owner, managed); len(got) != 0 {
		t.Errorf("a refused share was made: %v", got)
	}
	if _, err := owner.DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{SnapshotId: aws.String(partner), Attribute: types.SnapshotAttributeNameCreateVolumePermission}); apiCode(err) != "AuthFailure" {
		t.Errorf("reading another owner's permissions: %v", err)
	}
}

// Shares survive a restart.
func TestSharePersists(t *testing.T) {
	file := t.TempDir() + "/world.json"
	h := newHarness(t, Options{Seed: 1, StateFile: file})
	web := h.byName("us-west-2", "web-frontend-01")
	share(t, h.ec2("us-west-2"), web, DRAccountID, true)
	h2 := newHarness(t, Options{Seed: 1, StateFile: file})
	if got := permissions(t, h2.ec2("us-west-2"), web); !slices.Equal(got, []string{"user:" + DRAccountID}) {
		t.Errorf("after a restart: %v", got)
	}
	if got := ids(describe(t, h2.ec2("us-west-2"), &ec2.DescribeSnapshotsInput{OwnerIds: []string{SharingAccountID}})); len(got) != len(sharedSeeds["us-west-2"]) {
		t.Errorf("the partner's shares after a restart: %v", got)
	}
}

// copyAndWait copies id from us-west-2 into us-east-1 with c and returns
// the copy as its owner sees it once the clock has moved on.
func (h *harness) copyAndWait(t *testing.T, c *ec2.Client, in *ec2.CopySnapshotInput) types.Snapshot {
	t.Helper()
	in.SourceRegion = aws.String("us-west-2")
	out, err := c.CopySnapshot(ctx, in)
	if err != nil {
		t.Fatalf("CopySnapshot %s: %v", *in.SourceSnapshotId, err)
	}
	h.clock.Advance(24 * time.Hour)
	return describeOne(t, c, *out.SnapshotId)
}

// The DR account copies a snapshot shared with it: the copy is its own.
// Without the share the source is not found; an encrypted source needs
// its key's policy to admit the DR account, else the copy is accepted and
// fails later, as on AWS.
func TestCrossAccountCopy(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	owner := h.ec2("us-west-2")
	drCfg := h.assume("us-east-1", DRRoleArn)
	dr := h.ec2With(drCfg)
	web := h.byName("us-west-2", "web-frontend-01")
	staging := h.byName("us-west-2", "staging-db") // alias/backup

	if _, err := dr.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(web)}); apiCode(err) != "InvalidSnapshot.NotFound" {
		t.Fatalf("copy of an unshared snapshot: %v", err)
	}
	share(t, owner, web, DRAccountID, true)
	cp := h.copyAndWait(t, dr, &ec2.CopySnapshotInput{SourceSnapshotId: aws.String(web)})
	if *cp.OwnerId != DRAccountID || cp.State != types.SnapshotStateCompleted || *cp.Encrypted {
		t.Errorf("unencrypted copy: owner %s, state %s, encrypted %v", *cp.OwnerId, cp.State, *cp.Encrypted)
	}
	if got := ids(describe(t, h.ec2("us-east-1"), &ec2.DescribeSnapshotsInput{SnapshotIds: []string{*cp.SnapshotId}})); len(got) != 0 {
		t.Error("the first account sees the DR account's copy")
	}

	share(t, owner, staging, DRAccountID, true)
	drBackup := drKey(t, h, "us-east-1", "alias/dr-backup")
	// The source key's policy admits only its owner: the copy fails later.
	failed := h.copyAndWait(t, dr, &ec2.CopySnapshotInput{SourceSnapshotId: aws.String(staging), Encrypted: aws.Bool(true), KmsKeyId: aws.String("alias/dr-backup")})
	if failed.State != types.SnapshotStateError || *failed.StateMessage != kmsKeyNotAccessible {
		t.Fatalf("copy under a key not shared: %s %q", failed.State, aws.ToString(failed.StateMessage))
	}
	// The owner adds the statements AWS's page gives; the copy completes,
	// re-encrypted with the DR account's key.
	backup, _ := h.sim.KMSKeyArn("us-west-2", "alias/backup")
	if _, err := h.kms("us-west-2").PutKeyPolicy(ctx, putPolicy(backup, sharedKeyPolicy(AccountID, DRAccountID))); err != nil {
		t.Fatal(err)
	}
	done := h.copyAndWait(t, dr, &ec2.CopySnapshotInput{SourceSnapshotId: aws.String(staging), Encrypted: aws.Bool(true), KmsKeyId: aws.String("alias/dr-backup")})
	if done.State != types.SnapshotStateCompleted || *done.KmsKeyId != drBackup || *done.OwnerId != DRAccountID {
		t.Errorf("copy with the key shared: %s, key %s, owner %s", done.State, aws.ToString(done.KmsKeyId), *done.OwnerId)
	}
	// Without KmsKeyId: the DR account's own AWS managed key.
	def := h.copyAndWait(t, dr, &ec2.CopySnapshotInput{SourceSnapshotId: aws.String(staging)})
	if def.State != types.SnapshotStateCompleted || *def.KmsKeyId != drKey(t, h, "us-east-1", "alias/aws/ebs") {
		t.Errorf("copy under the default key: %s, key %s", def.State, aws.ToString(def.KmsKeyId))
	}
	// A destination key of the first account, by ARN, that does not admit
	// the DR account: accepted, fails later.
	firstKey, _ := h.sim.KMSKeyArn("us-east-1", "alias/prod-ebs")
	bad := h.copyAndWait(t, dr, &ec2.CopySnapshotInput{SourceSnapshotId: aws.String(web), Encrypted: aws.Bool(true), KmsKeyId: aws.String(firstKey)})
	if bad.State != types.SnapshotStateError || *bad.StateMessage != kmsKeyNotAccessible {
		t.Errorf("copy under another account's key: %s %q", bad.State, aws.ToString(bad.StateMessage))
	}
	// The partner's encrypted share names a key its policy shares with the
	// first account.
	partner := h.byName("us-west-2", "partner-encrypted")
	pc := h.copyAndWait(t, h.ec2("us-east-1"), &ec2.CopySnapshotInput{SourceSnapshotId: aws.String(partner)})
	if pc.State != types.SnapshotStateCompleted || *pc.OwnerId != AccountID {
		t.Errorf("copy of the partner's encrypted share: %s %q", pc.State, aws.ToString(pc.StateMessage))
	}
}

// drKey is the ARN of the DR account's key alias in region.
func drKey(t *testing.T, h *harness, region, alias string) string {
	t.Helper()
	arn, ok := h.sim.AccountKMSKeyArn(region, DRAccountID, alias)
	if !ok {
		t.Fatalf("no %s of the DR account in %s", alias, region)
	}
	return arn
}
