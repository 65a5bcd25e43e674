package list

import (
	"strings"

	"github.com/snapcopy/snapcopy/model"
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

// matches reports whether a row (its search text and snapshot) holds the
// term.
func (q term) matches(text string, s *model.Snapshot) bool {
	switch {
	case q.field == -1:
		return containsWord(text, q.value)
	case q.value == "" && !q.hasKey:
		return true // "state:" while typing: no narrowing yet
	case q.field == fieldTags:
		return tagMatches(s.Tags, q)
	}
	return strings.Contains(field(text, q.field), q.value)
}

// tagMatches looks for a tag holding q: with "KEY=VALUE", a tag whose key
// is KEY (any case) and whose value contains VALUE; else a tag whose key
// or value contains the text.
func tagMatches(tags []model.Tag, q term) bool {
	for _, t := range tags {
		if q.hasKey {
			if strings.EqualFold(t.Key, q.tagKey) && containsFold(t.Value, q.value) {
				return true
			}
			continue
		}
		if containsFold(t.Key, q.value) || containsFold(t.Value, q.value) {
			return true
		}
	}
	return false
}

// containsFold is strings.Contains(strings.ToLower(s), sub) for a
// lower-cased sub, without allocating for ASCII text.
func containsFold(s, sub string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.Contains(strings.ToLower(s), sub)
		}
	}
	if len(sub) > len(s) {
		return false
	}
outer:
	for i := 0; i+len(sub) <= len(s); i++ {
		for j := 0; j < len(sub); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				continue outer
			}
		}
		return true
	}
	return false
}

// rowMatches reports whether a row holds every term.
func rowMatches(text string, s *model.Snapshot, terms []term) bool {
	for i := range terms {
		if !terms[i].matches(text, s) {
			return false
		}
	}
	return true
}
