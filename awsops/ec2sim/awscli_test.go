package ec2sim

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// cli runs the AWS CLI (v1, botocore) against the simulator with throwaway
// credentials and no configuration of the machine.
type cli struct {
	t    *testing.T
	url  string
	home string
}

func newCLI(t *testing.T, url string) *cli {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		msg := "the AWS CLI (aws) is not on PATH: skipping the AWS CLI test"
		// CI sets SNAPCOPY_REQUIRE_PEERS: there a missing CLI is a failure.
		if os.Getenv("SNAPCOPY_REQUIRE_PEERS") != "" {
			t.Fatal(msg)
		}
		fmt.Println(msg)
		t.Skip(msg)
	}
	return &cli{t: t, url: url, home: t.TempDir()}
}

// run returns stdout, stderr and whether the CLI succeeded.
func (c *cli) run(args ...string) (string, string, bool) {
	c.t.Helper()
	cmd := exec.Command("aws", append([]string{"--endpoint-url", c.url, "--region", "us-west-2", "--output", "json"}, args...)...)
	cmd.Env = []string{
		"AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=y",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true", "HOME=" + c.home,
		"PATH=" + getenv("PATH"),
	}
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		c.t.Fatalf("aws %v: %v", args, err)
	}
	return out.String(), errb.String(), err == nil
}

type cliSnapshot struct {
	SnapshotID  string `json:"SnapshotId"`
	Description string
}

