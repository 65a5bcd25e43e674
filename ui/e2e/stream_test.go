package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// streamed is a run of the real binary whose output lines are kept with
// the moment each came, for a test of when something was said.
type streamed struct {
	t     *testing.T
	cmd   *exec.Cmd
	start time.Time
	done  chan struct{}
	code  int

	mu    sync.Mutex
	lines []streamLine
}

type streamLine struct {
	at     time.Duration
	stderr bool
	text   string
}

// startStreamed starts snapcopy with args and env, keeping its standard
// output and error line by line. Its output is let go of a moment after
// it exits, even while processes it left behind still hold it.
func startStreamed(t *testing.T, env []string, args ...string) *streamed {
	t.Helper()
	s := &streamed{t: t, cmd: exec.Command(binary(t), args...), done: make(chan struct{})}
	s.cmd.Env = env
	s.cmd.Stdout = &lineWriter{s: s}
	s.cmd.Stderr = &lineWriter{s: s, stderr: true}
	s.cmd.WaitDelay = 2 * time.Second
	s.start = time.Now()
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := s.cmd.Wait()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			s.code = ee.ExitCode()
		}
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
	return s
}

// lineWriter keeps what a stream of the run writes, line by line.
type lineWriter struct {
	s       *streamed
	stderr  bool
	partial []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.s.mu.Lock()
		w.s.lines = append(w.s.lines, streamLine{at: time.Since(w.s.start), stderr: w.stderr, text: string(w.partial[:i])})
		w.s.mu.Unlock()
		w.partial = w.partial[i+1:]
	}
}

// wait waits for the run to end within bound (a bound on a hang, not a
// speed check) and returns its exit code and how long it ran.
func (s *streamed) wait(bound time.Duration) (int, time.Duration) {
	s.t.Helper()
	select {
	case <-s.done:
	case <-time.After(bound):
		_ = s.cmd.Process.Kill()
		<-s.done
		s.t.Fatalf("snapcopy %v did not end within %v; it said:\n%s", s.cmd.Args[1:], bound, s.output())
	}
	if strings.Contains(s.output(), raceReport) {
		s.t.Fatalf("snapcopy %v met a data race:\n%s", s.cmd.Args[1:], s.output())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	last := time.Duration(0)
	if n := len(s.lines); n > 0 {
		last = s.lines[n-1].at
	}
	return s.code, last
}

// saidBy is when a line holding every one of want first came; false when
// none did.
func (s *streamed) saidBy(want ...string) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.lines {
		if containsAll(l.text, want) {
			return l.at, true
		}
	}
	return 0, false
}

// output is everything said, each line stamped with when and where.
func (s *streamed) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, l := range s.lines {
		where := "out"
		if l.stderr {
			where = "err"
		}
		fmt.Fprintf(&b, "%6.1fs %s %s\n", l.at.Seconds(), where, l.text)
	}
	return b.String()
}

// stderrText is standard error alone.
func (s *streamed) stderrText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, l := range s.lines {
		if l.stderr {
			b.WriteString(l.text + "\n")
		}
	}
	return b.String()
}
