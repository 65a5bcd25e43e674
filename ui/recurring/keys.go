package recurring

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
)

// keyMap holds every key the panel answers: the only place a key is
// bound. Update matches against these bindings and the help bar and the
// hints take their names from them.
type keyMap struct {
	Next        key.Binding // next field; on the policy page, the other account's policy
	Prev        key.Binding
	Enter       key.Binding // next field; on the last, the policy
	Left        key.Binding // the previous suggested target tag
	Right       key.Binding // the next suggested target tag
	Toggle      key.Binding // copy tags or not
	Show        key.Binding // the policy page
	Up          key.Binding // scroll the policy
	Down        key.Binding
	CopyJSON    key.Binding
	CopyCommand key.Binding
	// Create asks "create this policy?", answered by Yes or No.
	Create key.Binding
	Yes    key.Binding
	No     key.Binding
	Back   key.Binding
	// Text edits inside a field: bubbles' own bindings, kept here so every
	// key the panel answers is in this map.
	Text textinput.KeyMap

	page         page
	asking       bool
	crossAccount bool
	target       bool // the target tag is focused: ←/→ offers the suggestions
	toggle       bool // copy tags is focused
}

var keys = keyMap{
	Next:        key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
	Prev:        key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
	Enter:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next field, the policy on the last")),
	Left:        key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "previous")),
	Right:       key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "next")),
	Toggle:      key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "toggle")),
	Show:        key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "open the policy")),
	Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
	Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
	CopyJSON:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy the JSON")),
	CopyCommand: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy the command")),
	Create:      key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "create in AWS (asks y/n)")),
	Yes:         key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "create it")),
	No:          key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "do not create")),
	Back:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	Text:        textKeys(),
}

// textKeys are bubbles' text keys less the suggestion keys, which the
// panel does not use.
func textKeys() textinput.KeyMap {
	k := textinput.DefaultKeyMap
	k.NextSuggestion = key.NewBinding(key.WithDisabled())
	k.PrevSuggestion = key.NewBinding(key.WithDisabled())
	return k
}

func either(a, b key.Binding, what string) key.Binding {
	return key.NewBinding(key.WithKeys(slices.Concat(a.Keys(), b.Keys())...), key.WithHelp(a.Help().Key+"/"+b.Help().Key, what))
}

// Suggest is ←/→ through the suggested target tags.
func (k keyMap) Suggest() key.Binding { return either(k.Left, k.Right, "suggested tags") }

// Other is tab on the policy page: the other account's policy.
func (k keyMap) Other() key.Binding {
	return key.NewBinding(key.WithKeys(k.Next.Keys()...), key.WithHelp(k.Next.Help().Key, "the other account's policy"))
}

// ShortHelp shows the keys that do something now.
func (k keyMap) ShortHelp() []key.Binding {
	switch {
	case k.asking:
		return []key.Binding{k.Yes, k.No}
	case k.page == onPolicy:
		out := []key.Binding{k.CopyJSON, k.CopyCommand, either(k.Up, k.Down, "scroll")}
		if k.crossAccount {
			out = append(out, k.Other())
		} else {
			out = append(out, k.Create)
		}
		return append(out, k.Back)
	}
	out := []key.Binding{k.Next}
	if k.target {
		out = append(out, k.Suggest())
	}
	if k.toggle {
		out = append(out, k.Toggle)
	}
	return append(out, k.Show, k.Create, k.Back)
}

// FullHelp lists every key of the panel.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Next, k.Prev, k.Enter, k.Suggest(), k.Toggle, k.Show, k.Back},
		{k.CopyJSON, k.CopyCommand, k.Up, k.Down, k.Other()},
		{k.Create, k.Yes, k.No},
	}
}
