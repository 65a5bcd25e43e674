package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// formForAll filters the list with filter, marks every row shown (want of
// them) and opens the copy form on them.
func formForAll(t *testing.T, tm *term, filter string, want int) {
	t.Helper()
	tm.keys("/")
	tm.typeText(filter)
	s := tm.waitFor(shortWait, itoa(want)+"/40 snapshots")
	if n := countLines(s, "snap-", filter); n != want {
		t.Fatalf("the filter %q shows %d rows, want %d:\n%s", filter, n, want, s)
	}
	tm.keys("Enter", "a")
	tm.waitFor(shortWait, "● "+itoa(want)+" marked")
	tm.keys("Enter")
	tm.waitFor(shortWait, "Copy "+itoa(want)+" snapshots from us-west-2", "Destination type")
	// The form is ready once the destination's encryption default is known.
	tm.waitGone(shortWait, "not loaded yet")
}

func itoa(n int) string { return strconv.Itoa(n) }

// checkCopiesMade checks that AWS holds exactly one snapshot for every copy
// of the state file, all in region and completed: none lost, none twice.
func checkCopiesMade(t *testing.T, sim *simProc, statePath, region string, want int) {
	t.Helper()
	copies := watchList(t, statePath)
	if len(copies) != want {
		t.Fatalf("the state file holds %d copies, want %d", len(copies), want)
	}
	made := sim.copiesMade(region)
	if len(made) != want {
		t.Errorf("%s holds %d copies made by snapcopy, want %d", region, len(made), want)
	}
	for _, c := range copies {
		snaps := made[c.RequestID]
		if len(snaps) != 1 {
			t.Errorf("copy %s (of %s): AWS holds %d snapshots with its request id, want exactly 1", c.RequestID, c.Request.SourceSnapshotID, len(snaps))
			continue
		}
		if snaps[0].ID != c.SnapshotID || c.Phase != model.PhaseCompleted || snaps[0].State != model.StateCompleted {
			t.Errorf("copy %s: recorded %s %s, AWS holds %s %s; want the same id, completed", c.RequestID, c.SnapshotID, c.Phase, snaps[0].ID, snaps[0].State)
		}
	}
}

// startKafkaCopies runs the app against a fresh simulator whose 1000 GiB
// copies take about 30 s, copies both kafka-broker snapshots within
// us-west-2, and waits for the progress pane.
func startKafkaCopies(t *testing.T) (*simProc, *appEnv, *term) {
	t.Helper()
	sim := startSim(t, simOptions{timeScale: 600, visibilityLag: time.Second})
	env := sim.env(t)
	tm := startApp(t, 160, 40, env, "--endpoint-url", sim.url)
	tm.waitFor(shortWait, "40/40 snapshots")
	formForAll(t, tm, "kafka-broker", 2)
	tm.keys("C-s")
	tm.waitFor(shortWait, "Copies", "SOURCE")
	return sim, env, tm
}

// waitBothRunning waits until both kafka copies run, and returns the screen.
func waitBothRunning(tm *term) string {
	tm.t.Helper()
	return tm.waitUntil(copyWait, "the copies never both ran", func(s string) bool {
		return countLines(s, "kafka-broker-", " running ") == 2
	})
}

// finishKafkaCopies waits for both kafka copies to be shown completed,
// checks AWS holds exactly one snapshot for each, and quits.
func finishKafkaCopies(t *testing.T, sim *simProc, env *appEnv, tm *term) {
	t.Helper()
	s := tm.waitFor(copyWait, "0 running · 2 done · 0 failed")
	if n := countLines(s, "kafka-broker-", "✓ completed"); n != 2 {
		t.Fatalf("%d copies shown completed, want 2:\n%s", n, s)
	}
	checkCopiesMade(t, sim, env.statePath(), "us-west-2", 2)
	tm.keys("q")
	tm.waitExit()
}

