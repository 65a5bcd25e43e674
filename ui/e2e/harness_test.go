package e2e

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The end-to-end tests build the real snapcopy binary, run it in a tmux
// session, type with send-keys and read the screen with capture-pane.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds snapcopy once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "snapcopy-e2e-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "snapcopy")
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// requireTmux skips when tmux is absent, except in CI where it must be there.
func requireTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("SNAPCOPY_REQUIRE_PEERS") != "" {
			t.Fatal("tmux is not installed")
		}
		fmt.Println("tmux not found: skipping the end-to-end tests")
		t.Skip("tmux not found")
	}
}

// term is one tmux session running a command.
type term struct {
	t      *testing.T
	socket string
	name   string
}

// startTerm runs argv in a new detached tmux session of the given size,
// with env added to a minimal environment.
func startTerm(t *testing.T, width, height int, env []string, argv ...string) *term {
	t.Helper()
	requireTmux(t)
	tm := &term{t: t, socket: filepath.Join(t.TempDir(), "tmux.sock"), name: "snapcopy"}
	base := []string{
		"HOME=" + t.TempDir(),
		"PATH=" + os.Getenv("PATH"),
		"TERM=xterm-256color",
		"LANG=C.UTF-8",
		"XDG_STATE_HOME=" + t.TempDir(),
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true",
	}
	var shell strings.Builder
	for _, kv := range append(base, env...) {
		shell.WriteString(shellQuote(kv) + " ")
	}
	for _, a := range argv {
		shell.WriteString(shellQuote(a) + " ")
	}
	// Keep the pane after the program exits so its last screen can be read.
	tm.tmux("-f", "/dev/null", "new-session", "-d", "-s", tm.name, "-x", fmt.Sprint(width), "-y", fmt.Sprint(height),
		"env -i "+shell.String()+"; echo '[exited]'; sleep 3600")
	tm.tmux("set-option", "-t", tm.name, "remain-on-exit", "on")
	t.Cleanup(func() { exec.Command("tmux", "-S", tm.socket, "kill-server").Run() })
	return tm
}

func (tm *term) tmux(args ...string) string {
	tm.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-S", tm.socket}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		tm.t.Fatalf("tmux %v: %v: %s", args, err, errb.String())
	}
	return out.String()
}

// keys types tmux key names ("Down", "Enter", "C-s", "Tab", "BTab", "Escape").
func (tm *term) keys(keys ...string) {
	tm.t.Helper()
	for _, k := range keys {
		tm.tmux("send-keys", "-t", tm.name, k)
		time.Sleep(60 * time.Millisecond)
	}
}

// typeText types literal text.
func (tm *term) typeText(s string) {
	tm.t.Helper()
	tm.tmux("send-keys", "-t", tm.name, "-l", s)
	time.Sleep(100 * time.Millisecond)
}

// screen is what the terminal shows now.
func (tm *term) screen() string {
	tm.t.Helper()
	return tm.tmux("capture-pane", "-p", "-t", tm.name)
}

// waitFor polls the screen until every want is on it, or fails showing the
// last screen. The wait bounds a hang; it is not a speed assertion.
func (tm *term) waitFor(timeout time.Duration, want ...string) string {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	var s string
	for {
		s = tm.screen()
		if containsAll(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("screen never showed %q; last screen:\n%s", want, s)
		}
		time.Sleep(150 * time.Millisecond)
	}
}

// waitGone polls until none of the strings is on screen.
func (tm *term) waitGone(timeout time.Duration, gone ...string) string {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := tm.screen()
		hit := false
		for _, g := range gone {
			if strings.Contains(s, g) {
				hit = true
			}
		}
		if !hit {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("screen still shows one of %q; last screen:\n%s", gone, s)
		}
		time.Sleep(150 * time.Millisecond)
	}
}

func (tm *term) resize(w, h int) {
	tm.t.Helper()
	tm.tmux("resize-window", "-t", tm.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h))
}

func containsAll(s string, want []string) bool {
	for _, w := range want {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// freePort finds a free loopback port for a simulator process.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
