package form

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
)

// keyMap holds every key the form answers: this is the only place a key
// is bound. Update matches keys against these bindings, and the help bar
// and every hint on the screen take key names from them (Help().Key), so
// the keys, the help and the hints cannot disagree. focus only chooses
// which bindings the short help shows.
type keyMap struct {
	Next       key.Binding
	Prev       key.Binding
	Left       key.Binding // the previous choice; in text, the cursor
	Right      key.Binding // the next choice; in text, the cursor
	Up         key.Binding // the previous KMS key completion or tag row
	Down       key.Binding // the next KMS key completion or tag row
	Toggle     key.Binding
	Submit     key.Binding
	Enter      key.Binding
	Back       key.Binding
	Take       key.Binding // take the highlighted KMS key (Right too, at the end of the text)
	AddTag     key.Binding
	DelTag     key.Binding
	SourceTags key.Binding
	// Reload asks AWS again for what the form looked up (Regions, Local
	// Zones, the destination's encryption default and KMS aliases). It is
	// answered on the fields that take no typing, where r is no text.
	Reload key.Binding
	// Recall fills in the last request sent from the source Region.
	Recall key.Binding
	// CLI shows the requests as `aws ec2 copy-snapshot` commands; CopyCLI,
	// while they are shown, puts them on the clipboard.
	CLI     key.Binding
	CopyCLI key.Binding
	// Fit sets the completion duration to the shortest that fits the
	// Region pair's time-based copy quota.
	Fit key.Binding
	// Recurring opens the panel that makes the copy a DLM policy (ui/recurring).
	Recurring key.Binding
	// Yes and No answer the form's one question, "send anyway?", asked
	// before sending a copy whose KMS alias the destination does not list
	// or whose source is already copied there.
	Yes key.Binding
	No  key.Binding
	// Text edits inside a text field (cursor moves, deleting): bubbles'
	// own bindings, set here so every key the form answers is in this map.
	// The form answers its own keys above before a field sees them.
	Text textinput.KeyMap

	focus  field
	recall bool // a last request is remembered: the short help offers Recall
	fit    bool // the batch is over the quota and a duration fits: the short help offers Fit
	asking bool // "send anyway?" is asked: the short help offers Yes and No only
}

// newKeyMap is the form's default bindings.
func newKeyMap() keyMap {
	return keyMap{
		Next:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		Prev:       key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Left:       key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "previous")),
		Right:      key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "next")),
		Up:         key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "up")),
		Down:       key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "down")),
		Toggle:     key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "toggle")),
		Submit:     key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "submit")),
		Enter:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next field, submit on the last")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back (form kept)")),
		Take:       key.NewBinding(key.WithKeys("ctrl+f"), key.WithHelp("ctrl+f", "take key")),
		AddTag:     key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", "add row")),
		DelTag:     key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "delete row")),
		SourceTags: key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "source tags")),
		Reload:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload Regions and keys")),
		Recall:     key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "last request")),
		CLI:        key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", "as AWS CLI commands")),
		CopyCLI:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy the commands to the clipboard")),
		Fit:        key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "duration that fits the quota")),
		Recurring:  key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("ctrl+p", "make it recurring (DLM)")),
		Yes:        key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "send anyway")),
		No:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "do not send")),
		Text:       textKeys(),
	}
}

// textKeys are bubbles' text keys but for ctrl+e, which shows the AWS CLI
// commands here: end still moves to the end of the line.
func textKeys() textinput.KeyMap {
	k := textinput.DefaultKeyMap
	k.LineEnd = key.NewBinding(key.WithKeys("end"))
	return k
}

// keys is the one set of bindings; KeyMap returns a copy with the focus set.
var keys = newKeyMap()

// either is one help entry for two bindings, "a/b what": it answers the
// keys of both and is named by both, so it follows them when rebound.
func either(a, b key.Binding, what string) key.Binding {
	return key.NewBinding(
		key.WithKeys(slices.Concat(a.Keys(), b.Keys())...),
		key.WithHelp(a.Help().Key+"/"+b.Help().Key, what),
	)
}

// Choice is ←/→ changing a choice (destination type, encrypt, source tags, dry run).
func (k keyMap) Choice() key.Binding { return either(k.Left, k.Right, "change") }

// PickDest is ←/→ picking among the destinations offered.
func (k keyMap) PickDest() key.Binding { return either(k.Left, k.Right, "pick") }

// Pick is ↑/↓ moving the highlight in the KMS key completions.
func (k keyMap) Pick() key.Binding { return either(k.Up, k.Down, "choose key") }

// Accept is taking the highlighted KMS key.
func (k keyMap) Accept() key.Binding { return either(k.Take, k.Right, "take key") }

// Row is ↑/↓ moving between tag rows.
func (k keyMap) Row() key.Binding { return either(k.Up, k.Down, "tag row") }

// ShortHelp shows the keys that do something on the focused field.
func (k keyMap) ShortHelp() []key.Binding {
	if k.asking {
		return []key.Binding{k.Yes, k.No}
	}
	out := []key.Binding{k.Next}
	switch k.focus {
	case fKind, fEncrypt, fSourceTags, fDryRun:
		out = append(out, k.Choice())
	case fDest:
		out = append(out, k.PickDest())
	case fKms:
		out = append(out, k.Pick(), k.Accept())
	case fTags:
		out = append(out, k.Row(), k.AddTag, k.DelTag, k.SourceTags)
	}
	if k.fit {
		out = append(out, k.Fit)
	}
	if k.recall {
		out = append(out, k.Recall)
	}
	return append(out, k.Submit, k.Back)
}

// FullHelp lists every key of the form.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Next, k.Prev, k.Enter, k.Submit, k.Back, k.Recall, k.Reload, k.CLI, k.CopyCLI, k.Fit},
		{k.Choice(), k.Toggle, k.Pick(), k.Accept()},
		{k.Row(), k.AddTag, k.DelTag, k.SourceTags, k.Yes, k.No, k.Recurring},
	}
}
