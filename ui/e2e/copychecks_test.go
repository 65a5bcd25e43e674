package e2e

import (
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
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
