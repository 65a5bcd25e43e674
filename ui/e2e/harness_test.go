package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
)

// The end-to-end tests build the real snapcopy binary, run it in a tmux
// session, type with send-keys and read the screen with capture-pane.
// Scenarios on a separate simulator start `snapcopy simulate` as a process
// and reach it the way an operator would, through --endpoint-url.

// Waits bound hangs; they are not speed assertions. They are long because
// the machine running the tests may be busy with other work.
const (
	shortWait = 20 * time.Second
	copyWait  = 3 * time.Minute
)

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

// TestMain removes the built binary when the tests are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// repoRoot is the module root, found from this file's path.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// binary builds snapcopy once per test run, with the race detector: a
// data race in the real program, driven as an operator drives it, fails
// the test that met it (the report shows on screen or on standard error).
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "snapcopy-e2e-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binDir, binPath = dir, filepath.Join(dir, "snapcopy")
		cmd := exec.Command("go", "build", "-race", "-o", binPath, ".")
		cmd.Dir = repoRoot()
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

// shortTempDir is a temporary directory with a short path: a tmux socket
// path must fit in 108 bytes, which t.TempDir (named after the test) may not.
func shortTempDir(t *testing.T, prefix string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// appEnv is the environment of one operator: a home and a state directory
// that outlive a run of the app, so a second run finds the first one's copies.
type appEnv struct {
	home, state string
	vars        []string
}

func newAppEnv(t *testing.T, vars ...string) *appEnv {
	t.Helper()
	return &appEnv{home: t.TempDir(), state: t.TempDir(), vars: vars}
}

// environ is the whole environment the app runs with: nothing inherited
// but PATH, and no AWS configuration file, so the machine running the tests
// cannot change what the app does.
func (e *appEnv) environ() []string {
	return append([]string{
		"HOME=" + e.home,
		"PATH=" + os.Getenv("PATH"),
		"TERM=xterm-256color",
		"LANG=C.UTF-8",
		"XDG_STATE_HOME=" + e.state,
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true",
		// The host's copy locks of this operator's runs, not the machine's
		// (a test's own later value wins: exec keeps the last of a name).
		"SNAPCOPY_LOCK_DIR=" + filepath.Join(e.state, "locks"),
		// The simulators here show a new copy within 2 s: the demo's
		// settle delay, past that lag, keeps each copy's twin look short.
		"SNAPCOPY_SETTLE_DELAY=5s",
	}, e.vars...)
}

// demoStatePath is where --demo keeps its copies for this environment.
func (e *appEnv) demoStatePath() string {
	return filepath.Join(e.state, "snapcopy", "demo-copies.json")
}

// statePath is where the app keeps its copies for this environment.
func (e *appEnv) statePath() string {
	return filepath.Join(e.state, "snapcopy", "copies.json")
}

// term is one tmux session running a command.
type term struct {
	t      *testing.T
	socket string
	name   string
}

// startTerm runs argv in a new detached tmux session of the given size,
// with exactly the environment env. When the command ends the pane shows
// "[exited N]" with its exit code, and stays for the screen to be read.
func startTerm(t *testing.T, width, height int, env []string, argv ...string) *term {
	t.Helper()
	requireTmux(t)
	tm := &term{t: t, socket: filepath.Join(shortTempDir(t, "sc-tmux-"), "sock"), name: "snapcopy"}
	var shell strings.Builder
	shell.WriteString("env -i ")
	for _, kv := range env {
		shell.WriteString(shellQuote(kv) + " ")
	}
	for _, a := range argv {
		shell.WriteString(shellQuote(a) + " ")
	}
	shell.WriteString("; echo \"[exited $?]\"; sleep 3600")
	// The script is run by /bin/sh itself, not by the user's shell, which
	// tmux would otherwise choose from $SHELL.
	tm.tmux("-f", "/dev/null", "new-session", "-d", "-s", tm.name, "-x", fmt.Sprint(width), "-y", fmt.Sprint(height),
		"/bin/sh", "-c", shell.String())
	tm.tmux("set-option", "-t", tm.name, "remain-on-exit", "on")
	t.Cleanup(tm.close)
	return tm
}

// startApp runs snapcopy with args in a terminal of the given size.
func startApp(t *testing.T, width, height int, e *appEnv, args ...string) *term {
	t.Helper()
	return startTerm(t, width, height, e.environ(), append([]string{binary(t)}, args...)...)
}

// close ends the tmux server and what runs in it.
func (tm *term) close() {
	cmd := exec.Command("tmux", "-S", tm.socket, "kill-server")
	cmd.Env = tmuxEnv()
	_ = cmd.Run()
}

// tmuxEnv is the tests' environment without TMUX, so tests run from inside
// a tmux session drive their own server and not a nested one.
func tmuxEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TMUX=") && !strings.HasPrefix(kv, "TMUX_PANE=") {
			env = append(env, kv)
		}
	}
	return env
}

