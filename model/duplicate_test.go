package model

import (
	"strings"
	"testing"
)

func TestFindDuplicate(t *testing.T) {
	req := CopyRequest{SourceRegion: "us-west-2", SourceSnapshotID: "snap-0a", DestinationRegion: "us-east-1"}
	tracked := func(p Phase, mod func(*CopyRequest)) []*Copy {
		r := req
		if mod != nil {
			mod(&r)
		}
		return []*Copy{{RequestID: "sc-1", Request: r, SnapshotID: "snap-0b", Phase: p}}
	}
	tagged := func(state string, tags ...Tag) []Snapshot {
		return []Snapshot{{ID: "snap-0c", Region: "us-east-1", State: state, Tags: tags}}
	}
	src := Tag{Key: TagSourceSnapshot, Value: "snap-0a"}
	cases := []struct {
		name    string
		tracked []*Copy
		tagged  []Snapshot
		want    string // "" when there is no duplicate
	}{
		{"none", nil, nil, ""},
		{"tracked running", tracked(PhaseRunning, nil), nil, "snap-0a is already copied to us-east-1: copy snap-0b (running, request sc-1 in the state file)"},
		{"tracked completed", tracked(PhaseCompleted, nil), nil, "snap-0a is already copied to us-east-1: copy snap-0b (completed, request sc-1 in the state file)"},
		{"tracked failed", tracked(PhaseFailed, nil), nil, ""},
		{"tracked cancelled", tracked(PhaseCancelled, nil), nil, ""},
		{"tracked elsewhere", tracked(PhaseRunning, func(r *CopyRequest) { r.DestinationRegion = "eu-central-1" }), nil, ""},
		{"tracked to a Local Zone", tracked(PhaseRunning, func(r *CopyRequest) { r.DestinationAvailabilityZone = "us-east-1-bos-1a" }), nil, ""},
		{"tracked other source", tracked(PhaseRunning, func(r *CopyRequest) { r.SourceSnapshotID = "snap-0z" }), nil, ""},
		{"tagged completed", nil, tagged(StateCompleted, src), "snap-0a is already copied to us-east-1: copy snap-0c (completed, found in AWS by its tag snapcopy:source-snapshot)"},
		{"tagged pending", nil, tagged(StatePending, src), "snap-0a is already copied to us-east-1: copy snap-0c (in flight, found in AWS by its tag snapcopy:source-snapshot)"},
		{"tagged error", nil, tagged(StateError, src), ""},
		{"tagged from another Region", nil, tagged(StateCompleted, src, Tag{Key: TagSourceRegion, Value: "eu-west-1"}), ""},
		{"tagged from the source Region", nil, tagged(StateCompleted, src, Tag{Key: TagSourceRegion, Value: "us-west-2"}), "copy snap-0c (completed"},
		{"tagged other source", nil, tagged(StateCompleted, Tag{Key: TagSourceSnapshot, Value: "snap-0z"}), ""},
		{"tracked before tagged", tracked(PhaseRunning, nil), tagged(StateCompleted, src), "copy snap-0b (running"},
	}
	for _, c := range cases {
		d, ok := FindDuplicate(req, c.tracked, c.tagged)
		switch {
		case c.want == "" && ok:
			t.Errorf("%s: found %q, want none", c.name, d)
		case c.want != "" && !ok:
			t.Errorf("%s: found none, want %q", c.name, c.want)
		case ok && !strings.Contains(d.String(), c.want):
			t.Errorf("%s: %q, want it to say %q", c.name, d, c.want)
		}
	}
}
