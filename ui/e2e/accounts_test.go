package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
)

// accounts is an operator whose AWS config has the profile ops (the
// simulator's first account, static keys) and dr (the role dr-copy of its
// second account, assumed from ops), as the README shows, against one
// `snapcopy simulate`. The test looks into both accounts with the same
// files.
type accounts struct {
	t       *testing.T
	sim     *simProc
	env     *appEnv
	ops, dr *awsops.Client
	files   []string // the operator's AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
	common  []string // --profile ops --endpoint-url URL
}

func newAccounts(t *testing.T, sim *simProc) *accounts {
	t.Helper()
	dir := t.TempDir()
	config := "[profile ops]\nregion = us-west-2\n[profile dr]\nrole_arn = " + ec2sim.DRRoleArn + "\nsource_profile = ops\nregion = us-east-1\n"
	creds := "[ops]\naws_access_key_id = AKIDSNAPCOPYOPS\naws_secret_access_key = ops-secret\n"
	for name, body := range map[string]string{"config": config, "credentials": creds} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	a := &accounts{t: t, sim: sim, files: []string{"AWS_CONFIG_FILE=" + filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials")}}
	a.env = newAppEnv(t, a.files...)
	a.common = []string{"--profile", "ops", "--endpoint-url", sim.url}
	ctx, cancel := context.WithTimeout(context.Background(), shortWait)
	defer cancel()
	var err error
	if a.ops, err = awsops.New(ctx, awsops.Options{Profile: "ops", EndpointURL: sim.url,
		Files: awsops.ProfileFiles{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}}); err != nil {
		t.Fatal(err)
	}
	if a.dr, err = a.ops.OpenProfile(ctx, "dr"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.dr.Close(); a.ops.Close() })
	return a
}

// copy runs `snapcopy copy` as the operator, with more variables vars.
func (a *accounts) copy(vars []string, args ...string) (string, string, int) {
	a.t.Helper()
	return runBinary(a.t, append(a.env.environ(), vars...), append(append([]string{"copy"}, a.common...), args...)...)
}

// drCopiesOf lists the second account's snapshots of region that name src
// as their source (snapcopy's provenance tag).
func (a *accounts) drCopiesOf(region, src string) []model.Snapshot {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), shortWait)
	defer cancel()
	snaps, err := a.dr.ListSnapshots(ctx, region, awsops.Owned, nil)
	if err != nil {
		a.t.Fatal(err)
	}
	var out []model.Snapshot
	for _, s := range snaps {
		if s.Tag(model.TagSourceSnapshot) == src {
			out = append(out, s)
		}
	}
	return out
}

// sharedWith is the source snapshot's createVolumePermission, read by its owner.
func (a *accounts) sharedWith(id string) []string {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), shortWait)
	defer cancel()
	with, err := a.ops.SnapshotSharedWith(ctx, "us-west-2", id)
	if err != nil {
		a.t.Fatal(err)
	}
	return with
}

// intermediates are the first account's snapshots of us-west-2 that are
// re-encrypting copies snapcopy made (their request tag).
func (a *accounts) intermediates() []string {
	a.t.Helper()
	var out []string
	for _, s := range a.sim.snapshots("us-west-2") {
		if strings.HasSuffix(s.Tag(model.RequestTagKey), "-reencrypt") {
			out = append(out, s.ID)
		}
	}
	return out
}

// admit adds to the policy of the first account's key alias what the
// second account needs, as an administrator would by hand.
func (a *accounts) admit(alias string, statements []model.KeyStatement) {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), shortWait)
	defer cancel()
	arn, _, err := a.ops.KeyIdentity(ctx, "us-west-2", alias)
	if err != nil {
		a.t.Fatal(err)
	}
	policy, err := a.ops.KeyPolicy(ctx, "us-west-2", arn)
	if err != nil {
		a.t.Fatal(err)
	}
	if statements == nil {
		statements = []model.KeyStatement{model.KeyUseStatement(ec2sim.DRAccountID), model.KeyGrantStatement(ec2sim.DRAccountID)}
	}
	after, err := model.WithKeyStatements(policy, statements)
	if err != nil {
		a.t.Fatal(err)
	}
	if err := a.ops.PutKeyPolicy(ctx, "us-west-2", arn, after); err != nil {
		a.t.Fatal(err)
	}
}

// one checks that the second account holds exactly one copy of src in
// us-east-1, carrying the provenance tags, and that src is shared with
// nobody.
func (a *accounts) one(src model.Snapshot) model.Snapshot {
	a.t.Helper()
	copies := a.drCopiesOf("us-east-1", src.ID)
	if len(copies) != 1 {
		a.t.Fatalf("the second account holds %d copies of %s in us-east-1, want 1", len(copies), src.ID)
	}
	c := copies[0]
	if c.State != model.StateCompleted || c.Tag(model.TagSourceRegion) != "us-west-2" || c.Tag(model.TagSourceVolume) != src.VolumeID || c.Tag(model.RequestTagKey) == "" {
		a.t.Errorf("the copy: %+v", c)
	}
	if with := a.sharedWith(src.ID); len(with) != 0 {
		a.t.Errorf("%s is still shared with %v", src.ID, with)
	}
	return c
}