func (tm *term) tmux(args ...string) string {
	tm.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-S", tm.socket}, args...)...)
	cmd.Env = tmuxEnv()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		tm.t.Fatalf("tmux %v: %v: %s", args, err, errb.String())
	}
	return out.String()
}

// keys types tmux key names ("Down", "Enter", "C-s", "Tab", "BTab",
// "Escape", "Space"), one at a time, as a person would.
func (tm *term) keys(keys ...string) {
	tm.t.Helper()
	for _, k := range keys {
		tm.tmux("send-keys", "-t", tm.name, k)
		time.Sleep(80 * time.Millisecond)
	}
}

// typeText types literal text.
func (tm *term) typeText(s string) {
	tm.t.Helper()
	tm.tmux("send-keys", "-t", tm.name, "-l", s)
	time.Sleep(120 * time.Millisecond)
}

// screen is what the terminal shows now.
func (tm *term) screen() string {
	tm.t.Helper()
	return tm.tmux("capture-pane", "-p", "-t", tm.name)
}

// screenWithAttributes is the screen with its colours and attributes as
// escape sequences.
func (tm *term) screenWithAttributes() string {
	tm.t.Helper()
	return tm.tmux("capture-pane", "-p", "-e", "-t", tm.name)
}

// waitFor polls the screen until every want is on it, or fails showing the
// last screen. The wait bounds a hang; it is not a speed assertion.
func (tm *term) waitFor(timeout time.Duration, want ...string) string {
	tm.t.Helper()
	return tm.waitUntil(timeout, fmt.Sprintf("screen never showed %q", want), func(s string) bool { return containsAll(s, want) })
}

// waitUntil polls the screen until ok says yes, or fails with what.
func (tm *term) waitUntil(timeout time.Duration, what string, ok func(screen string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := tm.screen()
		if ok(s) {
			return s
		}
		if crashed(s) {
			tm.t.Fatalf("the app crashed; screen:\n%s", s)
		}
		if strings.Contains(s, "[exited ") {
			tm.t.Fatalf("%s: the app exited; screen:\n%s", what, s)
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("%s; last screen:\n%s", what, s)
		}
		time.Sleep(150 * time.Millisecond)
	}
}

// waitGone polls until none of the strings is on screen.
func (tm *term) waitGone(timeout time.Duration, gone ...string) string {
	tm.t.Helper()
	return tm.waitUntil(timeout, fmt.Sprintf("screen still shows one of %q", gone), func(s string) bool {
		for _, g := range gone {
			if strings.Contains(s, g) {
				return false
			}
		}
		return true
	})
}

// waitExit waits for the program to end and checks it ended with code 0.
func (tm *term) waitExit() string {
	tm.t.Helper()
	s := tm.waitUntil(shortWait, "the app did not exit", func(s string) bool { return strings.Contains(s, "[exited ") })
	if !strings.Contains(s, "[exited 0]") {
		tm.t.Fatalf("the app exited with an error; screen:\n%s", s)
	}
	return s
}

// crashed reports a Go panic, or a data race the race detector found,
// while a test still waits for a screen.
func crashed(s string) bool {
	return strings.Contains(s, "panic:") || strings.Contains(s, "goroutine ") && strings.Contains(s, "[running]") ||
		strings.Contains(s, raceReport)
}

// raceReport begins the race detector's report of a data race.
const raceReport = "WARNING: DATA RACE"

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

// lineWith returns the first screen line containing every one of parts, or "".
func lineWith(screen string, parts ...string) string {
	for _, l := range strings.Split(screen, "\n") {
		if containsAll(l, parts) {
			return l
		}
	}
	return ""
}

