package profiles

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key of the picker; Update matches against these and the
// help bar is built from them.
type KeyMap struct {
	Up, Down, Home, End key.Binding
	Choose              key.Binding
	Filter              key.Binding
	Back                key.Binding
	Retry               key.Binding

	// While typing the filter letters are text: only these act.
	Accept     key.Binding
	Clear      key.Binding
	DeleteChar key.Binding
	FilterUp   key.Binding
	FilterDown key.Binding

	// Help is the app's key, here so the help bar names it.
	Help key.Binding

	filtering bool
}

// DefaultKeyMap returns the picker's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Home:   key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "first")),
		End:    key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "last")),
		Choose: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "list under it")),
		Filter: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Back:   key.NewBinding(key.WithKeys("esc", "P"), key.WithHelp("esc", "back")),
		Retry:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "ask the accounts again")),

		Accept:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		Clear:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),
		DeleteChar: key.NewBinding(key.WithKeys("backspace"), key.WithHelp("backspace", "delete a character")),
		FilterUp:   key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "up")),
		FilterDown: key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "down")),
	}
}

// ShortHelp is the help bar: the filter's keys while typing it.
func (k KeyMap) ShortHelp() []key.Binding {
	if k.filtering {
		return []key.Binding{k.Accept, k.Clear, k.FilterUp, k.FilterDown}
	}
	return []key.Binding{k.Choose, k.Filter, k.Up, k.Down, k.Retry, k.Back, k.Help}
}

// FullHelp is every key of the picker.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Home, k.End},
		{k.Choose, k.Filter, k.Clear, k.Retry, k.Back},
	}
}
