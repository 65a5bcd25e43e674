package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestCopyAgainAfterARestart sends a copy from the form, quits, and starts
// snapcopy again on the same state file: the form for another snapshot of
// the same Region fills in the remembered destination and KMS key on
// ctrl+r, and the simulator receives a CopySnapshot with both. The form
// for the source already copied warns of that copy.
func TestCopyAgainAfterARestart(t *testing.T) {
	t.Parallel()
	sim := startSim(t, simOptions{timeScale: 600})
	env := sim.env(t)

	openForm := func(tm *term, name string) {
		t.Helper()
		tm.waitFor(shortWait, "40/40 snapshots")
		tm.keys("/")
		tm.typeText(name)
		tm.waitFor(shortWait, "1/40 snapshots")
		tm.keys("Enter", "Enter")
		tm.waitFor(shortWait, "("+name+") from us-west-2", "Destination type")
		tm.waitGone(shortWait, "not loaded yet")
	}

	// The first run: web-frontend-01 to us-east-1 with alias/backup.
	tm := startApp(t, 160, 40, env, "--endpoint-url", sim.url)
	openForm(tm, "web-frontend-01")
	tm.keys("Tab", "C-u")
	tm.typeText("us-east-1")
	tm.waitFor(shortWait, "Region us-east-1, request sent to us-east-1")
	tm.keys("Tab", "Tab", "Space", "Tab") // description, encrypt (on), KMS key
	tm.typeText("alias/backup")
	tm.waitFor(shortWait, "encrypted with alias/backup")
	tm.keys("C-s")
	tm.waitFor(shortWait, "Copies", "DESTINATION")
	var firstKey string
	tm.waitUntil(shortWait, "the first copy was not made in us-east-1", func(string) bool {
		for _, s := range sim.copiesMade("us-east-1") {
			firstKey = s[0].KmsKeyID
			return true
		}
		return false
	})
	quit(tm)
	tm.close()

	// The second run, on the same state file. The form for the same
	// source, filled in again, warns of the copy already made.
	tm = startApp(t, 160, 40, env, "--endpoint-url", sim.url)
	openForm(tm, "web-frontend-01")
	tm.keys("C-r")
	first := watchList(t, env.statePath())[0]
	tm.waitFor(shortWait, "is already copied to us-east-1: copy "+first.SnapshotID)
	tm.keys("Escape")
	tm.waitFor(shortWait, "1/40 snapshots")
	tm.keys("/", "C-u")
	tm.waitFor(shortWait, "40/40 snapshots")
	tm.keys("Escape")

	// Another snapshot of the same Region: ctrl+r fills in the request.
	openForm(tm, "web-frontend-02")
	s := tm.waitFor(shortWait, "ctrl+r fills in the last request from us-west-2")
	if strings.Contains(s, "alias/backup") {
		t.Fatalf("the KMS key is filled in before ctrl+r:\n%s", s)
	}
	tm.keys("C-r")
	s = tm.waitFor(shortWait, "Region us-east-1, request sent to us-east-1", "encrypted with alias/backup")
	if l := lineWith(s, "KMS key"); !strings.Contains(l, "alias/backup") {
		t.Errorf("ctrl+r did not fill in the KMS key: %q\n%s", l, s)
	}
	if l := lineWith(s, "Destination  "); !strings.Contains(l, "us-east-1") {
		t.Errorf("ctrl+r did not fill in the destination: %q\n%s", l, s)
	}
	tm.keys("C-s")
	tm.waitFor(shortWait, "Copies", "web-frontend-02")

	copies := watchList(t, env.statePath())
	if len(copies) != 2 {
		t.Fatalf("the state file holds %d copies, want 2", len(copies))
	}
	second := copies[1]
	deadline := time.Now().Add(shortWait)
	for len(sim.copiesMade("us-east-1")[second.RequestID]) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the simulator made no copy in us-east-1 for the second request %s", second.RequestID)
		}
		time.Sleep(100 * time.Millisecond)
	}
	made := sim.copiesMade("us-east-1")[second.RequestID][0]
	if !made.Encrypted || made.KmsKeyID != firstKey || firstKey == "" {
		t.Errorf("the second copy is encrypted %v with %q, want the first copy's key %q (alias/backup)", made.Encrypted, made.KmsKeyID, firstKey)
	}
	if n := sim.counts()["CopySnapshot us-east-1"]; n != 2 {
		t.Errorf("the simulator received %d CopySnapshot in us-east-1, want 2", n)
	}
	if r := second.Request; r.DestinationRegion != "us-east-1" || r.KmsKeyID != "alias/backup" || r.SourceSnapshotID == copies[0].Request.SourceSnapshotID {
		t.Errorf("the second request: %+v", r)
	}
	quit(tm)
}

// quit leaves the app, answering yes when it asks because a copy is still
// being started (the copy stays tracked in the state file).
func quit(tm *term) {
	tm.keys("q")
	s := tm.waitUntil(shortWait, "the app neither exited nor asked", func(s string) bool {
		return strings.Contains(s, "[exited ") || strings.Contains(s, "quit anyway?")
	})
	if strings.Contains(s, "quit anyway?") {
		tm.keys("y")
	}
	tm.waitExit()
}