// countLines counts the screen lines containing every one of parts.
func countLines(screen string, parts ...string) int {
	n := 0
	for _, l := range strings.Split(screen, "\n") {
		if containsAll(l, parts) {
			n++
		}
	}
	return n
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

// simOptions are the flags of one `snapcopy simulate` process.
type simOptions struct {
	timeScale     float64
	visibilityLag time.Duration
	seed          int64
}

// simProc is a `snapcopy simulate` process on a fixed port, keeping its
// world in a state file so it can be stopped and started again.
type simProc struct {
	t         *testing.T
	opts      simOptions
	port      int
	url       string
	stateFile string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	logs bytes.Buffer
}

// startSim starts a simulator and stops it when the test ends.
func startSim(t *testing.T, o simOptions) *simProc {
	t.Helper()
	s := &simProc{t: t, opts: o, port: freePort(t), stateFile: filepath.Join(t.TempDir(), "world.json")}
	s.url = fmt.Sprintf("http://127.0.0.1:%d", s.port)
	s.start()
	t.Cleanup(s.stop)
	return s
}

// start runs the simulator and waits until it listens. Restarted on its
// old port, it tries again for a while if the port is still taken (by a
// connection that happened to get it as its local port meanwhile).
func (s *simProc) start() {
	s.t.Helper()
	for try := 0; ; try++ {
		err := s.startOnce()
		if err == nil {
			return
		}
		if try >= 20 || !strings.Contains(err.Error(), "address already in use") {
			s.t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func (s *simProc) startOnce() error {
	s.t.Helper()
	args := []string{"simulate",
		"--listen", fmt.Sprintf("127.0.0.1:%d", s.port),
		"--state-file", s.stateFile,
		"--seed", fmt.Sprint(s.opts.seed),
	}
	if s.opts.timeScale > 0 {
		args = append(args, "--time-scale", fmt.Sprint(s.opts.timeScale))
	}
	if s.opts.visibilityLag > 0 {
		args = append(args, "--visibility-lag", s.opts.visibilityLag.String())
	}
	cmd := exec.Command(binary(s.t), args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &lockedWriter{mu: &s.mu, w: io.MultiWriter(&s.logs, &stderr)}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the simulator: %v", err)
	}
	listening := make(chan struct{})
	done := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		said := false
		for sc.Scan() {
			s.mu.Lock()
			s.logs.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			if !said && strings.Contains(sc.Text(), "listening on") {
				said = true
				close(listening)
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		_ = cmd.Wait()
		close(done)
	}()
	select {
	case <-listening:
	case <-done:
		s.mu.Lock()
		defer s.mu.Unlock()
		return fmt.Errorf("the simulator ended before listening: %s", stderr.String())
	case <-time.After(shortWait):
		_ = cmd.Process.Kill()
		<-done
		return fmt.Errorf("the simulator did not start listening:\n%s", s.log())
	}
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	return nil
}

// stop kills the simulator at once, as a crash or a lost host would; its
// world was saved after every change.
func (s *simProc) stop() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-done
	if log := s.log(); strings.Contains(log, raceReport) {
		s.t.Errorf("the simulator met a data race:\n%s", log)
	}
}

func (s *simProc) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.String()
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// counts is the simulator's request counts, {"Action region": n}, faulted
// requests included.
func (s *simProc) counts() map[string]int {
	s.t.Helper()
	resp, err := http.Get(s.url + "/_sim/counts")
	if err != nil {
		s.t.Fatalf("read the simulator's counts: %v", err)
	}
	defer resp.Body.Close()
	var c map[string]int
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		s.t.Fatalf("read the simulator's counts: %v", err)
	}
	return c
}

// setFaults replaces the faults in force with f, a JSON object of
// ec2sim.Faults ("{}" clears them).
func (s *simProc) setFaults(f string) {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodPut, s.url+"/_sim/faults", strings.NewReader(f))
	if err != nil {
		s.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("set the simulator's faults: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		s.t.Fatalf("set the simulator's faults %s: %s: %s", f, resp.Status, body)
	}
}

// env is the environment of an operator using this simulator with static
// credentials from the environment, as with any AWS account.
func (s *simProc) env(t *testing.T) *appEnv {
	return newAppEnv(t,
		"AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E",
		"AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret",
		"AWS_REGION=us-west-2",
	)
}

// snapshots lists the account's snapshots of region as AWS (the
// simulator) holds them, through the same SDK the app uses.
func (s *simProc) snapshots(region string) []model.Snapshot {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), shortWait)
	defer cancel()
	snaps, err := awsops.NewLocal(s.url, "us-west-2").ListSnapshots(ctx, region, awsops.Owned, nil)
	if err != nil {
		s.t.Fatalf("list the snapshots of %s: %v", region, err)
	}
	return snaps
}

// copiesMade returns the snapshots of region that snapcopy made, by their
// request id tag.
func (s *simProc) copiesMade(region string) map[string][]model.Snapshot {
	s.t.Helper()
	out := map[string][]model.Snapshot{}
	for _, sn := range s.snapshots(region) {
		if id := sn.Tag(model.RequestTagKey); id != "" {
			out[id] = append(out[id], sn)
		}
	}
	return out
}

// watchList reads the copies the app recorded in its state file.
func watchList(t *testing.T, path string) []*model.Copy {
	t.Helper()
	wl, err := model.LoadWatchList(path, time.Now())
	if err != nil {
		t.Fatalf("read the state file %s: %v", path, err)
	}
	return wl.Copies
}
