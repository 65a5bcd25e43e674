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

// onPickerKey handles keys while the Region picker is open.
func (m Model) onPickerKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Choose):
		return m.chooseRegion()
	case key.Matches(msg, k.Cancel, k.Region):
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
	lines := []string{headerStyle.Render("Source Region") + " (now " + textsafe.Clean(m.region) + "): " + status.KeyName(m.keys.Choose) + " lists it, " + status.KeyName(m.keys.Cancel) + " goes back"}
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