func (a *accounts) named(name string) model.Snapshot {
	a.t.Helper()
	s, ok := a.sim.snapshotNamed("us-west-2", name)
	if !ok {
		a.t.Fatalf("the seeded world has no %s snapshot", name)
	}
	return s
}

// An unencrypted snapshot into the second account: one copy there with the
// provenance tags, and the share removed.
func TestCopyIntoAnotherAccountUnencrypted(t *testing.T) {
	t.Parallel()
	sim := startSim(t, simOptions{timeScale: 600})
	a := newAccounts(t, sim)
	src := a.named("web-frontend-01")
	out, errOut, code := a.copy(nil, "--region", "us-west-2", "--to", "us-east-1", "--to-profile", "dr", "--wait", "--output", "json", src.ID)
	if code != 0 {
		t.Fatalf("exit %d; stderr %q; stdout:\n%s", code, errOut, out)
	}
	for _, want := range []string{"into account 111122223333 (profile dr), in steps:", "1. share " + src.ID, "3. when the copy completes: remove the share"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	objs := jsonLines(t, out)
	last := objs[len(objs)-1]
	if last["state"] != "completed" || last["destination_account"] != ec2sim.DRAccountID || last["step"] != "done" {
		t.Errorf("last line: %v", last)
	}
	c := a.one(src)
	if last["copy_snapshot"] != c.ID {
		t.Errorf("the last line names %v, the copy is %s", last["copy_snapshot"], c.ID)
	}
	if n := len(a.drCopiesOf("us-east-1", src.ID)); n != 1 {
		t.Errorf("%d copies", n)
	}
	if mine := sim.copiesMade("us-east-1"); len(mine) != 0 {
		t.Errorf("copies made in the first account: %v", mine)
	}
}

// Under alias/aws/ebs: without --reencrypt-key exit 2 naming the rule and
// the flag, nothing sent; with it (its policy admitting the second
// account) the copy goes through a re-encrypted copy, gone at the end.
func TestCopyIntoAnotherAccountFromTheAWSManagedKey(t *testing.T) {
	t.Parallel()
	sim := startSim(t, simOptions{timeScale: 600})
	a := newAccounts(t, sim)
	src := a.named("ml-vol-32")
	args := []string{"--region", "us-west-2", "--to", "us-east-1", "--to-profile", "dr", "--wait", src.ID}
	before := sim.counts()
	_, errOut, code := a.copy(nil, args...)
	if code != 2 || !strings.Contains(errOut, "AWS managed key (alias/aws/ebs), which cannot be shared with another account") ||
		!strings.Contains(errOut, "--reencrypt-key") || !strings.Contains(errOut, "nothing was sent") {
		t.Fatalf("without --reencrypt-key: exit %d, stderr %q", code, errOut)
	}
	after := sim.counts()
	for _, op := range []string{"CopySnapshot us-west-2", "CopySnapshot us-east-1", "ModifySnapshotAttribute us-west-2"} {
		if after[op] != before[op] {
			t.Errorf("%s sent without --reencrypt-key", op)
		}
	}

	a.admit("alias/backup", nil)
	out, errOut, code := a.copy(nil, append(args, "--reencrypt-key", "alias/backup")...)
	if code != 0 {
		t.Fatalf("with --reencrypt-key: exit %d; stderr %q; stdout:\n%s", code, errOut, out)
	}
	if !strings.Contains(errOut, "1. copy "+src.ID+" in the source Region under alias/backup") || !strings.Contains(errOut, "delete the re-encrypted copy") {
		t.Errorf("the steps:\n%s", errOut)
	}
	if !strings.Contains(out, "[re-encrypting]") || !strings.Contains(out, "(account 111122223333)") {
		t.Errorf("the lines do not show the steps:\n%s", out)
	}
	c := a.one(src)
	if !c.Encrypted || !strings.Contains(c.KmsKeyID, ":"+ec2sim.DRAccountID+":") {
		t.Errorf("the copy is not under a key of the second account: %v %q", c.Encrypted, c.KmsKeyID)
	}
	if left := a.intermediates(); len(left) != 0 {
		t.Errorf("re-encrypted copies left: %v", left)
	}
	if n := sim.counts()["CopySnapshot us-west-2"] - after["CopySnapshot us-west-2"]; n != 1 {
		t.Errorf("%d re-encrypting CopySnapshot, want 1", n)
	}
}

// Under a customer managed key whose policy does not admit the second
// account: exit 2 printing the statements, nothing sent; once they are in
// the policy (added by hand, as printed) the copy completes.
func TestCopyIntoAnotherAccountNeedsTheKeyPolicy(t *testing.T) {
	t.Parallel()
	sim := startSim(t, simOptions{timeScale: 600})
	a := newAccounts(t, sim)
	src := a.named("db-prod-primary")
	args := []string{"--region", "us-west-2", "--to", "us-east-1", "--to-profile", "dr", "--wait", src.ID}
	before := sim.counts()
	_, errOut, code := a.copy(nil, args...)
	if code != 2 || !strings.Contains(errOut, "does not let account 111122223333 use the key") || !strings.Contains(errOut, "nothing was sent") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	after := sim.counts()
	for k, n := range after {
		if (strings.HasPrefix(k, "CopySnapshot ") || strings.HasPrefix(k, "ModifySnapshotAttribute ") || strings.HasPrefix(k, "PutKeyPolicy ")) && n != before[k] {
			t.Errorf("%s sent %d times", k, n-before[k])
		}
	}
	// The statements as printed: the JSON list on the lines after the sentence.
	start := strings.Index(errOut, "\n[")
	end := strings.Index(errOut, "\n]")
	if start < 0 || end < start {
		t.Fatalf("no statements printed:\n%s", errOut)
	}
	var printed []model.KeyStatement
	if err := json.Unmarshal([]byte(errOut[start+1:end+2]), &printed); err != nil {
		t.Fatalf("the statements printed are not a JSON list: %v\n%s", err, errOut)
	}
	if len(printed) != 2 || !strings.Contains(errOut, `"kms:GrantIsForAWSResource": true`) || !strings.Contains(errOut, `"AWS": "arn:aws:iam::111122223333:root"`) {
		t.Errorf("statements printed:\n%s", errOut)
	}
	a.admit("alias/prod-ebs", printed)
	out, errOut, code := a.copy(nil, args...)
	if code != 0 {
		t.Fatalf("after PutKeyPolicy: exit %d; stderr %q; stdout:\n%s", code, errOut, out)
	}
	a.one(src)
}

// SIGKILL after any step, then `snapcopy watch`: the copy completes, one
// copy in the second account, no share and no re-encrypted copy left. Each
// kill point copies the same source again (--again), each its own copy.
func TestCopyIntoAnotherAccountKilledBetweenSteps(t *testing.T) {
	t.Parallel()
	for _, step := range []string{"reencrypt-sent", "reencrypt", "share", "key-policy", "copy", "unshare"} {
		t.Run(step, func(t *testing.T) {
			t.Parallel()
			sim := startSim(t, simOptions{timeScale: 600})
			a := newAccounts(t, sim)
			a.admit("alias/backup", nil)
			src := a.named("web-vol-27")
			_, errOut, code := a.copy([]string{"SNAPCOPY_TEST_KILL_AFTER_STEP=" + step},
				"--region", "us-west-2", "--to", "us-east-1", "--to-profile", "dr", "--reencrypt-key", "alias/backup", "--wait", src.ID)
			if code != -1 {
				t.Fatalf("not killed after %s: exit %d, stderr %q", step, code, errOut)
			}
			if copies := watchList(t, filepath.Join(a.env.state, "snapcopy", "copies-ops.json")); len(copies) != 1 || copies[0].Phase.Done() {
				t.Fatalf("the state file after the kill: %+v", copies)
			}
			out, errOut, code := runBinary(t, a.env.environ(), append([]string{"watch", "--plain"}, a.common...)...)
			if code != 0 || !strings.Contains(out, "completed") {
				t.Fatalf("watch: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
			}
			a.one(src)
			if left := a.intermediates(); len(left) != 0 {
				t.Errorf("re-encrypted copies left: %v", left)
			}
			if n := sim.counts()["CopySnapshot us-east-1"]; n != 1 {
				t.Errorf("%d CopySnapshot into us-east-1, want 1", n)
			}
		})
	}
}

// A lock asked for a copy into another account is set there, with the
// destination's credentials: the second account holds the copy locked, and
// the first account was never asked to lock a snapshot it cannot see.
func TestCopyIntoAnotherAccountLocksItThere(t *testing.T) {
	t.Parallel()
	sim := startSim(t, simOptions{timeScale: 600})
	a := newAccounts(t, sim)
	src := a.named("web-frontend-01")
	out, errOut, code := a.copy(nil, "--region", "us-west-2", "--to", "us-east-1", "--to-profile", "dr", "--lock", "governance:7d", "--wait", src.ID)
	if code != 0 {
		t.Fatalf("exit %d; stderr %q; stdout:\n%s", code, errOut, out)
	}
	c := a.one(src)
	ctx, cancel := context.WithTimeout(context.Background(), shortWait)
	defer cancel()
	l, ok, err := a.dr.SnapshotLock(ctx, "us-east-1", c.ID)
	if err != nil || !ok || l.State != "governance" || l.Days != 7 {
		t.Errorf("the second account's lock of %s: %+v, %v, %v; want governance for 7 days", c.ID, l, ok, err)
	}
	if !strings.Contains(out, "locked governance") {
		t.Errorf("the lines do not say the copy is locked:\n%s", out)
	}
}
