package recurring

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/snapcopy/snapcopy/ui/theme"
)

// Styles of the panel, from the one palette. Markers carry the meaning
// without colour (› focus, ● chosen, ✗ error, ! warning, ✓ valid).
var (
	titleStyle  = theme.Title
	labelStyle  = theme.Header
	focusStyle  = lipgloss.NewStyle().Bold(true).Foreground(theme.Accent)
	dimStyle    = theme.Dim
	errorStyle  = theme.Error
	warnStyle   = theme.Warn
	okStyle     = theme.OK
	cursorStyle = lipgloss.NewStyle().Reverse(true)
	codeStyle   = lipgloss.NewStyle().Foreground(theme.Text)
)

// Markers that carry meaning without colour.
const (
	markFocus   = "›"
	markChosen  = "●"
	markOther   = "○"
	markError   = "✗"
	markWarning = "!"
	markOK      = "✓"
)
