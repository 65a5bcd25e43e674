package ui

import "github.com/charmbracelet/bubbles/key"

// appKeys are the keys the app itself answers on every screen.
type appKeys struct {
	Help  key.Binding
	Quit  key.Binding
	Force key.Binding
	Yes   key.Binding
	No    key.Binding
	// Profiles opens the profile picker from the list.
	Profiles key.Binding
}

var keys = appKeys{
	Help:  key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
	Quit:  key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
	Force: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	Yes:   key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
	No:    key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "no")),

	Profiles: key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "profile")),
}

// ShortHelp and FullHelp make appKeys a help.KeyMap.
func (k appKeys) ShortHelp() []key.Binding { return []key.Binding{k.Help, k.Quit} }

func (k appKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Help, k.Quit, k.Force}} }
