package form

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/validate"
)

// kmsKey handles a key on the KMS key field: choosing and taking a
// completion, or typing.
func (m *Model) kmsKey(msg tea.KeyMsg) {
	comps := m.kmsCompletions()
	atEnd := m.kms.Position() == len([]rune(m.kms.Value()))
	switch {
	case len(comps) == 0:
	case key.Matches(msg, keys.Up):
		m.kmsPick = (m.kmsPick - 1 + len(comps)) % len(comps)
		return
	case key.Matches(msg, keys.Down):
		m.kmsPick = (m.kmsPick + 1) % len(comps)
		return
	case key.Matches(msg, keys.Take) || key.Matches(msg, keys.Right) && atEnd:
		// Right takes the key only at the end of the text; elsewhere it
		// moves the cursor.
		m.kms.SetValue(comps[min(m.kmsPick, len(comps)-1)])
		m.kms.CursorEnd()
		m.kmsPick = 0
		return
	}
	before := m.kms.Value()
	m.kms, _ = m.kms.Update(msg)
	if m.kms.Value() != before {
		m.kmsPick = 0
	}
}

// kmsCompletions lists the destination Region's aliases that contain what
// is typed anywhere in the name (all of them while the field is empty);
// none once the field holds an alias exactly. Only keys a copy can use are
// offered: customer keys and the EBS-managed key.
func (m Model) kmsCompletions() []string {
	aliases := m.facts.Aliases[m.result.Destination.Region]
	text := strings.ToLower(strings.TrimSpace(m.kms.Value()))
	var out []string
	for _, a := range aliases {
		if !offeredAlias(a.Name) {
			continue
		}
		name := strings.ToLower(a.Name)
		if name == text {
			return nil
		}
		if strings.Contains(name, text) {
			out = append(out, a.Name)
		}
	}
	return out
}

// offeredAlias reports whether the key picker offers an alias: every
// customer alias, and of the AWS-managed ones (alias/aws/...) only EBS's
// own; the keys AWS manages for other services (alias/aws/acm,
// alias/aws/dynamodb, ...) cannot encrypt an EBS snapshot.
func offeredAlias(name string) bool {
	return !strings.HasPrefix(name, awsManagedPrefix) || name == validate.DefaultEBSKey
}

// awsManagedPrefix begins the aliases of AWS-managed keys.
const awsManagedPrefix = "alias/aws/"

// kmsLines is the KMS key field: the key typed, whether the destination's
// aliases are loading, and, when focused, the aliases that match.
func (m Model) kmsLines(focused bool, vw int) []string {
	line := inputView(m.kms, focused, min(vw, 72), "empty: the destination's default EBS key")
	region := m.result.Destination.Region
	switch {
	case region != "" && m.loading[aliasesOf(region)]:
		line += dimStyle.Render("  loading the KMS aliases of " + clean(region) + "…")
	case region != "" && m.loadErrs[aliasesOf(region)] != nil:
		line += dimStyle.Render("  KMS aliases of " + clean(region) + " not loaded (" + keys.Reload.Help().Key + " on a choice field reloads)")
	default:
		key := strings.TrimSpace(m.kms.Value())
		switch l := keyIn(region, key); {
		case m.loading[l]:
			line += dimStyle.Render("  checking the key in " + clean(region) + "…")
		case m.loadErrs[l] != nil:
			line += dimStyle.Render("  not checked: " + clean(model.Explain(m.loadErrs[l], model.Brief())))
		}
	}
	lines := []string{m.row(fKms, true, line)}
	// A key wider than the field (an ARN at 80 columns) is shown whole,
	// wrapped: under the field as typed, or in its place.
	if key := clean(m.kms.Value()); ansi.StringWidth(key) > min(vw, 72) {
		wrapped := status.Wrap(key, vw, 3)
		if focused {
			for _, l := range wrapped {
				lines = append(lines, m.row(fKms, false, dimStyle.Render(l)))
			}
		} else {
			lines[0] = m.row(fKms, true, wrapped[0])
			for _, l := range wrapped[1:] {
				lines = append(lines, m.row(fKms, false, l))
			}
		}
	}
	if !focused {
		return lines
	}
	comps := m.kmsCompletions()
	pick := min(m.kmsPick, max(len(comps)-1, 0))
	for i, c := range comps[:min(len(comps), maxCompletions)] {
		if i == pick {
			lines = append(lines, m.row(fKms, false, focusStyle.Render(markFocus+" "+clean(c))))
		} else {
			lines = append(lines, m.row(fKms, false, "  "+clean(c)))
		}
	}
	if len(comps) > maxCompletions {
		lines = append(lines, m.row(fKms, false, dimStyle.Render(fmt.Sprintf("  … %d more: type to narrow", len(comps)-maxCompletions))))
	}
	return lines
}
