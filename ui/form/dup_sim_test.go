package form

import (
	"context"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/nav"
)

// Against the simulator: once a copy to us-east-1 exists, a new form for
// the same source and destination warns of it, found by its tag in AWS
// (no tracker copies given); given the tracker's copies, it names the
// tracker's copy and its request.
func TestDuplicateWarningFromTheSimulator(t *testing.T) {
	srv, client, src := simWorld(t)
	open := func(tracked []model.Copy) Model {
		m := New(client, []model.Snapshot{src}, Options{Now: clock, Tracked: tracked})
		m.SetSize(100, 40)
		m, _ = settle(m, m.Init())
		m = focusField(t, m, fDest)
		m, _ = act(m, "ctrl+u")
		return actType(m, "us-east-1")
	}

	m := open(nil)
	if strings.Contains(flat(m), "already copied") {
		t.Fatalf("the form warns before any copy exists:\n%s", m.View())
	}
	m, other := act(m, "ctrl+s")
	var copies []*model.Copy
	for _, msg := range other {
		if s, ok := msg.(nav.StartCopies); ok {
			copies = s.Copies
		}
	}
	if len(copies) != 1 || m.asking != "" {
		t.Fatalf("the first copy: handed %d copies, asked %q", len(copies), m.asking)
	}
	c := copies[0]
	if err := (track.Starter{AWS: client, Now: clock}).Start(context.Background(), c); err != nil {
		t.Fatalf("start copy: %v", err)
	}
	found, err := client.CopiesOf(context.Background(), "us-east-1", []string{src.ID})
	if err != nil || len(found) != 1 || found[0].ID != c.SnapshotID {
		t.Fatalf("the copy %s does not exist in us-east-1 yet: %v, %v", c.SnapshotID, found, err)
	}
	before := copySnapshotCount(srv)

	m = open(nil)
	want := src.ID + " is already copied to us-east-1: copy " + c.SnapshotID + " (in flight, found in AWS by its tag snapcopy:source-snapshot)"
	if !strings.Contains(flat(m), want) {
		t.Errorf("the form does not say %q:\n%s", want, m.View())
	}
	m, other = act(m, "ctrl+s")
	if len(other) != 0 || !strings.Contains(m.asking, "copy "+c.SnapshotID) {
		t.Errorf("sending the duplicate: handed %v, asked %q", other, m.asking)
	}

	m = open([]model.Copy{*c})
	want = src.ID + " is already copied to us-east-1: copy " + c.SnapshotID + " (" + string(c.Phase) + ", request " + c.RequestID + " in the state file)"
	if !strings.Contains(flat(m), want) {
		t.Errorf("the form does not say %q:\n%s", want, m.View())
	}
	if n := copySnapshotCount(srv) - before; n != 0 {
		t.Errorf("the forms sent %d CopySnapshot", n)
	}
}
