package model

import (
	"testing"
	"time"
)

func TestJudgeTwins(t *testing.T) {
	req := CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0aaaaaaaaaaaaaaaa"}
	mine := &Copy{RequestID: "sc-5", Request: req, SnapshotID: "snap-mine", OnlyCopy: true, Phase: PhaseRunning}
	copyOf := func(id, requestID string, start time.Time, edit ...func(*Snapshot)) Snapshot {
		s := Snapshot{ID: id, Region: "us-east-1", State: StatePending, StartTime: start,
			Tags: []Tag{{Key: TagSourceSnapshot, Value: req.SourceSnapshotID}, {Key: TagSourceRegion, Value: "us-west-2"}}}
		if requestID != "" {
			s.Tags = append(s.Tags, Tag{Key: RequestTagKey, Value: requestID})
		}
		for _, e := range edit {
			e(&s)
		}
		return s
	}
	own := copyOf("snap-mine", "sc-5", t0)
	const window = 15 * time.Second
	cases := []struct {
		name  string
		found []Snapshot
		lose  bool
		kept  string
	}{
		{"alone", []Snapshot{own}, false, ""},
		{"not shown yet", nil, false, ""},
		{"a twin with a lower request id is kept", []Snapshot{own, copyOf("snap-other", "sc-3", t0.Add(2*time.Second))}, true, "snap-other"},
		{"a twin with a higher request id is deleted on its side", []Snapshot{own, copyOf("snap-other", "sc-7", t0.Add(-2*time.Second))}, false, ""},
		{"the lowest of three", []Snapshot{copyOf("snap-b", "sc-2", t0), own, copyOf("snap-a", "sc-1", t0.Add(time.Second))}, true, "snap-a"},
		{"a copy made later on purpose is no twin", []Snapshot{own, copyOf("snap-other", "sc-1", t0.Add(time.Minute))}, false, ""},
		{"a copy not made by snapcopy is no twin", []Snapshot{own, copyOf("snap-other", "", t0)}, false, ""},
		{"a failed copy is no twin", []Snapshot{own, copyOf("snap-other", "sc-1", t0, func(s *Snapshot) { s.State = StateError })}, false, ""},
		{"a copy to a Local Zone is no twin", []Snapshot{own, copyOf("snap-other", "sc-1", t0, func(s *Snapshot) { s.AvailabilityZone = "us-east-1-bos-1a" })}, false, ""},
	}
	for _, c := range cases {
		got := JudgeTwins(mine, c.found, window)
		if got.Lose != c.lose || got.Kept.ID != c.kept {
			t.Errorf("%s: lose %v kept %q, want %v %q", c.name, got.Lose, got.Kept.ID, c.lose, c.kept)
		}
		if (got.Own.ID != "") != (len(c.found) > 0) {
			t.Errorf("%s: own %q", c.name, got.Own.ID)
		}
	}
}

func TestTwinCheckDueAfterTheLag(t *testing.T) {
	const settle = 15 * time.Second
	c := &Copy{RequestID: "sc-1", OnlyCopy: true, SnapshotID: "snap-1", Phase: PhaseRunning, SentAt: t0}
	if c.TwinCheckDue(t0.Add(TwinCheckAfter(settle)-time.Second), settle) || !c.TwinCheckDue(t0.Add(TwinCheckAfter(settle)), settle) {
		t.Error("the look for twins is not due exactly TwinCheckAfter after the send")
	}
	c.Phase = PhaseCompleted
	if !c.TwinCheckPending() {
		t.Error("a completed copy that has not looked is not pending")
	}
	c.TwinChecked = true
	if c.TwinCheckPending() {
		t.Error("a copy that looked is still pending")
	}
	other := &Copy{RequestID: "sc-2", SnapshotID: "snap-2", Phase: PhaseRunning, SentAt: t0}
	if other.TwinCheckPending() {
		t.Error("a copy sent anyway (--again) looks for twins")
	}
}
