package ec2sim

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// A simulator restarted twice from its state file never gives a new copy
// the id of an earlier one (deleted or in another Region), nor of a
// snapshot of the seeded world.
func TestCopyIDsNeverRepeatAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "world.json")
	seeded := map[string]bool{}
	fresh := New(Options{Seed: 1, Clock: NewManualClock(t0)})
	for _, region := range fresh.Regions() {
		fresh.mu.RLock()
		for id := range fresh.world[region].byID {
			seeded[id] = true
		}
		fresh.mu.RUnlock()
	}

	made := map[string]string{} // id -> which run made it
	for run, regions := range [][]string{
		{"us-east-1", "eu-west-1", "us-east-1"},
		{"eu-west-1", "us-east-1", "eu-west-1"},
		{"us-east-1", "eu-west-1", "eu-west-1"},
	} {
		h := newHarness(t, Options{Seed: 1, StateFile: path})
		if err := h.sim.StateError(); err != nil {
			t.Fatal(err)
		}
		src := h.byName("us-west-2", "web-frontend-01")
		for i, region := range regions {
			out, err := h.ec2(region).CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &src})
			if err != nil {
				t.Fatal(err)
			}
			id := aws.ToString(out.SnapshotId)
			if !reSnapshotID.MatchString(id) {
				t.Errorf("copy id %q is not a snapshot id", id)
			}
			if seeded[id] {
				t.Errorf("run %d made %s, the id of a seeded snapshot", run+1, id)
			}
			if earlier, dup := made[id]; dup {
				t.Errorf("run %d made %s again, first made by %s", run+1, id, earlier)
			}
			made[id] = fmt.Sprintf("run %d", run+1)
			// The first copy of each run is deleted: its id stays used.
			if i == 0 {
				if _, err := h.ec2(region).DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: &id}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if len(made) != 9 {
		t.Errorf("%d distinct ids for 9 copies", len(made))
	}
}
