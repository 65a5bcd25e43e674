package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
)

// dlmArgs is `snapcopy copy --output dlm` of db-prod-primary to us-east-1
// under alias/backup, every day at 03:00 UTC, 14 kept at the source and
// copies kept 30 days.
func dlmArgs(u, id string, more ...string) []string {
	return append([]string{"copy", "--endpoint-url", u, "--region", "us-west-2", "--to", "us-east-1",
		"--kms-key", "alias/backup", "--output", "dlm", "--schedule", "daily@03:00", "--retain", "14",
		"--retain-at-destination", "30d", "--target-tag", "backup=nightly", "--description", "db-prod nightly", id}, more...)
}

// awsCLIAs runs one AWS CLI line against endpoint with the given
// credentials (KEY=VALUE environment entries) and returns its output and
// whether it succeeded.
func awsCLIAs(t *testing.T, endpoint string, creds []string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command("aws", append(args, "--endpoint-url", endpoint, "--output", "json")...)
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=",
	}, creds...)
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

var e2eCreds = []string{"AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret"}

// The printed policy passes the AWS CLI's own validation of
// --cli-input-json, and, created by the CLI, is stored with the same
// target, encryption, key ARN and retention. snapcopy itself sends none.
func TestCopyOutputDLMPassesTheAWSCLI(t *testing.T) {
	needAWSCLI(t)
	sim, u := listenSim(t, ec2sim.Options{Seed: 1})
	db, _ := sim.SnapshotByName("us-west-2", "db-prod-primary")
	env := newAppEnv(t, e2eCreds...)
	out, errOut, code := runBinary(t, env.environ(), dlmArgs(u, db.ID)...)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(errOut, "aws dlm create-lifecycle-policy --region us-west-2 --cli-input-json file://dlm-policy.json") {
		t.Errorf("stderr does not give the command: %q", errOut)
	}
	for _, action := range []string{"CreateLifecyclePolicy", "CopySnapshot"} {
		if n := len(sim.Requests(action)); n != 0 {
			t.Fatalf("--output dlm sent %d %s", n, action)
		}
	}
	file := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	created, ok := awsCLIAs(t, u, e2eCreds, "dlm", "create-lifecycle-policy", "--region", "us-west-2", "--cli-input-json", "file://"+file)
	if !ok {
		t.Fatalf("the AWS CLI refused the policy:\n%s\n%s", created, out)
	}
	var id struct{ PolicyId string }
	if err := json.Unmarshal([]byte(created), &id); err != nil || id.PolicyId == "" {
		t.Fatalf("create answered %q", created)
	}
	got, ok := awsCLIAs(t, u, e2eCreds, "dlm", "get-lifecycle-policy", "--region", "us-west-2", "--policy-id", id.PolicyId)
	if !ok {
		t.Fatal(got)
	}
	var stored struct {
		Policy struct {
			PolicyDetails struct {
				TargetTags []struct{ Key, Value string }
				Schedules  []struct {
					RetainRule           struct{ Count int }
					CrossRegionCopyRules []struct {
						Target     string
						Encrypted  bool
						CmkArn     string
						RetainRule struct {
							Interval     int
							IntervalUnit string
						}
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(got), &stored); err != nil {
		t.Fatal(err)
	}
	d := stored.Policy.PolicyDetails
	if len(d.Schedules) != 1 || len(d.Schedules[0].CrossRegionCopyRules) != 1 || len(d.TargetTags) != 1 {
		t.Fatalf("stored %s", got)
	}
	rule := d.Schedules[0].CrossRegionCopyRules[0]
	if d.TargetTags[0].Key != "backup" || d.TargetTags[0].Value != "nightly" || rule.Target != "us-east-1" || !rule.Encrypted ||
		!strings.HasPrefix(rule.CmkArn, "arn:aws:kms:us-east-1:123456789012:key/") || rule.RetainRule.Interval != 30 ||
		rule.RetainRule.IntervalUnit != "DAYS" || d.Schedules[0].RetainRule.Count != 14 {
		t.Errorf("stored policy differs: %s", got)
	}

	// The CLI's validation is real: a document without a required member
	// is refused before anything is sent.
	broken := strings.Replace(out, `"Encrypted": true,`, "", 1)
	if err := os.WriteFile(file, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	before := len(sim.Requests("CreateLifecyclePolicy"))
	msg, ok := awsCLIAs(t, u, e2eCreds, "dlm", "create-lifecycle-policy", "--region", "us-west-2", "--cli-input-json", "file://"+file)
	if ok || !strings.Contains(msg, "Missing required parameter") || len(sim.Requests("CreateLifecyclePolicy")) != before {
		t.Errorf("a policy without Encrypted: ok %v, %q", ok, msg)
	}
}

// A DLM limit broken on the command line is said, naming the flag's field
// and the rule, with exit 2 and no policy printed.
func TestCopyOutputDLMRefusesWhatDLMCannotDo(t *testing.T) {
	sim, u := listenSim(t, ec2sim.Options{Seed: 1})
	db, _ := sim.SnapshotByName("us-west-2", "db-prod-primary")
	env := newAppEnv(t, e2eCreds...)
	out, errOut, code := runBinary(t, env.environ(), dlmArgs(u, db.ID, "--retain-at-destination", "14", "--also-to", "eu-west-1,eu-central-1,ap-south-1")...)
	if code != 2 || out != "" {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	for _, want := range []string{"retain at destination: Retain at destination is by age only", "also copy to: Also copy to: DLM takes at most 3 cross-Region copy rules", "no policy printed"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

// The cross-account pair: each account's policy passes the AWS CLI, the
// source account's created by it, the event policy by the destination
// account (through the role it lets the source account assume).
func TestCopyOutputDLMCrossAccountPairPassesTheAWSCLI(t *testing.T) {
	needAWSCLI(t)
	sim, u := listenSim(t, ec2sim.Options{Seed: 1})
	db, _ := sim.SnapshotByName("us-west-2", "db-prod-primary")
	assumed, ok := awsCLIAs(t, u, e2eCreds, "sts", "assume-role", "--region", "us-west-2", "--role-arn", ec2sim.DRRoleArn, "--role-session-name", "e2e")
	if !ok {
		t.Fatal(assumed)
	}
	var a struct {
		Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken string }
	}
	if err := json.Unmarshal([]byte(assumed), &a); err != nil {
		t.Fatal(err)
	}
	dr := []string{"AWS_ACCESS_KEY_ID=" + a.Credentials.AccessKeyId, "AWS_SECRET_ACCESS_KEY=" + a.Credentials.SecretAccessKey, "AWS_SESSION_TOKEN=" + a.Credentials.SessionToken}
	key, ok := awsCLIAs(t, u, dr, "kms", "describe-key", "--region", "us-east-1", "--key-id", "alias/dr-backup")
	if !ok {
		t.Fatal(key)
	}
	var k struct{ KeyMetadata struct{ Arn string } }
	if err := json.Unmarshal([]byte(key), &k); err != nil {
		t.Fatal(err)
	}
	env := newAppEnv(t, e2eCreds...)
	for _, c := range []struct {
		output string
		creds  []string
	}{{"dlm", e2eCreds}, {"dlm-event", dr}} {
		args := dlmArgs(u, db.ID, "--to-account", ec2sim.DRAccountID, "--kms-key", k.KeyMetadata.Arn, "--to-account-profile", "dr", "--output", c.output)
		out, errOut, code := runBinary(t, env.environ(), args...)
		if code != 0 {
			t.Fatalf("%s: exit %d, stderr %q", c.output, code, errOut)
		}
		if c.output == "dlm-event" && !strings.Contains(errOut, "--profile dr") {
			t.Errorf("the event policy's command does not run under the dr profile: %q", errOut)
		}
		file := filepath.Join(t.TempDir(), "policy.json")
		if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
		if msg, ok := awsCLIAs(t, u, c.creds, "dlm", "create-lifecycle-policy", "--region", "us-west-2", "--cli-input-json", "file://"+file); !ok {
			t.Errorf("%s refused:\n%s\n%s", c.output, msg, out)
		}
	}
}
