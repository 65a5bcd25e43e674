package list

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
	"github.com/snapcopy/snapcopy/validate"
)

// detailLabel is the width of the labels of the detail pane.
const detailLabel = 14

// detailLines is every field and every tag of the snapshot under the
// cursor, wrapped to the width. All AWS text goes through textsafe.Clean.
func (m *Model) detailLines() []string {
	r := m.current()
	if r == nil {
		return nil
	}
	s := &r.snap
	now := m.now()
	var lines []string
	field := func(label, value string) {
		lines = append(lines, wrapField(label, value, m.width)...)
	}
	clean := textsafe.Clean

	field("Snapshot", clean(s.ID))
	field("Name", orNone(clean(r.name)))
	field("Description", orNone(clean(s.Description)))
	state := clean(s.State)
	if s.Progress >= 0 {
		state += " (" + strconv.Itoa(s.Progress) + "%)"
	}
	field("State", state)
	if s.StateMessage != "" {
		field("State message", clean(s.StateMessage))
	}
	if ok, why := validate.Copyable(*s, now); ok {
		field("Copyable", "yes")
	} else {
		field("Copyable", "⊘ no: "+why)
	}
	if copies := m.copiesOf(s.ID); len(copies) > 0 {
		field("Copies", strconv.Itoa(len(copies))+" this run ("+status.KeyName(m.keys.Progress)+" shows them)")
		for _, l := range copyLines(copies) {
			lines = append(lines, wrapField("", l, m.width)...)
		}
	}
	field("Volume", orNone(clean(s.VolumeID)))
	size := strconv.Itoa(int(s.VolumeSizeGiB)) + " GiB"
	if s.FullSizeBytes > 0 {
		size += "; full snapshot size " + model.FormatBytes(s.FullSizeBytes) + " (" + strconv.FormatInt(s.FullSizeBytes, 10) + " bytes)"
	}
	field("Size", size)
	field("Started", when(s.StartTime, now))
	if !s.CompletionTime.IsZero() {
		field("Completed", when(s.CompletionTime, now))
	}
	switch {
	case !s.Encrypted:
		field("Encryption", "not encrypted")
	case s.KmsKeyID == "":
		field("Encryption", "encrypted")
	default:
		enc := "encrypted with " + clean(s.KmsKeyID)
		if a, ok := m.aliases[keyID(s.KmsKeyID)]; ok {
			enc = "encrypted with " + clean(a) + " (" + clean(s.KmsKeyID) + ")"
		}
		field("Encryption", enc)
	}
	owner := clean(s.OwnerID)
	if s.OwnerAlias != "" {
		owner += " (" + clean(s.OwnerAlias) + ")"
	}
	field("Owner", orNone(owner))
	tierText := clean(s.StorageTier)
	if !s.RestoreExpiry.IsZero() {
		if s.Restored(now) {
			tierText += ", temporarily restored until " + s.RestoreExpiry.UTC().Format("2006-01-02 15:04 UTC")
		} else {
			tierText += ", restore expired " + s.RestoreExpiry.UTC().Format("2006-01-02 15:04 UTC")
		}
	}
	field("Storage tier", orNone(tierText))
	site := s.Site()
	if site.Kind == model.ToLocalZone {
		field("Location", clean(site.String())+" of "+clean(site.Region))
	} else {
		field("Location", clean(site.String()))
	}
	transfer := clean(s.TransferType)
	if s.CompletionMinutes > 0 {
		transfer += ", completion duration " + strconv.Itoa(int(s.CompletionMinutes)) + " minutes"
	}
	if transfer != "" {
		field("Transfer", transfer)
	}
	if len(s.Tags) == 0 {
		field("Tags", "none")
		return lines
	}
	field("Tags", strconv.Itoa(len(s.Tags)))
	for _, t := range s.Tags {
		lines = append(lines, wrapField("", clean(t.Key)+" = "+clean(t.Value), m.width)...)
	}
	return lines
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// when prints an absolute UTC time and how long ago it was.
func when(t, now time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC") + " (" + ago(t, now) + ")"
}

// wrapField lays out "Label         value", wrapping the value under itself.
func wrapField(label, value string, width int) []string {
	valueWidth := max(8, width-detailLabel-2)
	wrapped := strings.Split(ansi.Wrap(value, valueWidth, ""), "\n")
	out := make([]string, len(wrapped))
	for i, v := range wrapped {
		var b strings.Builder
		b.WriteString("  ")
		if i == 0 && label != "" {
			fit(&b, label, detailLabel, false)
		} else {
			pad(&b, detailLabel)
		}
		b.WriteString(v)
		out[i] = b.String()
	}
	return out
}

// detailView draws the detail pane in h lines.
func (m *Model) detailView(h int) []string {
	r := m.current()
	if r == nil {
		return nil
	}
	all := m.detailLines()
	title := headerStyle.Render("Details") + " of " + textsafe.Clean(r.snap.ID) + "  (" + status.KeyName(m.keys.Close) + " closes, " + status.KeyName(m.keys.Up) + "/" + status.KeyName(m.keys.Down) + " scroll)"
	lines := []string{title}
	rows := max(0, h-1) // under the title
	from := min(m.detailOffset, max(0, len(all)-rows))
	to := min(len(all), from+rows)
	lines = append(lines, all[from:to]...)
	if to < len(all) && rows > 0 {
		lines[len(lines)-1] = dimStyle.Render("  ↓ " + strconv.Itoa(len(all)-to+1) + " more lines")
	}
	return lines
}

// errorText is an error as the operator reads it (model.Explain), safe
// to print; r (the Reload key, named by its binding) asks again.
func (m *Model) errorText(err error) string {
	return textsafe.Clean(model.Explain(err, model.RetryBy("press "+status.KeyName(m.keys.Reload))))
}

// onDetailKey handles keys while the detail pane is open.
func (m Model) onDetailKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.keys
	page := max(1, m.bodyRows()-2)
	switch {
	case key.Matches(msg, k.Close):
		m.mode = browsing
	case key.Matches(msg, k.Up):
		m.scrollDetail(-1)
	case key.Matches(msg, k.Down):
		m.scrollDetail(1)
	case key.Matches(msg, k.PageUp):
		m.scrollDetail(-page)
	case key.Matches(msg, k.PageDown):
		m.scrollDetail(page)
	case key.Matches(msg, k.Home):
		m.detailOffset = 0
	case key.Matches(msg, k.End):
		m.scrollDetail(1 << 20)
	case key.Matches(msg, k.Copy):
		return m.openForm(true)
	case key.Matches(msg, k.Progress):
		return m, func() tea.Msg { return nav.OpenProgress{} }
	}
	return m, nil
}

func (m *Model) scrollDetail(delta int) {
	m.detailOffset += delta
	// The pane's first line is its title.
	if limit := len(m.detailLines()) - (m.bodyRows() - 1); m.detailOffset > limit {
		m.detailOffset = limit
	}
	if m.detailOffset < 0 {
		m.detailOffset = 0
	}
}
