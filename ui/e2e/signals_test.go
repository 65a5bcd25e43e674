package e2e

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// stopWait is what snapcopy promises: stopped by a signal, it has ended
// within 2 s, whatever it was doing.
const stopWait = 2 * time.Second

// signalNames are the names snapcopy says it was stopped by.
var signalNames = map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM", syscall.SIGHUP: "SIGHUP"}

// appPid waits until the terminal runs the snapcopy binary itself (not
// the shell or env before their exec) and returns its pid.
func (tm *term) appPid() int {
	tm.t.Helper()
	shell := strings.TrimSpace(tm.tmux("list-panes", "-t", tm.name, "-F", "#{pane_pid}"))
	deadline := time.Now().Add(shortWait)
	for {
		children, _ := os.ReadFile("/proc/" + shell + "/task/" + shell + "/children")
		for _, f := range strings.Fields(string(children)) {
			if exe, err := os.Readlink("/proc/" + f + "/exe"); err == nil && exe == binary(tm.t) {
				pid, _ := strconv.Atoi(f)
				return pid
			}
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("snapcopy never ran under the terminal's shell %s; screen:\n%s", shell, tm.screen())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// running reports whether pid is a live process (a zombie has ended).
func running(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command name in parentheses, which may hold spaces.
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// waitEnded fails unless pid ends within stopWait of since. A process
// still there is killed, so a hang cannot outlive the test.
func waitEnded(t *testing.T, pid int, since time.Time, what string, screen func() string) time.Duration {
	t.Helper()
	for running(pid) {
		if time.Since(since) > stopWait {
			s := screen()
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("%s: snapcopy still runs %s later; screen:\n%s", what, stopWait, s)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(since)
}

// stopApp sends sig to snapcopy and checks that it ended within stopWait,
// with the exit code of that signal and a line saying it was stopped.
func (tm *term) stopApp(pid int, sig syscall.Signal) {
	tm.t.Helper()
	sent := time.Now()
	if err := syscall.Kill(pid, sig); err != nil {
		tm.t.Fatalf("signal %d: %v", pid, err)
	}
	took := waitEnded(tm.t, pid, sent, signalNames[sig], tm.screen)
	s := tm.waitUntil2(shortWait, func(s string) bool { return strings.Contains(s, "[exited ") })
	want := fmt.Sprintf("[exited %d]", 128+int(sig))
	if !strings.Contains(s, want) {
		tm.t.Fatalf("after %s the exit code is not %d; screen:\n%s", signalNames[sig], 128+int(sig), s)
	}
	if !strings.Contains(s, "snapcopy: stopped by "+signalNames[sig]) {
		tm.t.Fatalf("after %s snapcopy does not say it was stopped; screen:\n%s", signalNames[sig], s)
	}
	tm.t.Logf("%s: ended in %s", signalNames[sig], took.Round(time.Millisecond))
}

// waitUntil2 polls the screen until ok, even after the app exited.
func (tm *term) waitUntil2(timeout time.Duration, ok func(string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := tm.screen()
		if ok(s) || time.Now().After(deadline) {
			return s
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkLockFree takes the state file's lock as another snapcopy would.
func checkLockFree(t *testing.T, statePath string) {
	t.Helper()
	f, err := os.OpenFile(statePath+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatalf("open the lock: %v", err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatalf("the lock of %s is still held after snapcopy ended: %v", statePath, err)
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}

// checkStateFile checks the state file is one snapcopy reads as is (none
// kept aside as corrupt) and holds at least want copies.
func checkStateFile(t *testing.T, statePath string, want int) {
	t.Helper()
	if _, err := os.Stat(statePath); os.IsNotExist(err) && want == 0 {
		return // stopped before anything was recorded
	}
	if n := len(watchList(t, statePath)); n < want {
		t.Fatalf("the state file holds %d copies, want at least %d", n, want)
	}
	aside, _ := filepath.Glob(statePath + ".bad*")
	if len(aside) > 0 {
		t.Fatalf("the state file was kept aside as corrupt: %v", aside)
	}
}

// pause waits a random time up to max, so signals land at random moments.
func pause(rnd *rand.Rand, max time.Duration) {
	time.Sleep(time.Duration(rnd.Int64N(int64(max))))
}

// stopRun is one signal at one moment of a run of the demo.
type stopRun struct {
	sig    syscall.Signal
	moment string // starting, list, form, copying; a copying run is followed by a plain one
	plain  syscall.Signal
}

// TestSignalsStopTheApp sends 20 SIGTERMs, 10 SIGINTs and 10 SIGHUPs to
// the real binary at random moments: while the list loads, with the list
// or the copy form shown, with copies being started and run in the
// progress pane, and to `watch --plain` following those copies. Each time
// snapcopy ends within 2 s with the signal's exit code and says it was
// stopped, its lock is free and its state file valid; after a stop with
// copies in flight, `watch --plain` starts on the same state file.
func TestSignalsStopTheApp(t *testing.T) {
	t.Parallel()
	requireTmux(t)
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(uint64(seed), 0))

	var sigs []syscall.Signal
	for _, c := range []struct {
		sig syscall.Signal
		n   int
	}{{syscall.SIGTERM, 20}, {syscall.SIGINT, 10}, {syscall.SIGHUP, 10}} {
		for range c.n {
			sigs = append(sigs, c.sig)
		}
	}
	rnd.Shuffle(len(sigs), func(i, j int) { sigs[i], sigs[j] = sigs[j], sigs[i] })
	moments := []string{"starting", "list", "form", "copying"}
	var runs []stopRun
	for i := 0; i < len(sigs); i++ {
		r := stopRun{sig: sigs[i], moment: moments[rnd.IntN(len(moments))]}
		if r.moment == "copying" {
			if i+1 == len(sigs) {
				r.moment = "list"
			} else {
				i++
				r.plain = sigs[i]
			}
		}
		runs = append(runs, r)
	}

	// A few runs at once keep the whole under two minutes; each is
	// bounded by its own waits.
	const parallel = 4
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(seed), uint64(w+1)))
			for i := range work {
				run := runs[i]
				name := fmt.Sprintf("%02d-%s-%s", i, signalNames[run.sig], run.moment)
				if run.plain != 0 {
					name += "-then-plain-" + signalNames[run.plain]
				}
				t.Run(name, func(t *testing.T) { stopDemoRun(t, r, run) })
			}
		}(w)
	}
	for i := range runs {
		work <- i
	}
	close(work)
	wg.Wait()
}

// stopDemoRun runs the demo to the run's moment, stops it, and checks.
func stopDemoRun(t *testing.T, rnd *rand.Rand, run stopRun) {
	env := newAppEnv(t)
	state := env.demoStatePath()
	tm := startApp(t, 160, 40, env, "--demo")
	pid := tm.appPid()
	copies := 0
	switch run.moment {
	case "starting":
		// From its first frame, while the list loads. (A signal before
		// the process set up its handlers ends it with the same code but
		// without a word: no program can catch a signal before it runs.)
		tm.waitFor(shortWait, "profile demo")
		pause(rnd, 300*time.Millisecond)
	case "list":
		tm.waitFor(shortWait, "40/40 snapshots")
		pause(rnd, 500*time.Millisecond)
	case "form":
		tm.waitFor(shortWait, "40/40 snapshots")
		openFormFor(t, tm, "build-cache")
		if rnd.IntN(2) == 0 {
			tm.keys("Tab", "C-u")
			tm.typeText("us-east-1")
		}
		pause(rnd, 500*time.Millisecond)
	case "copying":
		tm.waitFor(shortWait, "40/40 snapshots")
		formForAll(t, tm, "kafka-broker", 2)
		tm.keys("C-s")
		tm.waitFor(shortWait, "Copies", "SOURCE")
		copies = 2
		// From being sent to running: the copies take minutes to finish.
		pause(rnd, 1500*time.Millisecond)
	}
	tm.stopApp(pid, run.sig)
	checkLockFree(t, state)
	checkStateFile(t, state, copies)
	if run.plain == 0 {
		return
	}

	// The copies are in flight: `watch --plain` takes the state file over
	// (so the lock was free) and follows them until stopped in turn.
	tm.close()
	tm = startApp(t, 160, 40, env, "watch", "--plain", "--demo")
	pid = tm.appPid()
	tm.waitUntil(shortWait, "watch --plain never listed both copies", func(s string) bool { return countLines(s, " -> us-west-2 ") >= 2 })
	pause(rnd, 1500*time.Millisecond)
	tm.stopApp(pid, run.plain)
	s := tm.screen()
	// The line may wrap: the screen's lines are joined back.
	if joined := strings.ReplaceAll(s, "\n", ""); !strings.Contains(joined, "before every copy ended (2 unfinished)") || !strings.Contains(joined, state) {
		t.Fatalf("watch --plain does not say which copies are left and where:\n%s", s)
	}
	checkLockFree(t, state)
	checkStateFile(t, state, 2)
}

// TestTerminalClosedWithHangupIgnored closes the terminal of a snapcopy
// started with SIGHUP ignored (as under a nohup-style wrapper) while copies
// run: the app does not linger without its terminal, holding the lock; it
// ends promptly and leaves a valid state file.
func TestTerminalClosedWithHangupIgnored(t *testing.T) {
	t.Parallel()
	env := newAppEnv(t)
	state := env.demoStatePath()
	tm := startTerm(t, 160, 40, env.environ(), "/bin/sh", "-c", `trap '' HUP; exec "$0" --demo`, binary(t))
	pid := tm.appPid()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil || !hangupIgnored(string(status)) {
		t.Fatalf("snapcopy does not run with SIGHUP ignored (%v):\n%s", err, status)
	}
	tm.waitFor(shortWait, "40/40 snapshots")
	formForAll(t, tm, "kafka-broker", 2)
	tm.keys("C-s")
	tm.waitFor(shortWait, "Copies", "SOURCE")

	closed := time.Now()
	tm.close()
	waitEnded(t, pid, closed, "terminal closed", func() string { return "(the terminal is closed)" })
	checkLockFree(t, state)
	checkStateFile(t, state, 2)
}

// hangupIgnored reads SigIgn of /proc/PID/status: is SIGHUP (bit 0) set?
func hangupIgnored(status string) bool {
	for _, l := range strings.Split(status, "\n") {
		if v, ok := strings.CutPrefix(l, "SigIgn:"); ok {
			mask, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			return err == nil && mask&1 != 0
		}
	}
	return false
}

// TestSignalStopsSendingCopies stops the app while it sends copies one by
// one to an endpoint that answers CopySnapshot slowly: the copy being sent
// when SIGTERM arrives is the last one AWS receives.
func TestSignalStopsSendingCopies(t *testing.T) {
	t.Parallel()
	sim := startSim(t, simOptions{timeScale: 1, visibilityLag: time.Second})
	env := sim.env(t)
	tm := startApp(t, 160, 40, env, "--endpoint-url", sim.url)
	pid := tm.appPid()
	tm.waitFor(shortWait, "40/40 snapshots")
	formForAll(t, tm, "kafka-broker", 2)
	sim.setFaults(`{"latency": "3s", "actions": ["CopySnapshot"]}`)
	tm.keys("C-s")

	sent := func() int {
		n := 0
		for k, v := range sim.counts() {
			if strings.HasPrefix(k, "CopySnapshot ") {
				n += v
			}
		}
		return n
	}
	deadline := time.Now().Add(shortWait)
	for sent() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no CopySnapshot reached the endpoint; screen:\n%s", tm.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
	before := sent()
	tm.stopApp(pid, syscall.SIGTERM)
	// The second copy would have been sent 3 s after the first.
	time.Sleep(4 * time.Second)
	if after := sent(); after != before {
		t.Fatalf("AWS received %d CopySnapshot calls after SIGTERM (%d before it)", after-before, before)
	}
	checkLockFree(t, env.statePath())
	checkStateFile(t, env.statePath(), 2)
}
