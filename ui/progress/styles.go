package progress

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/snapcopy/snapcopy/ui/copytext"
	"github.com/snapcopy/snapcopy/ui/theme"
)

// Styles of the pane, all from the one palette. Meaning is also carried by
// markers (› selection, ✓ completed, ✗ failed or error, ⊘ cancelled,
// ! warning), so the pane reads the same without colour.
var (
	titleStyle    = theme.Title
	headerStyle   = theme.Dim
	selectedStyle = lipgloss.NewStyle().Bold(true)
	dimStyle      = theme.Dim
	// Running is the usual state: plain, so the many running rows carry
	// no colour codes (each redraw of a row is bytes on the wire).
	runningStyle = lipgloss.NewStyle()
	doneStyle    = theme.OK
	failedStyle  = theme.Error
	// Late is a time-based copy past its deadline, still running.
	lateStyle    = theme.Warn
	labelStyle   = theme.Header
	barFullStyle = lipgloss.NewStyle().Foreground(theme.Accent)
	// Faint is 4 bytes against a colour's 19 on a true-colour terminal.
	barEmptyStyle = lipgloss.NewStyle().Faint(true)
)

// Markers that carry meaning without colour: the selection, and the
// ones plain mode shares (package copytext).
const (
	markCursor    = "›"
	markDone      = copytext.MarkDone
	markFailed    = copytext.MarkFailed
	markWarning   = copytext.MarkWarning
	markCancelled = copytext.MarkCancelled
)
