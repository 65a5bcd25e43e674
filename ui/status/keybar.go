package status

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
)

// KeyBar is a help bar of bindings in h.Width cells (no limit when 0):
// as many of them as fit, in order, but the last keep are always shown,
// after a "…" standing for those left out. The keys that lead to every
// other key (? help, q quit, esc back) are never the ones cut.
func KeyBar(h help.Model, bindings []key.Binding, keep int) string {
	width := h.Width
	h.Width = 0 // measured here; help's own cut would drop the kept keys
	full := h.ShortHelpView(bindings)
	if width <= 0 || ansi.StringWidth(full) <= width {
		return full
	}
	keep = min(max(keep, 0), len(bindings))
	cut, kept := bindings[:len(bindings)-keep], bindings[len(bindings)-keep:]
	tail := h.ShortHelpView(kept)
	sep := h.Styles.ShortSeparator.Inline(true).Render(h.ShortSeparator)
	more := h.Styles.Ellipsis.Inline(true).Render(h.Ellipsis)
	for n := len(cut) - 1; n > 0; n-- {
		bar := h.ShortHelpView(cut[:n]) + sep + more
		if tail != "" {
			bar += sep + tail
		}
		if ansi.StringWidth(bar) <= width {
			return bar
		}
	}
	if tail != "" && ansi.StringWidth(tail) <= width {
		return tail
	}
	return ansi.Truncate(full, width, "…")
}
