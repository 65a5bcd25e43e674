// Package progress is the pane that follows copies to the end: one row per
// copy with a bar, the rate and the time left, the details of one copy,
// and a plain line-by-line mode for terminals that are not interactive.
// The work itself (starting, polling, the state file) is the Tracker's;
// the pane only steps it from tea.Cmds and shows what it reports.
package progress

import (
	"context"
	"io"
	"os"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	bar "github.com/charmbracelet/bubbles/progress"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/clipboard"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/status"
)

// Tracker is what the pane and plain mode ask of the copies' tracker
// (*track.Tracker in the program). Its methods may wait on the state
// file and AWS, so the pane calls them only from tea.Cmds.
type Tracker interface {
	// Copies returns the tracked copies as values.
	Copies() []model.Copy
	// Step starts and polls copies once and saves the state file.
	Step(ctx context.Context) track.StepResult
	// Add records new copies in the state file before any is sent.
	Add(copies ...*model.Copy) error
	// Remove forgets a finished copy.
	Remove(requestID string) error
	// Resume lets Step call AWS again after a pause for credentials.
	Resume()
	// Retry tracks the next attempt of each failed copy named.
	Retry(requestIDs ...string) ([]model.Copy, error)
	// Cancel stops a copy (deleting the copy AWS is making) and records it
	// as cancelled.
	Cancel(ctx context.Context, requestID string) (model.Copy, error)
}

// stepTimeout bounds one round of AWS calls, so a hung connection cannot
// stop tracking; a CopySnapshot cut short is looked up by its tag later.
const stepTimeout = time.Minute

// redraw is how often times on screen move: whole seconds, so a frame
// changes at most once a second.
const redraw = time.Second

// Options configure the pane.
type Options struct {
	// Now is the clock (nil: time.Now). Times shown are whole seconds of it.
	Now func() time.Time
	// NoBell keeps the terminal bell quiet when a copy ends.
	NoBell bool
	// Terminal receives the bell and the clipboard (OSC 52) sequences,
	// which Bubble Tea has no command for (nil: os.Stdout).
	Terminal io.Writer
	// Tick schedules a message after a wait (nil: tea.Tick). A simulated
	// clock passes its own, so polls and redraws follow simulated time.
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	// Context is the one every Step runs in: once it is done, a Step
	// sends no more copies (nil: context.Background()).
	Context context.Context
	// Discover finds the copies in flight in the account, for D (nil: D
	// says discovery is not available).
	Discover FindPending
}

// Model is the progress pane.
type Model struct {
	tracker Tracker
	opts    Options
	help    help.Model
	bar     bar.Model

	copies   []model.Copy
	selected string // request id of the selected copy, kept as rows change
	cursor   int
	detail   bool
	// onSummary: the summary line is selected, not a copy (R there
	// retries the last batch's failed copies).
	onSummary bool
	// detailTop is the first line of the details shown (they scroll).
	detailTop int
	// asking is the one-line question waiting for y or n, if any.
	asking *question

	now     time.Time // the clock at the last redraw, whole seconds
	ticking bool      // a redraw tick is scheduled
	gen     int       // generation of the poll loop: only the newest reschedules

	// status is the line above the keys: the outcome of the last key, over
	// the tracker's trouble (paused, retrying) while there is some.
	status status.Model
	paused bool

	width, height int
}

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

// removedMsg is the outcome of forgetting a finished copy.
type removedMsg struct {
	requestID string
	err       error
	copies    []model.Copy
}

// flashMsg reports the outcome of a key whose work ran in a tea.Cmd.
type flashMsg struct {
	level status.Level
	text  string
}

