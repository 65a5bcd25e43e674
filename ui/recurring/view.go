package recurring

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
	"github.com/snapcopy/snapcopy/validate"
)

// labelWidth is the width of the fields' labels.
const labelWidth = 18

// View draws the panel within its size: the fields, or the policy page.
func (m Model) View() string {
	if m.open == nil {
		return ""
	}
	w, h := m.width, m.height
	if w <= 0 {
		w = 100
	}
	if h <= 0 {
		h = 40
	}
	var body []string
	if m.page == onPolicy {
		body = m.policyView(w, h)
	} else {
		body = m.fieldsView(w)
	}
	tail := []string{m.statusLine(w), m.help.ShortHelpView(m.KeyMap().ShortHelp())}
	if len(body)+len(tail) > h {
		body = append(body[:max(0, h-len(tail)-1)], dimStyle.Render("… make the terminal taller to see the rest"))
	}
	for len(body)+len(tail) < h {
		body = append(body, "")
	}
	lines := append(body, tail...)
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "…")
	}
	return strings.Join(lines, "\n")
}

// statusLine is the status line, or the question while it is asked.
func (m Model) statusLine(w int) string {
	if m.asking {
		p := m.policies()[0]
		role := p.policy.ExecutionRoleArn
		if i := strings.LastIndex(role, "/"); i >= 0 {
			role = role[i+1:]
		}
		return status.Render(status.LevelMessage{Level: status.Warning, Text: fmt.Sprintf("create this policy in %s? %s/%s (it runs as role %s)",
			p.region, status.KeyName(keys.Yes), status.KeyName(keys.No), role)}, w)
	}
	return m.status.View(w)
}

// title names the copy made recurring.
func (m Model) title() string {
	r := m.open.Requests[0]
	what := clean(r.SourceSnapshotID)
	if n := len(m.open.Sources); n > 1 {
		what = fmt.Sprintf("%d snapshots", n)
	} else if n == 1 && m.open.Sources[0].Name() != "" {
		what += " (" + clean(m.open.Sources[0].Name()) + ")"
	}
	return titleStyle.Render("Make it recurring: " + what + " " + clean(r.SourceRegion) + " → " + clean(r.Destination().Short()) +
		" with Amazon Data Lifecycle Manager")
}

// fieldsView is the fields with their problems, then what the policy
// will do (or what stands in the way).
func (m Model) fieldsView(w int) []string {
	lines := []string{m.title(), ""}
	for i := 0; i <= m.lastField(); i++ {
		lines = append(lines, m.fieldLines(i, w)...)
	}
	for _, p := range m.result.Problems {
		if !m.shownAtField(p.Field) {
			lines = append(lines, problemLines(p, 2, w)...)
		}
	}
	lines = append(lines, "")
	switch {
	case m.result.OK():
		lines = append(lines, labelStyle.Render("What DLM will do")+"  "+okStyle.Render(markOK+" valid")+dimStyle.Render(" · "+
			keys.Show.Help().Key+" or enter on the last field: the policy JSON and its command"))
		for _, l := range explain(m.result.Copy, m.open, m.opts.Profile, m.inputs[fProfile].input.Value()) {
			lines = append(lines, wrap("  · ", l, w)...)
		}
	case m.result.Pending != "":
		lines = append(lines, labelStyle.Render("What DLM will do")+"  "+dimStyle.Render(clean(m.result.Pending)))
	default:
		lines = append(lines, labelStyle.Render("What DLM will do")+"  "+errorStyle.Render(markError+" not valid yet: fix the fields marked "+markError))
	}
	return lines
}

// shownAtField reports whether a field of the panel shows the problems of f.
func (m Model) shownAtField(f validate.Field) bool {
	for i := 0; i <= m.lastField(); i++ {
		if m.inputs[i].of == f {
			return true
		}
	}
	return false
}

// fieldLines is one field: label, value, hint, and its problems.
func (m Model) fieldLines(i, w int) []string {
	f := m.inputs[i]
	focused := i == m.focus
	mark, label := "  ", labelStyle.Render(padTo(f.label, labelWidth))
	if focused {
		mark, label = focusStyle.Render(markFocus)+" ", focusStyle.Render(padTo(f.label, labelWidth))
	}
	var value string
	switch i {
	case fCopyTags:
		yes, no := markOther+" yes", markChosen+" no"
		if m.copyTag {
			yes, no = markChosen+" yes", markOther+" no"
		}
		value = yes + "   " + no + dimStyle.Render("  the volume's tags to its snapshots, theirs to the copies")
	default:
		value = inputView(f.input, focused, max(20, w-labelWidth-4-ansi.StringWidth(f.hint)-2))
		hint := f.hint
		if i == fTarget && len(m.suggest) > 1 {
			hint = fmt.Sprintf("%s/%s %d of %d suggested · %s", keys.Left.Help().Key, keys.Right.Help().Key, m.pick+1, len(m.suggest), hint)
		}
		if focused || f.input.Value() == "" {
			value += "  " + dimStyle.Render(hint)
		}
	}
	lines := []string{mark + label + value}
	if i == fName && m.descNote != "" && f.input.Value() == validate.DLMText(m.descNote) {
		lines = append(lines, problemLines(validate.Problem{Severity: validate.Warning, Message: "the copy's description " + fmt.Sprintf("%q", m.descNote) +
			" has characters DLM does not take (only letters, digits, spaces, _ and -): the policy's is written without them"}, labelWidth+2, w)...)
	}
	if f.of == "" {
		return lines
	}
	for _, p := range m.result.Problems {
		if p.Field == f.of {
			lines = append(lines, problemLines(p, labelWidth+2, w)...)
		}
	}
	return lines
}

