package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

// TestDemoCopyTwoSnapshots is the operator's whole flow in demo mode: the
// list loads, a filter narrows it, two snapshots are marked, the form
// refuses a bad tag and a bad duration as they are typed and on submit,
// then takes the fixed form; the progress pane follows both copies to
// completed; after quitting, a new run shows the finished copies.
func TestDemoCopyTwoSnapshots(t *testing.T) {
	t.Parallel()
	env := newAppEnv(t)
	tm := startApp(t, 160, 40, env, "--demo")

	tm.waitFor(shortWait, "profile demo", "us-west-2", "40/40 snapshots", "build-cache", "web-frontend-01")

	// Filter as you type.
	tm.keys("/")
	tm.typeText("web-front")
	s := tm.waitFor(shortWait, "2/40 snapshots")
	if n := countLines(s, "web-frontend-0"); n != 2 {
		t.Fatalf("the filter shows %d web-frontend rows, want 2:\n%s", n, s)
	}
	if strings.Contains(s, "build-cache") {
		t.Fatalf("the filter web-front still shows build-cache:\n%s", s)
	}
	tm.keys("Enter") // keep the filter, back to moving

	// Mark both rows.
	tm.keys("Space", "Down", "Space")
	s = tm.waitFor(shortWait, "● 2 marked")
	id1 := snapshotID(t, lineWith(s, "web-frontend-01"))
	id2 := snapshotID(t, lineWith(s, "web-frontend-02"))
	for _, id := range []string{id1, id2} {
		if l := lineWith(s, id); !strings.Contains(l, "●") {
			t.Fatalf("row of %s is not marked: %q\n%s", id, l, s)
		}
	}

	// The form, for both.
	tm.keys("Enter")
	tm.waitFor(shortWait, "Copy 2 snapshots from us-west-2", id1, id2, "Destination type")
	tm.keys("Tab", "C-u")
	tm.typeText("us-east-1")
	tm.waitFor(shortWait, "2 copies to Region us-east-1")

	// A tag AWS refuses, said as it is typed.
	tm.keys("Tab", "Tab", "Tab", "Tab", "Tab", "Tab") // destination account, description, encrypt, KMS key, source tags, tags
	tm.typeText("aws:owner")
	tm.keys("Tab")
	tm.typeText("ops")
	tm.waitFor(shortWait, `✗ Tag key "aws:owner" may not begin with aws:`)

	// A duration AWS refuses, said as it is typed.
	tm.keys("Tab")
	tm.typeText("17")
	tm.waitFor(shortWait, `✗ Completion duration must be a multiple of 15 minutes (15 to 2880), not "17"`)

	// Submitting is refused, and the cursor goes to the first problem.
	tm.keys("C-s")
	s = tm.waitFor(shortWait, "✗ not sent: fix the tags")
	if l := lineWith(s, "Tags"); !strings.HasPrefix(l, "›") {
		t.Fatalf("after a refused submit the cursor is not on the tags: %q\n%s", l, s)
	}
	if strings.Contains(s, "Copies ") {
		t.Fatalf("a refused form opened the progress pane:\n%s", s)
	}

	// Fix both.
	tm.keys("C-u")
	tm.typeText("owner")
	tm.waitGone(shortWait, "may not begin with aws:")
	tm.keys("Tab", "Tab", "C-u") // value, then the duration: cleared for a standard copy
	s = tm.waitGone(shortWait, "must be a multiple of 15", "✗")
	if !strings.Contains(s, "owner") || !strings.Contains(s, "ops") {
		t.Fatalf("the fixed tag is not on the form:\n%s", s)
	}

	// Submit: the progress pane follows both copies to the end.
	tm.keys("C-s")
	tm.waitFor(shortWait, "Copies", "SOURCE", "DESTINATION")
	s = tm.waitFor(copyWait, "0 running · 2 done · 0 failed")
	for _, id := range []string{id1, id2} {
		l := lineWith(s, id)
		if !strings.Contains(l, "✓ completed") || !strings.Contains(l, "us-east-1") || !strings.Contains(l, "100%") {
			t.Fatalf("the copy of %s is not shown completed to us-east-1: %q\n%s", id, l, s)
		}
	}

	// What was sent: both copies, to us-east-1, with the tag as fixed and
	// no duration, each with its own copy id shown on screen.
	copies := watchList(t, env.demoStatePath())
	if len(copies) != 2 {
		t.Fatalf("the state file holds %d copies, want 2", len(copies))
	}
	var copyIDs []string
	for _, c := range copies {
		r := c.Request
		if c.Phase != model.PhaseCompleted || r.DestinationRegion != "us-east-1" || r.SourceRegion != "us-west-2" {
			t.Errorf("copy %s: phase %s, %s -> %s; want completed, us-west-2 -> us-east-1", c.RequestID, c.Phase, r.SourceRegion, r.DestinationRegion)
		}
		if !slices.Contains([]string{id1, id2}, r.SourceSnapshotID) {
			t.Errorf("copy %s is of %s, which was not marked", c.RequestID, r.SourceSnapshotID)
		}
		if !slices.Contains(r.Tags, model.Tag{Key: "owner", Value: "ops"}) || r.CompletionDurationMinutes != 0 {
			t.Errorf("copy %s was sent with tags %v and duration %d; want owner=ops and a standard copy", c.RequestID, r.Tags, r.CompletionDurationMinutes)
		}
		if lineWith(s, c.SnapshotID) == "" || c.SnapshotID == "" {
			t.Errorf("copy id %q of %s is not on screen", c.SnapshotID, r.SourceSnapshotID)
		}
		copyIDs = append(copyIDs, c.SnapshotID)
	}
	if copies[0].Request.SourceSnapshotID == copies[1].Request.SourceSnapshotID {
		t.Errorf("both copies are of %s", copies[0].Request.SourceSnapshotID)
	}

	// Quit, and start again: the finished copies are still there.
	tm.keys("q")
	tm.waitExit()
	tm.close()

	tm = startApp(t, 160, 40, env, "--demo")
	tm.waitFor(shortWait, "40/40 snapshots")
	tm.keys("p")
	s = tm.waitFor(shortWait, "0 running · 2 done · 0 failed", copyIDs[0], copyIDs[1])
	for _, id := range copyIDs {
		if l := lineWith(s, id); !strings.Contains(l, "✓ completed") || !strings.Contains(l, "us-east-1") {
			t.Fatalf("after a restart the copy %s is not shown completed: %q\n%s", id, l, s)
		}
	}
	tm.keys("q")
	tm.waitExit()
}

// snapshotID is the first snapshot id on a screen line.
func snapshotID(t *testing.T, line string) string {
	t.Helper()
	for _, f := range strings.Fields(line) {
		if strings.HasPrefix(f, "snap-") {
			return f
		}
	}
	t.Fatalf("no snapshot id on the line %q", line)
	return ""
}
