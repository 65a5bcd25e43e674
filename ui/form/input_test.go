package form

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// A focused input always shows its cursor within its width, whatever the
// text and wherever the cursor is.
func TestInputViewKeepsTheCursorInView(t *testing.T) {
	texts := []string{"", "short", strings.Repeat("abcdefghij", 30), strings.Repeat("日本語", 50), "mixed 日本 text " + strings.Repeat("x", 80)}
	for _, text := range texts {
		for _, width := range []int{4, 5, 12, 40} {
			ti := newInput()
			ti.SetValue(text)
			n := len([]rune(text))
			for _, pos := range []int{0, 1, n / 2, n - 1, n} {
				if pos < 0 || pos > n {
					continue
				}
				ti.SetCursor(pos)
				v := inputView(ti, true, width, "")
				if w := ansi.StringWidth(v); w > width {
					t.Errorf("text %d chars, width %d, cursor %d: drawn %d wide: %q", n, width, pos, w, v)
				}
				if !strings.Contains(v, "▏") {
					t.Errorf("text %d chars, width %d, cursor %d: no cursor in %q", n, width, pos, v)
				}
			}
		}
	}
	ti := newInput()
	ti.SetValue("hello")
	if v := inputView(ti, true, 20, ""); v != "hello▏" {
		t.Errorf("short text drawn %q, want hello▏", v)
	}
	ti.SetCursor(0)
	if v := inputView(ti, true, 20, ""); v != "▏hello" {
		t.Errorf("cursor at the start drawn %q, want ▏hello", v)
	}
}

// In colour, an empty text field shows its placeholder at the same column
// focused or not: the cursor sits on its first letter rather than before
// it (the KMS key's "empty: the destination's default EBS key" moved one
// column as the field took the focus).
func TestPlaceholderStaysInPlaceWhenFocused(t *testing.T) {
	lipgloss.SetColorProfile(termenv.ANSI256)
	t.Cleanup(func() { lipgloss.SetColorProfile(termenv.Ascii) })
	const placeholder = "empty: the destination's default EBS key"
	ti := newInput()
	focused, unfocused := ansi.Strip(inputView(ti, true, 60, placeholder)), ansi.Strip(inputView(ti, false, 60, placeholder))
	if focused != placeholder || unfocused != placeholder {
		t.Errorf("focused %q, unfocused %q; want both %q", focused, unfocused, placeholder)
	}
}