// policyView is the policy page: whose policy, its command line, a line
// for each rule, and the JSON, scrolled.
func (m Model) policyView(w, h int) []string {
	ps := m.policies()
	p := ps[min(m.shown, len(ps)-1)]
	lines := []string{m.title(), labelStyle.Render(p.title), ""}
	lines = append(lines, labelStyle.Render("Command")+dimStyle.Render(fmt.Sprintf(" (profile %s, Region %s; save the JSON as %s)", profileName(p.profile), p.region, policyFile)))
	lines = append(lines, commandLines(p.words(), w)...)
	lines = append(lines, "", labelStyle.Render("Rules"))
	for _, l := range explain(m.result.Copy, m.open, m.opts.Profile, m.inputs[fProfile].input.Value()) {
		lines = append(lines, wrap("  · ", l, w)...)
	}
	lines = append(lines, "", labelStyle.Render("JSON")+dimStyle.Render(" for aws dlm create-lifecycle-policy --cli-input-json"))
	js := strings.Split(p.policy.JSON(), "\n")
	room := max(3, h-len(lines)-3)
	from := min(m.scroll, max(0, len(js)-room))
	to := min(len(js), from+room)
	for _, l := range js[from:to] {
		lines = append(lines, "  "+codeStyle.Render(clean(l)))
	}
	if from > 0 || to < len(js) {
		lines = append(lines, dimStyle.Render(fmt.Sprintf("  lines %d-%d of %d (%s)", from+1, to, len(js), either(keys.Up, keys.Down, "").Help().Key)))
	}
	return lines
}

func profileName(p string) string {
	if p == "" {
		return "default"
	}
	return p
}

// problemLines shows a problem at column at: ✗ for an error, ! for a warning.
func problemLines(p validate.Problem, at, w int) []string {
	mark, style := markError, errorStyle
	if p.Severity == validate.Warning {
		mark, style = markWarning, warnStyle
	}
	var out []string
	for i, l := range status.Wrap(clean(p.Message), w-at-2, 3) {
		prefix := mark + " "
		if i > 0 {
			prefix = "  "
		}
		out = append(out, strings.Repeat(" ", at)+style.Render(prefix+l))
	}
	return out
}

// wrap breaks text between words (status.Wrap: an ARN is not broken at
// its hyphens) into lines of width w, the first led by lead and the
// others indented as far.
func wrap(lead, text string, w int) []string {
	pad := strings.Repeat(" ", ansi.StringWidth(lead))
	lines := status.Wrap(clean(text), w-len(pad), 1<<10)
	for i := range lines {
		if i == 0 {
			lines[i] = lead + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return lines
}

// commandLines lays a command out between its words, each line but the
// last ending in " \", so that pasted it is still one command.
func commandLines(words []string, w int) []string {
	var lines []string
	line := " "
	for _, word := range words {
		if ansi.StringWidth(line)+1+ansi.StringWidth(word)+2 > w && line != " " {
			lines = append(lines, line+" \\")
			line = "   "
		}
		line += " " + clean(word)
	}
	return append(lines, line)
}

// inputView is a text field in width cells, with the cursor when focused;
// a long text keeps its end in view.
func inputView(ti textinput.Model, focused bool, width int) string {
	val := []rune(clean(ti.Value()))
	if !focused {
		return ansi.Truncate(string(val), width, "…")
	}
	pos := min(ti.Position(), len(val))
	under := " "
	if pos < len(val) {
		under = string(val[pos])
	}
	left := string(val[:pos])
	if n := ansi.StringWidth(left); n > width-2 {
		left = "…" + ansi.TruncateLeft(left, n-(width-3), "")
	}
	right := ""
	if pos+1 < len(val) {
		right = string(val[pos+1:])
	}
	return left + cursorView(under) + right
}

// cursorView shows the cursor in reverse video, or as a bar on a plain
// terminal.
func cursorView(under string) string {
	if lipgloss.ColorProfile() == termenv.Ascii {
		if under == " " {
			return "▏"
		}
		return "▏" + under
	}
	return cursorStyle.Render(under)
}

func padTo(s string, width int) string {
	if n := ansi.StringWidth(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return ansi.Truncate(s, width, "…")
}

func clean(s string) string { return textsafe.Clean(s) }
