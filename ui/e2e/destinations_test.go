package e2e

import (
	"strings"
	"testing"
	"time"
)

// outpostArn is the simulator's Outpost, associated with us-west-2.
const outpostArn = "arn:aws:outposts:us-west-2:123456789012:outpost/op-0abc1234def567890"

// startOnSim starts a simulator whose copies finish in seconds and the app
// against it through --endpoint-url, and waits for the list.
func startOnSim(t *testing.T) (*simProc, *appEnv, *term) {
	t.Helper()
	sim := startSim(t, simOptions{timeScale: 200, visibilityLag: time.Second})
	env := sim.env(t)
	tm := startApp(t, 160, 40, env, "--endpoint-url", sim.url)
	tm.waitFor(shortWait, "account 123456789012 · us-west-2 · owned · 40/40 snapshots")
	return sim, env, tm
}

// openFormFor filters the list down to the snapshot named name and opens
// the copy form on it. It returns the snapshot's id.
func openFormFor(t *testing.T, tm *term, name string) string {
	t.Helper()
	tm.keys("/")
	tm.typeText(name)
	s := tm.waitFor(shortWait, "1/40 snapshots", name)
	id := snapshotID(t, lineWith(s, name))
	tm.keys("Enter", "Enter") // keep the filter, copy the row
	tm.waitFor(shortWait, "Copy "+id+" ("+name+") from us-west-2", "Destination type")
	return id
}

// TestCopyToLocalZone copies a regional snapshot into a Local Zone of its
// Region: the form refuses a duration there, the request goes to the
// parent Region, and the copy AWS holds is in the zone.
func TestCopyToLocalZone(t *testing.T) {
	t.Parallel()
	sim, _, tm := startOnSim(t)
	id := openFormFor(t, tm, "web-frontend-01")

	tm.keys("Right", "Right")
	tm.waitFor(shortWait, "● Local Zone", "Local Zones")
	tm.keys("Tab", "C-u")
	tm.typeText("us-west-2-lax-1a")
	tm.waitFor(shortWait, "Local Zone us-west-2-lax-1a, request sent to us-west-2")

	// A time-based copy cannot go to a Local Zone: said as it is typed.
	tm.keys("Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab") // description, encrypt, KMS key, source tags, tag key, tag value, duration
	tm.typeText("15")
	s := tm.waitFor(shortWait, "✗")
	if l := lineWith(s, "✗"); !strings.Contains(l, "Local Zone") {
		t.Fatalf("the duration error does not name the Local Zone: %q\n%s", l, s)
	}
	tm.keys("BSpace", "BSpace")
	tm.waitGone(shortWait, "✗")

	tm.keys("C-s")
	s = tm.waitFor(copyWait, "0 running · 1 done · 0 failed")
	if l := lineWith(s, id); !strings.Contains(l, "us-west-2-lax-1a") || !strings.Contains(l, "✓ completed") {
		t.Fatalf("the copy of %s is not shown completed into us-west-2-lax-1a: %q\n%s", id, l, s)
	}

	made := sim.copiesMade("us-west-2")
	if len(made) != 1 {
		t.Fatalf("us-west-2 holds %d copies made by snapcopy, want 1: %v", len(made), made)
	}
	for _, snaps := range made {
		c := snaps[0]
		if len(snaps) != 1 || c.AvailabilityZone != "us-west-2-lax-1a" || !strings.Contains(c.Description, id) || c.State != "completed" {
			t.Fatalf("the copy AWS holds: %d with this request id, zone %q, description %q, state %s; want one completed copy of %s in us-west-2-lax-1a",
				len(snaps), c.AvailabilityZone, c.Description, c.State, id)
		}
		if l := lineWith(s, c.ID); l == "" {
			t.Errorf("the copy's id %s is not on screen:\n%s", c.ID, s)
		}
	}
	if n := sim.counts()["CopySnapshot us-west-2"]; n != 1 {
		t.Errorf("CopySnapshot was sent %d times to us-west-2, want 1", n)
	}
	tm.keys("q")
	tm.waitExit()
}

