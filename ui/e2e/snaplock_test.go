package e2e

import (
	"encoding/json"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

// lockSim copies slowly enough that the copy is still pending when it is
// locked: a copy sent as the only one looks for a twin made elsewhere
// first (about 30 s), and only then is locked; at this scale the copy
// takes over a minute.
var lockSim = ec2sim.Options{Seed: 1, TimeScale: 50, VisibilityLag: time.Second}

// lockSource is the snapshot copied: 200 GiB, so a copy of it takes a
// while at lockSim's scale.
const lockSource = "build-cache"

// lockedSnapshot is one item of `aws ec2 describe-locked-snapshots`.
type lockedSnapshot struct {
	SnapshotID            string `json:"SnapshotId"`
	LockState             string
	LockDuration          int
	LockCreatedOn         time.Time
	LockDurationStartTime time.Time
	LockExpiresOn         time.Time
}

// describeLocked asks the AWS CLI for the lock of id in us-east-1.
func describeLocked(t *testing.T, endpoint, id string) lockedSnapshot {
	t.Helper()
	out := awsCLI(t, endpoint, "aws ec2 describe-locked-snapshots --region us-east-1 --snapshot-ids "+id+" --output json")
	var doc struct{ Snapshots []lockedSnapshot }
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Snapshots) != 1 {
		t.Fatalf("describe-locked-snapshots: %v\n%s", err, out)
	}
	return doc.Snapshots[0]
}

// checkLockedSevenDays checks that AWS holds the copy id locked in
// governance mode for 7 days counted from the copy's completion.
func checkLockedSevenDays(t *testing.T, sim *ec2sim.Server, endpoint, id string) {
	t.Helper()
	l := describeLocked(t, endpoint, id)
	done, ok := simtest.Snapshot(sim, "us-east-1", id)
	if !ok || done.State != model.StateCompleted {
		t.Fatalf("the copy %s is not completed in AWS: %+v", id, done)
	}
	if l.LockState != "governance" || l.LockDuration != 7 {
		t.Errorf("AWS holds the lock %+v, want governance for 7 days", l)
	}
	// Locked while pending: the 7 days count from the completion (AWS
	// writes times to the millisecond).
	completed := done.CompletionTime.Truncate(time.Millisecond)
	if !l.LockDurationStartTime.Equal(completed) || !l.LockCreatedOn.Before(completed) ||
		!l.LockExpiresOn.Equal(completed.Add(7*24*time.Hour)) {
		t.Errorf("lock %+v; the copy completed at %v", l, done.CompletionTime)
	}
}

