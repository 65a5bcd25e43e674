package list

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The fields of a row's search text, in the order they are written (see
// table.add): a column term looks only inside its own field.
const (
	fieldID = iota
	fieldName
	fieldDescription
	fieldVolume
	fieldState
	fieldTier
	fieldLocation
	fieldKMS
	fieldTags // tag values other than Name, one field each, to the end
)

// columnKeys maps the words before a colon in the filter ("state:pending")
// to the field they narrow to. A word before a colon not listed here is
// plain text ("arn:aws:…" is searched as typed).
var columnKeys = map[string]int{
	"id":          fieldID,
	"snapshot":    fieldID,
	"name":        fieldName,
	"desc":        fieldDescription,
	"description": fieldDescription,
	"vol":         fieldVolume,
	"volume":      fieldVolume,
	"state":       fieldState,
	"tier":        fieldTier,
	"location":    fieldLocation,
	"loc":         fieldLocation,
	"zone":        fieldLocation,
	"outpost":     fieldLocation,
	"kms":         fieldKMS,
	"tag":         fieldTags,
}

// term is one word of the filter: plain text searched in every field, or
// a column term ("key:value") searched in one.
type term struct {
	field int    // -1: any field
	value string // lower-cased; for tag terms the text after "=" when there is one
	// tagKey is the tag key of "tag:KEY=VALUE" (lower-cased); hasKey says
	// the term had "=": then the key must be the tag's whole key.
	tagKey string
	hasKey bool
}

// parseTerm reads one lower-cased word of the filter.
func parseTerm(w string) term {
	k, v, ok := strings.Cut(w, ":")
	f, known := columnKeys[k]
	if !ok || !known {
		return term{field: -1, value: w}
	}
	t := term{field: f, value: v}
	switch f {
	case fieldTags:
		if key, val, eq := strings.Cut(v, "="); eq {
			t.tagKey, t.value, t.hasKey = key, val, true
		}
	case fieldKMS:
		// A pasted key ARN names the key by the id the text holds.
		t.value = keyID(v)
	}
	return t
}

// inText reports whether every row the term matches holds its value in
// its search text, so the value's byte pairs may rule rows out. A tag
// term without "=" may match a tag's key, which the text does not hold.
func (q term) inText() bool { return q.field != fieldTags || q.hasKey }

// implies reports whether every row matching q also matches o: then a
// filter narrowed from o to q needs to look only at the rows shown.
func (q term) implies(o term) bool {
	switch {
	case o.field == -1:
		// Any row holding q's value in its text holds o's.
		return q.inText() && strings.Contains(q.value, o.value)
	case q.field != o.field || q.hasKey != o.hasKey || q.tagKey != o.tagKey:
		return false
	case q.field == fieldTags && !q.hasKey:
		return strings.Contains(q.value, o.value)
	}
	return strings.Contains(q.value, o.value)
}

// field returns the field-th field of a row's search text (fields are
// separated by NUL, the row ends with a newline), or "" when absent.
func field(text string, field int) string {
	for i := 0; i < field; i++ {
		j := strings.IndexByte(text, 0)
		if j < 0 {
			return ""
		}
		text = text[j+1:]
	}
	if j := strings.IndexByte(text, 0); j >= 0 {
		return text[:j]
	}
	return strings.TrimSuffix(text, "\n")
}

// matches reports whether a row, by its search text and its tags text,
// holds the term. Both are read from the page, in memory order: never the
// snapshots themselves, which are spread over the heap.
func (q *term) matches(text, tags string) bool {
	switch {
	case q.field == -1:
		return containsWord(text, q.value)
	case q.value == "" && !q.hasKey:
		return true // "state:" while typing: no narrowing yet
	case q.field == fieldTags && !q.hasKey:
		// A tag's key or value: the text has no "=" nor NUL, so it cannot
		// span a key and its value, or two tags.
		return containsWord(tags, q.value)
	case q.field == fieldTags:
		return tagMatches(tags, q.tagKey, q.value)
	}
	return strings.Contains(field(text, q.field), q.value)
}

// tagMatches looks in a row's tags text (NUL key=value per tag) for a tag
// whose whole key is key and whose value contains value.
func tagMatches(tags, key, value string) bool {
	for {
		i := strings.IndexByte(tags, 0)
		if i < 0 {
			return false
		}
		tags = tags[i+1:]
		end := strings.IndexAny(tags, "\x00\n")
		if end < 0 {
			end = len(tags)
		}
		tag := tags[:end]
		if len(tag) > len(key) && tag[len(key)] == '=' && tag[:len(key)] == key && strings.Contains(tag[len(key)+1:], value) {
			return true
		}
		tags = tags[end:]
	}
}

// rowMatches reports whether the k-th row of a page holds every term.
func rowMatches(p *searchPage, k int, terms []term) bool {
	text, tags := p.row(k), p.tagRow(k)
	for i := range terms {
		if !terms[i].matches(text, tags) {
			return false
		}
	}
	return true
}

// onFilterKey edits the filter: it is applied on every keystroke. Arrow
// keys still move, so one can type and pick without leaving the filter.
func (m Model) onFilterKey(msg tea.KeyMsg) Model {
	q := []rune(m.t.query)
	k := m.keys
	switch {
	case key.Matches(msg, k.Accept):
		m.mode = browsing
		return m
	case key.Matches(msg, k.Clear):
		m.mode = browsing
		m.applyFilter("")
		return m
	case key.Matches(msg, k.FilterUp):
		m.move(-1)
		return m
	case key.Matches(msg, k.FilterDown):
		m.move(1)
		return m
	case key.Matches(msg, k.PageUp):
		m.move(-max(1, m.listRows()))
		return m
	case key.Matches(msg, k.PageDown):
		m.move(max(1, m.listRows()))
		return m
	case key.Matches(msg, k.DeleteChar):
		if len(q) > 0 {
			q = q[:len(q)-1]
		}
	case key.Matches(msg, k.DeleteWord):
		q = []rune(dropLastWord(string(q)))
	case key.Matches(msg, k.DeleteAll):
		q = nil
	// What is not a key of the filter is text typed into it.
	case msg.Type == tea.KeySpace:
		q = append(q, ' ')
	case msg.Type == tea.KeyRunes:
		for _, r := range msg.Runes {
			// A paste may carry newlines or escapes: keep printable text only.
			if unicode.IsPrint(r) || r == ' ' {
				q = append(q, r)
			}
		}
	default:
		return m
	}
	m.applyFilter(string(q))
	return m
}

func dropLastWord(s string) string {
	r := []rune(s)
	i := len(r)
	for i > 0 && r[i-1] == ' ' {
		i--
	}
	for i > 0 && r[i-1] != ' ' {
		i--
	}
	return string(r[:i])
}

// applyFilter sets the filter, keeping the cursor on its snapshot (and on
// the same screen line) when that snapshot still matches.
func (m *Model) applyFilter(q string) {
	m.keepCursor(func() { m.t.setFilter(q) })
}
