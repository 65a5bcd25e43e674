package form

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/status"
)

// How the form answers keys: the text fields, the choices, the questions
// it asks and the keys that leave it.

// key answers one key press.
func (m Model) key(msg tea.KeyMsg) (Model, tea.Cmd) {
	m.status.KeyPressed()
	if m, cmd, ok := m.cliKey(msg); ok {
		return m, cmd
	}
	m.tags = slices.Clone(m.tags)
	if m.cross.asking != nil {
		return m.answerPolicy(msg)
	}
	if m.asking != "" {
		return m.answer(msg)
	}
	if m.sendPending && !key.Matches(msg, keys.Submit) {
		// A key before the check answered: the operator is still at work
		// on the form, so it is not sent by itself.
		m.sendPending = false
		m.holdCondition()
	}
	switch {
	case key.Matches(msg, keys.Fit):
		return m.fit()
	case key.Matches(msg, keys.Submit):
		return m.submit()
	case key.Matches(msg, keys.Recurring):
		return m.openRecurring()
	case key.Matches(msg, keys.Back):
		return m, func() tea.Msg { return nav.Back{} }
	case key.Matches(msg, keys.Recall):
		if m.started {
			return m, nil
		}
		said := m.recall()
		m, cmd := m.refresh()
		return m, tea.Batch(said, cmd)
	case key.Matches(msg, keys.Next):
		m.move(1)
		return m, nil
	case key.Matches(msg, keys.Prev):
		m.move(-1)
		return m, nil
	case key.Matches(msg, keys.Enter):
		if m.focus == numFields-1 {
			return m.submit()
		}
		m.move(1)
		return m, nil
	}

	if key.Matches(msg, keys.Reload) && !m.Capturing() {
		return m.reload()
	}

	before, shown := m.formValue(), m.status.View(0)
	var said tea.Cmd // an outcome the key shows
	step := choiceStep(msg)
	switch m.focus {
	case fKind:
		switch {
		case step != 0:
			m.cycleKind(step)
		case key.Matches(msg, keys.Toggle):
			m.cycleKind(1)
		}
	case fDest:
		if step != 0 && m.picking() {
			m.cycleDest(step)
		} else {
			m.typeDest(msg)
		}
	case fAccount:
		switch {
		case step != 0:
			m, cmd := m.chooseAccount(step)
			m, more := m.refresh()
			return m, tea.Batch(cmd, more)
		case key.Matches(msg, keys.Toggle) && m.cross.chosen() != "":
			m.cross.keep = !m.cross.keep
		}
	case fReencrypt:
		m.cross.reencrypt, _ = m.cross.reencrypt.Update(msg)
	case fDesc:
		m.desc, _ = m.desc.Update(msg)
	case fEncrypt:
		if step != 0 || key.Matches(msg, keys.Toggle) {
			if reason, forced := m.forcedForAll(); forced {
				return m, m.status.Show(status.Info, "encryption is forced on: "+reason)
			}
			m.encrypt = !m.encrypt
		}
	case fKms:
		m.kmsKey(msg)
	case fSourceTags:
		switch {
		case step != 0:
			m.cycleSourceTags(step)
		case key.Matches(msg, keys.Toggle):
			m.cycleSourceTags(1)
		}
	case fTags:
		said = m.tagKey(msg)
	case fDuration:
		m.duration, _ = m.duration.Update(msg)
	case fLock:
		m.lock, _ = m.lock.Update(msg)
	case fDryRun:
		if step != 0 || key.Matches(msg, keys.Toggle) {
			m.dryRun = !m.dryRun
		}
	}
	if !formEqual(before, m.formValue()) && m.status.View(0) == shown {
		m.status.Clear() // an outcome said about the old form no longer holds
	}
	m, cmd := m.refresh()
	return m, tea.Batch(said, cmd)
}

// choiceStep is -1 for the Left key, +1 for the Right key, 0 for any other:
// the step through a choice's values.
func choiceStep(msg tea.KeyMsg) int {
	switch {
	case key.Matches(msg, keys.Left):
		return -1
	case key.Matches(msg, keys.Right):
		return 1
	}
	return 0
}
