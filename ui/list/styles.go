package list

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/snapcopy/snapcopy/ui/theme"
)

// Styles of the list, built from the one palette. Under NO_COLOR they
// render as plain text; markers (›, ●, ⊘, ✗, !) carry the meaning.
var (
	titleStyle  = theme.Title
	headerStyle = theme.Header
	columnStyle = theme.Header
	cursorStyle = theme.Selected
	dimStyle    = theme.Dim
	errorStyle  = theme.Error
	markStyle   = lipgloss.NewStyle().Foreground(theme.Accent).Bold(true)
	filterStyle = lipgloss.NewStyle().Foreground(theme.Accent)
)

// span is a style split into the escape codes before and after its text,
// so hot paths can wrap a row in a style with two string writes instead of
// a lipgloss Render per cell.
type span struct{ pre, post string }

// spanOf renders a marker with the style and cuts around it. The colour
// profile is read at that moment, so NO_COLOR and tests get empty spans.
func spanOf(st lipgloss.Style) span {
	const marker = "\x00"
	out := st.Render(marker)
	i := strings.Index(out, marker)
	if i < 0 {
		return span{}
	}
	return span{pre: out[:i], post: out[i+len(marker):]}
}

// rowSpans are the spans a frame needs, computed once per View.
type rowSpans struct {
	cursor, dim, mark span
}

func currentSpans() rowSpans {
	return rowSpans{
		cursor: spanOf(cursorStyle),
		dim:    spanOf(dimStyle),
		mark:   spanOf(markStyle),
	}
}
