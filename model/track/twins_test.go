package track

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// Two hosts made the same copy at once: once the lag is past, the side
// with the higher request id deletes its own copy, and only its own, and
// ends naming the copy kept; the other keeps its copy. Both ends come out
// of the same rule, so one copy is left.
func TestTwinsConvergeToOneCopy(t *testing.T) {
	const settle = 10 * time.Second
	for _, mineFirst := range []bool{true, false} {
		b := newBench(t, TrackerOptions{SettleDelay: settle})
		src := "snap-0000000000000abcd"
		req := model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src}.WithTag(model.TagSourceSnapshot, src)
		mine := model.NewCopy(req, model.Snapshot{ID: src}, t0)
		mine.OnlyCopy = true
		// The other host's copy, made through the same AWS.
		other := "sc-0000000000000000" // lower than any random id but one
		if mineFirst {
			other = "sc-ffffffffffffffff"
		}
		if _, err := b.aws.CopySnapshot(context.Background(), req.WithTag(model.RequestTagKey, other)); err != nil {
			t.Fatal(err)
		}
		if err := b.tr.Add(mine); err != nil {
			t.Fatal(err)
		}
		var steps int
		for ; steps < 20 && !UntilEnded(mine.RequestID)(b.tr.Copies()); steps++ {
			b.step()
			b.clock.Advance(time.Second)
		}
		got := b.copy(mine.RequestID)
		deleted := b.aws.count("DeleteSnapshot "+got.SnapshotID, "us-east-1")
		if b.aws.count("DeleteSnapshot", "") != deleted {
			t.Errorf("mine first %v: a copy not its own was deleted: %v", mineFirst, b.aws.callList())
		}
		if mineFirst {
			// The other side deletes its own: not this tracker's business.
			if got.Phase != model.PhaseRunning || !got.TwinChecked || deleted != 0 {
				t.Errorf("the lower request id: %s checked %v, %d deletes of its copy", got.Phase, got.TwinChecked, deleted)
			}
			continue
		}
		if got.Phase != model.PhaseCancelled || deleted != 1 || b.aws.made("us-east-1") != 1 || got.DuplicateOf == "" ||
			!strings.Contains(got.StateMessage, "another snapcopy made copy "+got.DuplicateOf+" (request "+other+")") {
			t.Errorf("the higher request id: %s %q (duplicate of %q), %d deletes of its copy", got.Phase, got.StateMessage, got.DuplicateOf, deleted)
		}
		if b.clock.Now().Before(t0.Add(model.TwinCheckAfter(settle))) {
			t.Errorf("looked for twins before the lag was past")
		}
	}
}

// A copy its look for twins never finds (a request without the
// provenance tag it is looked for by) stops looking, so that following it
// ends.
func TestALookForTwinsThatFindsNothingEnds(t *testing.T) {
	const settle = 10 * time.Second
	b := newBench(t, TrackerOptions{SettleDelay: settle})
	c := b.add("us-east-1")[0] // no model.TagSourceSnapshot on its request
	b.tr.mu.Lock()
	b.tr.list.Find(c.RequestID).OnlyCopy = true
	b.tr.mu.Unlock()
	for steps := 0; !UntilEnded(c.RequestID)(b.tr.Copies()); steps++ {
		if steps == 100 {
			t.Fatalf("still looking for twins: %+v", b.copy(c.RequestID))
		}
		if steps == 2 {
			b.aws.completeAll()
		}
		b.step()
		b.clock.Advance(time.Second)
	}
	if got := b.copy(c.RequestID); got.Phase != model.PhaseCompleted || !got.TwinChecked || b.aws.count("DeleteSnapshot", "") != 0 {
		t.Errorf("copy %s checked %v, deletes %d", got.Phase, got.TwinChecked, b.aws.count("DeleteSnapshot", ""))
	}
}
