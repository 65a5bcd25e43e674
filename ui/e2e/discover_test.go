package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

// A copy started with the AWS CLI directly is found by
// `watch --discover --plain` and followed to completed, with one
// pending-filtered DescribeSnapshots per enabled Region for the discovery.
func TestWatchDiscoverFollowsACopyStartedWithTheAWSCLI(t *testing.T) {
	needAWSCLI(t)
	// A world of one source: the seeded world's snapshot pending in
	// us-west-2 would be found too, and never ends in the simulator.
	sim, u := listenSim(t, ec2sim.Options{Seed: 1, NoSeedWorld: true, TimeScale: 60, VisibilityLag: -1})
	simtest.Add(sim, "us-west-2", model.Snapshot{ID: "snap-0aaa0000000000001", VolumeSizeGiB: 20, Description: "web frontend"})
	web, _ := sim.Snapshot("us-west-2", "snap-0aaa0000000000001")
	out := awsCLI(t, u, "aws ec2 copy-snapshot --region eu-west-1 --source-region us-west-2 --source-snapshot-id "+web.ID+" --output json")
	var started struct{ SnapshotId string }
	if err := json.Unmarshal([]byte(out), &started); err != nil || started.SnapshotId == "" {
		t.Fatalf("copy-snapshot answered %q: %v", out, err)
	}
	sim.ResetCounts()

	env := newAppEnv(t, "AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret", "AWS_REGION=us-west-2")
	stdout, errOut, code := runBinary(t, env.environ(), "watch", "--discover", "--plain", "--output", "json", "--endpoint-url", u)
	if code != 0 {
		t.Fatalf("exit %d; stderr %q; stdout:\n%s", code, errOut, stdout)
	}
	objs := jsonLines(t, stdout)
	last := objs[len(objs)-1]
	if last["copy_snapshot"] != started.SnapshotId || last["state"] != "completed" || last["destination"] != "eu-west-1" ||
		last["source_snapshot"] != web.ID || last["source_region"] != "us-west-2" {
		t.Errorf("last line: %v", last)
	}
	if !strings.Contains(errOut, "found "+started.SnapshotId+" in eu-west-1 ("+model.OriginOther) {
		t.Errorf("stderr does not tell the copy found and who made it:\n%s", errOut)
	}
	copies := watchList(t, env.statePath())
	if len(copies) != 1 || !copies[0].Discovered || copies[0].Phase != model.PhaseCompleted {
		t.Errorf("state file: %+v", copies)
	}
	if n := len(sim.Requests("CopySnapshot")); n != 0 {
		t.Errorf("snapcopy sent %d CopySnapshot for a copy it found", n)
	}

	// One DescribeSnapshots filtered on status=pending per enabled Region.
	perRegion := map[string]int{}
	for _, rq := range sim.Requests("DescribeSnapshots") {
		if rq.Params.Get("Filter.1.Name") == "status" && rq.Params.Get("Filter.1.Value.1") == "pending" {
			perRegion[rq.Region]++
		}
	}
	regions, err := awsops.NewLocal(u, "us-west-2").Regions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	enabled := 0
	for _, r := range regions {
		want := 0
		if r.Enabled() {
			want = 1
			enabled++
		}
		if perRegion[r.Name] != want {
			t.Errorf("%s (%s): %d pending-filtered DescribeSnapshots, want %d", r.Name, r.OptInStatus, perRegion[r.Name], want)
		}
	}
	if enabled < 2 {
		t.Errorf("only %d enabled Regions in the simulator", enabled)
	}
}
