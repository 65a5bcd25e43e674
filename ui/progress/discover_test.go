package progress

import (
	"bytes"
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
)

// A copy made outside snapcopy is found, saved as found, followed to
// completed, and never sent again; a second discovery while it runs adds nothing.
func TestDiscoverFollowsACopyMadeElsewhere(t *testing.T) {
	w := newWorld(t, worldOptions{})
	src := w.Source("web", 4)
	ctx := context.Background()
	id, err := w.Client.CopySnapshot(ctx, model.CopyRequest{DestinationRegion: "eu-west-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Discover(ctx, PendingIn(w.Client), w.Tracker, w.Clock.Now())
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
	again, err := Discover(ctx, PendingIn(w.Client), w.Tracker, w.Clock.Now())
	if err != nil || len(again.Added) != 0 || again.Known != 1 {
		t.Errorf("second discovery: %v %+v", err, again)
	}
	copiesBefore := w.Sim.Count("CopySnapshot", "eu-west-1")
	var out bytes.Buffer
	if err := runPlain(ctx, w.Tracker, &out, w.Clock.Now, w.SimWait(nil)); err != nil {
		t.Fatal(err)
	}
	if c := w.Tracker.Copies()[0]; c.Phase != model.PhaseCompleted {
		t.Errorf("found copy ended %s:\n%s", c.Phase, out.String())
	}
	if n := w.Sim.Count("CopySnapshot", "eu-west-1"); n != copiesBefore {
		t.Errorf("CopySnapshot sent %d times for a found copy", n-copiesBefore)
	}
}

// D in the pane runs a discovery in a tea.Cmd and shows what it found.
func TestPaneDDiscoversCopiesInFlight(t *testing.T) {
	w := newWorld(t, worldOptions{})
	id, err := w.Client.CopySnapshot(context.Background(), model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: w.Source("db", 8).ID})
	if err != nil {
		t.Fatal(err)
	}
	var term bytes.Buffer
	m := w.pane(120, 12, &term, func(o *Options) { o.Discover = PendingIn(w.Client) })
	before := w.Sim.Count("DescribeSnapshots", "us-east-1")
	m, cmd := m.Update(keyRunes("D"))
	if len(m.copies) != 0 || w.Sim.Count("DescribeSnapshots", "us-east-1") != before {
		t.Fatal("the key itself must not wait on AWS")
	}
	m, out := settle(m, cmd)
	for _, msg := range out {
		if d, ok := msg.(discoveredMsg); ok {
			var cmd tea.Cmd
			m, cmd = m.Update(d)
			m, _ = settle(m, cmd)
		}
	}
	if len(m.copies) != 1 || m.copies[0].SnapshotID != id || !m.copies[0].Discovered {
		t.Fatalf("pane copies after D: %+v", m.copies)
	}
	if v := m.View(); !strings.Contains(v, "1 new snapshot found in flight") || !strings.Contains(v, id) {
		t.Errorf("the pane does not say what was found:\n%s", v)
	}
}
