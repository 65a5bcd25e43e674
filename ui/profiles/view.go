package profiles

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// Column widths of the picker's rows (a name or Region longer is cut).
const (
	nameWidth    = 24
	accountWidth = 14
	regionWidth  = 16
)

// View draws the picker: a title, the profiles with their accounts, the
// error of the one under the cursor if its account could not be known,
// and the help bar, in the whole screen.
func (m Model) View() string {
	lines := []string{m.titleLine(), m.filterLine()}
	var foot []string
	if p, ok := m.selected(); ok {
		if a := m.known[p.Name]; a.err != nil {
			foot = append(foot, m.errorLines(a.err)...)
		}
	}
	foot = append(foot, m.help.View(m.KeyMap()))
	body := max(1, m.height-len(lines)-len(foot))
	lines = append(lines, m.bodyLines(body)...)
	for len(lines) < m.height-len(foot) {
		lines = append(lines, "")
	}
	lines = append(lines, foot...)
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, m.width, "…")
	}
	return strings.Join(lines, "\n")
}

func (m Model) titleLine() string {
	where := []string{}
	for _, f := range []string{m.opts.Files.Config, m.opts.Files.Credentials} {
		if f != "" {
			where = append(where, textsafe.Clean(f))
		}
	}
	n := strconv.Itoa(len(m.all)) + " profiles"
	if len(m.all) == 1 {
		n = "1 profile"
	}
	t := titleStyle.Render("Profiles") + "  " + n + " · listed now: " + textsafe.Clean(m.opts.Current)
	if len(where) > 0 {
		t += " · from " + strings.Join(where, ", ")
	}
	return t
}

func (m Model) filterLine() string {
	switch {
	case m.filtering:
		return "/" + filterStyle.Render(textsafe.Clean(m.filter)+"█") + dimStyle.Render("  name, account or Region")
	case m.filter != "":
		return "/" + filterStyle.Render(textsafe.Clean(m.filter)) + dimStyle.Render("  "+status.KeyName(m.keys.Filter)+" changes it")
	}
	return ""
}

// bodyLines draws the column titles and the rows in h lines.
func (m *Model) bodyLines(h int) []string {
	switch {
	case m.loading:
		return []string{"reading the profiles…"}
	case m.err != nil:
		return []string{errorStyle.Render("✗ " + textsafe.Clean(oneLine(m.err.Error())))}
	case len(m.all) == 0:
		return []string{"no profiles in the AWS config or credentials files: " + status.KeyName(m.keys.Back) + " goes back"}
	case len(m.shown) == 0:
		return []string{"no profile holds " + strconv.Quote(m.filter)}
	}
	var head strings.Builder
	head.WriteString("  ")
	pad(&head, "PROFILE", nameWidth)
	pad(&head, "ACCOUNT", accountWidth)
	pad(&head, "REGION", regionWidth)
	lines := []string{headerStyle.Render(strings.TrimRight(head.String(), " "))}
	rows := max(1, h-1)
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	for i := m.offset; i < len(m.shown) && i < m.offset+rows; i++ {
		lines = append(lines, m.row(i))
	}
	return lines
}

// row is one profile: the cursor, its name, account, Region and notes.
func (m Model) row(i int) string {
	p := m.all[m.shown[i]]
	var b strings.Builder
	if i == m.cursor {
		b.WriteString("› ")
	} else {
		b.WriteString("  ")
	}
	pad(&b, textsafe.Clean(p.Name), nameWidth)
	a := m.known[p.Name]
	switch {
	case a.id != "":
		pad(&b, textsafe.Clean(a.id), accountWidth)
	case a.err != nil:
		pad(&b, "✗ unknown", accountWidth)
	default:
		pad(&b, "…", accountWidth)
	}
	region := p.Region
	if region == "" {
		region = "—"
	}
	pad(&b, textsafe.Clean(region), regionWidth)
	var notes []string
	if p.Name == m.opts.Current {
		notes = append(notes, "● listed now")
	}
	if !p.InConfig {
		notes = append(notes, "credentials file only")
	}
	b.WriteString(strings.Join(notes, " · "))
	line := strings.TrimRight(b.String(), " ")
	if i == m.cursor {
		return cursorStyle.Render(line)
	}
	return line
}

// pad writes s cut or padded to w cells, then a space.
func pad(b *strings.Builder, s string, w int) {
	s = ansi.Truncate(s, w, "…")
	b.WriteString(s)
	b.WriteString(strings.Repeat(" ", max(0, w-ansi.StringWidth(s))+1))
}

// errorLines says err wrapped to the width in at most four lines: its
// first (which profile) and its last (AWS's own words come last).
func (m Model) errorLines(err error) []string {
	const most = 4
	text := "✗ " + textsafe.Clean(strings.Join(strings.Fields(err.Error()), " "))
	lines := strings.Split(ansi.Wrap(text, max(20, m.width), ""), "\n")
	if len(lines) > most {
		lines = append(lines[:1], lines[len(lines)-most+1:]...)
		lines[1] = "… " + lines[1]
	}
	for i, l := range lines {
		lines[i] = errorStyle.Render(l)
	}
	return lines
}

// oneLine keeps an error's first line: the picker's rows are one line each.
func oneLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
