package list

import "github.com/charmbracelet/bubbles/key"

// mode is what the list screen is doing; it decides which keys apply and
// which ones the help bar offers.
type mode int

const (
	browsing  mode = iota
	filtering      // typing into the filter
	detailing      // the detail pane is open
	picking        // the Region picker is open
)

// KeyMap is every key of the list screen. Update matches keys against these
// bindings and the help bar and the full help are built from them, so the
// three can never disagree.
type KeyMap struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Home     key.Binding
	End      key.Binding

	Filter  key.Binding
	Clear   key.Binding
	Sort    key.Binding
	Reverse key.Binding
	Detail  key.Binding
	Scope   key.Binding

	Mark       key.Binding
	MarkAll    key.Binding
	ClearMarks key.Binding
	Copy       key.Binding
	Progress   key.Binding
	Reload     key.Binding
	Region     key.Binding

	// Accept ends typing in the filter, keeping it; Choose picks a Region.
	Accept key.Binding
	Choose key.Binding
	// Close leaves the detail pane; Cancel leaves the Region picker.
	Close  key.Binding
	Cancel key.Binding

	// While typing a filter letters are text: only these keys act.
	FilterUp   key.Binding
	FilterDown key.Binding
	DeleteChar key.Binding
	DeleteWord key.Binding
	DeleteAll  key.Binding

	// Help and Quit are the app's keys (Options.Help, Options.Quit): the
	// app answers them; they are here so the help bar names them.
	Help key.Binding
	Quit key.Binding
	// Profiles is the app's key for the profile picker (Options.Profiles).
	Profiles key.Binding

	mode mode
}

// DefaultKeyMap returns the list's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Home:     key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "first")),
		End:      key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "last")),

		Filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Clear:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Sort:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort column")),
		Reverse: key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		Detail:  key.NewBinding(key.WithKeys("d", "tab"), key.WithHelp("d/tab", "details")),
		Scope:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "owned/shared")),

		Mark:       key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "mark")),
		MarkAll:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "mark all shown")),
		ClearMarks: key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "clear marks")),
		Copy:       key.NewBinding(key.WithKeys("enter", "c"), key.WithHelp("enter/c", "copy")),
		Progress:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "progress")),
		Reload:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")),
		Region:     key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "Region")),

		Accept: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		Choose: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Close:  key.NewBinding(key.WithKeys("esc", "d", "tab"), key.WithHelp("esc", "close")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),

		FilterUp:   key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "up")),
		FilterDown: key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "down")),
		DeleteChar: key.NewBinding(key.WithKeys("backspace"), key.WithHelp("backspace", "delete a character")),
		DeleteWord: key.NewBinding(key.WithKeys("ctrl+w"), key.WithHelp("ctrl+w", "delete a word")),
		DeleteAll:  key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "clear the text")),
	}
}

// ShortHelp is the help bar of the current mode, most useful keys first
// (the bar is cut at the terminal's width).
func (k KeyMap) ShortHelp() []key.Binding {
	switch k.mode {
	case filtering:
		// Letters are typed into the filter here: only the arrows move.
		esc := k.Clear
		esc.SetHelp(k.Clear.Help().Key, "clear")
		return []key.Binding{k.Accept, esc, k.FilterUp, k.FilterDown}
	case detailing:
		return []key.Binding{k.Close, k.Up, k.Down, k.Copy, k.Help}
	case picking:
		return []key.Binding{k.Choose, k.Cancel, k.Up, k.Down}
	}
	return []key.Binding{k.Filter, k.Mark, k.Copy, k.Detail, k.Sort, k.Region, k.Scope, k.Reload, k.Progress, k.Profiles, k.Help, k.Quit}
}

// keptKeys is how many keys at the end of ShortHelp the help bar always
// shows, however narrow: ? help and q quit while browsing (the way to
// every other key, and out), ? help in the details.
func (k KeyMap) keptKeys() int {
	switch k.mode {
	case browsing:
		return 2
	case detailing:
		return 1
	}
	return 0
}

// FullHelp is every key of the screen in three columns (moving, viewing,
// acting); the app adds its own keys (?, q, ctrl+c) below.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Filter, k.Clear, k.Sort, k.Reverse, k.Detail, k.Scope},
		{k.Mark, k.MarkAll, k.ClearMarks, k.Copy, k.Progress, k.Reload, k.Region, k.Profiles},
	}
}
