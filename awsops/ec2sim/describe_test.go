package ec2sim

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestDescribeSnapshotsSeededWorld(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	out, err := h.ec2("us-west-2").DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Snapshots) != seedUSWest2Total {
		t.Fatalf("owned snapshots in us-west-2 = %d, want %d", len(out.Snapshots), seedUSWest2Total)
	}
	if out.NextToken != nil {
		t.Errorf("NextToken = %q without MaxResults", *out.NextToken)
	}
	states := map[types.SnapshotState]int{}
	for _, s := range out.Snapshots {
		states[s.State]++
		if aws.ToString(s.OwnerId) != AccountID {
			t.Errorf("%s owner = %s", aws.ToString(s.SnapshotId), aws.ToString(s.OwnerId))
		}
	}
	if states[types.SnapshotStatePending] != 1 || states[types.SnapshotStateError] != 1 {
		t.Errorf("states = %v, want one pending and one error", states)
	}
}

// The seeded description with ESC [ ... and BEL reaches the SDK as control
// characters (CSI, the C1 form of ESC [), so the app's sanitizer has work.
func TestDescribeSnapshotsEscapeDescriptionReachesSDK(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	id := h.byName("us-west-2", "restore-test")
	out, err := h.ec2("us-west-2").DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	got := aws.ToString(out.Snapshots[0].Description)
	want := "restore test \u009b31mRED ALERT\u009b0m ring the bell\uFFFD done"
	if got != want {
		t.Fatalf("description = %q, want %q", got, want)
	}
	if !strings.ContainsRune(got, 0x9b) {
		t.Fatal("no control character arrived")
	}
}
