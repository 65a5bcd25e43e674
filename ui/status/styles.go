package status

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/snapcopy/snapcopy/ui/theme"
)

// Styles of the status line, one per level, from the one palette. Under
// NO_COLOR or a dumb terminal they draw plain text: the markers still say
// the level.
var styles = map[Level]lipgloss.Style{
	Info:    theme.OK,
	Warning: theme.Warn,
	Error:   theme.Error,
}

// Markers that carry the level without colour.
var markers = map[Level]string{
	Info:    "",
	Warning: "! ",
	Error:   "✗ ",
}
