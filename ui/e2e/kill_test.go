package e2e

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// killApp ends the snapcopy process of the terminal with SIGKILL, as a
// crash, an OOM kill or a lost bastion host would: no chance to save.
func (tm *term) killApp() {
	tm.t.Helper()
	shell := strings.TrimSpace(tm.tmux("list-panes", "-t", tm.name, "-F", "#{pane_pid}"))
	children, err := os.ReadFile("/proc/" + shell + "/task/" + shell + "/children")
	if err != nil {
		tm.t.Fatalf("find the app under the terminal's shell %s: %v", shell, err)
	}
	fields := strings.Fields(string(children))
	if len(fields) == 0 {
		tm.t.Fatal("the app is not running")
	}
	for _, f := range fields {
		pid, _ := strconv.Atoi(f)
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			tm.t.Fatalf("kill %d: %v", pid, err)
		}
	}
	tm.waitFor(shortWait, "[exited 137]")
}

// TestKilledMidCopyAndResume kills the real binary right after the copies
// are submitted, wherever they are (recorded, sent, starting or running),
// then starts it again on the same state file: every copy resumes and
// completes, and AWS holds exactly one snapshot per copy.
func TestKilledMidCopyAndResume(t *testing.T) {
	t.Parallel()
	sim, env, tm := startKafkaCopies(t)
	tm.killApp()
	tm.close()
	if n := len(watchList(t, env.statePath())); n != 2 {
		t.Fatalf("after the kill the state file holds %d copies, want 2", n)
	}

	tm = startApp(t, 160, 40, env, "--endpoint-url", sim.url, "--watch")
	finishKafkaCopies(t, sim, env, tm)
}
