package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// stillRunning lists the processes of pids still running (a zombie, ended but
// not yet reaped by its parent, is not running).
func stillRunning(t *testing.T, pids []int) []string {
	t.Helper()
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc to look for processes in")
	}
	var alive []string
	for _, pid := range pids {
		stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
		if err != nil {
			continue // gone
		}
		// pid (comm) state ...: comm may hold spaces, so read from its
		// closing parenthesis.
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(f) == 0 || f[0] == "Z" {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
		alive = append(alive, fmt.Sprintf("%d %s", pid, strings.ReplaceAll(string(cmdline), "\x00", " ")))
	}
	return alive
}

// A credential_process that never answers (an SSO helper waiting on a
// browser) runs with snapcopy's deadline: snapcopy gives up with one
// sentence, or is stopped, and no process of the helper's is left.
func TestAHangingCredentialProcessIsEndedWithItsChildren(t *testing.T) {
	for _, stopped := range []bool{false, true} {
		t.Run(fmt.Sprintf("stopped %v", stopped), func(t *testing.T) {
			dir := t.TempDir()
			pidFile := filepath.Join(dir, "helper.pid")
			script := filepath.Join(dir, "helper.sh")
			// The helper and the two children it starts write their pids,
			// then it waits forever (exec: the waiting sleep has its pid).
			helper := "#!/bin/sh\necho $$ >> " + pidFile + "\nsleep 1000 &\necho $! >> " + pidFile +
				"\nsleep 1000 &\necho $! >> " + pidFile + "\nexec sleep 1000\n"
			if err := os.WriteFile(script, []byte(helper), 0o700); err != nil {
				t.Fatal(err)
			}
			config := filepath.Join(dir, "config")
			if err := os.WriteFile(config, []byte("[profile helper]\ncredential_process = "+script+"\nregion = us-west-2\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			env := []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "AWS_CONFIG_FILE=" + config,
				"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "none"), "AWS_EC2_METADATA_DISABLED=true", "XDG_STATE_HOME=" + dir}
			r := startStreamed(t, env, "watch", "--plain", "--profile", "helper", "--endpoint-url", "http://127.0.0.1:1")
			var pids []int
			for deadline := time.Now().Add(shortWait); len(pids) < 3 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				b, _ := os.ReadFile(pidFile)
				pids = pids[:0]
				for _, f := range strings.Fields(string(b)) {
					if pid, err := strconv.Atoi(f); err == nil {
						pids = append(pids, pid)
					}
				}
			}
			if len(pids) < 3 {
				t.Fatalf("the credential_process never started its children (pids %v):\n%s", pids, r.output())
			}
			t.Cleanup(func() {
				for _, pid := range pids {
					_ = syscall.Kill(pid, syscall.SIGKILL)
				}
			})
			time.Sleep(time.Second) // its children are started
			if stopped {
				_ = r.cmd.Process.Signal(syscall.SIGTERM)
			}
			code, _ := r.wait(time.Minute)
			want, wantCode := "no usable AWS credentials", 2
			if stopped {
				want, wantCode = "stopped", 143
			}
			if code != wantCode || !strings.Contains(r.stderrText(), want) {
				t.Errorf("exit %d, want %d saying %q:\n%s", code, wantCode, want, r.output())
			}
			noSDKLines(t, "output", r.output())
			// The kernel has ended them once snapcopy has exited; a moment
			// for the reaping.
			var alive []string
			for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
				if alive = stillRunning(t, pids); len(alive) == 0 {
					break
				}
			}
			if len(alive) > 0 {
				t.Errorf("processes of the credential_process left after snapcopy exited:\n%s", strings.Join(alive, "\n"))
			}
		})
	}
}
