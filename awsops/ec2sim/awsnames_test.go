package ec2sim

import (
	"go/build"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// The simulator stands on AWS's side of the wire: neither it nor its tests
// import any of snapcopy's packages, so nothing the client gets wrong can
// be confirmed by the simulator taking the same constant.
func TestImportsNothingOfSnapcopy(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imports := range [][]string{pkg.Imports, pkg.TestImports, pkg.XTestImports} {
		for _, imp := range imports {
			if strings.HasPrefix(imp, "github.com/snapcopy/") {
				t.Errorf("ec2sim imports %s", imp)
			}
		}
	}
}

// The strings the simulator writes are the SDK's enum values.
func TestAWSNamesAreTheSDKs(t *testing.T) {
	for _, s := range []string{statePending, stateCompleted, stateError} {
		if !slices.Contains(types.SnapshotState("").Values(), types.SnapshotState(s)) {
			t.Errorf("snapshot state %q is not one of the SDK's", s)
		}
	}
	for _, s := range []string{tierStandard, tierArchive} {
		if !slices.Contains(types.StorageTier("").Values(), types.StorageTier(s)) {
			t.Errorf("storage tier %q is not one of the SDK's", s)
		}
	}
	for _, s := range []string{transferStandard, transferTimeBased} {
		if !slices.Contains(types.TransferType("").Values(), types.TransferType(s)) {
			t.Errorf("transfer type %q is not one of the SDK's", s)
		}
	}
	for _, s := range []string{optInNotRequired, optedIn, notOptedIn} {
		if !slices.Contains(types.AvailabilityZoneOptInStatus("").Values(), types.AvailabilityZoneOptInStatus(s)) {
			t.Errorf("opt-in status %q is not one of the SDK's", s)
		}
	}
}

// Every state, tier and transfer type of the seeded world reaches the SDK
// as one of its known enum values, not as an unknown string.
func TestSeededWorldSpeaksTheSDKsEnums(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	out, err := h.ec2("us-west-2").DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[types.SnapshotState]bool{}
	for _, s := range out.Snapshots {
		seen[s.State] = true
		if !slices.Contains(s.State.Values(), s.State) || !slices.Contains(s.StorageTier.Values(), s.StorageTier) ||
			s.TransferType != "" && !slices.Contains(s.TransferType.Values(), s.TransferType) {
			t.Errorf("%s: state %q, tier %q, transfer type %q", aws.ToString(s.SnapshotId), s.State, s.StorageTier, s.TransferType)
		}
	}
	for _, want := range []types.SnapshotState{types.SnapshotStatePending, types.SnapshotStateCompleted, types.SnapshotStateError} {
		if !seen[want] {
			t.Errorf("no %s snapshot in the seeded world", want)
		}
	}
}
