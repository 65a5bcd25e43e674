package form

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/validate"
)

// field is one of the form's fields, in the order shown.
type field int

// The fields, top to bottom.
const (
	fKind field = iota
	fDest
	fAccount   // the destination account (account.go)
	fReencrypt // the re-encrypting key of a copy into another account (account.go)
	fDesc
	fEncrypt
	fKms
	fSourceTags
	fTags
	fDuration
	fLock // lock.go
	fDryRun
	numFields
)

// fieldOf maps validate's fields to the form's.
var fieldOf = map[validate.Field]field{
	validate.FieldDestKind:    fKind,
	validate.FieldDestination: fDest,
	validate.FieldDescription: fDesc,
	validate.FieldEncrypt:     fEncrypt,
	validate.FieldKmsKey:      fKms,
	validate.FieldSourceTags:  fSourceTags,
	validate.FieldTags:        fTags,
	validate.FieldDuration:    fDuration,
	validate.FieldLock:        fLock,
	validate.FieldDryRun:      fDryRun,
}

// validateField is the inverse of fieldOf.
var validateField = map[field]validate.Field{
	fKind: validate.FieldDestKind, fDest: validate.FieldDestination, fDesc: validate.FieldDescription,
	fEncrypt: validate.FieldEncrypt, fKms: validate.FieldKmsKey, fSourceTags: validate.FieldSourceTags, fTags: validate.FieldTags,
	fDuration: validate.FieldDuration, fLock: validate.FieldLock, fDryRun: validate.FieldDryRun,
}

// newInput is one of the form's text fields, drawn by the form itself.
func newInput() textinput.Model {
	ti := textinput.New()
	ti.Prompt = ""
	// The form draws inputs itself; a static cursor sends no blink ticks.
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.KeyMap = keys.Text
	ti.Focus()
	return ti
}

// move goes to the next (d=1) or previous (d=-1) field; inside the tags it
// walks key, value, next row first.
func (m *Model) move(d int) {
	if m.focus == fTags {
		cell := m.tagRow*2 + m.tagCol + d
		if cell >= 0 && cell < len(m.tags)*2 {
			m.tagRow, m.tagCol = cell/2, cell%2
			return
		}
	}
	m.focus = (m.focus + field(d) + numFields) % numFields
	for m.hidden(m.focus) {
		m.focus = (m.focus + field(d) + numFields) % numFields
	}
	if m.focus == fTags {
		if d > 0 {
			m.tagRow, m.tagCol = 0, 0
		} else {
			m.tagRow, m.tagCol = len(m.tags)-1, 1
		}
	}
	m.kmsPick = 0
}

// focusOn moves to the field of a problem (a tag row's own cell for tags).
func (m *Model) focusOn(p validate.Problem) {
	f, ok := fieldOf[p.Field]
	if !ok {
		return
	}
	m.focus = f
	if f == fTags {
		m.tagRow, m.tagCol = 0, 0
		if p.Row >= 0 && p.Row < len(m.tags) {
			m.tagRow = p.Row
		}
	}
}

// labelWidth is the width of the label column ("Completion duration" and a gap).
const labelWidth = 21

// indent is where values start: the focus marker, a space, the label.
const indent = 2 + labelWidth

// labels name the fields on screen and in test failures.
var labels = [numFields]string{
	fKind:       "Destination type",
	fDest:       "Destination",
	fAccount:    "Destination account",
	fReencrypt:  "Re-encrypt with",
	fDesc:       "Description",
	fEncrypt:    "Encrypt",
	fKms:        "KMS key",
	fSourceTags: "Source tags",
	fTags:       "Tags",
	fDuration:   "Completion duration",
	fLock:       "Lock",
	fDryRun:     "Dry run",
}

