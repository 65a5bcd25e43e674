package form

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/snapcopy/snapcopy/ui/theme"
)

// Styles of the form, all from the one palette. Meaning is also carried by
// markers (› focus, ● chosen, [x] on, ✗ error, ! warning), so the form
// reads the same without colour. The status line is ui/status's.
var (
	titleStyle   = theme.Title
	labelStyle   = theme.Header
	focusStyle   = lipgloss.NewStyle().Bold(true).Foreground(theme.Accent)
	dimStyle     = theme.Dim
	errorStyle   = theme.Error
	warnStyle    = theme.Warn
	cursorStyle  = lipgloss.NewStyle().Reverse(true)
	chosenStyle  = lipgloss.NewStyle().Bold(true).Foreground(theme.Accent)
	previewStyle = lipgloss.NewStyle().Bold(true)
)

// Markers that carry meaning without colour.
const (
	markFocus   = "›"
	markChosen  = "●"
	markOther   = "○"
	markError   = "✗"
	markWarning = "!"
)
