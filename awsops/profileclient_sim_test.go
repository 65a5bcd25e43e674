package awsops_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

// twoAccountProfiles writes the AWS config of an operator whose profile dr
// assumes the simulator's role in its second account. No endpoint variable
// is set: --endpoint-url alone must reach STS.
func twoAccountProfiles(t *testing.T) awsops.ProfileFiles {
	return profilesAssuming(t, ec2sim.DRRoleArn)
}

// profilesAssuming writes a config whose profile ops has static keys and
// whose profile dr assumes role from it.
func profilesAssuming(t *testing.T, role string) awsops.ProfileFiles {
	dir := t.TempDir()
	config := "[profile ops]\nregion = us-west-2\n[profile dr]\nrole_arn = " + role + "\nsource_profile = ops\nregion = us-east-1\n"
	creds := "[ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = ops-secret\n"
	for name, body := range map[string]string{"config": config, "credentials": creds} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return awsops.ProfileFiles{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
}

// --endpoint-url reaches a profile's assume-role call too: the profile dr
// (from the files the SDK reads, as the operator's) acts as the second
// account, one client per profile.
func TestOpenProfileAssumesTheRoleAtTheEndpoint(t *testing.T) {
	files := twoAccountProfiles(t)
	t.Setenv("AWS_CONFIG_FILE", files.Config)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", files.Credentials)
	sim := simtest.Start(t, simtest.Setup{})
	ctx := context.Background()
	home, err := awsops.New(ctx, awsops.Options{Profile: "ops", EndpointURL: sim.URL})
	if err != nil {
		t.Fatal(err)
	}
	if acct, err := home.Account(ctx); err != nil || acct != ec2sim.AccountID {
		t.Fatalf("ops: account %q, %v", acct, err)
	}
	profiles := awsops.NewProfiles(home)
	defer profiles.Close()
	dr, err := profiles.Open(ctx, "dr")
	if err != nil {
		t.Fatal(err)
	}
	if acct, err := dr.Account(ctx); err != nil || acct != ec2sim.DRAccountID {
		t.Fatalf("dr: account %q, %v", acct, err)
	}
	if dr.Region() != "us-east-1" || dr.Profile() != "dr" {
		t.Errorf("dr: Region %q, profile %q", dr.Region(), dr.Profile())
	}
	if again, _ := profiles.Open(ctx, "dr"); again != dr {
		t.Error("a profile opened twice is two clients")
	}
	if own, _ := profiles.Open(ctx, ""); own != home {
		t.Error(`profile "" is not the home client`)
	}
	if n := sim.Server.Count("AssumeRole", "us-east-1"); n != 1 {
		t.Errorf("the simulator answered %d AssumeRole, want 1 (counts %v)", n, sim.Server.Counts())
	}
	snaps, err := dr.ListSnapshots(ctx, "us-east-1", awsops.Owned, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(snaps, func(s model.Snapshot) bool { return s.Name() == "dr-orders-db" }) {
		t.Errorf("dr lists %d snapshots of us-east-1 without dr-orders-db", len(snaps))
	}
	if _, err := profiles.Open(ctx, "nobody"); err == nil || !strings.Contains(err.Error(), "nobody") {
		t.Errorf("a profile not in the files: %v", err)
	}
}

// Share, read back, unshare, as the owner; the second account sees the
// snapshot shared with it, then no more.
func TestShareAndUnshareSnapshot(t *testing.T) {
	t.Parallel()
	files := twoAccountProfiles(t) // Options.Files: the profiles of these files only
	sim := simtest.Start(t, simtest.Setup{})
	ctx := context.Background()
	home, err := awsops.New(ctx, awsops.Options{Profile: "ops", EndpointURL: sim.URL, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	dr, err := home.OpenProfile(ctx, "dr")
	if err != nil {
		t.Fatal(err)
	}
	defer dr.Close()
	web, _ := sim.Server.SnapshotByName("us-west-2", "web-frontend-01")
	sharedWithDR := func() bool {
		snaps, err := dr.ListSnapshots(ctx, "us-west-2", awsops.SharedWithMe, nil)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(snaps, func(s model.Snapshot) bool { return s.ID == web.ID })
	}
	if sharedWithDR() {
		t.Fatal("shared before sharing")
	}
	for range 2 { // sharing again changes nothing
		if err := home.ShareSnapshot(ctx, "us-west-2", web.ID, ec2sim.DRAccountID); err != nil {
			t.Fatal(err)
		}
	}
	if with, err := home.SnapshotSharedWith(ctx, "us-west-2", web.ID); err != nil || !slices.Equal(with, []string{ec2sim.DRAccountID}) {
		t.Errorf("shared with %v, %v", with, err)
	}
	if !sharedWithDR() {
		t.Error("the second account does not see the snapshot shared with it")
	}
	if err := dr.ShareSnapshot(ctx, "us-west-2", web.ID, "210987654321"); err == nil {
		t.Error("the second account shared a snapshot it does not own")
	}
	for range 2 {
		if err := home.UnshareSnapshot(ctx, "us-west-2", web.ID, ec2sim.DRAccountID); err != nil {
			t.Fatal(err)
		}
	}
	if with, err := home.SnapshotSharedWith(ctx, "us-west-2", web.ID); err != nil || len(with) != 0 {
		t.Errorf("after unsharing: shared with %v, %v", with, err)
	}
	if sharedWithDR() {
		t.Error("the second account still sees the snapshot")
	}
	managed, _ := sim.Server.SnapshotByName("us-west-2", "factory-floor-db")
	err = home.ShareSnapshot(ctx, "us-west-2", managed.ID, ec2sim.DRAccountID)
	if ae, ok := model.AsAPIError(err); !ok || ae.Kind != model.ErrInvalid {
		t.Errorf("sharing a snapshot under the AWS managed key: %v", err)
	}
}

// A key's policy read, the statements the second account lacks added, and
// the policy read back admits it.
func TestKeyPolicyRoundTrip(t *testing.T) {
	sim := simtest.Start(t, simtest.Setup{})
	ctx := context.Background()
	c := sim.Client
	arn, managed, err := c.KeyIdentity(ctx, "us-west-2", "alias/backup")
	if err != nil || managed || !strings.HasPrefix(arn, "arn:aws:kms:us-west-2:"+ec2sim.AccountID+":key/") {
		t.Fatalf("alias/backup: %q managed %v, %v", arn, managed, err)
	}
	if _, managed, err := c.KeyIdentity(ctx, "us-west-2", "alias/aws/ebs"); err != nil || !managed {
		t.Errorf("alias/aws/ebs: managed %v, %v", managed, err)
	}
	before, err := c.KeyPolicy(ctx, "us-west-2", arn)
	if err != nil {
		t.Fatal(err)
	}
	missing, err := model.MissingKeyStatements(before, ec2sim.DRAccountID)
	if err != nil || len(missing) != 2 {
		t.Fatalf("the default policy lacks %d statements, %v", len(missing), err)
	}
	after, err := model.WithKeyStatements(before, missing)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.PutKeyPolicy(ctx, "us-west-2", arn, after); err != nil {
		t.Fatal(err)
	}
	got, err := c.KeyPolicy(ctx, "us-west-2", arn)
	if err != nil {
		t.Fatal(err)
	}
	if missing, err := model.MissingKeyStatements(got, ec2sim.DRAccountID); err != nil || len(missing) != 0 {
		t.Errorf("after PutKeyPolicy: missing %v, %v\n%s", missing, err, got)
	}
	err = c.PutKeyPolicy(ctx, "us-west-2", arn, "{not json")
	if ae, ok := model.AsAPIError(err); !ok || ae.Code != "MalformedPolicyDocumentException" {
		t.Errorf("a malformed policy: %v", err)
	}
}

// The demo's client (NewLocal, no options) opens the profiles of the files
// it is given, at its endpoint.
func TestLocalClientOpensProfilesOfItsFiles(t *testing.T) {
	t.Parallel()
	files := twoAccountProfiles(t)
	sim := simtest.Start(t, simtest.Setup{})
	local := awsops.NewLocal(sim.URL, "us-west-2")
	local.SetProfileFiles(files)
	dr, err := local.OpenProfile(context.Background(), "dr")
	if err != nil {
		t.Fatal(err)
	}
	defer dr.Close()
	if acct, err := dr.Account(context.Background()); err != nil || acct != ec2sim.DRAccountID {
		t.Errorf("dr: account %q, %v", acct, err)
	}
}
