package progress

import "github.com/charmbracelet/bubbles/key"

// keyMap holds every key the pane answers. Update matches keys against
// these bindings and the help bar is built from them, so the two cannot
// disagree.
type keyMap struct {
	Up      key.Binding
	Down    key.Binding
	Details key.Binding
	Remove  key.Binding
	CopyID  key.Binding
	Poll    key.Binding
	Back    key.Binding

	detail bool // the details of one copy are open
}

var keys = keyMap{
	Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
	Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
	Details: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
	Remove:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "forget finished copy")),
	CopyID:  key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy id to clipboard")),
	Poll:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "poll now / resume")),
	Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
}

// ShortHelp shows the keys that act on the current view.
func (k keyMap) ShortHelp() []key.Binding {
	if k.detail {
		back := k.Back
		back.SetHelp(k.Back.Help().Key, "all copies")
		return []key.Binding{back, k.CopyID, k.Remove, k.Poll}
	}
	return []key.Binding{k.Up, k.Down, k.Details, k.CopyID, k.Remove, k.Poll, k.Back}
}

// FullHelp lists every key of the pane.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Details, k.Back},
		{k.CopyID, k.Remove, k.Poll},
	}
}
