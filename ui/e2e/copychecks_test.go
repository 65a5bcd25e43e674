package e2e

import (
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

// copyEnv is an operator with throwaway credentials for the simulator.
func copyEnv(t *testing.T) *appEnv {
	return newAppEnv(t, "AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret")
}

// --kms-key with a key id the destination does not have is warned of, as
// the form warns: DescribeKey in the destination, and in the source Region.
func TestCopyCommandWarnsOfAKeyIDNotFound(t *testing.T) {
	sim, u := listenSim(t, ec2sim.Options{Seed: 1})
	web, _ := sim.SnapshotByName("us-west-2", "web-frontend-01")
	const key = "0000abcd-12ab-34cd-56ef-1234567890ab"
	_, errOut, code := runBinary(t, copyEnv(t).environ(), "copy", "--endpoint-url", u, "--region", "us-west-2", "--to", "us-east-1",
		"--kms-key", key, "--dry-run", "--output", "cli", web.ID)
	if code != 0 || !strings.Contains(errOut, "warning: KMS key: KMS key "+key+" not found in us-east-1: the copy will fail") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
	if sim.Count("DescribeKey", "us-east-1") != 1 || sim.Count("DescribeKey", "us-west-2") != 1 {
		t.Errorf("DescribeKey: %d in us-east-1, %d in us-west-2; want 1 each", sim.Count("DescribeKey", "us-east-1"), sim.Count("DescribeKey", "us-west-2"))
	}
}

// A mistyped --to is named with the Region meant, and the destination is
// asked nothing: no request reaches a Region the account does not have,
// so no credential warning comes before the real message.
func TestCopyCommandMistypedDestinationAsksItNothing(t *testing.T) {
	sim, u := listenSim(t, ec2sim.Options{Seed: 1})
	web, _ := sim.SnapshotByName("us-west-2", "web-frontend-01")
	out, errOut, code := runBinary(t, copyEnv(t).environ(), "copy", "--endpoint-url", u, "--region", "us-west-2", "--to", "us-east-3", web.ID)
	if code != 2 || out != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if !strings.Contains(lines[0], "destination: ") || !strings.Contains(lines[0], "us-east-3") || !strings.Contains(errOut, "us-east-1") {
		t.Errorf("the first line is not the destination's problem naming the Region meant:\n%s", errOut)
	}
	for _, bad := range []string{"warning", "AuthFailure", "UnrecognizedClient", "credentials"} {
		if strings.Contains(errOut, bad) {
			t.Errorf("stderr says %q:\n%s", bad, errOut)
		}
	}
	for k, n := range sim.Counts() {
		if strings.HasSuffix(k, " us-east-3") && n > 0 {
			t.Errorf("%d %s requests", n, k)
		}
	}
}

// Sources refused for different reasons are each named with its own.
func TestCopyCommandNamesEachSnapshotAtFault(t *testing.T) {
	sim, u := listenSim(t, ec2sim.Options{Seed: 1, NoSeedWorld: true})
	simtest.Add(sim, "us-west-2", model.Snapshot{ID: "snap-0aaa0000000000001", State: model.StatePending, Progress: 10, VolumeSizeGiB: 8})
	simtest.Add(sim, "us-west-2", model.Snapshot{ID: "snap-0aaa0000000000002", State: model.StatePending, Progress: 50, VolumeSizeGiB: 8})
	simtest.Add(sim, "us-west-2", model.Snapshot{ID: "snap-0aaa0000000000003", StorageTier: model.TierArchive, VolumeSizeGiB: 8})
	out, errOut, code := runBinary(t, copyEnv(t).environ(), "copy", "--endpoint-url", u, "--region", "us-west-2", "--to", "us-east-1",
		"snap-0aaa0000000000001", "snap-0aaa0000000000002", "snap-0aaa0000000000003")
	if code != 2 || out != "" {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	for _, want := range []string{"source: snap-0aaa0000000000001: ", "source: snap-0aaa0000000000002: ", "source: snap-0aaa0000000000003: "} {
		if n := strings.Count(errOut, want); n != 1 {
			t.Errorf("%q said %d times:\n%s", want, n, errOut)
		}
	}
	if strings.Contains(errOut, "of 3 snapshots)") {
		t.Errorf("a count stands for snapshots instead of naming them:\n%s", errOut)
	}
}
