package progress

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/snapcopy/snapcopy/ui/theme"
)

// Styles of the pane, all from the one palette. Meaning is also carried by
// markers (› selection, ✓ completed, ✗ failed or error, ! warning), so the
// pane reads the same without colour.
var (
	titleStyle    = theme.Title
	headerStyle   = theme.Dim
	selectedStyle = lipgloss.NewStyle().Bold(true)
	dimStyle      = theme.Dim
	runningStyle  = lipgloss.NewStyle().Foreground(theme.Accent)
	doneStyle     = theme.OK
	failedStyle   = theme.Error
	warnStyle     = theme.Warn
	labelStyle    = theme.Header
	barFullStyle  = lipgloss.NewStyle().Foreground(theme.Accent)
	barEmptyStyle = lipgloss.NewStyle().Foreground(theme.BarBg)
)

// Markers that carry meaning without colour.
const (
	markCursor  = "›"
	markDone    = "✓"
	markFailed  = "✗"
	markWarning = "!"
)
