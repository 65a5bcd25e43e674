package watch

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/progress"
	"github.com/snapcopy/snapcopy/ui/screentest"
)

// A copy made outside snapcopy is found, saved as found, followed to
// completed, and never sent again; a second discovery while it runs adds nothing.
func TestDiscoverFollowsACopyMadeElsewhere(t *testing.T) {
	w := screentest.NewWorld(t, screentest.WorldOptions{})
	src := w.Source("web", 4)
	ctx := context.Background()
	id, err := w.Client.CopySnapshot(ctx, model.CopyRequest{DestinationRegion: "eu-west-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := progress.Discover(ctx, progress.PendingIn(w.Client), w.Tracker, w.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Added) != 1 || rep.Added[0].SnapshotID != id || !rep.Added[0].Discovered || rep.Added[0].Origin != model.OriginOther {
		t.Fatalf("report: %+v", rep)
	}
	if lines := strings.Join(rep.Lines(), "\n"); !strings.Contains(lines, "found "+id+" in eu-west-1 (copied outside snapcopy, from "+src.ID+" in us-west-2)") {
		t.Errorf("report lines:\n%s", lines)
	}
	saved, err := model.LoadWatchList(w.Path, w.Clock.Now())
	if err != nil || len(saved.Copies) != 1 || !saved.Copies[0].Discovered {
		t.Fatalf("state file after discovery: %v %+v", err, saved)
	}
	again, err := progress.Discover(ctx, progress.PendingIn(w.Client), w.Tracker, w.Clock.Now())
	if err != nil || len(again.Added) != 0 || again.Known != 1 {
		t.Errorf("second discovery: %v %+v", err, again)
	}
	copiesBefore := w.Sim.Count("CopySnapshot", "eu-west-1")
	var out bytes.Buffer
	if err := runPlain(ctx, w.Tracker, &out, w.Clock.Now, w.SimAfter(nil)); err != nil {
		t.Fatal(err)
	}
	if c := w.Tracker.Copies()[0]; c.Phase != model.PhaseCompleted {
		t.Errorf("found copy ended %s:\n%s", c.Phase, out.String())
	}
	if n := w.Sim.Count("CopySnapshot", "eu-west-1"); n != copiesBefore {
		t.Errorf("CopySnapshot sent %d times for a found copy", n-copiesBefore)
	}
}

// A found copy whose origin AWS does not tell is printed with "?" for its
// source, never an empty column.
func TestPlainLineOfAFoundCopyOfUnknownOrigin(t *testing.T) {
	now := screentest.T0
	c := model.DiscoveredCopy(model.Snapshot{ID: "snap-0f00000000000000a", Region: "us-east-1", State: model.StatePending, Progress: 40, VolumeSizeGiB: 8}, now)
	want := "2026-11-25T14:00:00Z ? -> us-east-1 snap-0f00000000000000a running 40%"
	if got := plainLine(c, now); got != want {
		t.Errorf("plainLine =\n %q, want\n %q", got, want)
	}
}
