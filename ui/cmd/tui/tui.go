// Package tui runs the app (package ui) as a Bubble Tea program in the
// terminal, for `snapcopy` and `snapcopy watch`: the alternate screen, the
// keys read from the terminal, and a stop (a signal, the terminal gone)
// that ends the screen as q would, with the exit code that says why.
package tui

import (
	"context"
	"fmt"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/cmd/stop"
	"github.com/snapcopy/snapcopy/ui/theme"
)

// followEndWait bounds the wait for the follow loop's last step once the
// screen has ended; the state file is only ever replaced whole.
const followEndWait = 2 * time.Second

// Screen is what the app shows: the connection and the tracker of its
// state file.
type Screen struct {
	Conn    cmd.Connection
	Tracker *track.Tracker
	// Watch opens on the progress pane instead of the list.
	Watch  bool
	NoBell bool
	// Notice is shown until the first key (a state file kept aside).
	Notice string
}

// Run shows the app until it quits or a stop ends it, and returns the
// exit code: 0 after q, the stop's code (and a line on standard error
// saying how many copies are unfinished), or 1 when the program failed.
func Run(ctx context.Context, env cmd.Env, s Screen) int {
	// The app's follow loop ends with the program, or with a stop.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	theme.Setup()
	clients := screenProfiles(s.Conn)
	defer clients.Close()
	app := ui.New(s.Conn.Client, s.Tracker, s.Conn.Client, ui.Options{
		Region:  s.Conn.Client.Region(),
		Profile: s.Conn.Profile,
		Watch:   s.Watch,
		NoBell:  s.NoBell,
		Notice:  s.Notice,
		Context: ctx,
		// Copy again: the form's last requests are kept beside the state file.
		LastRequestsPath: model.LastRequestsPath(s.Conn.StatePath),
		Profiles:         clients,
	})
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithoutSignalHandler()}
	if term.IsTerminal(os.Stdin.Fd()) {
		opts = append(opts, tea.WithInput(stop.TerminalInput{File: os.Stdin, Gone: func() { env.Stops.Stop(stop.TerminalGone) }}))
	}
	p := tea.NewProgram(app, opts...)
	env.Stops.OnStop(func() {
		// Quit lets the screen end as after q; Kill, later, ends it
		// even if it does not (Send never blocks once the program ended).
		time.AfterFunc(stop.TeardownGrace, p.Kill)
		p.Quit()
	})
	_, err := p.Run()
	// The follow loop ends before the state file's lock is let go: a step
	// cut short by the context ends within a moment.
	cancel()
	select {
	case <-app.Ended():
	case <-time.After(followEndWait):
	}
	if why := env.Stopped(); why != nil {
		unfinished := model.TallyOf(s.Tracker.Copies()).Unfinished()
		fmt.Fprintln(env.Stderr, stop.Message(why, unfinished, s.Conn.StatePath))
		return why.Code
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "snapcopy:", err)
		return cmd.ExitFailed
	}
	return cmd.ExitOK
}
