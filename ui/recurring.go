package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/recurring"
)

// openRecurring shows the panel that makes the form's copy recurring; the
// form stays behind it as it was, and the panel's esc returns to it.
func (a App) openRecurring(msg nav.OpenRecurring) (tea.Model, tea.Cmd) {
	var aws recurring.AWS // none in a test without AWS: the panel then asks nothing
	if a.client != nil {
		aws = a.client
	}
	a.recurring = recurring.New(aws, msg, recurring.Options{Profile: a.opts.Profile})
	a.recurring.SetSize(a.width, a.height)
	a.recurringOpen = true
	a.current = onRecurring
	return a, a.recurring.Init()
}
