package awsops_test

import (
	"context"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

var updateWire = flag.Bool("update-wire", false, "rewrite the recorded wire samples in testdata/wire")

// checkWire compares the parameters of a request with a recorded sample in
// the project's testdata/wire: a new SDK that changes what goes on the wire
// shows up here first. Values that differ on every request are masked.
func checkWire(t *testing.T, name string, params url.Values, masked ...string) {
	t.Helper()
	var lines []string
	for k, vs := range params {
		for _, v := range vs {
			for _, m := range masked {
				if k == m {
					v = "<" + strings.ToLower(m) + ">"
				}
			}
			lines = append(lines, k+"="+v)
		}
	}
	sort.Strings(lines)
	got := strings.Join(lines, "\n") + "\n"
	path := filepath.Join("..", "testdata", "wire", name)
	if *updateWire {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read the recorded sample (go test ./awsops -run Wire -update-wire writes it): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s on the wire differs from %s:\n got:\n%s\nwant:\n%s", name, path, got, want)
	}
}

// TestWireCopySnapshot records exactly what awsops sends for a copy that
// uses every parameter a Region copy can carry, and for a poll.
func TestWireCopySnapshot(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1})
	src, ok := simtest.ByName(srv, "us-west-2", "db-prod-primary")
	if !ok {
		t.Fatal("no db-prod-primary in the seeded world")
	}
	cp := &model.Copy{RequestID: "sc-0123456789abcdef", Phase: model.PhaseQueued, Request: model.CopyRequest{
		DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID,
		Description: "nightly copy", Encrypted: true, KmsKeyID: "alias/backup",
		Tags:                      []model.Tag{{Key: "Name", Value: "db"}, {Key: model.RequestTagKey, Value: "sc-0123456789abcdef"}},
		CompletionDurationMinutes: 60,
	}}
	ctx := context.Background()
	id, err := c.CopySnapshot(ctx, cp.Request)
	if err != nil {
		t.Fatal(err)
	}
	cp.SnapshotID = id
	reqs := srv.Requests("CopySnapshot")
	if len(reqs) != 1 {
		t.Fatalf("%d CopySnapshot requests, want 1", len(reqs))
	}
	checkWire(t, "copysnapshot.form", reqs[0].Params, "PresignedUrl", "SourceSnapshotId")

	if _, err := c.PollCopies(ctx, "us-east-1", []string{cp.SnapshotID, "snap-0aaaaaaaaaaaaaaaa"}); err != nil {
		t.Fatal(err)
	}
	polls := srv.Requests("DescribeSnapshots")
	last := polls[len(polls)-1]
	checkWire(t, "poll.form", last.Params, "Filter.1.Value.1")
}
