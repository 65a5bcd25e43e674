package recurring

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/validate"
)

// The panel's fields, top to bottom.
const (
	fTarget = iota
	fSchedule
	fRetain
	fDestRetain
	fCopyTags
	fAlsoTo
	fRole
	fName
	fAccount
	fDestRole
	fProfile
	numFields
)

// field is one row of the panel: its label, its text (fCopyTags is a
// toggle), its hint, and the validate field whose problems it shows.
type field struct {
	label string
	hint  string
	input textinput.Model
	of    validate.Field
}

func newFields() [numFields]field {
	row := func(label, hint string, of validate.Field) field {
		ti := textinput.New()
		ti.Prompt = ""
		ti.Cursor.SetMode(cursor.CursorStatic)
		ti.KeyMap = keys.Text
		ti.Focus()
		return field{label: label, hint: hint, input: ti, of: of}
	}
	return [numFields]field{
		fTarget:     row("Target tag", "KEY=VALUE of the volumes DLM snapshots", validate.FieldTargetTag),
		fSchedule:   row("Schedule", "12h · 12h@01:00 · daily@03:00 (UTC) · cron(0 3 * * ? *)", validate.FieldSchedule),
		fRetain:     row("Retain at source", "a count (14) or an age (14d, 4w, 6m, 1y)", validate.FieldRetain),
		fDestRetain: row("Retain at dest.", "an age only (30d): DLM keeps copies by age", validate.FieldDestRetain),
		fCopyTags:   row("Copy tags", "", validate.FieldSourceTags),
		fAlsoTo:     row("Also copy to", "more Regions, comma-separated (3 copies in all)", validate.FieldAlsoTo),
		fRole:       row("Execution role", model.DLMDefaultRole+" when empty; a role name or ARN", validate.FieldRole),
		fName:       row("Description", "letters, digits, spaces, _ and -", validate.FieldPolicyName),
		fAccount:    row("To account", "another account's id: it copies what this one shares", validate.FieldAccount),
		fDestRole:   row("Its role", "that account's execution role ("+model.DLMDefaultRole+")", validate.FieldDestRole),
		fProfile:    row("Its profile", "the profile its command runs under", ""),
	}
}

// suggestions are the target tags offered: one snapcopy proposes to add
// to the volumes, then the tags every source carries alike (a snapshot
// often carries its volume's tags; DLM looks for them on the volume).
func suggestions(open nav.OpenRecurring) []string {
	dest := "recurring"
	if len(open.Requests) > 0 {
		dest = "to-" + open.Requests[0].Destination().Short()
	}
	out := []string{proposedKey + "=" + validate.DLMText(dest)}
	if len(open.Sources) == 0 {
		return out
	}
	for _, t := range open.Sources[0].Tags {
		if strings.HasPrefix(t.Key, "aws:") || strings.HasPrefix(t.Key, "snapcopy:") {
			continue
		}
		all := true
		for _, s := range open.Sources[1:] {
			all = all && slices.Contains(s.Tags, t)
		}
		if all {
			out = append(out, t.Key+"="+t.Value)
		}
	}
	return out
}

// proposedKey is the key of the tag snapcopy proposes to add to the
// volumes that the policy snapshots.
const proposedKey = "snapcopy:recurring"

// move moves the focus by step, skipping the other account's fields
// while no account is named.
func (m *Model) move(step int) {
	for {
		m.focus = (m.focus + step + numFields) % numFields
		if m.focus <= m.lastField() {
			return
		}
	}
}

// lastField is the last field shown: the other account's fields only
// while an account is named.
func (m Model) lastField() int {
	if strings.TrimSpace(m.inputs[fAccount].input.Value()) == "" {
		return fAccount
	}
	return fProfile
}

// key answers a key on either page.
func (m Model) key(msg tea.KeyMsg) (Model, tea.Cmd) {
	m.status.KeyPressed()
	if m.asking {
		return m.answer(msg)
	}
	switch {
	case key.Matches(msg, keys.Create):
		return m.ask()
	case key.Matches(msg, keys.Back):
		if m.page == onPolicy {
			m.page = onFields
			return m, nil
		}
		return m, m.back()
	}
	if m.page == onPolicy {
		return m.policyKey(msg)
	}
	switch {
	case key.Matches(msg, keys.Next):
		m.move(1)
		return m, nil
	case key.Matches(msg, keys.Prev):
		m.move(-1)
		return m, nil
	case key.Matches(msg, keys.Enter):
		if m.focus == m.lastField() {
			return m.showPolicy()
		}
		m.move(1)
		return m, nil
	case key.Matches(msg, keys.Show):
		return m.showPolicy()
	}
	switch {
	case m.focus == fCopyTags:
		if key.Matches(msg, keys.Toggle, keys.Left, keys.Right) {
			m.copyTag = !m.copyTag
		}
	case m.focus == fTarget && key.Matches(msg, keys.Left, keys.Right):
		step := 1
		if key.Matches(msg, keys.Left) {
			step = -1
		}
		m.pick = (m.pick + step + len(m.suggest)) % len(m.suggest)
		m.inputs[fTarget].input.SetValue(m.suggest[m.pick])
		m.inputs[fTarget].input.CursorEnd()
	default:
		m.inputs[m.focus].input, _ = m.inputs[m.focus].input.Update(msg)
	}
	m.check()
	return m, nil
}

// showPolicy turns to the policy page, or says what stands in the way.
func (m Model) showPolicy() (Model, tea.Cmd) {
	if !m.result.OK() {
		return m, m.status.Show(statusLevelOf(m.result), m.notReady())
	}
	m.page, m.scroll, m.shown = onPolicy, 0, 0
	return m, nil
}
