package form

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
	"github.com/snapcopy/snapcopy/validate"
)

// tagRow is one editable tag: its key and its value.
type tagRow struct{ key, value textinput.Model }

// newTagRow is an empty tag row.
func newTagRow() tagRow { return tagRow{key: newInput(), value: newInput()} }

// tagKey handles a key on the tag rows; the Cmd is the status line's,
// when the key says what it did.
func (m *Model) tagKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, keys.AddTag):
		m.tags = slices.Insert(m.tags, m.tagRow+1, newTagRow())
		m.tagRow, m.tagCol = m.tagRow+1, 0
	case key.Matches(msg, keys.DelTag):
		m.tags = slices.Delete(m.tags, m.tagRow, m.tagRow+1)
		if len(m.tags) == 0 {
			m.tags = []tagRow{newTagRow()}
		}
		m.tagRow = min(m.tagRow, len(m.tags)-1)
	case key.Matches(msg, keys.SourceTags):
		return m.copySourceTags()
	case key.Matches(msg, keys.Up):
		m.tagRow = max(m.tagRow-1, 0)
	case key.Matches(msg, keys.Down):
		m.tagRow = min(m.tagRow+1, len(m.tags)-1)
	default:
		r := m.tags[m.tagRow]
		if m.tagCol == 0 {
			r.key, _ = r.key.Update(msg)
		} else {
			r.value, _ = r.value.Update(msg)
		}
		m.tags[m.tagRow] = r
	}
	return nil
}

// copySourceTags adds the source's tags as rows (for a batch: the tags all
// sources share), leaving out the ones validate would refuse on a copy
// (aws: keys, snapcopy's own request tag) and keys already in the rows,
// and says so in the status line.
func (m *Model) copySourceTags() tea.Cmd {
	have := map[string]bool{}
	for _, r := range m.tags {
		have[r.key.Value()] = true
	}
	offered := m.offeredTags()
	added, refused := 0, len(m.sourceTags())-len(offered)
	for _, t := range offered {
		if have[t.Key] {
			continue
		}
		row := slices.IndexFunc(m.tags, func(r tagRow) bool { return r.key.Value() == "" && r.value.Value() == "" })
		if row < 0 {
			m.tags = append(m.tags, newTagRow())
			row = len(m.tags) - 1
		}
		r := newTagRow()
		r.key.SetValue(t.Key)
		r.key.CursorEnd()
		r.value.SetValue(t.Value)
		r.value.CursorEnd()
		m.tags[row] = r
		have[t.Key] = true
		added++
	}
	what, from := "the source's tags", " from the source"
	if len(m.sources) > 1 {
		what, from = "the tags every source shares", " every source shares"
	}
	switch {
	case added == 0 && refused == 0:
		return m.status.Show(status.Info, "no tags to copy: "+what+" are already here or there are none")
	case refused > 0:
		return m.status.Show(status.Info, "added "+plural(added, "tag")+from+"; left out "+plural(refused, "tag")+" AWS would refuse on a copy (aws: keys, snapcopy's own)")
	}
	return m.status.Show(status.Info, "added "+plural(added, "tag")+from)
}

// sourceTags is the tags to offer: the source's, or for a batch the tags
// (key and value) every copyable source carries. Text is stripped of
// control characters, since it goes back to AWS.
func (m Model) sourceTags() []model.Tag {
	var sources []model.Snapshot
	for _, s := range m.sources {
		if ok, _ := validate.Copyable(s, m.now()); ok {
			sources = append(sources, s)
		}
	}
	if len(sources) == 0 {
		return nil
	}
	var out []model.Tag
	for _, t := range sources[0].Tags {
		shared := true
		for _, s := range sources[1:] {
			if !slices.Contains(s.Tags, t) {
				shared = false
				break
			}
		}
		if shared {
			out = append(out, model.Tag{Key: textsafe.Strip(t.Key), Value: textsafe.Strip(t.Value)})
		}
	}
	return out
}

// offeredTags is the source tags a copy may carry: the ones validate
// accepts (no aws: keys, not snapcopy's own request tag).
func (m Model) offeredTags() []model.Tag {
	var out []model.Tag
	for _, t := range m.sourceTags() {
		if _, ps := validate.Tags([]validate.TagInput{{Key: t.Key, Value: t.Value}}); len(ps) == 0 {
			out = append(out, t)
		}
	}
	return out
}

