package model

import (
	"testing"
	"time"
)

func TestNewRetrySendsTheSameRequestUnderANewRequestTag(t *testing.T) {
	req := CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-1",
		Encrypted: true, KmsKeyID: "alias/nope", Tags: []Tag{{Key: "team", Value: "dba"}}}
	failed := NewCopy(req, Snapshot{VolumeSizeGiB: 8, Tags: []Tag{{Key: "Name", Value: "db"}}}, t0)
	failed.Fail("The KMS key 'alias/nope' does not exist or is not accessible.", t0)

	later := t0.Add(time.Minute)
	r := NewRetry(failed, later)
	if r.RequestID == failed.RequestID || r.Phase != PhaseQueued || r.RetryOf != failed.RequestID || r.AttemptNumber() != 2 {
		t.Fatalf("retry = %+v", r)
	}
	want := req.WithTag(RequestTagKey, r.RequestID)
	if got := r.Request; got.KmsKeyID != want.KmsKeyID || len(got.Tags) != 2 || got.Tags[0] != want.Tags[0] || got.Tags[1] != want.Tags[1] {
		t.Errorf("request = %+v, want %+v", got, want)
	}
	if r.SourceName != "db" || r.SizeGiB != 8 || !r.CreatedAt.Equal(later) {
		t.Errorf("retry describes %q %d created %v", r.SourceName, r.SizeGiB, r.CreatedAt)
	}
	if third := NewRetry(r, later); third.AttemptNumber() != 3 || third.RetryOf != r.RequestID {
		t.Errorf("retry of a retry: attempt %d of %s", third.AttemptNumber(), third.RetryOf)
	}
	if e := failed.Edited(); len(e.Tags) != 1 || e.Tags[0].Key != "team" || e.KmsKeyID != "alias/nope" {
		t.Errorf("edited request = %+v; want the request without the request tag", e)
	}
}

func TestCancelledEndsTheCopyAndSaysWhatWasDeleted(t *testing.T) {
	c := queuedCopy()
	c.Cancelled("", t0)
	if c.Phase != PhaseCancelled || !c.Phase.Done() || c.StateMessage != "cancelled before it was sent" || !c.DoneAt.Equal(t0) {
		t.Errorf("%s %q done %v", c.Phase, c.StateMessage, c.DoneAt)
	}
	c = queuedCopy()
	c.Started("snap-0aaaaaaaaaaaaaaaa", t0)
	c.Cancelled("snap-0aaaaaaaaaaaaaaaa", t0)
	if want := "cancelled: the copy snap-0aaaaaaaaaaaaaaaa was deleted in us-east-1"; c.StateMessage != want {
		t.Errorf("message %q, want %q", c.StateMessage, want)
	}
	if c.Observed(Snapshot{State: StateCompleted}, t0) || c.Phase != PhaseCancelled {
		t.Errorf("a cancelled copy changed on a later poll: %s", c.Phase)
	}
}

func TestHowToCancel(t *testing.T) {
	for p, want := range map[Phase]CancelAction{
		PhaseQueued: CancelLocally, PhaseSending: CancelFindFirst, PhaseStarting: CancelByDelete,
		PhaseRunning: CancelByDelete, PhaseCompleted: CancelNotAllowed, PhaseFailed: CancelNotAllowed,
		PhaseCancelled: CancelNotAllowed,
	} {
		if got := HowToCancel(p); got != want {
			t.Errorf("HowToCancel(%s) = %d, want %d", p, got, want)
		}
	}
}

func TestOwnsOnlyTheSnapshotWithTheCopysOwnRequestTag(t *testing.T) {
	c := queuedCopy()
	for _, tc := range []struct {
		tags []Tag
		want bool
	}{
		{[]Tag{{Key: "Name", Value: "x"}, {Key: RequestTagKey, Value: c.RequestID}}, true},
		{[]Tag{{Key: RequestTagKey, Value: "sc-0000000000000000"}}, false},
		{[]Tag{{Key: "Name", Value: c.RequestID}}, false},
		{nil, false},
	} {
		if got := c.Owns(Snapshot{Tags: tc.tags}); got != tc.want {
			t.Errorf("Owns(%v) = %v, want %v", tc.tags, got, tc.want)
		}
	}
	if (&Copy{}).Owns(Snapshot{Tags: []Tag{{Key: RequestTagKey, Value: ""}}}) {
		t.Error("a copy without a request id owns a snapshot with an empty tag")
	}
}

func TestLastBatchIsTheCopiesCreatedLastTogether(t *testing.T) {
	a, b, c := queuedCopy(), queuedCopy(), queuedCopy()
	later := t0.Add(time.Minute)
	b.CreatedAt, c.CreatedAt = later, later
	got := LastBatch([]Copy{*a, *b, *c})
	if len(got) != 2 || got[0] != b.RequestID || got[1] != c.RequestID {
		t.Errorf("LastBatch = %v, want [%s %s]", got, b.RequestID, c.RequestID)
	}
	if LastBatch(nil) != nil {
		t.Error("LastBatch of nothing is not empty")
	}
}

func TestStateFileKeepsACancelledRetry(t *testing.T) {
	failed := queuedCopy()
	failed.Fail("bad key", t0)
	r := NewRetry(failed, t0)
	r.Cancelled("", t0)
	data, err := encodeState([]*Copy{failed, r})
	if err != nil {
		t.Fatal(err)
	}
	d, bad := decodeState(data)
	if bad != nil || len(d.copies) != 2 || len(d.problems) != 0 {
		t.Fatalf("decode: %+v %+v", d, bad)
	}
	if got := d.copies[1]; got.Phase != PhaseCancelled || got.RetryOf != failed.RequestID || got.Attempt != 2 {
		t.Errorf("read back %s retry of %q attempt %d", got.Phase, got.RetryOf, got.Attempt)
	}
}
