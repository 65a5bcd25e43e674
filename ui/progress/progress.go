// Package progress is the pane that follows copies to the end: one row per
// copy with a bar, the rate and the time left, the details of one copy.
// The work itself (starting, polling, the state file) is the Tracker's,
// stepped by the follow loop (track.Follow) beside the program; the pane
// shows what each step reports and asks for a step when a key calls for
// one. Also the discovery of copies in flight, shared with `watch
// --discover`.
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
	"github.com/snapcopy/snapcopy/ui/policyview"
	"github.com/snapcopy/snapcopy/ui/status"
)

// Tracker is what the pane asks of the copies' tracker
// (*track.Tracker in the program). Its methods may wait on the state
// file and AWS, so the pane calls them only from tea.Cmds and its follow
// loop (track.Follow, which steps it).
type Tracker interface {
	track.Stepper
	// Add records new copies in the state file before any is sent.
	Add(copies ...*model.Copy) error
	// Remove forgets a finished copy.
	Remove(requestID string) error
	// Retry tracks the next attempt of each failed copy named.
	Retry(requestIDs ...string) ([]model.Copy, error)
	// Cancel stops a copy (deleting the copy AWS is making) and records it
	// as cancelled.
	Cancel(ctx context.Context, requestID string) (model.Copy, error)
	// AddFound follows the snapshots a discovery found being created.
	AddFound(pending []model.Snapshot, now time.Time) (track.Found, error)
}

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
	// Tick schedules a message after a wait (nil: tea.Tick, and the
	// follow loop waits on the real clock). A simulated clock passes its
	// own, so polls and redraws follow simulated time.
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	// Context is the follow loop's: once it is done the loop ends and
	// sends no more copies (nil: context.Background(), never done).
	Context context.Context
	// Discover finds the copies in flight in the account, for D (nil: D
	// says discovery is not available).
	Discover FindPending
	// Help is the app's key for the full help, which the app answers: the
	// help bar names it as the app binds it, and never cuts it.
	Help key.Binding
	// KeyPolicies reads and puts the source account's key policies, for K
	// on a copy waiting for its key policy (nil: K says it cannot).
	KeyPolicies KeyPolicies
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
	// policy is the key policy's question (keypolicy.go), if asked.
	policy *policyview.Question

	now     time.Time // the clock at the last redraw, whole seconds
	ticking bool      // a redraw tick is scheduled
	follow  *follower // the follow loop beside the program

	// status is the line above the keys: the outcome of the last key, over
	// the tracker's trouble (paused, retrying) while there is some.
	status status.Model
	paused bool

	width, height int
}

// New makes the pane over a tracker.
func New(t Tracker, opts Options) Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Terminal == nil {
		opts.Terminal = os.Stdout
	}
	follow := newFollower()
	if opts.Tick == nil {
		opts.Tick = tea.Tick
	} else {
		follow.after = tickClock(opts.Tick)
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
		follow: follow,
	}
	// Before the program runs: the first frame shows the state file's copies.
	m.copies = attemptOrder(t.Copies())
	if len(m.copies) > 0 {
		m.selected = m.copies[0].RequestID
	}
	return m
}

// Init starts following the copies of the state file: the follow loop
// steps at once, and each step's result comes back as a message.
func (m Model) Init() tea.Cmd {
	m.follow.started.Store(true)
	return tea.Batch(m.startFollowing(), m.listen())
}

// Update handles keys, poll results and the clock.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	m.status = m.status.Update(msg)
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m.key(msg)

	case stepMsg:
		return m.stepped(msg)

	case addedMsg:
		return m.added(msg)

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
	case policyReadMsg:
		return m.policyRead(msg)
	case policyPutMsg:
		return m.policyPut(msg)

	case retriedMsg:
		return m.retried(msg)

	case cancelledMsg:
		return m.cancelled(msg)
	case discoveredMsg:
		return m.discovered(msg)
	}
	return m, nil
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
func (m Model) KeyMap() help.KeyMap { return m.keyMap() }

// keyMap is the pane's keys as the selection allows them: the help bar
// offers the moves that act on the selected copy, and for a copy found in
// flight (followed, never retried, edited or cancelled by snapcopy) R, E
// and C are disabled: they do nothing and no help names them.
func (m Model) keyMap() keyMap {
	k := keys
	k.Help = m.opts.Help
	k.detail = m.detail
	if c := m.current(); c != nil {
		k.retry = c.Retryable() && m.retryOf(c.RequestID) == nil
		k.edit = c.Retryable()
		k.cancel = c.Cancellable()
		k.policy = c.WaitsForKeyPolicy()
		if c.Discovered {
			k.Retry.SetEnabled(false)
			k.Edit.SetEnabled(false)
			k.Cancel.SetEnabled(false)
		}
	} else if m.onSummary {
		k.retry = len(m.failedOfLastBatch()) > 0
	}
	return k
}

// scrollOrMove scrolls the details by d lines, or moves the selection by
// d rows. A page up stops at the first copy; from there it selects the
// summary line, as up does.
func (m *Model) scrollOrMove(d int) {
	if m.detail {
		m.detailTop = max(0, min(m.detailTop+d, m.detailMaxTop()))
		return
	}
	if d < -1 && !m.onSummary && m.cursor > 0 {
		d = max(d, -m.cursor)
	}
	m.move(d)
}

// jump goes to the first copy (or the top of the details), or with last
// to the last copy (the end of the details).
func (m *Model) jump(last bool) {
	switch {
	case m.detail && last:
		m.detailTop = m.detailMaxTop()
	case m.detail:
		m.detailTop = 0
	case len(m.copies) == 0:
	default:
		m.onSummary = false
		m.cursor = 0
		if last {
			m.cursor = len(m.copies) - 1
		}
		m.selected = m.copies[m.cursor].RequestID
	}
}

// page is how far pgup and pgdn go: the rows, or the lines of details,
// that fit on screen, less one kept in view.
func (m Model) page() int {
	w, h := m.size()
	body := max(1, h-2)
	if m.detail {
		return max(1, body-2)
	}
	head, per := 2, 1
	if m.layOut(w).twoLines {
		head, per = 1, 2
	}
	return max(1, (body-head)/per-1)
}

// Capturing is true while the key policy's question is asked: y, n and
// q are not the app's then. The pane has no text field.
func (m Model) Capturing() bool { return m.policy != nil }
