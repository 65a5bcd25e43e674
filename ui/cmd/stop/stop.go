// Package stop owns how snapcopy stops early: SIGINT, SIGTERM and SIGHUP
// for the whole process, and a terminal that is gone. One owner, so the
// screen, the tracker and the exit code agree on what happened.
package stop

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Reason is why snapcopy stopped before its work was done, and the
// exit code that says so: 128 + the signal's number, as shells report a
// process ended by that signal.
type Reason struct {
	// What is "SIGTERM", or what happened instead of a signal.
	What string
	// Code is the exit code that says so.
	Code int
}

var (
	signals = map[os.Signal]Reason{
		syscall.SIGINT:  {"SIGINT", 130},
		syscall.SIGTERM: {"SIGTERM", 143},
		syscall.SIGHUP:  {"SIGHUP", 129},
	}
	// TerminalGone is a hangup without the signal: SIGHUP was ignored
	// (nohup, trap '' HUP) and the terminal's input ended.
	TerminalGone = Reason{"its terminal closing", 129}
)

// stopWatchdog ends the process if an orderly stop has not ended it by
// then (output stuck on a terminal that no longer reads, say). The lock is
// released by the kernel with the process, and the state file is only ever
// replaced whole, so neither is harmed.
const stopWatchdog = 5 * time.Second

// TeardownGrace is how long the screen has to quit on its own before it
// is torn down without its last frame.
const TeardownGrace = time.Second

// Stopper owns SIGINT, SIGTERM and SIGHUP for the whole process, in this one
// place (Bubble Tea's own handler is off). The first stop cancels ctx, the
// context of every tracker Step, so no CopySnapshot is sent after it, and
// runs the callback that ends the screen.
type Stopper struct {
	ctx    context.Context
	cancel context.CancelFunc
	sigs   chan os.Signal

	mu        sync.Mutex
	why       *Reason
	onStopped func()
}

// Catch starts listening. A signal the process was started with
// ignored stays ignored: SIGHUP ignored by nohup or a shell's trap means
// "keep running without the terminal", which `watch --plain` honours.
func Catch() *Stopper {
	s := &Stopper{sigs: make(chan os.Signal, 1)}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	for _, sig := range []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		if sig == syscall.SIGTERM || !signal.Ignored(sig) {
			signal.Notify(s.sigs, sig)
		}
	}
	go func() {
		for sig := range s.sigs {
			s.Stop(signals[sig])
		}
	}()
	return s
}

// Stop records the first reason, cancels the context and ends the screen.
func (s *Stopper) Stop(why Reason) {
	s.mu.Lock()
	if s.why != nil {
		s.mu.Unlock()
		return
	}
	s.why = &why
	f := s.onStopped
	s.mu.Unlock()
	s.cancel()
	time.AfterFunc(stopWatchdog, func() {
		fmt.Fprintf(os.Stderr, "snapcopy: stopped by %s, and ending took too long: ending now\n", why.What)
		os.Exit(why.Code)
	})
	if f != nil {
		go f()
	}
}

// OnStop sets what a stop does besides cancelling the context; it runs
// at once when the stop came first.
func (s *Stopper) OnStop(f func()) {
	s.mu.Lock()
	s.onStopped = f
	stopped := s.why != nil
	s.mu.Unlock()
	if stopped {
		go f()
	}
}

// Reason is why snapcopy was stopped, nil when it was not.
func (s *Stopper) Reason() *Reason {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.why
}

// Release gives the signals back to their default action.
func (s *Stopper) Release() {
	signal.Stop(s.sigs)
	s.cancel()
}

// Message is the line snapcopy leaves on standard error when stopped.
func Message(why *Reason, unfinished int, statePath string) string {
	if unfinished == 0 {
		return "snapcopy: stopped by " + why.What
	}
	return fmt.Sprintf("snapcopy: stopped by %s before every copy ended (%d unfinished); they stay in %s and `snapcopy watch` resumes them",
		why.What, unfinished, statePath)
}

// TerminalInput is the terminal's input as Bubble Tea reads it. In raw
// mode a read fails only when the terminal is gone (EOF or EIO after a
// hangup), which Bubble Tea takes as "no more keys" and keeps running
// without a screen: Gone makes snapcopy save and end instead.
type TerminalInput struct {
	*os.File
	// Gone runs when a read fails.
	Gone func()
}

// Read reads the terminal, and calls Gone when it is gone.
func (in TerminalInput) Read(p []byte) (int, error) {
	n, err := in.File.Read(p)
	if err != nil {
		in.Gone()
	}
	return n, err
}

// Context is cancelled by the first stop: the context of every tracker
// Step, so no CopySnapshot is sent after it.
func (s *Stopper) Context() context.Context { return s.ctx }
