package ec2sim

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// A pending copy deleted stops: it is no longer listed, no longer counts
// against the Region's copy limit, and never completes.
func TestDeleteSnapshotStopsAPendingCopy(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-east-1")
	src := h.byName("us-west-2", "analytics-warehouse") // 16 TiB: stays pending
	in := &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &src}
	var ids []string
	for i := 0; i < MaxPendingCopies; i++ {
		out, err := c.CopySnapshot(ctx, in)
		if err != nil {
			t.Fatalf("copy %d: %v", i+1, err)
		}
		ids = append(ids, aws.ToString(out.SnapshotId))
	}
	before := h.sim.SnapshotCount("us-east-1")
	if _, err := c.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: &ids[0]}); err != nil {
		t.Fatalf("delete the pending copy: %v", err)
	}
	if _, ok := h.sim.Snapshot("us-east-1", ids[0]); ok || h.sim.SnapshotCount("us-east-1") != before-1 {
		t.Errorf("the deleted copy is still in the world")
	}
	if _, err := c.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{ids[0]}}); apiCode(err) != "InvalidSnapshot.NotFound" {
		t.Errorf("describe the deleted copy: %v, want InvalidSnapshot.NotFound", err)
	}
	if _, ok := h.sim.Snapshot("us-east-1", ids[1]); !ok {
		t.Errorf("another copy went with it")
	}
	if _, err := c.CopySnapshot(ctx, in); err != nil {
		t.Errorf("the deleted copy still counts against the limit: %v", err)
	}
	h.clock.Advance(1000 * time.Hour)
	if _, ok := h.sim.Snapshot("us-east-1", ids[0]); ok {
		t.Errorf("the deleted copy came back")
	}
}

func TestDeleteSnapshotOfACompletedSnapshotAndUnknownIDs(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	web := h.byName("us-west-2", "web-frontend-01")
	if _, err := c.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: &web}); err != nil {
		t.Fatalf("delete a completed snapshot: %v", err)
	}
	if _, ok := h.sim.Snapshot("us-west-2", web); ok {
		t.Error("the completed snapshot is still there")
	}
	for name, id := range map[string]string{
		"deleted already": web,
		"never existed":   "snap-0123456789abcdef0",
	} {
		if _, err := c.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: aws.String(id)}); apiCode(err) != "InvalidSnapshot.NotFound" {
			t.Errorf("%s: %v, want InvalidSnapshot.NotFound", name, err)
		}
	}
	// Another Region's snapshot is not found here.
	east := h.ec2("us-east-1")
	other := h.byName("us-west-2", "web-frontend-02")
	if _, err := east.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: &other}); apiCode(err) != "InvalidSnapshot.NotFound" {
		t.Errorf("delete in the wrong Region: %v, want InvalidSnapshot.NotFound", err)
	}
	if _, ok := h.sim.Snapshot("us-west-2", other); !ok {
		t.Error("a delete in another Region removed the snapshot")
	}
	if _, err := c.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: aws.String("vol-1")}); apiCode(err) != "InvalidParameterValue" {
		t.Errorf("a malformed id: %v, want InvalidParameterValue", err)
	}
}

// Another account's snapshot shared with the caller cannot be deleted.
func TestDeleteSnapshotOfASharedSnapshotIsNotFound(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	out, err := h.ec2("us-west-2").DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{SharingAccountID}})
	if err != nil || len(out.Snapshots) == 0 {
		t.Fatalf("no shared snapshot to try: %v", err)
	}
	id := out.Snapshots[0].SnapshotId
	if _, err := h.ec2("us-west-2").DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: id}); apiCode(err) != "InvalidSnapshot.NotFound" {
		t.Errorf("delete a shared snapshot: %v, want InvalidSnapshot.NotFound", err)
	}
	if _, ok := h.sim.Snapshot("us-west-2", *id); !ok {
		t.Error("the shared snapshot was deleted")
	}
}
