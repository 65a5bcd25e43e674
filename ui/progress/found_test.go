package progress

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"

	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

// foundWorld follows two copies found in flight: one whose origin AWS
// does not tell (a pending snapshot without snapcopy's tags or AWS's
// "[Copied …]" description), and one copied with CopySnapshot outside
// snapcopy, whose description names its source.
func foundWorld(t *testing.T) *world {
	w := newWorld(t, worldOptions{})
	simtest.Add(w.Sim, "us-east-1", model.Snapshot{ID: "snap-0f00000000000000a", VolumeSizeGiB: 50, State: model.StatePending, Progress: 40,
		Description: "nightly", StartTime: t0.Add(-10 * 60e9)})
	if _, err := w.Client.CopySnapshot(context.Background(), model.CopyRequest{DestinationRegion: "eu-west-1", SourceRegion: "us-west-2", SourceSnapshotID: w.Source("web", 8).ID}); err != nil {
		t.Fatal(err)
	}
	var pending []model.Snapshot
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		pending = append(pending, listPending(t, w, region)...)
	}
	if _, err := w.Tracker.AddFound(pending, w.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	return w
}

func listPending(t *testing.T, w *world, region string) []model.Snapshot {
	t.Helper()
	d, err := w.Client.DiscoverPending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []model.Snapshot
	for _, s := range d.Pending {
		if s.Region == region {
			out = append(out, s)
		}
	}
	return out
}

// A copy found in flight says what is known of its source ("?" when AWS
// does not tell), and is never offered C, R or E: the keys do nothing,
// and neither the help bar nor the full help names them.
func TestGoldenFoundCopies(t *testing.T) {
	w := foundWorld(t)
	m := refresh(w.pane(140, 8, &bytes.Buffer{}, func(o *Options) {
		o.Help = key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help"))
	}))
	if len(m.copies) != 2 {
		t.Fatalf("%d copies followed, want 2", len(m.copies))
	}
	checkView(t, m, "? help", "esc back")
	for i := range m.copies {
		c := &m.copies[i]
		v := m.View()
		row := lineWith(v, c.SnapshotID)
		switch c.Request.SourceSnapshotID {
		case "":
			if !strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(row, "›")), "? ") {
				t.Errorf("the row of the copy of unknown origin does not say ? for its source: %q", row)
			}
		default:
			if !strings.Contains(row, c.Request.SourceSnapshotID) {
				t.Errorf("the row does not name the source its description tells: %q", row)
			}
		}
		for _, name := range []string{"C cancel", "R retry", "E edit"} {
			if strings.Contains(v, name) {
				t.Errorf("%s: the help bar offers %q for a found copy:\n%s", c.SnapshotID, name, v)
			}
		}
		for _, col := range m.KeyMap().FullHelp() {
			for _, b := range col {
				if b.Enabled() && slices.Contains([]string{"C", "R", "E"}, b.Help().Key) {
					t.Errorf("%s: the full help offers %s", c.SnapshotID, b.Help().Key)
				}
			}
		}
		for _, k := range []string{"C", "R", "E"} {
			after, msgs := press(m, k)
			if after.asking != nil || len(msgs) > 0 {
				t.Errorf("%s: %s on a found copy asked %v, sent %v", c.SnapshotID, k, after.asking, msgs)
			}
		}
		m, _ = press(m, "down")
	}
	if n := w.Sim.Count("DeleteSnapshot", "us-east-1") + w.Sim.Count("DeleteSnapshot", "eu-west-1"); n > 0 {
		t.Errorf("%d DeleteSnapshot sent for found copies", n)
	}
}

// The details of a copy of unknown origin say so, and that snapcopy only
// follows it.
func TestGoldenFoundCopyDetail(t *testing.T) {
	w := foundWorld(t)
	m := refresh(w.pane(100, 24, &bytes.Buffer{}))
	i := slices.IndexFunc(m.copies, func(c model.Copy) bool { return c.Request.SourceSnapshotID == "" })
	for range i {
		m, _ = press(m, "down")
	}
	m, _ = press(m, "enter")
	checkView(t, m, "Found in flight: snap-0f00000000000000a", "source       ? (neither its tags nor its description name it)",
		"found        copy or new snapshot, origin unknown: followed only, never retried or cancelled")
}

// lineWith is the first line of s holding part, "" when none does.
func lineWith(s, part string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, part) {
			return l
		}
	}
	return ""
}
