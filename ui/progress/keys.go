package progress

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/clipboard"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/status"
)

// keyMap holds every key the pane answers. Update matches keys against
// these bindings and the help bar is built from them, so the two cannot
// disagree.
type keyMap struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Home     key.Binding
	End      key.Binding
	Details  key.Binding
	Retry    key.Binding
	Edit     key.Binding
	Cancel   key.Binding
	Remove   key.Binding
	CopyID   key.Binding
	Poll     key.Binding
	Back     key.Binding
	// Yes and No answer the pane's one-line questions (retry? cancel?).
	Yes key.Binding
	No  key.Binding
	// Discover finds copies in flight in the whole account.
	Discover key.Binding
	// KeyPolicy shows a waiting copy's key policy before and after adding
	// the statements it lacks (keypolicy.go).
	KeyPolicy key.Binding
	// Help is the app's key for the full help (Options.Help), named on
	// the help bar; the app answers it.
	Help key.Binding

	detail bool // the details of one copy are open
	// What the selection allows, so the help bar offers only keys that
	// act on it: retry and edit a failed copy, cancel one in flight.
	retry, edit, cancel bool
	policy              bool // the copy waits for its key policy: K
}

var keys = keyMap{
	Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
	Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
	PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
	PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
	Home:     key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "first")),
	End:      key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "last")),
	Details:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
	Retry:    key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "retry failed")),
	Edit:     key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "edit & resend")),
	Cancel:   key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "cancel")),
	Remove:   key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "forget finished copy")),
	CopyID:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy id to clipboard")),
	Poll:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "poll now / resume")),
	Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	Yes:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
	No:       key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "no")),
	Discover: key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "discover copies in flight")),

	KeyPolicy: key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "add the key policy's statements")),
}

// ShortHelp shows the keys that act on the current view; the way back
// and the full help come last, and the help bar never cuts them
// (keptKeys).
func (k keyMap) ShortHelp() []key.Binding {
	// One entry for the keys that page, in the bar; the full help names
	// each, home and end too.
	page := key.NewBinding(key.WithKeys(append(k.PageUp.Keys(), k.PageDown.Keys()...)...),
		key.WithHelp(k.PageUp.Help().Key+"/"+k.PageDown.Help().Key, "page"))
	// The bar says in a word what the full help says in a few, so that
	// it is whole at 140 columns whatever the selection offers.
	copyID, remove, poll := short(k.CopyID, "copy id"), short(k.Remove, "forget"), short(k.Poll, "poll now")
	// The arrows select, or scroll the details: one entry for the two.
	arrows := key.NewBinding(key.WithKeys(append(k.Up.Keys(), k.Down.Keys()...)...),
		key.WithHelp(status.KeyName(k.Up)+"/"+status.KeyName(k.Down), "select"))
	if k.detail {
		arrows.SetHelp(arrows.Help().Key, "scroll")
		out := append([]key.Binding{arrows, page}, append(k.moves(), copyID, remove, poll)...)
		return append(out, k.kept(short(k.Back, "all copies"))...)
	}
	out := append([]key.Binding{arrows, page, k.Details}, append(k.moves(), copyID, remove, poll)...)
	return append(out, k.kept(k.Back)...)
}

// short is b described in fewer words, for the help bar.
func short(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// kept are the keys the help bar always shows, at its end: the way back
// and, when the app named it, the full help.
func (k keyMap) kept(back key.Binding) []key.Binding {
	if len(k.Help.Keys()) == 0 {
		return []key.Binding{back}
	}
	return []key.Binding{back, k.Help}
}

// keptKeys is how many keys at the end of ShortHelp the bar keeps.
func (k keyMap) keptKeys() int { return len(k.kept(k.Back)) }

// moves are the keys of the operator's next move the selection allows.
func (k keyMap) moves() []key.Binding {
	var out []key.Binding
	if k.retry {
		out = append(out, short(k.Retry, "retry"))
	}
	if k.edit {
		out = append(out, k.Edit)
	}
	if k.cancel {
		out = append(out, k.Cancel)
	}
	if k.policy {
		out = append(out, short(k.KeyPolicy, "key policy"))
	}
	return out
}

// FullHelp lists every key of the pane; R, E and C are left out for a
// copy found in flight, which snapcopy never retries, edits or cancels
// (they are disabled: see Model.keyMap).
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Details, k.Back, k.Retry, k.Edit, k.Cancel},
		{k.CopyID, k.Remove, k.Poll, k.Discover, k.KeyPolicy},
	}
}

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

func (m Model) key(msg tea.KeyMsg) (Model, tea.Cmd) {
	m.status.KeyPressed()
	if m.policy != nil {
		return m.answerPolicy(msg)
	}
	if m.asking != nil {
		return m.answer(msg)
	}
	// The keys as the selection allows them: a copy found in flight has
	// no retry, edit or cancel.
	k := m.keyMap()
	switch {
	case key.Matches(msg, k.Back):
		if m.detail {
			m.detail = false
			return m, nil
		}
		return m, func() tea.Msg { return nav.Back{} }
	case key.Matches(msg, k.Up):
		m.scrollOrMove(-1)
	case key.Matches(msg, k.Down):
		m.scrollOrMove(1)
	case key.Matches(msg, k.PageUp):
		m.scrollOrMove(-m.page())
	case key.Matches(msg, k.PageDown):
		m.scrollOrMove(m.page())
	case key.Matches(msg, k.Home):
		m.jump(false)
	case key.Matches(msg, k.End):
		m.jump(true)
	case key.Matches(msg, k.Details):
		if c := m.current(); c != nil {
			m.detail = !m.detail
			m.detailTop = 0
		}
	case key.Matches(msg, k.Retry):
		return m.askRetry()
	case key.Matches(msg, k.Edit):
		return m.edit()
	case key.Matches(msg, k.Cancel):
		return m.askCancel()
	case key.Matches(msg, k.Remove):
		return m.remove()
	case key.Matches(msg, k.CopyID):
		return m.copyID()
	case key.Matches(msg, k.Discover):
		return m.discover()
	case key.Matches(msg, k.KeyPolicy):
		return m.askKeyPolicy()
	case key.Matches(msg, k.Poll):
		// A step at once; paused, the follow loop resumes the tracker
		// first (in its goroutine: Resume takes the tracker's lock).
		if m.paused {
			m.paused = false
			m.status.Release()
		}
		m.follow.stepNow()
		return m, m.status.Show(status.Info, pollingNow)
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
