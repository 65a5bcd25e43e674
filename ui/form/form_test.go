package form

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/ui/nav"
)

func TestEscGoesBackAndKeepsTheForm(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m = focusField(t, m, fDesc)
	m = typeText(clearField(m), "kept")
	m, cmd := press(m, "esc")
	msgs := msgsOf(cmd)
	if len(msgs) != 1 || msgs[0] != (nav.Back{}) {
		t.Fatalf("esc sent %v, want nav.Back", msgs)
	}
	if m.desc.Value() != "kept" || m.focus != fDesc {
		t.Errorf("after esc the form holds %q on %s", m.desc.Value(), labels[m.focus])
	}
}

func TestCapturing(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	want := map[field]bool{fKind: false, fDest: true, fDesc: true, fEncrypt: false, fKms: true, fTags: true, fDuration: true, fLock: true, fDryRun: false}
	for f := field(0); f < numFields; f++ {
		if m.hidden(f) {
			continue // the other accounts' fields: no other profile here
		}
		m = focusField(t, m, f)
		if got := m.Capturing(); got != want[f] {
			t.Errorf("Capturing on %s = %v, want %v", labels[f], got, want[f])
		}
	}
	// q typed into a text field is text, not a command.
	m = focusField(t, m, fDesc)
	m = typeText(clearField(m), "q?")
	if m.desc.Value() != "q?" {
		t.Errorf("description = %q, want q?", m.desc.Value())
	}
}

func TestZeroModelIsInert(t *testing.T) {
	var m Model
	if v := m.View(); v != "" {
		t.Errorf("zero form draws %q", v)
	}
	m2, cmd := m.Update(keyNamed("ctrl+s"))
	if cmd != nil || m2.Capturing() {
		t.Error("zero form answers keys")
	}
	if m.Init() != nil {
		t.Error("zero form loads something")
	}
}

func TestForcedEncryptionCannotBeTurnedOff(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, encSrc))
	m = focusField(t, m, fEncrypt)
	m, _ = press(m, "space")
	if m.encrypt {
		t.Error("the toggle changed while encryption is forced")
	}
	if statusOf(m).Text != "encryption is forced on: the source is encrypted" {
		t.Errorf("status %q", statusOf(m).Text)
	}
}

// Whatever the form holds, its screen fits the size it is given.
func TestViewFitsEverySize(t *testing.T) {
	sizes := [][2]int{{30, 8}, {60, 15}, {80, 24}, {100, 40}, {160, 50}}
	states := map[string]func(t *testing.T, m Model) Model{
		"fresh": func(t *testing.T, m Model) Model { return m },
		"tags": func(t *testing.T, m Model) Model {
			m = focusField(t, m, fTags)
			for i := 0; i < 12; i++ {
				m = paste(m, strings.Repeat("k", 60)+string(rune('a'+i)))
				m, _ = press(m, "tab")
				m = paste(m, strings.Repeat("v", 300))
				m, _ = press(m, "ctrl+n")
			}
			return m
		},
		"long description": func(t *testing.T, m Model) Model {
			m = focusField(t, m, fDesc)
			return paste(m, strings.Repeat("日本語", 120))
		},
		"kms": func(t *testing.T, m Model) Model {
			m = focusField(t, m, fKms)
			return typeText(m, "alias/")
		},
	}
	for name, state := range states {
		for _, sz := range sizes {
			m := loadFacts(newForm(t, sz[0], sz[1], plainSrc, encSrc, lzSrc, pendingSrc))
			m = state(t, m)
			lines := strings.Split(m.View(), "\n")
			if len(lines) > sz[1] {
				t.Errorf("%s at %dx%d: %d lines", name, sz[0], sz[1], len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > sz[0] {
					t.Errorf("%s at %dx%d: line %d is %d wide", name, sz[0], sz[1], i+1, w)
				}
			}
			if !strings.Contains(m.View(), "›") && sz[1] >= 15 {
				t.Errorf("%s at %dx%d: the focused field is out of view:\n%s", name, sz[0], sz[1], m.View())
			}
		}
	}
}

// Any sequence of keys leaves a form that draws within its size and never
// holds requests while validate reports an error.
func TestRandomKeysKeepTheFormSound(t *testing.T) {
	names := []string{"tab", "shift+tab", "enter", "left", "right", "up", "down", "backspace",
		"ctrl+n", "ctrl+d", "ctrl+t", "ctrl+f", "ctrl+u", "ctrl+e", "space"}
	texts := []string{"a", "us-east-1", "alias/", "aws:", "60", "50", "\x1b[31m", "arn:aws:kms:us-east-1:123456789012:alias/x", "日本"}
	rng := uint64(42)
	next := func(n int) int { // a fixed sequence, so a failure repeats
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % uint64(n))
	}
	m := loadFacts(newForm(t, 80, 24, plainSrc, encSrc, lzSrc, pendingSrc))
	for i := 0; i < 1500; i++ {
		if next(3) == 0 {
			m = paste(m, texts[next(len(texts))])
		} else {
			n := names[next(len(names))]
			if n == "enter" && m.focus == numFields-1 {
				continue // submitting is tested elsewhere
			}
			m, _ = press(m, n)
		}
		if _, bad := m.result.FirstError(); bad && len(m.result.Requests) > 0 {
			t.Fatalf("step %d: requests while an error stands: %v", i, m.result.Problems)
		}
		lines := strings.Split(m.View(), "\n")
		if len(lines) > 24 {
			t.Fatalf("step %d: %d lines", i, len(lines))
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > 80 || strings.ContainsRune(l, 0x1b) {
				t.Fatalf("step %d: line too wide or carrying an escape: %q", i, l)
			}
		}
	}
}