// body is the fields, each with its problems; from..to are the lines to
// keep in view: the focused field's, or on the tags the focused row's (with
// its problems), so a long list of rows scrolls to the row being edited.
func (m Model) body(w int) (lines []string, from, to int) {
	for f := field(0); f < numFields; f++ {
		if m.hidden(f) {
			continue
		}
		start := len(lines)
		if f == fTags {
			tags, rowFrom, rowTo := m.tagLines(f == m.focus, w)
			lines = append(lines, tags...)
			if f == m.focus {
				from, to = start+rowFrom, start+rowTo
			}
			continue
		}
		lines = append(lines, m.fieldLines(f, w)...)
		for _, p := range m.result.For(validateField[f]) {
			lines = append(lines, problemLines(p, indent, w)...)
		}
		if f == fDuration {
			lines = append(lines, m.fitLines()...)
		}
		if f == m.focus {
			from, to = start, len(lines)
		}
	}
	return lines, from, to
}

// row puts a field's label (or, for its later lines, blanks) before text.
func (m Model) row(f field, first bool, text string) string {
	if !first {
		return strings.Repeat(" ", indent) + text
	}
	label := fmt.Sprintf("%-*s", labelWidth, labels[f])
	if f == m.focus {
		return focusStyle.Render(markFocus+" "+label) + text
	}
	return "  " + labelStyle.Render(label) + text
}

// fieldLines draws one field: its label and value, and what it says beside
// and under the value (hints, completions, tag rows).
func (m Model) fieldLines(f field, w int) []string {
	focused := f == m.focus
	vw := max(w-indent, 10)
	switch f {
	case fKind:
		parts := make([]string, len(m.kinds))
		for i, k := range m.kinds {
			if i == m.kindIdx {
				parts[i] = chosenStyle.Render(markChosen + " " + k.String())
			} else {
				parts[i] = markOther + " " + k.String()
			}
		}
		return []string{m.row(f, true, strings.Join(parts, "   "))}
	case fDest:
		return m.destLines(focused, vw)
	case fAccount, fReencrypt:
		return m.accountLines(f, focused, vw)
	case fDesc:
		line := inputView(m.desc, focused, vw-10, "empty: no description")
		if focused {
			line += dimStyle.Render(fmt.Sprintf("  %d/%d", len([]rune(m.desc.Value())), validate.MaxDescription))
		}
		lines := []string{m.row(f, true, line)}
		if m.perSourceDescriptions() {
			lines = append(lines, m.row(f, false, dimStyle.Render("each copy gets its own: Copy of <its id>: <its description>; edit to use one text for all")))
		}
		return lines
	case fEncrypt:
		return []string{m.row(f, true, m.encryptText())}
	case fKms:
		return m.kmsLines(focused, vw)
	case fSourceTags:
		return m.sourceTagsLines(focused, vw)
	case fTags:
		lines, _, _ := m.tagLines(focused, w)
		return lines
	case fDuration:
		line := inputView(m.duration, focused, 12, "empty: a standard copy")
		hint := m.throughputHint()
		var lines []string
		switch {
		case hint == "":
			lines = []string{m.row(f, true, line)}
		case ansi.StringWidth(line)+2+ansi.StringWidth(hint) <= vw:
			lines = []string{m.row(f, true, line+dimStyle.Render("  "+hint))}
		default:
			// Too long beside the field: under it, whole.
			lines = []string{m.row(f, true, line)}
			for _, l := range status.Wrap(hint, vw, maxProblemLines) {
				lines = append(lines, m.row(f, false, dimStyle.Render(l)))
			}
		}
		if fee := m.feeLine(); fee != "" {
			for _, l := range status.Wrap(fee, vw, 2) {
				lines = append(lines, m.row(f, false, dimStyle.Render(l)))
			}
		}
		return lines
	case fLock:
		return m.lockLines(focused, vw)
	case fDryRun:
		if m.dryRun {
			return []string{m.row(f, true, chosenStyle.Render("[x] on")+dimStyle.Render("  checks IAM permissions only, not the KMS key: no copy is made"))}
		}
		return []string{m.row(f, true, "[ ] off")}
	}
	return nil
}

// fitLines, under the quota warning, name the shortest completion duration
// that fits the Region pair's quota and the key that sets it.
func (m Model) fitLines() []string {
	q := m.result.Quota
	if !q.Exceeds || q.FitMinutes <= 0 {
		return nil
	}
	return []string{m.row(fDuration, false, "  "+dimStyle.Render(fmt.Sprintf("%d minutes is the shortest that fits: %s sets it", q.FitMinutes, keys.Fit.Help().Key)))}
}
