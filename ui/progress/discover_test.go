package progress

import (
	"bytes"
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
)

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
