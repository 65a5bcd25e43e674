// Package theme is snapcopy's one palette. Every screen builds its styles
// from these, so colours stay consistent, and meaning never rests on
// colour alone: under NO_COLOR or a dumb terminal the same screens are
// plain text with markers (›, ●, ✗) that still say everything.
package theme

import (
	"os"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Colours of the palette (adaptive to light and dark terminals).
var (
	Accent  = lipgloss.AdaptiveColor{Light: "#005FAF", Dark: "#5FAFFF"}
	Subtle  = lipgloss.AdaptiveColor{Light: "#8A8A8A", Dark: "#6C6C6C"}
	Text    = lipgloss.AdaptiveColor{Light: "#1C1C1C", Dark: "#E4E4E4"}
	Good    = lipgloss.AdaptiveColor{Light: "#008700", Dark: "#5FD75F"}
	Warning = lipgloss.AdaptiveColor{Light: "#AF8700", Dark: "#FFD75F"}
	Bad     = lipgloss.AdaptiveColor{Light: "#D70000", Dark: "#FF5F5F"}
	BarBg   = lipgloss.AdaptiveColor{Light: "#D0D0D0", Dark: "#303030"}
)

// Shared styles.
var (
	Title    = lipgloss.NewStyle().Bold(true).Foreground(Accent)
	Header   = lipgloss.NewStyle().Bold(true)
	Dim      = lipgloss.NewStyle().Foreground(Subtle)
	Selected = lipgloss.NewStyle().Reverse(true)
	Error    = lipgloss.NewStyle().Foreground(Bad)
	Warn     = lipgloss.NewStyle().Foreground(Warning)
	OK       = lipgloss.NewStyle().Foreground(Good)
	Key      = lipgloss.NewStyle().Bold(true).Foreground(Accent)
)

// Plain reports whether the terminal should get no colour: NO_COLOR is set
// (to anything, as no-color.org says) or TERM is dumb.
func Plain() bool {
	_, noColor := os.LookupEnv("NO_COLOR")
	return noColor || os.Getenv("TERM") == "dumb"
}

// Setup applies the colour decision to lipgloss's default renderer. main
// calls it once; tests call UseASCII for stable golden screens.
func Setup() {
	if Plain() {
		UseASCII()
	}
}

// UseASCII turns every colour off.
func UseASCII() { lipgloss.SetColorProfile(termenv.Ascii) }
