package progress

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/snapcopy/snapcopy/ui/status"
)

// keyMap holds every key the pane answers. Update matches keys against
// these bindings and the help bar is built from them, so the two cannot
// disagree.
type keyMap struct {
	Up      key.Binding
	Down    key.Binding
	Details key.Binding
	Retry   key.Binding
	Edit    key.Binding
	Cancel  key.Binding
	Remove  key.Binding
	CopyID  key.Binding
	Poll    key.Binding
	Back    key.Binding
	// Yes and No answer the pane's one-line questions (retry? cancel?).
	Yes key.Binding
	No  key.Binding
	// Discover finds copies in flight in the whole account.
	Discover key.Binding

	detail bool // the details of one copy are open
	// What the selection allows, so the help bar offers only keys that
	// act on it: retry and edit a failed copy, cancel one in flight.
	retry, edit, cancel bool
}

var keys = keyMap{
	Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
	Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
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
}

// ShortHelp shows the keys that act on the current view.
func (k keyMap) ShortHelp() []key.Binding {
	if k.detail {
		back := k.Back
		back.SetHelp(k.Back.Help().Key, "all copies")
		// The arrows scroll the details: one entry for the two.
		scroll := key.NewBinding(key.WithKeys(append(k.Up.Keys(), k.Down.Keys()...)...),
			key.WithHelp(status.KeyName(k.Up)+"/"+status.KeyName(k.Down), "scroll"))
		return append([]key.Binding{back, scroll}, append(k.moves(), k.CopyID, k.Remove, k.Poll)...)
	}
	return append([]key.Binding{k.Up, k.Down, k.Details}, append(k.moves(), k.CopyID, k.Remove, k.Poll, k.Back)...)
}

// moves are the keys of the operator's next move the selection allows.
func (k keyMap) moves() []key.Binding {
	var out []key.Binding
	if k.retry {
		out = append(out, k.Retry)
	}
	if k.edit {
		out = append(out, k.Edit)
	}
	if k.cancel {
		out = append(out, k.Cancel)
	}
	return out
}

// FullHelp lists every key of the pane.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Details, k.Back},
		{k.Retry, k.Edit, k.Cancel},
		{k.CopyID, k.Remove, k.Poll, k.Discover},
	}
}
