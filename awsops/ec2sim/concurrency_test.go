package ec2sim

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Copies, listings, tag changes, fault switches and clock moves at once:
// every copy made is found afterwards (run with -race).
func TestConcurrentUse(t *testing.T) {
	h := newHarness(t, Options{Seed: 1, StateFile: t.TempDir() + "/w.json"})
	src := h.byName("us-west-2", "web-frontend-01")
	var wg sync.WaitGroup
	made := make(chan string, 100)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			c := h.ec2([]string{"us-west-2", "us-east-1"}[g%2])
			for i := 0; i < 5; i++ {
				out, err := c.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &src,
					TagSpecifications: tagSpec(types.Tag{Key: aws.String("g"), Value: aws.String(fmt.Sprint(g))})})
				if err == nil {
					made <- aws.ToString(out.SnapshotId)
				} else if apiCode(err) != "RequestLimitExceeded" {
					t.Errorf("copy: %v", err)
				}
				if _, err := c.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, MaxResults: aws.Int32(10)}); err != nil && apiCode(err) != "RequestLimitExceeded" {
					t.Errorf("describe: %v", err)
				}
			}
		}(g)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			h.sim.SetFaults(Faults{ThrottleRate: 0.2, Actions: []string{"DescribeSnapshots"}})
			h.clock.Advance(time.Second)
			_ = h.sim.Counts()
			h.sim.AddSnapshot("us-west-2", Snapshot{ID: fmt.Sprintf("snap-%08x", i), VolumeSize: 1})
		}
	}()
	wg.Wait()
	close(made)
	n := 0
	for id := range made {
		n++
		if _, ok := h.sim.Snapshot("us-west-2", id); !ok {
			if _, ok := h.sim.Snapshot("us-east-1", id); !ok {
				t.Errorf("copy %s lost", id)
			}
		}
	}
	if n != 20 {
		t.Errorf("%d copies made, want 20", n)
	}
}

func TestAddSnapshot(t *testing.T) {
	h := newHarness(t, Options{NoSeedWorld: true})
	if n := h.sim.SnapshotCount("us-west-2"); n != 0 {
		t.Fatalf("NoSeedWorld has %d snapshots", n)
	}
	h.sim.AddSnapshot("us-west-2", Snapshot{
		ID: "snap-0aaaaaaaaaaaaaaaa", VolumeSize: 42, Description: "added", StartTime: t0.Add(-time.Hour),
		State: "pending", Progress: 12, Tags: []Tag{{Key: "Name", Value: "mine"}},
	})
	s := describeOne(t, h.ec2("us-west-2"), "snap-0aaaaaaaaaaaaaaaa")
	if s.State != types.SnapshotStatePending || aws.ToString(s.Progress) != "12%" || aws.ToInt32(s.VolumeSize) != 42 ||
		aws.ToString(s.OwnerId) != AccountID || s.StorageTier != types.StorageTierStandard || tagOf(s, "Name") != "mine" {
		t.Errorf("added snapshot arrived as %+v", s)
	}
	got, ok := h.sim.Snapshot("us-west-2", "snap-0aaaaaaaaaaaaaaaa")
	if !ok || got.Description != "added" || got.State != "pending" || got.Progress != 12 || !got.StartTime.Equal(t0.Add(-time.Hour)) {
		t.Errorf("Snapshot() = %+v, %v", got, ok)
	}
	if h.sim.Clock() != Clock(h.clock) {
		t.Error("Clock() is not the clock given")
	}
}
