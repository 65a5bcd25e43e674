package form

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
	"github.com/snapcopy/snapcopy/validate"
)

// maxProblemLines bounds how many lines one problem's message may take.
const maxProblemLines = 3

// View draws the form within the size set by SetSize: the sources, the
// fields with their problems, the preview, skipped sources, the status
// line and the keys. When it does not all fit, the fields keep at least
// half the screen (and the focused field whole, where it fits) and scroll
// to keep the focused one in view; the preview and skipped list are cut.
func (m Model) View() string {
	if m.sources == nil {
		return ""
	}
	if m.cli != nil {
		return m.cliView()
	}
	w, h := m.width, m.height
	if w <= 0 {
		w = 100
	}
	if h <= 0 {
		h = 40
	}
	if m.cross.asking != nil {
		return m.policyView(w, h)
	}
	header := m.header(w)
	body, from, to := m.body(w)
	middle := m.middle(w)
	// The help bar keeps its last two keys (submit and back, or the
	// answers y and n) however narrow.
	tail := append(m.statusLines(w), status.KeyBar(m.help, m.KeyMap().ShortHelp(), 2))

	need := min(len(body), max(to-from+1, h/2))
	// Give up, in turn: the end of the estimate, the empty status line,
	// the blank under the header, the header's notes, then the end of the
	// preview.
	over := func() bool { return len(header)+len(middle)+len(tail)+need > h }
	if est := m.estimateLines(w); len(est) > 0 {
		room := h - len(header) - len(middle) - len(tail) - need
		middle = append(middle[:len(middle)-1:len(middle)-1], est[:min(len(est), max(room, 0))]...)
		middle = append(middle, "")
	}
	if over() && tail[0] == "" {
		tail = tail[1:]
	}
	if over() {
		header = header[:len(header)-1]
	}
	if over() {
		header = header[:1]
	}
	if over() {
		middle = middle[:min(len(middle), max(h-len(header)-len(tail)-need, 0))]
	}
	body = scroll(body, from, to, h-len(header)-len(middle)-len(tail))
	lines := append(append(append(header, body...), middle...), tail...)
	if len(lines) > h {
		lines = lines[len(lines)-h:] // keep the status line and the keys
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "…")
	}
	return strings.Join(lines, "\n")
}

// scroll keeps room lines of body, including lines from..to if they fit;
// when some are out of view, its last line says how many and where.
func scroll(body []string, from, to, room int) []string {
	if len(body) <= room {
		return body
	}
	room-- // for the line that says what is out of view
	if room <= 0 {
		return nil
	}
	start := 0
	if to > room {
		start = to - room
	}
	if from < start {
		start = from
	}
	end := min(start+room, len(body))
	var where []string
	if start > 0 {
		where = append(where, "↑ "+plural(start, "line")+" above")
	}
	if end < len(body) {
		where = append(where, "↓ "+plural(len(body)-end, "line")+" below")
	}
	note := "  " + dimStyle.Render(strings.Join(where, " · ")+" ("+keys.Next.Help().Key+" moves between fields)")
	return append(body[start:end:end], note)
}

// middle is the preview and the skipped sources, between the fields and
// the status line (View adds the estimate under them, as room allows).
func (m Model) middle(w int) []string {
	lines := []string{""}
	lines = append(lines, m.preview(w)...)
	lines = append(lines, m.crossPreview(w)...)
	lines = append(lines, m.skippedLines(w)...)
	lines = append(lines, m.duplicateLines(w)...)
	return append(lines, "")
}

// problemLines shows a problem at column at: "✗" for an error, "!" for a
// warning, wrapped to the width.
func problemLines(p validate.Problem, at, w int) []string {
	mark, style := markError, errorStyle
	if p.Severity == validate.Warning {
		mark, style = markWarning, warnStyle
	}
	var lines []string
	for i, l := range status.Wrap(clean(p.Message), w-at-2, maxProblemLines) {
		prefix := mark + " "
		if i > 0 {
			prefix = "  "
		}
		lines = append(lines, strings.Repeat(" ", at)+style.Render(prefix+l))
	}
	return lines
}

// inputView draws a text input in width cells: its text, or a dim
// placeholder when empty, and a cursor when focused, scrolled so the
// cursor stays in view ("…" marks text out of view on either side).
func inputView(ti textinput.Model, focused bool, width int, placeholder string) string {
	width = max(width, 4)
	val := []rune(clean(ti.Value()))
	if !focused {
		if len(val) == 0 {
			return dimStyle.Render(placeholder)
		}
		return ansi.Truncate(string(val), width, "…")
	}
	if len(val) == 0 && placeholder != "" && lipgloss.ColorProfile() != termenv.Ascii {
		// The cursor sits on the placeholder's first letter, so the
		// placeholder stays where it is shown unfocused.
		first, rest := []rune(placeholder)[:1], []rune(placeholder)[1:]
		return cursorView(string(first)) + dimStyle.Render(string(rest))
	}
	pos := min(ti.Position(), len(val))
	under := " "
	if pos < len(val) {
		under = string(val[pos])
	}
	cw := func(r rune) int { return ansi.StringWidth(string(r)) }
	room := width - ansi.StringWidth(cursorView(under))

	// Left of the cursor: as much as fits, keeping a cell for the "…" on
	// the right when text goes on past the cursor.
	leftRoom := room
	if pos+1 < len(val) {
		leftRoom--
	}
	from, used := pos, 0
	for from > 0 && used+cw(val[from-1]) <= leftRoom {
		from--
		used += cw(val[from])
	}
	leftMark := from > 0
	if leftMark {
		for used+1 > leftRoom && from < pos {
			used -= cw(val[from])
			from++
		}
		if used+1 <= leftRoom {
			used++
		} else {
			leftMark = false // no room even for the mark
		}
	}
	// Right of the cursor: the room that is left.
	to := min(pos+1, len(val))
	for to < len(val) && used+cw(val[to]) <= room {
		used += cw(val[to])
		to++
	}
	rightMark := to < len(val)
	if rightMark {
		for used+1 > room && to > pos+1 {
			to--
			used -= cw(val[to])
		}
		rightMark = used+1 <= room
	}

	var b strings.Builder
	if leftMark {
		b.WriteString("…")
	}
	b.WriteString(string(val[from:pos]))
	b.WriteString(cursorView(under))
	b.WriteString(string(val[min(pos+1, to):to]))
	if rightMark {
		b.WriteString("…")
	}
	if len(val) == 0 {
		b.WriteString(dimStyle.Render(placeholder))
	}
	return b.String()
}

// cursorView shows the cursor in reverse video; without any styling (an
// ASCII terminal) it is a thin bar before the character, so it still shows.
func cursorView(under string) string {
	if lipgloss.ColorProfile() == termenv.Ascii {
		if under == " " {
			return "▏"
		}
		return "▏" + under
	}
	return cursorStyle.Render(under)
}

// padTo pads a styled string with spaces to width cells.
func padTo(s string, width int) string {
	if n := ansi.StringWidth(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return ansi.Truncate(s, width, "…")
}

// clean makes text from AWS (or typed) safe to print.
func clean(s string) string { return textsafe.Clean(s) }

// plural is "1 copy" / "3 copies", "1 tag" / "2 tags".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") {
		return itoa(n) + " " + strings.TrimSuffix(word, "y") + "ies"
	}
	return itoa(n) + " " + word + "s"
}

// itoa is strconv.Itoa, short for the texts built above.
func itoa(n int) string { return strconv.Itoa(n) }
