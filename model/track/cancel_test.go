package track

import (
	"context"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

func TestCancelARunningCopyDeletesOnlyItsOwnSnapshot(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	cs := b.add("us-east-1", "us-east-1")
	b.step()
	b.step()
	run := b.copy(cs[0].RequestID)
	other := b.copy(cs[1].RequestID)
	if run.Phase != model.PhaseRunning || other.Phase != model.PhaseRunning {
		t.Fatalf("copies are %s and %s, want running", run.Phase, other.Phase)
	}
	got, err := b.tr.Cancel(context.Background(), run.RequestID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Phase != model.PhaseCancelled || !strings.Contains(got.StateMessage, run.SnapshotID) {
		t.Errorf("cancelled copy: %s %q", got.Phase, got.StateMessage)
	}
	if b.aws.made("us-east-1") != 1 || b.aws.count("DeleteSnapshot "+run.SnapshotID, "us-east-1") != 1 || b.aws.count("DeleteSnapshot", "") != 1 {
		t.Errorf("AWS holds %d copies after calls %v; want only %s deleted", b.aws.made("us-east-1"), b.aws.callList(), run.SnapshotID)
	}
	// The state file says so, and later Steps leave the copy as it ended.
	list, err := model.LoadWatchList(b.path, t0)
	if err != nil {
		t.Fatal(err)
	}
	if c := list.Find(run.RequestID); c == nil || c.Phase != model.PhaseCancelled {
		t.Errorf("state file holds %+v", c)
	}
	b.step()
	if c := b.copy(run.RequestID); c.Phase != model.PhaseCancelled {
		t.Errorf("after a Step the copy is %s", c.Phase)
	}
	if c := b.copy(other.RequestID); c.Phase != model.PhaseRunning {
		t.Errorf("the other copy is %s", c.Phase)
	}
}

// A snapshot at the copy's id that does not carry its request tag is
// never deleted.
func TestCancelRefusesASnapshotWithoutTheCopysTag(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	cs := b.add("us-east-1")
	b.step()
	b.step()
	c := b.copy(cs[0].RequestID)
	b.aws.mu.Lock()
	b.aws.snaps["us-east-1"][c.SnapshotID].Tags = []model.Tag{{Key: model.RequestTagKey, Value: "sc-someoneelse0000"}}
	b.aws.mu.Unlock()
	got, err := b.tr.Cancel(context.Background(), c.RequestID)
	if err == nil || !strings.Contains(err.Error(), "was not deleted") {
		t.Fatalf("Cancel: %v", err)
	}
	if got.Phase != model.PhaseRunning || b.aws.count("DeleteSnapshot", "") != 0 || b.aws.made("us-east-1") != 1 {
		t.Errorf("copy %s, calls %v", got.Phase, b.aws.callList())
	}
}

func TestCancelAQueuedCopySendsNothing(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	cs := b.add("us-east-1")
	got, err := b.tr.Cancel(context.Background(), cs[0].RequestID)
	if err != nil || got.Phase != model.PhaseCancelled || got.StateMessage != "cancelled before it was sent" {
		t.Fatalf("Cancel: %+v %v", got, err)
	}
	b.step()
	if n := len(b.aws.calls); n != 0 {
		t.Errorf("AWS was called: %v", b.aws.callList())
	}
}

func TestCancelACopySentWithoutAnswerFindsItByTagFirst(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.aws.sendFaults = []sendFault{{err: apiErr("CopySnapshot", "us-east-1", "InternalError", model.ErrTransient), made: true}}
	cs := b.add("us-east-1")
	b.tr.Step(context.Background())
	if c := b.copy(cs[0].RequestID); c.Phase != model.PhaseSending {
		t.Fatalf("copy is %s, want sending", c.Phase)
	}
	got, err := b.tr.Cancel(context.Background(), cs[0].RequestID)
	if err != nil || got.Phase != model.PhaseCancelled || got.SnapshotID == "" {
		t.Fatalf("Cancel: %+v %v", got, err)
	}
	if b.aws.made("us-east-1") != 0 {
		t.Errorf("the copy AWS made is still there")
	}
}

func TestCancelACopyThatCompletedMeanwhileDeletesNothing(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	cs := b.add("us-east-1")
	b.step()
	b.step()
	b.aws.completeAll()
	got, err := b.tr.Cancel(context.Background(), cs[0].RequestID)
	if err == nil || got.Phase != model.PhaseCompleted {
		t.Fatalf("Cancel: %s %v; want completed and an error", got.Phase, err)
	}
	if b.aws.count("DeleteSnapshot", "") != 0 || b.aws.made("us-east-1") != 1 {
		t.Errorf("calls %v", b.aws.callList())
	}
	if _, err := b.tr.Cancel(context.Background(), cs[0].RequestID); err == nil || !strings.Contains(err.Error(), "nothing to cancel") {
		t.Errorf("cancel a completed copy: %v", err)
	}
}

func TestRetryTracksTheSameRequestAsTheNextAttempt(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.aws.sendFaults = []sendFault{{err: apiErr("CopySnapshot", "us-east-1", "InvalidParameterValue", model.ErrInvalid)}}
	cs := b.add("us-east-1", "us-east-1")
	b.step()
	failed := b.copy(cs[0].RequestID)
	if failed.Phase != model.PhaseFailed {
		t.Fatalf("copy is %s, want failed", failed.Phase)
	}
	if _, err := b.tr.Retry(cs[1].RequestID); err == nil {
		t.Error("a copy that did not fail was retried")
	}
	got, err := b.tr.Retry(failed.RequestID)
	if err != nil || len(got) != 1 {
		t.Fatalf("Retry: %v", err)
	}
	r := got[0]
	if r.RetryOf != failed.RequestID || r.AttemptNumber() != 2 || r.Request.SourceSnapshotID != failed.Request.SourceSnapshotID ||
		tagOf(r.Request.Tags, model.RequestTagKey) != r.RequestID {
		t.Errorf("retry = %+v", r)
	}
	if _, err := b.tr.Retry(failed.RequestID); err == nil || !strings.Contains(err.Error(), "retried already") {
		t.Errorf("a second retry of one copy: %v", err)
	}
	list, err := model.LoadWatchList(b.path, t0)
	if err != nil || list.Find(r.RequestID) == nil {
		t.Fatalf("the retry is not in the state file: %v", err)
	}
	b.step()
	if c := b.copy(r.RequestID); c.Phase != model.PhaseStarting && c.Phase != model.PhaseRunning {
		t.Errorf("retry is %s after a Step", c.Phase)
	}
}

func tagOf(tags []model.Tag, key string) string {
	for _, t := range tags {
		if t.Key == key {
			return t.Value
		}
	}
	return ""
}
