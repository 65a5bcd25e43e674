package progress

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/status"
)

// stepTimeout bounds one round of AWS calls, so a hung connection cannot
// stop tracking; a CopySnapshot cut short is looked up by its tag later.
const stepTimeout = time.Minute

// pollMsg asks for the next Step of the poll loop of generation gen.
type pollMsg struct{ gen int }

// stepMsg carries one Step's result and the copies after it.
type stepMsg struct {
	gen    int
	res    track.StepResult
	copies []model.Copy
	err    error // Add failed: nothing was stepped
	added  bool  // the copies handed to Start were recorded
}

// redrawMsg moves the clock shown on screen.
type redrawMsg struct{}

// Start hands new copies to the tracker (which writes the state file
// before anything is sent) and steps at once. The copies show as queued
// right away.
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
	m.gen++
	gen, t, ctx := m.gen, m.tracker, m.opts.Context
	add := func() tea.Msg {
		if err := t.Add(copies...); err != nil {
			return stepMsg{gen: gen, err: err, copies: t.Copies()}
		}
		msg := runStep(ctx, t, gen).(stepMsg)
		msg.added = true
		return msg
	}
	return m, tea.Batch(add, m.redrawTick())
}

// step returns the Cmd that runs one Step for the poll loop gen.
func (m Model) step(gen int) tea.Cmd {
	t, ctx := m.tracker, m.opts.Context
	return func() tea.Msg { return runStep(ctx, t, gen) }
}

func runStep(ctx context.Context, t Tracker, gen int) tea.Msg {
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	res := t.Step(ctx)
	return stepMsg{gen: gen, res: res, copies: t.Copies()}
}

// redrawTick schedules the next move of the clock, once.
func (m *Model) redrawTick() tea.Cmd {
	if m.ticking {
		return nil
	}
	m.ticking = true
	return m.opts.Tick(redraw, func(time.Time) tea.Msg { return redrawMsg{} })
}

// pollingNow is said while a poll asked for runs; its result ends it.
const pollingNow = "polling now"

func (m Model) stepped(msg stepMsg) (Model, tea.Cmd) {
	m.setCopies(msg.copies)
	if cur, ok := m.status.Current(); ok && cur.Text == pollingNow && msg.gen == m.gen {
		m.status.Clear() // the poll is done: the rows show what it found
	}
	if msg.err != nil {
		// The new copies were refused (the state file could not be
		// written); the copies already tracked keep being polled.
		shown := m.status.Show(status.Error, model.Explain(msg.err))
		if msg.gen != m.gen {
			return m, shown
		}
		gen := m.gen
		return m, tea.Batch(shown, m.opts.Tick(model.PollInterval, func(time.Time) tea.Msg { return pollMsg{gen: gen} }))
	}
	m.paused = msg.res.Paused
	m.holdTrouble(msg.res)
	m.now = m.opts.Now().Truncate(redraw)
	var cmds []tea.Cmd
	if msg.added {
		cmds = append(cmds, func() tea.Msg { return nav.CopiesAdded{} })
	}
	if len(msg.res.Ended) > 0 && !m.opts.NoBell {
		cmds = append(cmds, m.write("\a"))
	}
	if msg.gen == m.gen && !msg.res.Paused {
		next := msg.res.Next
		if next <= 0 {
			next = model.PollInterval
		}
		gen := m.gen
		cmds = append(cmds, m.opts.Tick(next, func(time.Time) tea.Msg { return pollMsg{gen: gen} }))
	}
	if m.moving() {
		cmds = append(cmds, m.redrawTick())
	}
	return m, tea.Batch(cmds...)
}

// holdTrouble keeps the tracker's trouble on the status line until a Step
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
