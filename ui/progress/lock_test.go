package progress

import (
	"bytes"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

// lockedWorld follows a long copy locked governance:7d.
func lockedWorld(t *testing.T) *world {
	w := newWorld(t, worldOptions{})
	c := w.CopyOf(w.Source("search-index", 4000), "eu-west-1", func(r *model.CopyRequest) {
		r.SnapLock = model.SnapLockSpec{Mode: model.SnapLockGovernance, Days: 7}
	})
	return w.follow(10, c)
}

// The row says the copy is locked; the details say how long, counted from
// completion while the copy is pending.
func TestGoldenLockedRow(t *testing.T) {
	w := lockedWorld(t)
	m := refresh(w.pane(140, 10, &bytes.Buffer{}))
	if c := m.current(); c == nil || c.Phase != model.PhaseRunning || c.SnapLock.Step != model.SnapLockLocked {
		t.Fatalf("the copy is not running locked: %+v", c)
	}
	checkView(t, m, "running · locked")
	m, _ = press(m, "enter")
	if v := m.View(); !strings.Contains(v, "lock") || !strings.Contains(v, "locked governance, 7 days from completion") {
		t.Errorf("the details do not say the lock:\n%s", v)
	}
}

// C on a locked copy says it is locked, and until when, asks nothing and
// sends no DeleteSnapshot.
func TestCancelOnALockedCopySaysSo(t *testing.T) {
	w := lockedWorld(t)
	m := refresh(w.pane(300, 10, &bytes.Buffer{}))
	c := *m.current()
	m, _ = press(m, "C")
	v := m.View()
	want := "the copy " + c.SnapshotID + " is locked governance, 7 days from completion: AWS refuses to delete a locked snapshot, so it is not cancelled"
	if !strings.Contains(v, want) || strings.Contains(v, "y/n") {
		t.Errorf("C on a locked copy does not say %q (or asks):\n%s", want, v)
	}
	m, _ = press(m, "y")
	if n := len(w.Sim.Requests("DeleteSnapshot")); n != 0 {
		t.Errorf("%d DeleteSnapshot reached the simulator", n)
	}
	if got := *m.current(); got.Phase != model.PhaseRunning {
		t.Errorf("the copy is %s", got.Phase)
	}
}