// TestThrottlingStorm throttles every call while copies start, then half
// of them: the app says it is waiting on throttling, keeps the copies, and
// brings both to completed without starting either twice.
func TestThrottlingStorm(t *testing.T) {
	t.Parallel()
	sim := startSim(t, simOptions{timeScale: 200, visibilityLag: time.Second})
	env := sim.env(t)
	tm := startApp(t, 160, 40, env, "--endpoint-url", sim.url)
	tm.waitFor(shortWait, "40/40 snapshots")
	formForAll(t, tm, "web-frontend", 2)
	tm.keys("Tab", "C-u")
	tm.typeText("us-east-1")
	tm.waitFor(shortWait, "2 copies to Region us-east-1")
	tm.waitGone(shortWait, "not loaded yet")

	sim.setFaults(`{"throttleRate": 1}`)
	tm.keys("C-s")
	s := tm.waitFor(shortWait, "Copies", "retrying in", "RequestLimitExceeded")
	t.Logf("while every call is throttled:\n%s", s)
	if countLines(s, "web-frontend-0") != 2 {
		t.Fatalf("the copies are not both shown while throttled:\n%s", s)
	}
	if strings.Contains(s, "✗ failed") {
		t.Fatalf("throttling failed a copy:\n%s", s)
	}

	// Quitting while copies are not yet accepted by AWS asks first; n stays.
	tm.keys("q")
	tm.waitFor(shortWait, "2 copies not yet accepted by AWS", "quit anyway? y/n")
	tm.keys("n")
	tm.waitGone(shortWait, "quit anyway?")
	tm.waitFor(shortWait, "Copies")

	sim.setFaults(`{"throttleRate": 0.5}`)
	s = tm.waitFor(copyWait, "0 running · 2 done · 0 failed")
	sim.setFaults(`{}`)
	if n := countLines(s, "✓ completed", "us-east-1"); n != 2 {
		t.Fatalf("%d copies shown completed to us-east-1, want 2:\n%s", n, s)
	}
	checkCopiesMade(t, sim, env.statePath(), "us-east-1", 2)
	if n := sim.counts()["CopySnapshot us-east-1"]; n < 3 {
		t.Errorf("CopySnapshot was sent %d times to us-east-1; at least one throttled and two accepted were expected", n)
	}
	tm.keys("q")
	tm.waitExit()
}

// TestSimulatorRestart stops the EC2 endpoint while two copies run and
// starts it again from its saved world: the app says the endpoint cannot
// be reached, keeps retrying, and follows both copies to completed
// without sending CopySnapshot again.
func TestSimulatorRestart(t *testing.T) {
	t.Parallel()
	// 1000 GiB copies take about 30 s: long enough to stop the endpoint in the middle.
	sim, env, tm := startKafkaCopies(t)
	s := waitBothRunning(tm)
	if strings.Contains(s, "2 done") {
		t.Fatalf("the copies finished before the endpoint could be stopped:\n%s", s)
	}
	if n := sim.counts()["CopySnapshot us-west-2"]; n != 2 {
		t.Fatalf("CopySnapshot was sent %d times before the stop, want 2", n)
	}

	sim.stop()
	// The status leads with what to do; the network's own words come last
	// and may be cut at the terminal's width.
	s = tm.waitFor(copyWait, "retrying in", "the EC2 endpoint cannot be reached")
	t.Logf("while the endpoint is down:\n%s", s)
	if strings.Contains(s, "✗ failed") || countLines(s, "kafka-broker-") != 2 {
		t.Fatalf("with the endpoint down a copy failed or is gone:\n%s", s)
	}

	sim.start()
	finishKafkaCopies(t, sim, env, tm)
	if n := sim.counts()["CopySnapshot us-west-2"]; n != 0 {
		t.Errorf("CopySnapshot was sent %d times after the restart; the copies were already made", n)
	}
}

