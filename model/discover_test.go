package model

import (
	"testing"
	"time"
)

func TestProvenanceOf(t *testing.T) {
	cases := []struct {
		name string
		s    Snapshot
		want Provenance
	}{
		{"snapcopy's tags", Snapshot{Tags: []Tag{{RequestTagKey, "sc-1"}, {TagSourceSnapshot, "snap-0a"}, {TagSourceRegion, "us-west-2"}}},
			Provenance{Origin: OriginSnapcopy, RequestID: "sc-1", SourceSnapshotID: "snap-0a", SourceRegion: "us-west-2"}},
		{"AWS's description", Snapshot{Description: "[Copied snap-0123abcd from eu-west-1]"},
			Provenance{Origin: OriginOther, SourceSnapshotID: "snap-0123abcd", SourceRegion: "eu-west-1"}},
		{"nothing known", Snapshot{Description: "nightly backup"}, Provenance{Origin: OriginUnknown}},
	}
	for _, c := range cases {
		if got := ProvenanceOf(c.s); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestDiscoveredCopyIsRunningAndMarkedFound(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := Snapshot{ID: "snap-0f", Region: "eu-west-1", State: StatePending, Progress: 12, StartTime: now.Add(-time.Minute),
		Description: "[Copied snap-0a from us-east-1]", VolumeSizeGiB: 8}
	c := DiscoveredCopy(s, now)
	if c.Phase != PhaseRunning || c.SnapshotID != "snap-0f" || !c.Discovered || c.Origin != OriginOther || c.Progress != 12 {
		t.Errorf("discovered copy: %+v", c)
	}
	if c.RequestID != "found-snap-0f" || c.Request.DestinationRegion != "eu-west-1" || c.Request.SourceSnapshotID != "snap-0a" {
		t.Errorf("discovered copy's request: %s %+v", c.RequestID, c.Request)
	}
}

// A found copy is never retried nor cancelled, whatever AWS tells of its
// origin: it is someone else's request, followed only. A copy started
// here is, when failed or in flight.
func TestFoundCopyIsNeverRetriedNorCancelled(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		snap Snapshot
	}{
		{"copied elsewhere, source in the description", Snapshot{ID: "snap-0f1e2d3c4b5a69788", Region: "eu-west-1", State: StatePending,
			Description: "[Copied snap-0a1b2c3d4e5f60718 from us-west-2]"}},
		{"made by snapcopy elsewhere", Snapshot{ID: "snap-0f1e2d3c4b5a69788", Region: "eu-west-1", State: StatePending,
			Tags: []Tag{{Key: RequestTagKey, Value: "sc-0123456789abcdef"}, {Key: TagSourceSnapshot, Value: "snap-0a1b2c3d4e5f60718"}, {Key: TagSourceRegion, Value: "us-west-2"}}}},
		{"origin unknown", Snapshot{ID: "snap-0f1e2d3c4b5a69788", Region: "eu-west-1", State: StatePending}},
	} {
		c := DiscoveredCopy(tc.snap, now)
		if c.Cancellable() {
			t.Errorf("%s: a found copy in flight is cancellable", tc.name)
		}
		c.Fail("error", now)
		if c.Retryable() {
			t.Errorf("%s: a failed found copy is retryable (request %+v)", tc.name, c.Request)
		}
	}
	own := NewCopy(CopyRequest{DestinationRegion: "eu-west-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0a1b2c3d4e5f60718"}, Snapshot{}, now)
	if !own.Cancellable() {
		t.Error("a queued copy started here is not cancellable")
	}
	own.Fail("error", now)
	if !own.Retryable() || own.Cancellable() {
		t.Errorf("a failed copy started here: retryable %v (want true), cancellable %v (want false)", own.Retryable(), own.Cancellable())
	}
}

// A failure on the request's KMS key is told from AWS's message.
func TestFailedOnItsKey(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		req     CopyRequest
		message string
		want    bool
	}{
		{"key not accessible", CopyRequest{Encrypted: true, KmsKeyID: "alias/retired"}, "Given key ID is not accessible", true},
		{"the default key", CopyRequest{Encrypted: true}, "Given key ID is not accessible", true},
		{"unencrypted", CopyRequest{}, "Given key ID is not accessible", false},
		{"another failure", CopyRequest{Encrypted: true, KmsKeyID: "alias/backup"}, "InternalError", false},
	} {
		c := NewCopy(tc.req, Snapshot{}, now)
		c.Fail(tc.message, now)
		if got := c.FailedOnItsKey(); got != tc.want {
			t.Errorf("%s: FailedOnItsKey = %v, want %v", tc.name, got, tc.want)
		}
	}
}
