package model

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func TestParseProgress(t *testing.T) {
	cases := map[string]int{"42%": 42, "0%": 0, "100%": 100, "": -1, " 7% ": 7, "abc": -1, "4x%": -1, "250%": 100}
	for in, want := range cases {
		if got := ParseProgress(in); got != want {
			t.Errorf("ParseProgress(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestNewCopyTagsTheRequestWithItsOwnID(t *testing.T) {
	req := CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0123456789abcdef0",
		Tags: []Tag{{"Name", "db"}, {RequestTagKey, "stale"}}}
	src := Snapshot{ID: "snap-0123456789abcdef0", VolumeSizeGiB: 100, Tags: []Tag{{"Name", "db-prod"}}}
	a, b := NewCopy(req, src, t0), NewCopy(req, src, t0)
	if a.RequestID == b.RequestID {
		t.Fatalf("two copies share request id %s", a.RequestID)
	}
	if got := (Snapshot{Tags: a.Request.Tags}).Tag(RequestTagKey); got != a.RequestID {
		t.Errorf("request tag = %q, want %q", got, a.RequestID)
	}
	if len(a.Request.Tags) != 2 || a.Request.Tags[0] != (Tag{"Name", "db"}) {
		t.Errorf("tags = %v, want Name kept and one request tag", a.Request.Tags)
	}
	if len(req.Tags) != 2 || req.Tags[1].Value != "stale" {
		t.Errorf("NewCopy changed the caller's request: %v", req.Tags)
	}
	if a.Phase != PhaseQueued || a.SourceName != "db-prod" || a.SizeGiB != 100 {
		t.Errorf("new copy = %+v", a)
	}
}

func TestObservedFollowsTheCopyToItsEnd(t *testing.T) {
	c := NewCopy(CopyRequest{DestinationRegion: "us-east-1"}, Snapshot{VolumeSizeGiB: 100}, t0)
	c.Started("snap-0aaaaaaaaaaaaaaaa", t0)
	if c.Phase != PhaseStarting {
		t.Fatalf("after Started: %s", c.Phase)
	}
	if !c.Observed(Snapshot{State: StatePending, Progress: -1}, t0.Add(5*time.Second)) || c.Phase != PhaseRunning {
		t.Fatalf("pending without progress: changed=false or phase %s", c.Phase)
	}
	c.Observed(Snapshot{State: StatePending, Progress: 10}, t0.Add(10*time.Second))
	c.Observed(Snapshot{State: StatePending, Progress: 30}, t0.Add(30*time.Second))
	if c.Observed(Snapshot{State: StatePending, Progress: 30}, t0.Add(35*time.Second)) {
		t.Error("the same progress again reported a change")
	}
	// 20 points in 20 s: 1 %/s, 70 points left, 5 s already spent since the last sample.
	left, ok := c.Remaining(t0.Add(35 * time.Second))
	if !ok || left != 65*time.Second {
		t.Errorf("Remaining = %v, %v; want 65s", left, ok)
	}
	rate, ok := c.RateMiBps()
	if !ok || rate < 1023 || rate > 1025 { // 1 %/s of 100 GiB
		t.Errorf("RateMiBps = %v, %v; want 1024", rate, ok)
	}
	c.Observed(Snapshot{State: StateCompleted, Progress: 100}, t0.Add(100*time.Second))
	if c.Phase != PhaseCompleted || c.Progress != 100 || !c.DoneAt.Equal(t0.Add(100*time.Second)) {
		t.Errorf("completed copy = %+v", c)
	}
	if c.Observed(Snapshot{State: StateError, StateMessage: "late"}, t0.Add(200*time.Second)) || c.Phase != PhaseCompleted {
		t.Error("a finished copy changed after its end")
	}
	if got := c.Elapsed(t0.Add(time.Hour)); got != 100*time.Second {
		t.Errorf("Elapsed after the end = %v, want 100s", got)
	}
}

func TestObserveErrorKeepsAWSMessage(t *testing.T) {
	c := NewCopy(CopyRequest{}, Snapshot{}, t0)
	c.Started("snap-0aaaaaaaaaaaaaaaa", t0)
	c.Observed(Snapshot{State: StateError, Progress: 12, StateMessage: "The KMS key is not accessible"}, t0.Add(time.Minute))
	if c.Phase != PhaseFailed || c.StateMessage != "The KMS key is not accessible" {
		t.Errorf("failed copy = %s %q", c.Phase, c.StateMessage)
	}
}

func TestRemainingOfTimeBasedCopyIsItsDeadline(t *testing.T) {
	c := NewCopy(CopyRequest{CompletionDurationMinutes: 60}, Snapshot{}, t0)
	if _, ok := c.Remaining(t0); ok {
		t.Error("an unsent copy has an estimate")
	}
	c.Started("snap-0aaaaaaaaaaaaaaaa", t0)
	if left, ok := c.Remaining(t0.Add(15 * time.Minute)); !ok || left != 45*time.Minute {
		t.Errorf("Remaining = %v, %v; want 45m", left, ok)
	}
	if left, ok := c.Remaining(t0.Add(2 * time.Hour)); ok {
		t.Errorf("past the deadline with no progress seen, Remaining = %v: the deadline is not met, nothing to estimate from", left)
	}
}

func TestTimeBasedCopyPastItsDeadlineIsLate(t *testing.T) {
	// AWS started the copy 10 minutes after it was sent: the deadline
	// counts from then.
	c := NewCopy(CopyRequest{CompletionDurationMinutes: 60}, Snapshot{}, t0)
	c.Started("snap-0aaaaaaaaaaaaaaaa", t0)
	start := t0.Add(10 * time.Minute)
	c.Observed(Snapshot{State: StatePending, Progress: 0, StartTime: start}, start)
	if d, _ := c.Deadline(t0.Add(65 * time.Minute)); d.Late {
		t.Errorf("late 5 minutes after the deadline counted from the send, before AWS's: %+v", d)
	}
	c.Observed(Snapshot{State: StatePending, Progress: 50, StartTime: start}, start.Add(60*time.Minute))
	now := start.Add(72 * time.Minute)
	d, ok := c.Deadline(now)
	if !ok || !d.Late || d.LateBy != 12*time.Minute {
		t.Fatalf("Deadline = %+v, %v; want late by 12m", d, ok)
	}
	// 50% in 60 minutes: about 60 more minutes from the last sample, 12 of them gone.
	if left, ok := c.Remaining(now); !ok || left != 48*time.Minute {
		t.Errorf("Remaining = %v, %v; want an estimate of 48m from the progress", left, ok)
	}
}

func TestSamplesAreBounded(t *testing.T) {
	c := NewCopy(CopyRequest{}, Snapshot{VolumeSizeGiB: 8}, t0)
	c.Started("snap-0aaaaaaaaaaaaaaaa", t0)
	for p := 0; p < 100; p++ {
		c.Observed(Snapshot{State: StatePending, Progress: p}, t0.Add(time.Duration(p)*time.Second))
	}
	if len(c.Samples) != maxSamples {
		t.Errorf("kept %d samples, want %d", len(c.Samples), maxSamples)
	}
	if c.Samples[len(c.Samples)-1].Progress != 99 {
		t.Errorf("last sample = %+v", c.Samples[len(c.Samples)-1])
	}
}

func TestDestinationOfRequest(t *testing.T) {
	cases := []struct {
		r    CopyRequest
		want string
	}{
		{CopyRequest{DestinationRegion: "us-east-1"}, "Region us-east-1"},
		{CopyRequest{DestinationRegion: "us-west-2", DestinationAvailabilityZone: "us-west-2-lax-1a"}, "Local Zone us-west-2-lax-1a"},
		{CopyRequest{DestinationRegion: "us-west-2", DestinationOutpostArn: "arn:aws:outposts:us-west-2:123456789012:outpost/op-0abc1234def567890"}, "Outpost arn:aws:outposts:us-west-2:123456789012:outpost/op-0abc1234def567890"},
	}
	for _, c := range cases {
		if got := c.r.Destination().String(); got != c.want {
			t.Errorf("Destination() = %q, want %q", got, c.want)
		}
	}
}
