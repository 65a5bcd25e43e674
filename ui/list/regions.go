package list

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// sortRegions orders Regions by name for the picker.
func sortRegions(rs []model.Region) []model.Region {
	out := slices.Clone(rs)
	slices.SortFunc(out, func(a, b model.Region) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func (m *Model) regionIndex(name string) int {
	for i, r := range m.regions {
		if r.Name == name {
			return i
		}
	}
	return 0
}

// onPickerKey handles keys while the Region picker is open: letters,
// digits and "-" are typed, and the cursor jumps to the Region they begin
// (about 30 Regions on a real account); the picker's keys do the rest.
func (m Model) onPickerKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Choose):
		return m.chooseRegion()
	case key.Matches(msg, k.Cancel):
		m.mode = browsing
	case key.Matches(msg, k.DeleteChar) && m.pickTyped != "":
		r := []rune(m.pickTyped)
		m.typeRegion(string(r[:len(r)-1]))
	case m.typesRegion(msg):
		m.typeRegion(m.pickTyped + string(msg.Runes))
	case key.Matches(msg, k.Region):
		m.mode = browsing
	case key.Matches(msg, k.Up):
		m.movePick(-1)
	case key.Matches(msg, k.Down):
		m.movePick(1)
	case key.Matches(msg, k.PageUp):
		m.movePick(-max(1, m.bodyRows()-1))
	case key.Matches(msg, k.PageDown):
		m.movePick(max(1, m.bodyRows()-1))
	case key.Matches(msg, k.Home):
		m.pick = 0
	case key.Matches(msg, k.End):
		m.pick = max(0, len(m.regions)-1)
	case key.Matches(msg, k.Reload):
		if m.regionsErr != nil && !m.regionsBusy {
			m.regionsBusy, m.regionsErr = true, nil
			return m, m.fetchRegions()
		}
	}
	return m, nil
}

// typesRegion reports whether a key is typed into the picker: a letter,
// a digit or "-" (what Region names are made of), but not a key the
// picker answers (up and down, and reload while the Regions could not be
// listed), nor the Region key before anything is typed (it closes the
// picker; once typing, g is a letter: us-gov-west-1).
func (m Model) typesRegion(msg tea.KeyMsg) bool {
	k := m.keys
	if msg.Type != tea.KeyRunes || len(msg.Runes) != 1 || msg.Alt {
		return false
	}
	r := msg.Runes[0]
	if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
		return false
	}
	switch {
	case key.Matches(msg, k.Up, k.Down):
		return false
	case key.Matches(msg, k.Reload) && m.regionsErr != nil:
		return false
	case key.Matches(msg, k.Region) && m.pickTyped == "":
		return false
	}
	return true
}

// typeRegion sets what is typed and moves the cursor to the first Region
// that begins with it, else the first that holds it; with none, the cursor
// stays and the picker says so.
func (m *Model) typeRegion(typed string) {
	m.pickTyped = typed
	if typed == "" {
		return
	}
	for _, match := range []func(string) bool{
		func(name string) bool { return strings.HasPrefix(name, typed) },
		func(name string) bool { return strings.Contains(name, typed) },
	} {
		if i := slices.IndexFunc(m.regions, func(r model.Region) bool { return match(r.Name) }); i >= 0 {
			m.pick = i
			return
		}
	}
}

// pickMatches reports whether what is typed names some Region.
func (m *Model) pickMatches() bool {
	return slices.ContainsFunc(m.regions, func(r model.Region) bool { return strings.Contains(r.Name, m.pickTyped) })
}

func (m *Model) movePick(delta int) {
	m.pick = clamp(m.pick+delta, 0, max(0, len(m.regions)-1))
}

// chooseRegion lists the picked Region. An opt-in Region the account has
// not enabled is refused with the reason: AWS would refuse every call there.
func (m Model) chooseRegion() (Model, tea.Cmd) {
	if m.regionsBusy || m.pick >= len(m.regions) {
		return m, nil
	}
	r := m.regions[m.pick]
	name := textsafe.Clean(r.Name)
	if !r.Enabled() {
		m.say(flashWarn, "%s is an opt-in Region not enabled for this account: enable it in the AWS console (Account, AWS Regions) first", name)
		return m, nil
	}
	m.mode = browsing
	if r.Name == m.region {
		return m, nil
	}
	m.region = r.Name
	if n := len(m.marks); n > 0 {
		// Marks name snapshots of the Region left behind.
		m.say(flashInfo, "cleared %s: marks belong to one Region's list", plural(n, "mark"))
	}
	m.marks = map[string]struct{}{}
	m.aliases = nil
	m.t.aliases = nil
	// Said until the listing ends (the header counts the pages meanwhile).
	m.hold(heldListing, "listing "+name+"…")
	return m, tea.Batch(m.startLoad(false), m.fetchAliases())
}

// pickerLines draws the Region picker in h lines.
func (m *Model) pickerLines(h int, sp rowSpans) []string {
	// What is typed comes first, so a narrow screen does not cut it.
	typed := "type to jump, "
	if m.pickTyped != "" {
		typed = filterStyle.Render(textsafe.Clean(m.pickTyped)+"█") + " "
		if !m.pickMatches() {
			typed += dimStyle.Render("no Region holds it ("+status.KeyName(m.keys.DeleteChar)+" deletes)") + " · "
		}
	}
	lines := []string{headerStyle.Render("Source Region") + " (now " + textsafe.Clean(m.region) + "): " + typed +
		status.KeyName(m.keys.Choose) + " lists it, " + status.KeyName(m.keys.Cancel) + " goes back"}
	switch {
	case m.regionsBusy:
		return append(lines, m.spinner.View()+" asking DescribeRegions…")
	case m.regionsErr != nil:
		lines = append(lines, errorStyle.Render("✗ "+m.errorText(m.regionsErr)))
		return append(lines, status.KeyName(m.keys.Reload)+" asks again, "+status.KeyName(m.keys.Cancel)+" goes back")
	case len(m.regions) == 0:
		return append(lines, "no Regions were listed")
	}
	rows := max(1, h-len(lines))
	first := 0
	if m.pick >= rows {
		first = m.pick - rows + 1
	}
	for i := first; i < len(m.regions) && i < first+rows; i++ {
		r := m.regions[i]
		var b strings.Builder
		if i == m.pick {
			b.WriteString("› ")
		} else {
			b.WriteString("  ")
		}
		fit(&b, textsafe.Clean(r.Name), 16, false)
		b.WriteString(" ")
		note := ""
		switch {
		case r.Name == m.region:
			note = "listed now"
		case !r.Enabled():
			note = "⊘ opt-in Region, not enabled for this account"
		case r.OptInStatus == "opted-in":
			note = "opted in"
		}
		b.WriteString(note)
		line := b.String()
		switch {
		case i == m.pick:
			line = sp.cursor.pre + padTo(line, m.width) + sp.cursor.post
		case !r.Enabled():
			line = sp.dim.pre + line + sp.dim.post
		}
		lines = append(lines, line)
	}
	return lines
}