// TestCopyToOutpost copies an unencrypted snapshot to the Outpost: the form
// forces encryption on and says why, and the copy AWS holds is encrypted
// and on the Outpost.
func TestCopyToOutpost(t *testing.T) {
	t.Parallel()
	sim, _, tm := startOnSim(t)
	id := openFormFor(t, tm, "web-frontend-02")
	tm.waitFor(shortWait, "8 GiB · unencrypted")

	tm.keys("Right")
	tm.waitFor(shortWait, "● Outpost")
	tm.keys("Tab", "C-u")
	tm.typeText(outpostArn)
	s := tm.waitFor(shortWait, "Outpost "+outpostArn+", request sent to us-west-2")
	if l := lineWith(s, "Encrypt "); !strings.Contains(l, "[x] on") || !strings.Contains(l, "copies to an Outpost must be encrypted") {
		t.Fatalf("encryption is not shown forced on for the Outpost: %q\n%s", l, s)
	}

	// Turning encryption off is refused, with the reason.
	tm.keys("Tab", "Tab", "Space") // description, encrypt
	s = tm.waitFor(shortWait, "encryption is forced on: copies to an Outpost must be encrypted")
	if l := lineWith(s, "Encrypt "); !strings.Contains(l, "[x] on") {
		t.Fatalf("space turned the forced encryption off: %q\n%s", l, s)
	}

	tm.keys("C-s")
	s = tm.waitFor(copyWait, "0 running · 1 done · 0 failed")
	if l := lineWith(s, id); !strings.Contains(l, "op-0abc1234def5") || !strings.Contains(l, "✓ completed") {
		t.Fatalf("the copy of %s is not shown completed on the Outpost: %q\n%s", id, l, s)
	}

	made := sim.copiesMade("us-west-2")
	if len(made) != 1 {
		t.Fatalf("us-west-2 holds %d copies made by snapcopy, want 1: %v", len(made), made)
	}
	for _, snaps := range made {
		c := snaps[0]
		if len(snaps) != 1 || c.OutpostArn != outpostArn || !c.Encrypted || c.State != "completed" {
			t.Fatalf("the copy AWS holds: %d with this request id, Outpost %q, encrypted %v, state %s; want one completed, encrypted copy on %s",
				len(snaps), c.OutpostArn, c.Encrypted, c.State, outpostArn)
		}
	}
	if n := sim.counts()["CopySnapshot us-west-2"]; n != 1 {
		t.Errorf("CopySnapshot was sent %d times to us-west-2, want 1", n)
	}
	tm.keys("q")
	tm.waitExit()
}

// TestDryRun checks permissions without copying: AWS's answer is shown on
// the form, nothing is tracked and no snapshot is made; with the
// permission denied, the dry run says so.
func TestDryRun(t *testing.T) {
	t.Parallel()
	sim, env, tm := startOnSim(t)
	openFormFor(t, tm, "build-cache")

	tm.keys("Tab", "C-u")
	tm.typeText("eu-west-1")
	tm.waitFor(shortWait, "Region eu-west-1, request sent to eu-west-1")
	for range 9 { // description, encrypt, KMS key, source tags, tag key, tag value, duration, lock, dry run
		tm.keys("Tab")
	}
	tm.keys("Space")
	tm.waitFor(shortWait, "[x] on  checks IAM permissions only, not the KMS key: no copy is made", "dry run only")

	tm.keys("C-s")
	// A granted dry run is an info line of the shared status line: no marker.
	s := tm.waitFor(shortWait, "dry run: permission granted: the copy would be accepted")
	if l := lineWith(s, "dry run: permission granted"); strings.HasPrefix(l, "✗") || strings.HasPrefix(l, "!") {
		t.Fatalf("a granted dry run is marked as a problem: %q", l)
	}
	if !strings.Contains(s, "Copy ") || strings.Contains(s, "Copies ") {
		t.Fatalf("a dry run left the form:\n%s", s)
	}

	sim.setFaults(`{"denyPermission": true, "actions": ["CopySnapshot"]}`)
	tm.keys("C-s")
	s = tm.waitFor(shortWait, "✗ dry run: permission missing")
	if strings.Contains(s, "permission granted") {
		t.Fatalf("the old answer is still shown beside the new one:\n%s", s)
	}
	sim.setFaults(`{}`)

	if n := sim.counts()["CopySnapshot eu-west-1"]; n != 2 {
		t.Errorf("CopySnapshot was sent %d times to eu-west-1, want 2 (two dry runs)", n)
	}
	if made := sim.copiesMade("eu-west-1"); len(made) != 0 {
		t.Errorf("a dry run made copies: %v", made)
	}

	// Nothing is tracked.
	tm.keys("Escape")
	tm.waitFor(shortWait, "1/40 snapshots", "filter: build-cache")
	tm.keys("p")
	tm.waitFor(shortWait, "No copies tracked")
	if copies := watchList(t, env.statePath()); len(copies) != 0 {
		t.Errorf("a dry run recorded %d copies in the state file", len(copies))
	}
	tm.keys("q")
	tm.waitExit()
}