func TestAWSCLI(t *testing.T) {
	sim, srv, url, err := Listen("127.0.0.1:0", Options{Seed: 5, VisibilityLag: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := newCLI(t, url)

	t.Run("describe-snapshots pages through every snapshot", func(t *testing.T) {
		sim.ResetCounts()
		out, stderr, ok := c.run("ec2", "describe-snapshots", "--owner-ids", "self", "--page-size", "10")
		if !ok {
			t.Fatalf("describe-snapshots failed: %s", stderr)
		}
		var got struct{ Snapshots []cliSnapshot }
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("CLI output: %v\n%s", err, out)
		}
		var ids []string
		for _, s := range got.Snapshots {
			ids = append(ids, s.SnapshotID)
		}
		var want []string
		sim.mu.RLock()
		for _, sn := range sim.world["us-west-2"].snaps {
			if sn.ownerID == AccountID {
				want = append(want, sn.id)
			}
		}
		sim.mu.RUnlock()
		sort.Strings(ids)
		if strings.Join(ids, ",") != strings.Join(want, ",") {
			t.Errorf("CLI listed %d snapshots, want the %d owned ones", len(ids), len(want))
		}
		if n := sim.Count("DescribeSnapshots", "us-west-2"); n < 2 {
			t.Errorf("%d DescribeSnapshots requests: the CLI did not page", n)
		}
		if mr := sim.Requests("DescribeSnapshots")[0].Params.Get("MaxResults"); mr != "10" {
			t.Errorf("MaxResults sent %q", mr)
		}
		// The description with escape sequences arrives as control characters.
		for _, s := range got.Snapshots {
			if strings.HasPrefix(s.Description, "restore test") && !strings.ContainsRune(s.Description, 0x9b) {
				t.Errorf("escape description arrived as %q", s.Description)
			}
		}
	})

	t.Run("describe-snapshots --max-items resumes with the token", func(t *testing.T) {
		out, stderr, ok := c.run("ec2", "describe-snapshots", "--owner-ids", "self", "--page-size", "5", "--max-items", "12")
		if !ok {
			t.Fatalf("describe-snapshots failed: %s", stderr)
		}
		var first struct {
			Snapshots []cliSnapshot
			NextToken string
		}
		if err := json.Unmarshal([]byte(out), &first); err != nil {
			t.Fatal(err)
		}
		if len(first.Snapshots) != 12 || first.NextToken == "" {
			t.Fatalf("%d snapshots, token %q", len(first.Snapshots), first.NextToken)
		}
		out, stderr, ok = c.run("ec2", "describe-snapshots", "--owner-ids", "self", "--page-size", "5", "--starting-token", first.NextToken)
		if !ok {
			t.Fatalf("resume failed: %s", stderr)
		}
		var rest struct{ Snapshots []cliSnapshot }
		if err := json.Unmarshal([]byte(out), &rest); err != nil {
			t.Fatal(err)
		}
		if n := len(first.Snapshots) + len(rest.Snapshots); n != seedUSWest2Total {
			t.Errorf("12 + %d snapshots, want %d", len(rest.Snapshots), seedUSWest2Total)
		}
	})

	t.Run("copy-snapshot with tags, key and duration", func(t *testing.T) {
		src, _ := sim.SnapshotByName("us-west-2", "web-frontend-01")
		out, stderr, ok := c.run("ec2", "copy-snapshot", "--source-region", "us-west-2", "--source-snapshot-id", src.ID,
			"--description", "cli copy", "--encrypted", "--kms-key-id", "alias/backup", "--completion-duration-minutes", "60",
			"--tag-specifications", "ResourceType=snapshot,Tags=[{Key=Name,Value=cli-copy},{Key=team,Value=ops}]")
		if !ok {
			t.Fatalf("copy-snapshot failed: %s", stderr)
		}
		var res struct {
			SnapshotID string `json:"SnapshotId"`
			Tags       []struct{ Key, Value string }
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if len(res.Tags) != 2 {
			t.Errorf("answered tags %+v", res.Tags)
		}
		got, found := sim.Snapshot("us-west-2", res.SnapshotID)
		backup, _ := sim.KMSKeyArn("us-west-2", "alias/backup")
		if !found || got.Description != "cli copy" || !got.Encrypted || got.KmsKeyID != backup || got.CompletionDurationMinutes != 60 ||
			got.TransferType != "time-based" || got.Tag("Name") != "cli-copy" || got.Tag("team") != "ops" {
			t.Errorf("copy made by the CLI: %+v", got)
		}
		reqs := sim.Requests("CopySnapshot")
		if p := reqs[len(reqs)-1].Params; !strings.Contains(p.Get("PresignedUrl"), "Signature=") {
			t.Errorf("the CLI's PresignedUrl = %q", p.Get("PresignedUrl"))
		}
		// The CLI reads the copy back.
		out, stderr, ok = c.run("ec2", "describe-snapshots", "--snapshot-ids", res.SnapshotID)
		if !ok || !strings.Contains(out, `"State": "pending"`) || !strings.Contains(out, `"CompletionDurationMinutes": 60`) {
			t.Errorf("describe the copy: %s %s", out, stderr)
		}
	})

	t.Run("copy-snapshot to the Outpost without --encrypted", func(t *testing.T) {
		// AWS encrypts an Outpost copy with the Region's default EBS key
		// when Encrypted is left out ("Amazon EBS local snapshots on Outposts").
		src, _ := sim.SnapshotByName("us-west-2", "web-frontend-02")
		out, stderr, ok := c.run("ec2", "copy-snapshot", "--source-region", "us-west-2", "--source-snapshot-id", src.ID,
			"--destination-outpost-arn", OutpostArn)
		if !ok {
			t.Fatalf("copy-snapshot to the Outpost failed: %s", stderr)
		}
		var res struct {
			SnapshotID string `json:"SnapshotId"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		got, found := sim.Snapshot("us-west-2", res.SnapshotID)
		ebs, _ := sim.KMSKeyArn("us-west-2", "alias/aws/ebs")
		if !found || got.OutpostArn != OutpostArn || !got.Encrypted || got.KmsKeyID != ebs {
			t.Errorf("Outpost copy made by the CLI: %+v, want encrypted with %s", got, ebs)
		}
	})

	t.Run("bad requests show AWS's error codes", func(t *testing.T) {
		src, _ := sim.SnapshotByName("us-west-2", "web-frontend-01")
		cases := []struct {
			args []string
			code string
		}{
			{[]string{"ec2", "copy-snapshot", "--source-region", "us-west-2", "--source-snapshot-id", src.ID, "--completion-duration-minutes", "20"}, "InvalidParameterValue"},
			{[]string{"ec2", "copy-snapshot", "--source-region", "us-west-2", "--source-snapshot-id", src.ID, "--kms-key-id", "alias/backup"}, "InvalidParameterDependency"},
			{[]string{"ec2", "copy-snapshot", "--source-region", "us-west-2", "--source-snapshot-id", "snap-0123456789abcdef0"}, "InvalidSnapshot.NotFound"},
			{[]string{"ec2", "copy-snapshot", "--source-region", "us-west-2", "--source-snapshot-id", src.ID, "--dry-run"}, "DryRunOperation"},
			{[]string{"ec2", "describe-snapshots", "--snapshot-ids", "snap-0123456789abcdef0"}, "InvalidSnapshot.NotFound"},
			{[]string{"ec2", "describe-snapshots", "--max-results", "3"}, "InvalidParameterValue"},
		}
		for _, tc := range cases {
			_, stderr, ok := c.run(tc.args...)
			if ok || !strings.Contains(stderr, "An error occurred ("+tc.code+")") {
				t.Errorf("aws %s: ok=%v stderr %q, want %s", strings.Join(tc.args, " "), ok, stderr, tc.code)
			}
		}
	})
}

// The AWS CLI (botocore) as DLM's client: its own model validates the
// document first, then the simulator stores it and answers it back.
func TestAWSCLIDataLifecycleManager(t *testing.T) {
	sim, srv, url, err := Listen("127.0.0.1:0", Options{Seed: 5, VisibilityLag: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := newCLI(t, url)
	cmk, _ := sim.KMSKeyArn("us-east-1", "alias/backup")
	doc := `{"ExecutionRoleArn": "arn:aws:iam::` + AccountID + `:role/` + DLMDefaultRole + `", "Description": "nightly copy", "State": "ENABLED",
	  "PolicyDetails": {"PolicyType": "EBS_SNAPSHOT_MANAGEMENT", "ResourceTypes": ["VOLUME"], "TargetTags": [{"Key": "team", "Value": "data"}],
	    "Schedules": [{"Name": "nightly", "CreateRule": {"Interval": 24, "IntervalUnit": "HOURS", "Times": ["03:00"]}, "RetainRule": {"Count": 14},
	      "CrossRegionCopyRules": [{"Target": "us-east-1", "Encrypted": true, "CmkArn": "` + cmk + `", "RetainRule": {"Interval": 14, "IntervalUnit": "DAYS"}}]}]}}`
	out, stderr, ok := c.run("dlm", "create-lifecycle-policy", "--cli-input-json", doc)
	if !ok {
		t.Fatalf("create-lifecycle-policy: %s", stderr)
	}
	var created struct{ PolicyId string }
	if err := json.Unmarshal([]byte(out), &created); err != nil || created.PolicyId == "" {
		t.Fatalf("create-lifecycle-policy answered %s (%v)", out, err)
	}
	out, stderr, ok = c.run("dlm", "get-lifecycle-policy", "--policy-id", created.PolicyId)
	if !ok {
		t.Fatalf("get-lifecycle-policy: %s", stderr)
	}
	var got struct {
		Policy struct {
			PolicyDetails struct {
				Schedules []struct {
					CrossRegionCopyRules []struct{ Target, CmkArn string }
				}
			}
			DateCreated string
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Policy.PolicyDetails.Schedules) != 1 ||
		got.Policy.PolicyDetails.Schedules[0].CrossRegionCopyRules[0].CmkArn != cmk || got.Policy.DateCreated == "" {
		t.Errorf("get-lifecycle-policy answered %s (%v)", out, err)
	}
	// A rule only the service checks: refused by the simulator, after the CLI passed it.
	bad := strings.Replace(doc, `"Interval": 24`, `"Interval": 5`, 1)
	if _, stderr, ok := c.run("dlm", "create-lifecycle-policy", "--cli-input-json", bad); ok || !strings.Contains(stderr, "InvalidRequestException") {
		t.Errorf("every 5 hours: ok %v, %s", ok, stderr)
	}
}
