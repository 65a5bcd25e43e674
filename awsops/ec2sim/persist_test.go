package ec2sim

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// A simulator started again on the same state file finds its copies, and
// they have kept progressing by the clock.
func TestStateFileKeepsCopies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "world.json")
	h := newHarness(t, Options{Seed: 4, StateFile: path})
	c := h.ec2("us-east-1")
	src := h.byName("us-west-2", "staging-db")
	out, err := c.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &src,
		TagSpecifications: tagSpec(types.Tag{Key: aws.String("snapcopy:request-id"), Value: aws.String("sc-42")})})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.SnapshotId)
	dev := h.byName("us-west-2", "dev-sandbox")
	if _, err := h.ec2("us-west-2").CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{dev}, Tags: []types.Tag{{Key: aws.String("kept"), Value: aws.String("yes")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no state file after a change: %v", err)
	}

	// Stopped, and started again twenty minutes later.
	later := NewManualClock(t0.Add(20 * time.Minute))
	h2 := newHarness(t, Options{Seed: 4, StateFile: path, Clock: later})
	if err := h2.sim.StateError(); err != nil {
		t.Fatal(err)
	}
	got, ok := h2.sim.Snapshot("us-east-1", id)
	if !ok {
		t.Fatalf("copy %s lost across the restart", id)
	}
	if got.Tag("snapcopy:request-id") != "sc-42" || !got.StartTime.Equal(t0) || got.State != "pending" || got.Progress < 60 || got.Progress > 80 {
		t.Errorf("copy after the restart: %+v", got) // 20 min of 28.4 min: about 70 %
	}
	later.Advance(10 * time.Minute)
	if s := describeOne(t, h2.ec2("us-east-1"), id); s.State != types.SnapshotStateCompleted {
		t.Errorf("copy after 30 minutes: %s %s", s.State, aws.ToString(s.Progress))
	}
	if s, _ := h2.sim.Snapshot("us-west-2", dev); s.Tag("kept") != "yes" {
		t.Errorf("tags lost across the restart: %+v", s.Tags)
	}
	if a, b := h.sim.SnapshotCount("us-west-2"), h2.sim.SnapshotCount("us-west-2"); a != b {
		t.Errorf("us-west-2 had %d snapshots, %d after the restart", a, b)
	}
	// The pending copy still counts against the limit after the restart.
	h2.sim.mu.RLock()
	n := len(h2.sim.world["us-east-1"].copies)
	h2.sim.mu.RUnlock()
	if n != 1 {
		t.Errorf("%d copies tracked for the limit after the restart", n)
	}
}

// Generated snapshots are made again from the seed, not written out.
func TestStateFileLeavesOutExtras(t *testing.T) {
	path := filepath.Join(t.TempDir(), "world.json")
	s := New(Options{Seed: 2, ExtraSnapshots: 5000, StateFile: path, Clock: NewManualClock(t0)})
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() > 200_000 {
		t.Errorf("state file of %d bytes holds the generated snapshots", info.Size())
	}
	again := New(Options{Seed: 2, ExtraSnapshots: 5000, StateFile: path, Clock: NewManualClock(t0)})
	if a, b := s.SnapshotCount("us-west-2"), again.SnapshotCount("us-west-2"); a != b {
		t.Errorf("%d snapshots, %d after a restart", a, b)
	}
}

func TestStateFileUnreadableIsKeptAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "world.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := New(Options{Seed: 1, StateFile: path, Clock: NewManualClock(t0)})
	if err := s.StateError(); err == nil || !strings.Contains(err.Error(), "kept aside") {
		t.Fatalf("StateError = %v", err)
	}
	if s.SnapshotCount("us-west-2") == 0 {
		t.Error("no seeded world after an unreadable state file")
	}
	aside, _ := filepath.Glob(path + ".bad-*")
	if len(aside) != 1 {
		t.Fatalf("kept aside: %v", aside)
	}
	if b, _ := os.ReadFile(aside[0]); string(b) != "{not json" {
		t.Errorf("the unreadable file was changed: %q", b)
	}
}

func TestControlEndpoints(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	do := func(method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, h.url+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if _, err := h.ec2("us-west-2").DescribeRegions(ctx, &ec2.DescribeRegionsInput{}); err != nil {
		t.Fatal(err)
	}
	status, body := do("GET", "/_sim/counts", "")
	var counts map[string]int
	if status != 200 || json.Unmarshal([]byte(body), &counts) != nil || counts["DescribeRegions us-west-2"] != 1 || len(counts) != 1 {
		t.Fatalf("GET counts: %d %s", status, body)
	}

	status, body = do("PUT", "/_sim/faults", `{"throttleRate":1,"latency":"5ms","actions":["DescribeRegions"]}`)
	if status != 200 {
		t.Fatalf("PUT faults: %d %s", status, body)
	}
	if f := h.sim.Faults(); f.ThrottleRate != 1 || f.Latency != Duration(5*time.Millisecond) || len(f.Actions) != 1 {
		t.Fatalf("faults after PUT: %+v", f)
	}
	if _, err := h.ec2("us-west-2").DescribeRegions(ctx, &ec2.DescribeRegionsInput{}); apiCode(err) != "RequestLimitExceeded" {
		t.Fatalf("after PUT faults: %v", err)
	}
	// Go field names and a latency in nanoseconds are read too.
	if status, body = do("PUT", "/_sim/faults", `{"DropNext":2,"DenyPermission":true,"Latency":1000000}`); status != 200 {
		t.Fatalf("PUT faults with Go names: %d %s", status, body)
	}
	if f := h.sim.Faults(); f.DropNext != 2 || !f.DenyPermission || f.Latency != Duration(time.Millisecond) || f.ThrottleRate != 0 {
		t.Fatalf("faults after PUT with Go names: %+v", f)
	}
	status, body = do("GET", "/_sim/faults", "")
	var f map[string]any
	if status != 200 || json.Unmarshal([]byte(body), &f) != nil || f["dropNext"] != float64(2) || f["latency"] != "1ms" || f["denyPermission"] != true {
		t.Fatalf("GET faults: %d %s", status, body)
	}
	if status, _ = do("PUT", "/_sim/faults", `{"latency":"soon"}`); status != 400 {
		t.Errorf("bad latency: %d", status)
	}

	if status, body = do("POST", "/_sim/advance?d=90s", ""); status != 200 {
		t.Fatalf("advance: %d %s", status, body)
	}
	if now := h.clock.Now(); !now.Equal(t0.Add(90 * time.Second)) {
		t.Errorf("clock at %v after advancing 90s", now)
	}
	if status, _ = do("POST", "/_sim/advance?d=later", ""); status != 400 {
		t.Errorf("bad duration: %d", status)
	}
	if status, _ = do("DELETE", "/_sim/counts", ""); status != 204 || len(h.sim.Counts()) != 0 {
		t.Errorf("DELETE counts: %d, counts %v", status, h.sim.Counts())
	}

	realTime := newHarness(t, Options{Seed: 1, Clock: realClock{}})
	req, _ := http.NewRequest("POST", realTime.url+"/_sim/advance?d=30s", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("advance on real time: %d, want 400", resp.StatusCode)
	}
}
