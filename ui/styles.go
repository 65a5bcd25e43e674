package ui

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/snapcopy/snapcopy/ui/theme"
)

var (
	helpTitle = theme.Title
	helpBox   = lipgloss.NewStyle().Padding(0, 1)
	hintStyle = theme.Dim
)
