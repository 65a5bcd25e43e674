package form

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// rebind swaps the form's bindings for the test and puts them back after.
func rebind(t *testing.T, change func(k *keyMap)) {
	t.Helper()
	saved := keys
	t.Cleanup(func() { keys = saved })
	change(&keys)
}

// flat is the screen as one line of words, the way a reader reads wrapped text.
func flat(m Model) string { return strings.Join(strings.Fields(m.View()), " ") }

// A rebound key is the key the form answers, and every hint and the help
// bar name it instead of the old one.
func TestReboundKeyChangesTheHints(t *testing.T) {
	rebind(t, func(k *keyMap) {
		k.AddTag = key.NewBinding(key.WithKeys("ctrl+a"), key.WithHelp("ctrl+a", "add row"))
		k.Right = key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "next"))
		k.Next = key.NewBinding(key.WithKeys("ctrl+j"), key.WithHelp("ctrl+j", "next field"))
	})
	m := loadFacts(newForm(t, 100, 40, plainSrc))

	// The tag rows' hint and the help bar.
	m.focus = fTags
	v := flat(m)
	for _, want := range []string{"ctrl+a adds a row, ctrl+d deletes this one", "ctrl+a add row", "ctrl+j next field"} {
		if !strings.Contains(v, want) {
			t.Errorf("the screen does not say %q:\n%s", want, m.View())
		}
	}
	for _, old := range []string{"ctrl+n adds a row", "ctrl+n add row", "tab next field"} {
		if strings.Contains(v, old) {
			t.Errorf("the screen still names the old key: %q", old)
		}
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyCtrlA})
	if len(m.tags) != 2 {
		t.Errorf("the rebound key made %d tag rows, want 2", len(m.tags))
	}
	m, _ = press(m, "ctrl+n")
	if len(m.tags) != 2 {
		t.Errorf("the old key still adds a row: %d rows", len(m.tags))
	}

	// The destination's hints name the rebound → and its pair.
	m.focus = fDest
	m = typeText(clearField(m), "us-")
	v = flat(m)
	if !strings.Contains(v, "(ctrl+l picks the first)") || strings.Contains(v, "(→ picks the first)") {
		t.Errorf("the destination's matches do not name the rebound key:\n%s", m.View())
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyCtrlL})
	if got := m.dest[m.kind()].Value(); got != "us-east-1" {
		t.Fatalf("the rebound key picked %q, want the first match us-east-1", got)
	}
	if v := flat(m); !strings.Contains(v, "←/ctrl+l 4 of 5 Regions") || !strings.Contains(v, "←/ctrl+l pick") {
		t.Errorf("the picker's hint and help do not name the rebound key:\n%s", m.View())
	}
}

// The note under fields scrolled out of view names the key that moves
// between fields.
func TestScrollNoteNamesTheNextKey(t *testing.T) {
	rebind(t, func(k *keyMap) {
		k.Next = key.NewBinding(key.WithKeys("ctrl+j"), key.WithHelp("ctrl+j", "next field"))
	})
	m := loadFacts(newForm(t, 80, 14, plainSrc, encSrc, lzSrc, pendingSrc))
	if v := flat(m); !strings.Contains(v, "(ctrl+j moves between fields)") {
		t.Errorf("the scroll note does not name the rebound key:\n%s", m.View())
	}
}

func TestKeyMapShortHelpIsInFullHelp(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	full := map[string]bool{}
	for _, g := range m.KeyMap().FullHelp() {
		for _, b := range g {
			full[strings.Join(b.Keys(), " ")] = true
		}
	}
	for f := field(0); f < numFields; f++ {
		if m.hidden(f) {
			continue // the other accounts' fields: no other profile here
		}
		m = focusField(t, m, f)
		for _, b := range m.KeyMap().ShortHelp() {
			if !full[strings.Join(b.Keys(), " ")] {
				t.Errorf("on %s the help bar shows %q, which the full help lacks", labels[f], b.Help().Key)
			}
		}
	}
	// The keys the form answers are the bindings the help shows.
	if !key.Matches(keyNamed("ctrl+s"), keys.Submit) || !key.Matches(keyNamed("esc"), keys.Back) || !key.Matches(keyNamed("ctrl+t"), keys.SourceTags) {
		t.Error("the bindings do not match the keys the form documents")
	}
}