// New makes the pane over a tracker.
func New(t Tracker, opts Options) Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Terminal == nil {
		opts.Terminal = os.Stdout
	}
	if opts.Tick == nil {
		opts.Tick = tea.Tick
	}
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	m := Model{
		tracker: t,
		opts:    opts,
		help:    help.New(),
		// Bars are drawn without colour by the bar model and coloured
		// once per run here: per-cell colour codes would multiply the
		// bytes sent to the terminal on every redraw.
		bar: bar.New(bar.WithoutPercentage(), bar.WithColorProfile(termenv.Ascii),
			bar.WithFillCharacters('█', '░')),
		now:    opts.Now().Truncate(redraw),
		status: status.New(status.Options{Tick: opts.Tick}),
	}
	// Before the program runs: the first frame shows the state file's copies.
	m.copies = attemptOrder(t.Copies())
	if len(m.copies) > 0 {
		m.selected = m.copies[0].RequestID
	}
	return m
}

// Init resumes tracking the copies of the state file at once; the first
// result starts the poll loop and the redraw clock.
func (m Model) Init() tea.Cmd {
	return m.step(m.gen)
}

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

// Update handles keys, poll results and the clock.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	m.status = m.status.Update(msg)
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m.key(msg)

	case pollMsg:
		if msg.gen != m.gen {
			return m, nil // an older loop, replaced by a poll on demand
		}
		return m, m.step(msg.gen)

	case stepMsg:
		return m.stepped(msg)

	case redrawMsg:
		m.ticking = false
		m.now = m.opts.Now().Truncate(redraw)
		if !m.moving() {
			return m, nil // nothing on screen changes with time
		}
		return m, m.redrawTick()

	case removedMsg:
		if msg.err != nil {
			return m, m.status.Show(status.Error, model.Explain(msg.err))
		}
		m.setCopies(msg.copies)
		m.detail = false
		return m, m.status.Show(status.Info, "forgot copy "+msg.requestID+" (the snapshot in AWS is untouched)")

	case flashMsg:
		return m, m.status.Show(msg.level, msg.text)

	case retriedMsg:
		return m.retried(msg)

	case cancelledMsg:
		return m.cancelled(msg)
	case discoveredMsg:
		return m.discovered(msg)
	}
	return m, nil
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

func (m Model) key(msg tea.KeyMsg) (Model, tea.Cmd) {
	m.status.KeyPressed()
	if m.asking != nil {
		return m.answer(msg)
	}
	switch {
	case key.Matches(msg, keys.Back):
		if m.detail {
			m.detail = false
			return m, nil
		}
		return m, func() tea.Msg { return nav.Back{} }
	case key.Matches(msg, keys.Up):
		if m.detail {
			m.detailTop = max(0, m.detailTop-1)
		} else {
			m.move(-1)
		}
	case key.Matches(msg, keys.Down):
		if m.detail {
			m.detailTop = min(m.detailTop+1, m.detailMaxTop())
		} else {
			m.move(1)
		}
	case key.Matches(msg, keys.Details):
		if c := m.current(); c != nil {
			m.detail = !m.detail
			m.detailTop = 0
		}
	case key.Matches(msg, keys.Retry):
		return m.askRetry()
	case key.Matches(msg, keys.Edit):
		return m.edit()
	case key.Matches(msg, keys.Cancel):
		return m.askCancel()
	case key.Matches(msg, keys.Remove):
		return m.remove()
	case key.Matches(msg, keys.CopyID):
		return m.copyID()
	case key.Matches(msg, keys.Discover):
		return m.discover()
	case key.Matches(msg, keys.Poll):
		resume := m.paused
		if resume {
			m.paused = false
			m.status.Release()
		}
		shown := m.status.Show(status.Info, pollingNow)
		m.gen++
		t, gen, ctx := m.tracker, m.gen, m.opts.Context
		// Resume takes the tracker's lock: it runs in the Cmd, not here.
		return m, tea.Batch(shown, func() tea.Msg {
			if resume {
				t.Resume()
			}
			return runStep(ctx, t, gen)
		})
	}
	return m, nil
}

