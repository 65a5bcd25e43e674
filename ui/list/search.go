package list

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/snapcopy/snapcopy/model"
)

// searchPage is the lower-cased text the filter looks in for one page of
// rows, in one string (one allocation per page, read in memory order): per
// row its fields in a fixed order (id, Name, description, volume id,
// state, storage tier, location, KMS key alias and id, then the other tag
// values; see filter.go), separated by NUL (so a query never matches
// across two fields, and a column term finds its field) and ended by a
// newline (so none matches across two rows, and a one-letter word can be
// searched in the whole page at once).
type searchPage struct {
	text string
	ends []int32 // ends[k] is the offset just past row k's newline
	// tags holds every tag of each row as NUL key=value (Name too),
	// ended by a newline, for tag: terms; tagEnds as ends.
	tags    string
	tagEnds []int32

	blooms []bloom // blooms[k] holds the byte pairs of row k
	base   int32   // index of the page's first row
}

// bloom is a 512-bit set of the byte pairs (bigrams) of a row's search
// text. A row lacking one pair of a query word cannot contain the word, so
// most rows are ruled out with a few AND instructions, without reading
// their text: plain substring search is slow on text full of hex ids,
// where the first letter of a word is everywhere.
type bloom [8]uint64

// pairBit is the bit of the byte pair (a, b).
func pairBit(a, b byte) uint32 {
	// Two rounds of multiply-xorshift: one multiplication alone maps
	// common pairs onto few bits and some words then pass every row.
	x := (uint64(a)<<8 | uint64(b)) * 0x9E3779B97F4A7C15
	x ^= x >> 29
	x *= 0xBF58476D1CE4E5B9
	return uint32(x>>32) & 511
}

func (f *bloom) set(bit uint32) { f[bit>>6] |= 1 << (bit & 63) }

// bloomOf is the set of byte pairs of s.
func bloomOf(s string) bloom {
	var f bloom
	for i := 0; i+1 < len(s); i++ {
		f.set(pairBit(s[i], s[i+1]))
	}
	return f
}

// covers reports whether f holds every pair of q.
func (f *bloom) covers(q *bloom) bool {
	for i := range f {
		if f[i]&q[i] != q[i] {
			return false
		}
	}
	return true
}

// tagRow returns the tags text of the page's k-th row.
func (p *searchPage) tagRow(k int) string {
	start := int32(0)
	if k > 0 {
		start = p.tagEnds[k-1]
	}
	return p.tags[start:p.tagEnds[k]]
}

// row returns the search text of the page's k-th row.
func (p *searchPage) row(k int) string {
	start := int32(0)
	if k > 0 {
		start = p.ends[k-1]
	}
	return p.text[start:p.ends[k]]
}

// searchPageOf builds the search text and blooms of rows, the page whose
// first row is base.
func (t *table) searchPageOf(base int32, rows []row) searchPage {
	var buf, tags strings.Builder
	page := searchPage{ends: make([]int32, len(rows)), tagEnds: make([]int32, len(rows)), blooms: make([]bloom, len(rows)), base: base}
	for i := range rows {
		s := &rows[i].snap
		writeLower(&buf, s.ID)
		buf.WriteByte(0)
		writeLower(&buf, rows[i].name)
		buf.WriteByte(0)
		writeLower(&buf, s.Description)
		buf.WriteByte(0)
		writeLower(&buf, s.VolumeID)
		buf.WriteByte(0)
		writeLower(&buf, s.State)
		buf.WriteByte(0)
		writeLower(&buf, s.StorageTier)
		buf.WriteByte(0)
		writeLower(&buf, location(s))
		if s.OutpostArn != "" {
			buf.WriteByte(' ')
			writeLower(&buf, s.OutpostArn)
		}
		buf.WriteByte(0)
		t.writeKMS(&buf, s)
		for _, tg := range s.Tags {
			tags.WriteByte(0)
			writeLower(&tags, tg.Key)
			tags.WriteByte('=')
			writeLower(&tags, tg.Value)
			if tg.Key == "Name" {
				continue // already in
			}
			buf.WriteByte(0)
			writeLower(&buf, tg.Value)
		}
		buf.WriteByte('\n')
		tags.WriteByte('\n')
		page.ends[i] = int32(buf.Len())
		page.tagEnds[i] = int32(tags.Len())
	}
	page.text, page.tags = buf.String(), tags.String()
	for k := range page.ends {
		page.blooms[k] = bloomOf(page.row(k))
	}
	return page
}

// writeKMS writes the key as the encryption column names it: its alias
// when known, and its id; "none" when not encrypted.
func (t *table) writeKMS(buf *strings.Builder, s *model.Snapshot) {
	switch {
	case !s.Encrypted:
		buf.WriteString("none")
	case s.KmsKeyID == "":
		buf.WriteString("encrypted")
	default:
		id := keyID(s.KmsKeyID)
		if a, ok := t.aliases[id]; ok {
			writeLower(buf, a)
			buf.WriteByte(' ')
		}
		writeLower(buf, id)
	}
}

// setAliases names KMS keys anew: the search texts of the rows already
// loaded are rebuilt (once per Region: the aliases usually come before
// the first page) and the filter applied again.
func (t *table) setAliases(aliases map[string]string) {
	t.aliases = aliases
	if len(t.rows) == 0 {
		return
	}
	for p := range t.search {
		pg := &t.search[p]
		*pg = t.searchPageOf(pg.base, t.rows[pg.base:int(pg.base)+len(pg.ends)])
	}
	if len(t.terms) > 0 {
		t.shown = t.pick(t.order, t.matching(t.terms, nil))
	}
}

// writeLower appends s lower-cased without allocating for ASCII text.
func writeLower(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			b.WriteString(strings.Map(searchRune, s[i:]))
			return
		}
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == 0 || c == '\n':
			c = ' ' // NUL and newline end fields and rows
		}
		b.WriteByte(c)
	}
}

// searchRune is a rune as the search text holds it: lower-cased, with
// NUL and newline (which end fields and rows) made spaces.
func searchRune(r rune) rune {
	if r == 0 || r == '\n' {
		return ' '
	}
	return unicode.ToLower(r)
}