// copy --lock governance:7d --wait: the copy completes locked, the lines
// say so, and AWS (through the AWS CLI) holds a governance lock of 7 days
// counted from the copy's completion, set by one LockSnapshot.
func TestCopyCommandLocksTheCopy(t *testing.T) {
	t.Parallel() // over a minute each, waiting on the copy
	needAWSCLI(t)
	sim, u := listenSim(t, lockSim)
	web, _ := sim.SnapshotByName("us-west-2", lockSource)
	env := newAppEnv(t, "AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret")
	out, errOut, code := runBinary(t, env.environ(), "copy", "--endpoint-url", u, "--region", "us-west-2", "--to", "us-east-1",
		"--lock", "governance:7d", "--wait", "--output", "json", web.ID)
	if code != 0 {
		t.Fatalf("exit %d; stderr %q; stdout:\n%s", code, errOut, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var last struct {
		CopySnapshot string `json:"copy_snapshot"`
		State        string
		SnapLock     struct {
			Step, Mode, State, Words string
			ExpiresOn                time.Time `json:"expires_on"`
		} `json:"snapshot_lock"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatal(err)
	}
	if last.State != "completed" || last.SnapLock.Step != "locked" || last.SnapLock.State != "governance" || !strings.HasPrefix(last.SnapLock.Words, "locked governance until ") {
		t.Errorf("last line: %s", lines[len(lines)-1])
	}
	if n := len(sim.Requests("LockSnapshot")); n != 1 {
		t.Errorf("the simulator received %d LockSnapshot, want 1", n)
	}
	checkLockedSevenDays(t, sim, u, last.CopySnapshot)
	if l := describeLocked(t, u, last.CopySnapshot); !l.LockExpiresOn.Equal(last.SnapLock.ExpiresOn) {
		t.Errorf("the line says the lock expires %v, AWS %v", last.SnapLock.ExpiresOn, l.LockExpiresOn)
	}
}

// SIGKILL right after AWS answered the CopySnapshot of `copy --lock`,
// then `snapcopy watch --plain`: the copy ends completed and locked, with
// exactly one LockSnapshot sent.
func TestKilledAfterTheCopyIsAnsweredWatchLocksIt(t *testing.T) {
	t.Parallel() // over a minute each, waiting on the copy
	needAWSCLI(t)
	sim, u := listenSim(t, lockSim)
	web, _ := sim.SnapshotByName("us-west-2", lockSource)
	env := newAppEnv(t, "AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret")
	cmd := exec.Command(binary(t), "copy", "--endpoint-url", u, "--region", "us-west-2", "--to", "us-east-1",
		"--lock", "governance:7d", "--wait", web.ID)
	cmd.Env = env.environ()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A bound on a hang, not a speed check.
	for deadline := time.Now().Add(time.Minute); len(sim.Requests("CopySnapshot")) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatal("no CopySnapshot reached the simulator")
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if n := len(sim.Requests("LockSnapshot")); n != 0 {
		t.Fatalf("locked before the kill (%d LockSnapshot): the copy was to look for twins first", n)
	}

	out, errOut, code := runBinary(t, env.environ(), "watch", "--plain", "--endpoint-url", u, "--region", "us-west-2")
	if code != 0 {
		t.Fatalf("watch: exit %d; stderr %q; stdout:\n%s", code, errOut, out)
	}
	copies := watchList(t, env.statePath())
	if len(copies) != 1 || copies[0].Phase != model.PhaseCompleted || copies[0].SnapLock.Step != model.SnapLockLocked {
		t.Fatalf("state file: %+v", copies)
	}
	if !strings.Contains(out, " · locked governance until ") {
		t.Errorf("the plain lines do not say the copy is locked:\n%s", out)
	}
	if n := len(sim.Requests("LockSnapshot")); n != 1 {
		t.Errorf("the simulator received %d LockSnapshot, want 1", n)
	}
	if n := len(sim.Requests("CopySnapshot")); n != 1 {
		t.Errorf("the simulator received %d CopySnapshot, want 1", n)
	}
	checkLockedSevenDays(t, sim, u, copies[0].SnapshotID)
}

// The pane's C on a locked copy, against `snapcopy simulate`: it says the
// copy is locked and until when, asks nothing, and no DeleteSnapshot
// reaches the simulator.
func TestCancelKeyOnALockedCopySaysSo(t *testing.T) {
	t.Parallel()
	requireTmux(t)
	sim := startSim(t, simOptions{timeScale: 1, visibilityLag: time.Second}) // the copy runs for the whole test
	env := sim.env(t)
	var src string
	for _, s := range sim.snapshots("us-west-2") {
		if s.Name() == lockSource {
			src = s.ID
		}
	}
	// --again: no look for a twin, so the copy is locked at once.
	out, errOut, code := runBinary(t, env.environ(), "copy", "--endpoint-url", sim.url, "--to", "us-east-1", "--lock", "governance:7d", "--again", src)
	if code != 0 || !strings.Contains(out, " · locked governance, 7 days from completion") {
		t.Fatalf("copy: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	tm := startApp(t, 200, 30, env, "--endpoint-url", sim.url, "--watch")
	tm.waitFor(shortWait, "running · locked")
	tm.keys("C")
	s := tm.waitFor(shortWait, "is locked governance, 7 days from completion: AWS refuses to delete a locked snapshot, so it is not cancelled")
	if strings.Contains(s, "y/n") {
		t.Errorf("C asks:\n%s", s)
	}
	tm.keys("y") // no question to answer: nothing happens
	tm.keys("q")
	tm.waitExit()
	for k, n := range sim.counts() {
		if strings.HasPrefix(k, "DeleteSnapshot") && n > 0 {
			t.Errorf("%d %s reached the simulator", n, k)
		}
	}
	if n := sim.counts()["LockSnapshot us-east-1"]; n != 1 {
		t.Errorf("%d LockSnapshot in us-east-1, want 1", n)
	}
}