func (m Model) remove() (Model, tea.Cmd) {
	c := m.current()
	switch {
	case c == nil:
		return m, nil
	case !c.Phase.Done():
		return m, m.status.Show(status.Warning, "only completed or failed copies can be forgotten; this one is "+string(c.Phase))
	}
	t, id := m.tracker, c.RequestID
	return m, func() tea.Msg {
		err := t.Remove(id)
		return removedMsg{requestID: id, err: err, copies: t.Copies()}
	}
}

// copyID puts the selected copy's id on the clipboard with OSC 52, which
// works over SSH and in tmux when tmux lets it; otherwise the status line
// shows the id to select (package clipboard decides).
func (m Model) copyID() (Model, tea.Cmd) {
	c := m.current()
	if c == nil {
		return m, nil
	}
	if c.SnapshotID == "" {
		return m, m.status.Show(status.Warning, "the copy has no id yet")
	}
	return m, clipboard.Copy(c.SnapshotID, clipboard.Options{Terminal: m.opts.Terminal}, func(o clipboard.Outcome) tea.Msg {
		return flashMsg{o.Level, o.Text}
	})
}

// write sends a sequence straight to the terminal.
func (m Model) write(s string) tea.Cmd {
	w := m.opts.Terminal
	return func() tea.Msg {
		_, _ = io.WriteString(w, s)
		return nil
	}
}

// moving reports whether anything shown changes with time alone.
func (m Model) moving() bool { return model.TallyOf(m.copies).Unfinished() > 0 }

// Copies are the copies as the pane last saw them, for the app to show
// elsewhere (the list marks their sources): it never waits on the tracker.
// The slice is not changed afterwards; a change comes as a new slice.
func (m Model) Copies() []model.Copy { return m.copies }

// Tally counts the copies as the pane last saw them (from the tracker's
// messages, or handed to Start): it never waits on the tracker.
func (m Model) Tally() model.Tally { return model.TallyOf(m.copies) }

// setCopies takes the tracker's copies and keeps the selection on the
// same copy. Each retry is shown right after the copy it retries.
func (m *Model) setCopies(copies []model.Copy) {
	m.copies = attemptOrder(copies)
	m.fixCursor()
}

func (m *Model) fixCursor() {
	if i := slices.IndexFunc(m.copies, func(c model.Copy) bool { return c.RequestID == m.selected }); i >= 0 {
		m.cursor = i
	} else {
		m.cursor = min(m.cursor, len(m.copies)-1)
		m.cursor = max(m.cursor, 0)
		m.selected = ""
		if len(m.copies) > 0 {
			m.selected = m.copies[m.cursor].RequestID
		}
	}
	if len(m.copies) == 0 {
		m.detail = false
		m.onSummary = false
	}
}

// move moves the selection by d rows; up from the first copy selects the
// summary line.
func (m *Model) move(d int) {
	if len(m.copies) == 0 {
		return
	}
	switch {
	case m.onSummary && d > 0:
		m.onSummary = false
		d--
	case !m.onSummary && d < 0 && m.cursor+d < 0:
		m.onSummary = true
		d = -m.cursor
	}
	m.cursor = max(0, min(len(m.copies)-1, m.cursor+d))
	m.selected = m.copies[m.cursor].RequestID
}

// current is the selected copy, or nil (none, or the summary line).
func (m Model) current() *model.Copy {
	if m.onSummary || m.cursor < 0 || m.cursor >= len(m.copies) {
		return nil
	}
	return &m.copies[m.cursor]
}

// SetSize sets the area the pane may fill.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.help.Width = width
}

// KeyMap is the pane's keys, for the help bar and the full help.
func (m Model) KeyMap() help.KeyMap {
	k := keys
	k.detail = m.detail
	if c := m.current(); c != nil {
		k.retry = c.Retryable() && m.retryOf(c.RequestID) == nil
		k.edit = c.Retryable()
		k.cancel = model.HowToCancel(c.Phase) != model.CancelNotAllowed
	} else if m.onSummary {
		k.retry = len(m.failedOfLastBatch()) > 0
	}
	return k
}

// Capturing is always false: the pane has no text field.
func (m Model) Capturing() bool { return false }
