package form

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/validate"
)

// openRecurring hands the copy as validated to the panel that makes it a
// Data Lifecycle Manager policy (ui/recurring), or says what to fix first.
func (m Model) openRecurring() (Model, tea.Cmd) {
	m, cmd := m.refresh()
	if p, bad := m.result.FirstError(); bad {
		m.focusOn(p)
		return m, tea.Batch(cmd, m.status.Show(status.Error, "not recurring yet: fix the "+string(p.Field)+": "+p.Message))
	}
	if m.snapLock().On() {
		m.focus = fLock
		return m, tea.Batch(cmd, m.status.Show(status.Error, snapLockNotRecurring))
	}
	reqs := m.requests(m.result)
	if len(reqs) == 0 {
		return m, tea.Batch(cmd, m.status.Show(status.Error, "not recurring: no snapshot can be copied to this destination"))
	}
	tags, _ := validate.Tags(m.formValue().Tags)
	open := nav.OpenRecurring{
		Sources: m.sources, Requests: reqs, Tags: tags, SourceTags: m.srcTags,
		SourceAliases: m.facts.Aliases[m.region], DestinationAccount: m.destinationAccount(),
		DestinationProfile: m.cross.chosen(),
	}
	if m.cross.chosen() != "" {
		open.SourceAliases = nil // the facts are the other account's
	}
	return m, tea.Batch(cmd, func() tea.Msg { return open })
}