// tagLines is the tag rows, each with its problems, and, when focused, the
// keys that add, delete and copy rows; from..to are the lines of the
// focused row and its problems.
func (m Model) tagLines(focused bool, w int) (lines []string, from, to int) {
	keyW := 12
	for _, r := range m.tags {
		keyW = max(keyW, len([]rune(r.key.Value()))+1)
	}
	keyW = min(keyW, 40)
	valW := max(w-indent-2-keyW-3, 8)
	for i, r := range m.tags {
		here := focused && i == m.tagRow
		if here {
			from = len(lines)
		}
		mark := "  "
		if here {
			mark = focusStyle.Render(markFocus + " ")
		}
		k := padTo(inputView(r.key, here && m.tagCol == 0, keyW, "key"), keyW)
		v := inputView(r.value, here && m.tagCol == 1, valW, "value")
		lines = append(lines, m.row(fTags, i == 0, mark+k+" = "+v))
		for _, p := range m.result.For(validate.FieldTags) {
			if p.Row == i {
				lines = append(lines, problemLines(p, indent+2, w)...)
			}
		}
		if here {
			to = len(lines)
		}
	}
	for _, p := range m.result.For(validate.FieldTags) {
		if p.Row < 0 || p.Row >= len(m.tags) {
			lines = append(lines, problemLines(p, indent, w)...)
		}
	}
	if focused {
		hint := keys.AddTag.Help().Key + " adds a row, " + keys.DelTag.Help().Key + " deletes this one"
		if n := len(m.offeredTags()); n > 0 {
			hint += fmt.Sprintf(", %s copies the source's %s", keys.SourceTags.Help().Key, plural(n, "tag"))
		}
		lines = append(lines, m.row(fTags, false, dimStyle.Render(hint)))
		// Besides the source's tags each copy carries, and snapcopy's own.
		left := fmt.Sprintf("%s left for yours (besides ", plural(m.result.TagsLeft, "tag"))
		switch n := m.result.SourceTagsCarried; {
		case n > 0 && len(m.sources) > 1:
			left += fmt.Sprintf("up to %d of each source's and ", n)
		case n > 0:
			left += fmt.Sprintf("%d of the source's and ", n)
		}
		left += fmt.Sprintf("snapcopy's %d)", validate.SnapcopyTags)
		lines = append(lines, m.row(fTags, false, dimStyle.Render(left)))
	}
	return lines, from, to
}

// cycleSourceTags steps to the next (d=1) or previous (d=-1) choice of
// the source tags each copy carries.
func (m *Model) cycleSourceTags(d int) {
	choices := model.SourceTagsChoices
	i := slices.Index(choices, m.srcTags)
	m.srcTags = choices[(i+d+len(choices))%len(choices)]
}

// sourceTagsLines is the source tags choice and, when focused, what it
// gives the copies.
func (m Model) sourceTagsLines(focused bool, vw int) []string {
	parts := make([]string, len(model.SourceTagsChoices))
	for i, c := range model.SourceTagsChoices {
		if c == m.srcTags {
			parts[i] = chosenStyle.Render(markChosen + " " + c.String())
		} else {
			parts[i] = markOther + " " + c.String()
		}
	}
	lines := []string{m.row(fSourceTags, true, strings.Join(parts, "   "))}
	if focused {
		lines = append(lines, m.row(fSourceTags, false, dimStyle.Render(ansi.Truncate(m.sourceTagsNote(), vw, "…"))))
	}
	return lines
}

// sourceTagsNote says which source tags the copies get under the choice,
// and that the tags typed below win on a clash.
func (m Model) sourceTagsNote() string {
	batch := len(m.sources) > 1
	switch m.srcTags {
	case model.SourceTagsNone:
		return "copies get only the tags below"
	case model.SourceTagsOwn:
		if batch {
			return "each copy gets its own source's tags, Name included; the tags below win"
		}
	}
	// One source (its own tags), or the tags the whole batch shares.
	var sources []model.Snapshot
	for _, s := range m.sources {
		if ok, _ := validate.Copyable(s, m.now()); ok {
			sources = append(sources, s)
		}
	}
	if len(sources) == 0 {
		return "no source can be copied"
	}
	tags := validate.SourceTagsOf(sources[0], sources, m.srcTags)
	what := "the copy gets "
	if batch {
		what = "every copy gets "
	}
	if len(tags) == 0 {
		if batch {
			return "no tag is shared by every source: copies get only the tags below"
		}
		return "the source has no tag a copy can carry"
	}
	kv := make([]string, len(tags))
	for i, t := range tags {
		kv[i] = clean(t.Key) + "=" + clean(t.Value)
	}
	return what + strings.Join(kv, ", ") + "; the tags below win"
}
