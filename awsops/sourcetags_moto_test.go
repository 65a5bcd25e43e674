package awsops_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/validate"
)

// awsCLI runs the AWS CLI against url in region and returns its standard
// output; a missing CLI skips the test (fails it under SNAPCOPY_REQUIRE_PEERS).
func awsCLI(t *testing.T, url, region string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		msg := "the AWS CLI (aws) is not on PATH: skipping"
		if os.Getenv("SNAPCOPY_REQUIRE_PEERS") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	cmd := exec.Command("aws", append([]string{"--endpoint-url", url, "--region", region, "--output", "json"}, args...)...)
	cmd.Env = []string{
		"AWS_ACCESS_KEY_ID=AKIDTEST", "AWS_SECRET_ACCESS_KEY=test-secret",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true", "HOME=" + t.TempDir(),
		"PATH=" + os.Getenv("PATH"),
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// On moto: a batch of three snapshots with different Names, checked and
// built by validate.Check with the default source tags and sent by the
// client (CopySnapshot, as the tracker sends), makes three copies, each carrying its own source's Name (and
// the tag typed in the form on top), as the AWS CLI sees them.
func TestMotoBatchKeepsEachSourcesName(t *testing.T) {
	c := motoClient(t, "us-west-2")
	ctx := context.Background()
	names := []string{"db-primary", "web-root", "cache-node"}
	var ids []string
	for _, n := range names {
		ids = append(ids, motoSnapshot(t, c, "us-west-2", 8, "nightly "+n,
			model.Tag{Key: "Name", Value: n}, model.Tag{Key: "team", Value: "ops"}))
	}
	listed, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	var batch []model.Snapshot
	for _, s := range listed {
		if slices.Contains(ids, s.ID) {
			batch = append(batch, s)
		}
	}
	if len(batch) != 3 {
		t.Fatalf("moto lists %d of the 3 snapshots", len(batch))
	}

	now := time.Now()
	form := validate.Form{Kind: model.ToRegion, Destination: "us-east-1", Description: "dr copy",
		Tags: []validate.TagInput{{Key: "team", Value: "dr"}}}
	res := validate.Check(batch, model.DestinationFacts{}, form, now)
	if !res.OK() || len(res.Requests) != 3 {
		t.Fatalf("validate refused the batch: %v", res.Problems)
	}
	type sent struct{ requestID, copyID string }
	bySource := map[string]sent{}
	for i, r := range res.Requests {
		cp := model.NewCopy(r, batch[i], now) // adds the request tag, as the tracker sends it
		id, err := c.CopySnapshot(ctx, cp.Request)
		if err != nil {
			t.Fatalf("copy %s: %v", r.SourceSnapshotID, err)
		}
		if id == "" {
			t.Fatalf("the copy of %s has no snapshot id", r.SourceSnapshotID)
		}
		bySource[r.SourceSnapshotID] = sent{cp.RequestID, id}
	}

	var out struct {
		Snapshots []struct {
			SnapshotID string `json:"SnapshotId"`
			Tags       []struct{ Key, Value string }
		}
	}
	raw := awsCLI(t, moto.url, "us-east-1", "ec2", "describe-snapshots", "--owner-ids", "self")
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("describe-snapshots answered %q: %v", raw, err)
	}
	copies := map[string]map[string]string{} // copy id -> tags
	for _, s := range out.Snapshots {
		tags := map[string]string{}
		for _, tg := range s.Tags {
			tags[tg.Key] = tg.Value
		}
		copies[s.SnapshotID] = tags
	}
	if len(copies) != 3 {
		t.Errorf("us-east-1 holds %d snapshots, want the 3 copies", len(copies))
	}
	for i, id := range ids {
		cp := bySource[id]
		tags, ok := copies[cp.copyID]
		if !ok {
			t.Errorf("the copy %s of %s is not in us-east-1", cp.copyID, id)
			continue
		}
		if tags["Name"] != names[i] {
			t.Errorf("the copy of %s is named %q, want its source's %q", id, tags["Name"], names[i])
		}
		if tags["team"] != "dr" {
			t.Errorf("the copy of %s has team=%q, want the typed dr over the source's ops", id, tags["team"])
		}
		if tags[model.RequestTagKey] != cp.requestID {
			t.Errorf("the copy of %s has request tag %q, want %q", id, tags[model.RequestTagKey], cp.requestID)
		}
	}
}
