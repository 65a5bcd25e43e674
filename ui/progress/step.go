package progress

import (
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/status"
)

// follower runs the pane's follow loop (track.Follow) beside the program:
// a tea.Cmd starts it in a goroutine, each step comes back to Update as a
// stepMsg through the usual "wait for activity" channel, and a step is
// asked for at once by a send on now. Shared by every copy of the Model.
type follower struct {
	now   chan struct{} // StepNow: a key, copies just added
	steps chan stepMsg  // each step's result, to the listening Cmd
	// started is set by Init: the loop runs, and Update listens after
	// each step. Without it (a test driving the loop itself) nothing
	// listens.
	started atomic.Bool
	ended   chan struct{} // closed once the loop has ended
	// after is the loop's clock (nil: the real one).
	after func(d time.Duration) <-chan time.Time
}

func newFollower() *follower {
	return &follower{now: make(chan struct{}, 1), steps: make(chan stepMsg), ended: make(chan struct{})}
}

// Ended is closed once the follow loop has ended, after its context did:
// no step runs and no state file is written after it. Closed at once when
// the loop never started.
func (m Model) Ended() <-chan struct{} {
	if !m.follow.started.Load() {
		return closed
	}
	return m.follow.ended
}

// closed is a channel that is closed.
var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// tickClock is the follow loop's clock (track.FollowOptions.After) on a
// clock given as Options.Tick (a simulated one), so the polls follow it as
// the redraws do.
func tickClock(tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd) func(time.Duration) <-chan time.Time {
	return func(d time.Duration) <-chan time.Time {
		if d < 0 {
			return nil // a wait for a step asked for: time never ends it
		}
		fired := make(chan time.Time, 1)
		go tick(d, func(t time.Time) tea.Msg { fired <- t; return nil })()
		return fired
	}
}

// stepNow asks for a step at once; it never blocks (one asked for and
// not yet taken is enough).
func (f *follower) stepNow() {
	select {
	case f.now <- struct{}{}:
	default:
	}
}

// stepMsg carries one step's result and the copies after it.
type stepMsg struct {
	res    track.StepResult
	copies []model.Copy
}

// addedMsg says whether the copies handed to Start were recorded.
type addedMsg struct {
	err    error // Add failed: the copies are not tracked
	copies []model.Copy
}

// redrawMsg moves the clock shown on screen.
type redrawMsg struct{}

// followOptions are the pane's way of following: every copy, for as long
// as the program runs, each step bounded as every follower's is
// (track.DefaultStepTimeout); paused, until the operator asks again (r);
// each step handed to Update.
func (m Model) followOptions() track.FollowOptions {
	f, ctx := m.follow, m.opts.Context
	return track.FollowOptions{
		WhenPaused: track.WaitForResume,
		StepNow:    f.now,
		After:      f.after,
		OnStep: func(res track.StepResult, copies []model.Copy) error {
			select {
			case f.steps <- stepMsg{res: res, copies: copies}:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
	}
}

// startFollowing starts the follow loop in a goroutine; it ends with the
// pane's context (the program's end, or a stop signal).
func (m Model) startFollowing() tea.Cmd {
	t, ctx, opts, ended := m.tracker, m.opts.Context, m.followOptions(), m.follow.ended
	return func() tea.Msg {
		go func() {
			defer close(ended)
			_ = track.Follow(ctx, t, opts)
		}()
		return nil
	}
}

// listen waits for the follow loop's next step.
func (m Model) listen() tea.Cmd {
	if !m.follow.started.Load() {
		return nil
	}
	f, ctx := m.follow, m.opts.Context
	return func() tea.Msg {
		select {
		case msg := <-f.steps:
			return msg
		case <-ctx.Done():
			return nil
		}
	}
}

// Start hands new copies to the tracker (which writes the state file
// before anything is sent); once they are recorded a step is asked for at
// once. The copies show as queued right away.
func (m Model) Start(copies []*model.Copy) (Model, tea.Cmd) {
	if len(copies) == 0 {
		return m, nil
	}
	for _, c := range copies {
		m.copies = append(m.copies, *c)
	}
	m.selected = copies[0].RequestID
	m.detail = false
	m.onSummary = false
	m.fixCursor()
	t := m.tracker
	add := func() tea.Msg {
		err := t.Add(copies...)
		return addedMsg{err: err, copies: t.Copies()}
	}
	// What the line said of earlier copies ("✗ not cancelled: …") is not
	// about these: it gives way (to the tracker's trouble, if any).
	m.status.Clear()
	return m, tea.Batch(add, m.redrawTick())
}

// added shows whether Start's copies were recorded.
func (m Model) added(msg addedMsg) (Model, tea.Cmd) {
	m.setCopies(msg.copies)
	if msg.err != nil {
		// The new copies were refused (the state file could not be
		// written); the copies already tracked are still followed.
		return m, m.status.Show(status.Error, model.Explain(msg.err))
	}
	// Asked for once the copies are shown: the step's newer copies come after.
	m.follow.stepNow()
	return m, func() tea.Msg { return nav.CopiesAdded{} }
}

// redrawTick schedules the next move of the clock, once.
func (m *Model) redrawTick() tea.Cmd {
	if m.ticking {
		return nil
	}
	m.ticking = true
	return m.opts.Tick(redraw, func(time.Time) tea.Msg { return redrawMsg{} })
}

// pollingNow is said while a poll asked for runs; the next step's result
// ends it.
const pollingNow = "polling now"

func (m Model) stepped(msg stepMsg) (Model, tea.Cmd) {
	m.setCopies(msg.copies)
	if cur, ok := m.status.Current(); ok && cur.Text == pollingNow {
		m.status.Clear() // the poll is done: the rows show what it found
	}
	m.paused = msg.res.Paused
	m.holdTrouble(msg.res)
	m.now = m.opts.Now().Truncate(redraw)
	cmds := []tea.Cmd{m.listen()}
	if len(msg.res.Ended) > 0 && !m.opts.NoBell {
		cmds = append(cmds, m.write("\a"))
	}
	if m.moving() {
		cmds = append(cmds, m.redrawTick())
	}
	return m, tea.Batch(cmds...)
}

// holdTrouble keeps the tracker's trouble on the status line until a step
// reports none: paused, or retrying. The tracker words it; the pane puts
// in the key that asks again (it also resumes).
func (m *Model) holdTrouble(res track.StepResult) {
	retry := "press " + status.KeyName(keys.Poll)
	switch {
	case res.Paused:
		m.status.Hold(status.Error, res.StatusTo(retry))
	case res.Status != "":
		m.status.Hold(status.Warning, res.StatusTo(retry))
	default:
		m.status.Release()
	}
}