// TestQuitMidCopyAndResume quits while two copies run; a new run with
// --watch opens on the progress pane, follows both to completed and sends
// no CopySnapshot again.
func TestQuitMidCopyAndResume(t *testing.T) {
	t.Parallel()
	sim, env, tm := startKafkaCopies(t)
	s := waitBothRunning(tm)
	if strings.Contains(s, "2 done") {
		t.Fatalf("the copies finished before the app could be quit:\n%s", s)
	}
	tm.keys("q") // running copies are AWS's now: no question
	tm.waitExit()
	tm.close()
	for _, c := range watchList(t, env.statePath()) {
		if c.Phase != model.PhaseRunning || c.SnapshotID == "" {
			t.Fatalf("after quitting, copy %s is recorded %s with id %q; want running with its id", c.RequestID, c.Phase, c.SnapshotID)
		}
	}

	tm = startApp(t, 160, 40, env, "--endpoint-url", sim.url, "--watch")
	s = tm.waitFor(shortWait, "Copies", "SOURCE")
	if n := countLines(s, "kafka-broker-"); n != 2 {
		t.Fatalf("the new run shows %d of the 2 copies:\n%s", n, s)
	}
	finishKafkaCopies(t, sim, env, tm)
	if n := sim.counts()["CopySnapshot us-west-2"]; n != 2 {
		t.Errorf("CopySnapshot was sent %d times in all, want 2", n)
	}
}

// TestCredentialsExpire expires the credentials while two copies run: the
// app pauses, says how to go on and stops calling AWS; after renewal, r
// resumes and both copies complete.
func TestCredentialsExpire(t *testing.T) {
	t.Parallel()
	sim, env, tm := startKafkaCopies(t)
	waitBothRunning(tm)

	sim.setFaults(`{"expiredCredentials": true}`)
	s := tm.waitFor(copyWait, "credentials expired", "then press r", "paused")
	if strings.Contains(s, "✗ failed") || countLines(s, "kafka-broker-") != 2 {
		t.Fatalf("expired credentials failed or lost a copy:\n%s", s)
	}

	// Paused: no call goes to AWS until the operator says so.
	before := sim.counts()
	time.Sleep(model.PollInterval + 2*time.Second)
	after := sim.counts()
	for k, n := range after {
		if n != before[k] {
			t.Errorf("while paused the app sent %s %d more times", k, n-before[k])
		}
	}
	if s := tm.screen(); !strings.Contains(s, "then press r") {
		t.Fatalf("the pause was lifted without r:\n%s", s)
	}

	sim.setFaults(`{}`)
	tm.keys("r")
	tm.waitGone(copyWait, "paused")
	finishKafkaCopies(t, sim, env, tm)
}

// TestResizeSmallAndBack shrinks the terminal to 40x10 while copies run,
// on the progress pane, the list and the help, then grows it back: every
// screen still starts with its title, and no copy is lost.
func TestResizeSmallAndBack(t *testing.T) {
	t.Parallel()
	sim, env, tm := startKafkaCopies(t)

	tm.resize(40, 10)
	s := tm.waitUntil(shortWait, "the progress pane did not fit 40x10", func(s string) bool {
		return strings.HasPrefix(s, "Copies") && countLines(s, "snap-") >= 2
	})
	t.Logf("progress pane at 40x10:\n%s", s)
	checkFits(t, s, 10)

	tm.keys("Escape")
	s = tm.waitUntil(shortWait, "the list did not fit 40x10", func(s string) bool {
		first, _, _ := strings.Cut(s, "\n")
		return strings.Contains(first, "us-west-2") && countLines(s, "snap-0") == 2
	})
	t.Logf("list at 40x10:\n%s", s)
	checkFits(t, s, 10)

	tm.keys("?")
	s = tm.waitFor(shortWait, "snapcopy keys")
	checkFits(t, s, 10)
	tm.keys("Escape")
	tm.waitGone(shortWait, "snapcopy keys")

	tm.keys("p")
	tm.waitUntil(shortWait, "the progress pane did not come back", func(s string) bool { return strings.HasPrefix(s, "Copies") })
	tm.resize(160, 40)
	tm.waitFor(shortWait, "SOURCE", "DESTINATION")
	finishKafkaCopies(t, sim, env, tm)
}

// checkFits checks a screen has no more lines than the terminal and its
// first line is not blank: a view taller than the terminal, or with lines
// wider than it (which the terminal wraps), pushes its title off the top.
func checkFits(t *testing.T, s string, h int) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > h {
		t.Errorf("the screen has %d lines at height %d:\n%s", len(lines), h, s)
	}
	if strings.TrimSpace(lines[0]) == "" {
		t.Errorf("the first line is blank:\n%s", s)
	}
}
