package status

import (
	"testing"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
)

// A bar too wide for its width loses keys from the middle, never the
// kept ones at its end; one that fits is the help's own.
func TestKeyBarKeepsTheLastKeys(t *testing.T) {
	b := func(k, desc string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc)) }
	bindings := []key.Binding{b("/", "filter"), b("space", "mark"), b("enter", "copy"), b("s", "sort column"), b("?", "help"), b("q", "quit")}
	h := help.New()
	tests := []struct {
		width int
		want  string
	}{
		{0, "/ filter • space mark • enter copy • s sort column • ? help • q quit"},
		{80, "/ filter • space mark • enter copy • s sort column • ? help • q quit"},
		{56, "/ filter • space mark • enter copy • … • ? help • q quit"},
		{55, "/ filter • space mark • … • ? help • q quit"},
		{40, "/ filter • … • ? help • q quit"},
		{16, "? help • q quit"},
		{8, "/ filte…"},
	}
	for _, tt := range tests {
		h.Width = tt.width
		got := KeyBar(h, bindings, 2)
		if got != tt.want {
			t.Errorf("width %d: %q, want %q", tt.width, got, tt.want)
		}
		if tt.width > 0 && ansi.StringWidth(got) > tt.width {
			t.Errorf("width %d: %q is wider", tt.width, got)
		}
	}
}
