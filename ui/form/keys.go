package form

import "github.com/charmbracelet/bubbles/key"

// keyMap holds every key the form answers. Update matches keys against
// these bindings and the help bar is built from them, so the two cannot
// disagree. focus only chooses which bindings the short help shows.
type keyMap struct {
	Next       key.Binding
	Prev       key.Binding
	Choice     key.Binding
	Toggle     key.Binding
	Submit     key.Binding
	Enter      key.Binding
	Back       key.Binding
	Pick       key.Binding // move the highlight in the KMS key completions
	Accept     key.Binding // take the highlighted KMS key
	Row        key.Binding // move between tag rows
	AddTag     key.Binding
	DelTag     key.Binding
	SourceTags key.Binding

	focus field
}

func newKeyMap() keyMap {
	return keyMap{
		Next:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		Prev:       key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Choice:     key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "change")),
		Toggle:     key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "toggle")),
		Submit:     key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "submit")),
		Enter:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next field, submit on the last")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back (form kept)")),
		Pick:       key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose key")),
		Accept:     key.NewBinding(key.WithKeys("ctrl+f", "right"), key.WithHelp("ctrl+f/→", "take key")),
		Row:        key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "tag row")),
		AddTag:     key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", "add row")),
		DelTag:     key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "delete row")),
		SourceTags: key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "source tags")),
	}
}

// keys is the one set of bindings; KeyMap returns a copy with the focus set.
var keys = newKeyMap()

// ShortHelp shows the keys that do something on the focused field.
func (k keyMap) ShortHelp() []key.Binding {
	out := []key.Binding{k.Next}
	switch k.focus {
	case fKind, fEncrypt, fDryRun:
		out = append(out, k.Choice)
	case fDest:
		pick := k.Choice
		pick.SetHelp("←/→", "pick")
		out = append(out, pick)
	case fKms:
		out = append(out, k.Pick, k.Accept)
	case fTags:
		out = append(out, k.Row, k.AddTag, k.DelTag, k.SourceTags)
	}
	return append(out, k.Submit, k.Back)
}

// FullHelp lists every key of the form.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Next, k.Prev, k.Enter, k.Submit, k.Back},
		{k.Choice, k.Toggle, k.Pick, k.Accept},
		{k.Row, k.AddTag, k.DelTag, k.SourceTags},
	}
}
