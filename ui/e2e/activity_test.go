package e2e

import (
	"strings"
	"testing"
)

// TestListShowsCopyActivity: a copy sent from the list is counted in its
// header and marked on its source's row while it runs; its end is told on
// the list's status line (with --no-bell too), and the batch's mark is
// gone, so enter does not offer it again.
func TestListShowsCopyActivity(t *testing.T) {
	t.Parallel()
	env := newAppEnv(t)
	tm := startApp(t, 160, 40, env, "--demo", "--no-bell")
	tm.waitFor(shortWait, "40/40 snapshots", "web-frontend-01")

	tm.keys("/")
	tm.typeText("name:web-frontend-01")
	tm.waitFor(shortWait, "1/40 snapshots")
	tm.keys("Enter", "Space")
	s := tm.waitFor(shortWait, "● 1 marked")
	id := snapshotID(t, lineWith(s, "web-frontend-01"))

	tm.keys("Enter")
	tm.waitFor(shortWait, "Copy "+id, "Destination type")
	tm.keys("Tab", "C-u")
	tm.typeText("us-east-1")
	tm.waitFor(shortWait, "Preview   Region us-east-1")
	tm.keys("C-s")
	tm.waitFor(shortWait, "Copies", "SOURCE", "DESTINATION")
	tm.keys("Escape")

	// Back on the list: the mark went with the sending, the copy is counted.
	s = tm.waitFor(shortWait, "copies: ", "web-frontend-01")
	if strings.Contains(s, "● 1 marked") {
		t.Fatalf("the sent snapshot is still marked:\n%s", s)
	}
	s = tm.waitFor(copyWait, "copy of "+id+" to us-east-1 completed", "copies: 0 running, 1 done, 0 failed (p)")
	if l := lineWith(s, id); !strings.HasPrefix(strings.TrimLeft(l, "› "), "✓ "+id) {
		t.Fatalf("the completed copy's source row has no ✓: %q\n%s", l, s)
	}
	tm.keys("d")
	tm.waitFor(shortWait, "Copies", "✓ us-east-1: completed, snap-")
	tm.keys("q")
	tm.waitExit()
}
