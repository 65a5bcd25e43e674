package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// TestRetryAndEditAFailedCopy sends a copy with a KMS alias the
// destination does not have: it fails. R says the same key will fail
// again, and on y sends the same request again as attempt 2 (a new request
// tag), shown under the failed copy; it fails the same way, and the copy
// counts once, failed. E opens the form filled with that request, on the
// KMS key; with the key fixed the new copy, attempt 3, completes and the
// copy counts as done. No other snapshot is touched.
func TestRetryAndEditAFailedCopy(t *testing.T) {
	t.Parallel()
	sim := startSim(t, simOptions{timeScale: 600, visibilityLag: time.Second})
	before := len(sim.snapshots("us-west-2"))
	env := sim.env(t)
	tm := startApp(t, 160, 40, env, "--endpoint-url", sim.url)
	tm.waitFor(shortWait, "40/40 snapshots")
	tm.keys("/")
	tm.typeText("web-frontend-01")
	tm.waitFor(shortWait, "1/40 snapshots")
	tm.keys("Enter", "Enter")
	tm.waitFor(shortWait, "(web-frontend-01) from us-west-2", "Destination type")
	tm.waitGone(shortWait, "not loaded yet")
	tm.keys("Tab", "Tab", "Tab", "Space", "Tab") // destination, description, encrypt (on), KMS key
	tm.typeText("alias/no-such-key")
	tm.waitFor(shortWait, "alias/no-such-key")
	tm.keys("C-s")
	// The destination does not list the alias: the form asks first.
	tm.waitFor(shortWait, "send anyway? y/n")
	tm.keys("y")
	tm.waitFor(copyWait, "0 done · 1 failed", "✗ failed")
	first := watchList(t, env.statePath())
	if len(first) != 1 || first[0].Phase != model.PhaseFailed {
		t.Fatalf("the state file holds %+v, want one failed copy", first)
	}

	tm.keys("R")
	tm.waitFor(shortWait, "the same KMS key alias/no-such-key will fail again (E changes it)", "as attempt 2 anyway? y/n")
	tm.keys("y")
	s := tm.waitFor(copyWait, "0 done · 1 failed", "↳ attempt 2")
	if countLines(s, "✗ failed") != 2 {
		t.Fatalf("the two failed attempts are not both shown:\n%s", s)
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.Contains(l, "web-frontend-01") && strings.Contains(l, "✗ failed") {
			if i+1 >= len(lines) || !strings.Contains(lines[i+1], "↳ attempt 2") {
				t.Errorf("attempt 2 is not shown under the failed copy:\n%s", s)
			}
			break
		}
	}
	copies := watchList(t, env.statePath())
	if len(copies) != 2 || copies[1].RetryOf != copies[0].RequestID || copies[1].Attempt != 2 {
		t.Fatalf("after R the state file holds %+v", copies)
	}
	made := sim.copiesMade("us-west-2")
	if len(made[copies[0].RequestID]) != 1 || len(made[copies[1].RequestID]) != 1 {
		t.Errorf("AWS does not hold one copy per request tag: %v", made)
	}
	sent := copies[1].Request
	if sent.KmsKeyID != "alias/no-such-key" || !sent.Encrypted || sent.SourceSnapshotID != copies[0].Request.SourceSnapshotID {
		t.Errorf("attempt 2 sent %+v, not the failed request", sent)
	}

	// E: the form, filled with the failed request, on the KMS key that
	// failed; fix the key and send.
	tm.keys("E")
	tm.waitFor(shortWait, "Destination type", "› KMS key", "alias/no-such-key")
	tm.waitGone(shortWait, "not loaded yet")
	tm.keys("C-u")
	tm.typeText("alias/backup")
	tm.waitGone(shortWait, "no-such-key")
	tm.keys("C-s")
	tm.waitFor(copyWait, "1 done · 0 failed", "↳ attempt 3")
	copies = watchList(t, env.statePath())
	if len(copies) != 3 || copies[2].Phase != model.PhaseCompleted || copies[2].Request.KmsKeyID != "alias/backup" ||
		copies[2].RetryOf != copies[1].RequestID || copies[2].Attempt != 3 {
		t.Fatalf("after E the state file holds %+v", copies[len(copies)-1])
	}
	if after := len(sim.snapshots("us-west-2")); after != before+3 {
		t.Errorf("us-west-2 holds %d snapshots, want the %d it had and the 3 copies", after, before)
	}
	if n := sim.counts()["DeleteSnapshot us-west-2"]; n != 0 {
		t.Errorf("DeleteSnapshot was sent %d times", n)
	}
	tm.keys("q")
	tm.waitExit()
}

// TestCancelARunningCopy cancels one of two running copies with C: the
// question names the copy and its destination, the copy is deleted from
// AWS and shown cancelled, and the other copy completes untouched.
func TestCancelARunningCopy(t *testing.T) {
	t.Parallel()
	sim, env, tm := startKafkaCopies(t)
	waitBothRunning(tm)
	before := len(sim.snapshots("us-west-2"))
	tm.keys("C")
	s := tm.waitFor(shortWait, "cancel the copy of", "to Region us-west-2", "? y/n")
	q := lineWith(s, "cancel the copy of")
	copies := watchList(t, env.statePath())
	var victim, other *model.Copy
	for _, c := range copies {
		if strings.Contains(q, c.Request.SourceSnapshotID) {
			victim = c
		} else {
			other = c
		}
	}
	if victim == nil || other == nil || !strings.Contains(q, victim.SnapshotID) {
		t.Fatalf("the question does not name one copy and its id: %q", q)
	}
	tm.keys("y")
	tm.waitFor(shortWait, "⊘ cancelled", "cancelled: the copy "+victim.SnapshotID+" was deleted in us-west-2")
	made := sim.copiesMade("us-west-2")
	if len(made[victim.RequestID]) != 0 {
		t.Errorf("the cancelled copy is still in AWS: %+v", made[victim.RequestID])
	}
	if len(made[other.RequestID]) != 1 {
		t.Errorf("the other copy is gone from AWS")
	}
	if after := len(sim.snapshots("us-west-2")); after != before-1 {
		t.Errorf("us-west-2 holds %d snapshots, want %d: only the cancelled copy deleted", after, before-1)
	}
	if n := sim.counts()["DeleteSnapshot us-west-2"]; n != 1 {
		t.Errorf("DeleteSnapshot was sent %d times, want once", n)
	}
	tm.waitFor(copyWait, "0 running · 1 done · 0 failed · 1 cancelled")
	for _, c := range watchList(t, env.statePath()) {
		want := model.PhaseCompleted
		if c.RequestID == victim.RequestID {
			want = model.PhaseCancelled
		}
		if c.Phase != want {
			t.Errorf("copy %s is recorded %s, want %s", c.RequestID, c.Phase, want)
		}
	}
	tm.keys("q")
	tm.waitExit()
}
