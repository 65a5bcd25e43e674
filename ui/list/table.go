package list

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/snapcopy/snapcopy/model"
)

// row is one loaded snapshot with its Name tag, found once at load.
type row struct {
	snap model.Snapshot
	name string
}

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

// table holds every loaded snapshot and two index slices over it: order
// (all rows, sorted) and shown (the rows that pass the filter, in the same
// order). Sorting and filtering move int32 indices, never snapshots, and a
// frame reads only the rows it draws, so the cost of a frame does not grow
// with the number of snapshots.
type table struct {
	rows   []row
	search []searchPage
	order  []int32
	shown  []int32

	sortBy sortKey
	desc   bool

	query string // the filter as typed
	terms []term // its lower-cased words; a row must hold every one

	// aliases names KMS keys (key id -> alias) in the search text, so a
	// key is found by its alias as the list shows it.
	aliases map[string]string

	// widest values seen, for column widths (cheaper than scanning rows per frame)
	maxID, maxName, maxLoc, maxState int
}

// sortKey is a column the list can be sorted by.
type sortKey int

const (
	byStarted sortKey = iota
	byName
	byID
	bySize
	byState
	byProgress
	byEncryption
	byTier
	byLocation
	byDescription
	sortKeys // count
)

var sortNames = [sortKeys]string{"started", "Name", "id", "size", "state", "progress", "encryption", "tier", "location", "description"}

func (k sortKey) String() string { return sortNames[k] }

// descByDefault says whether a column sorts descending by default: times and
// sizes read best largest first, text A to Z.
func (k sortKey) descByDefault() bool { return k == byStarted || k == bySize || k == byProgress }

func newTable() table { return table{sortBy: byStarted, desc: true} }

// reset forgets every row but keeps the sort and the filter.
func (t *table) reset() {
	t.rows, t.search, t.order, t.shown = nil, nil, nil, nil
	t.maxID, t.maxName, t.maxLoc, t.maxState = 0, 0, 0, 0
}

// add appends a page of snapshots: their indices are sorted among
// themselves and merged into order (and, if they pass the filter, into
// shown), which is linear in the rows loaded rather than a full re-sort.
func (t *table) add(snaps []model.Snapshot) {
	if len(snaps) == 0 {
		return
	}
	base := int32(len(t.rows))
	t.rows = slices.Grow(t.rows, len(snaps))
	for i := range snaps {
		s := &snaps[i]
		name := s.Name()
		t.rows = append(t.rows, row{snap: *s, name: name})
		t.noteWidths(s, name)
	}
	t.search = append(t.search, t.searchPageOf(base, t.rows[base:]))
	page := &t.search[len(t.search)-1]

	fresh := make([]int32, len(snaps))
	for i := range fresh {
		fresh[i] = base + int32(i)
	}
	slices.SortFunc(fresh, t.cmp)
	t.order = t.merge(t.order, fresh)
	if len(t.terms) == 0 {
		t.shown = t.order
		return
	}
	matches := fresh[:0:0]
	for _, r := range fresh {
		if rowMatches(page, int(r-base), t.terms) {
			matches = append(matches, r)
		}
	}
	t.shown = t.merge(t.shown, matches)
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

// noteWidths keeps the widest id, Name, location and state seen.
func (t *table) noteWidths(s *model.Snapshot, name string) {
	t.maxID = max(t.maxID, len(s.ID))
	t.maxName = max(t.maxName, utf8.RuneCountInString(name))
	t.maxLoc = max(t.maxLoc, len(location(s)))
	t.maxState = max(t.maxState, len(s.State))
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

// merge returns the sorted union of two sorted index slices in a new slice.
func (t *table) merge(a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if t.cmp(b[j], a[i]) < 0 {
			out = append(out, b[j])
			j++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// setSort sorts by key in the given direction.
func (t *table) setSort(k sortKey, desc bool) {
	t.sortBy, t.desc = k, desc
	slices.SortFunc(t.order, t.cmp)
	if len(t.terms) == 0 {
		t.shown = t.order
		return
	}
	slices.SortFunc(t.shown, t.cmp)
}

// setFilter applies a new query. When every word of the old query is
// implied by a word of the new one (the usual case: one more letter
// typed), the new matches are a subset of the old, so only the rows shown
// now can match.
func (t *table) setFilter(q string) {
	words := strings.Fields(strings.ToLower(q))
	terms := make([]term, len(words))
	for i, w := range words {
		terms[i] = parseTerm(w)
	}
	narrower := len(t.terms) > 0 && within(t.terms, terms)
	old := t.terms
	t.query, t.terms = q, terms
	switch {
	case len(terms) == 0:
		t.shown = t.order
	case narrower && slices.Equal(old, terms):
		// same words (only spaces changed): same rows
	case narrower:
		// The rows shown hold every old word: only new words need looking for.
		var fresh []term
		for _, w := range terms {
			if !slices.Contains(old, w) {
				fresh = append(fresh, w)
			}
		}
		if len(fresh) == 0 { // a word repeated: "db db"
			break
		}
		t.shown = t.pick(t.shown, t.matching(fresh, t.shown))
	default:
		t.shown = t.pick(t.order, t.matching(terms, nil))
	}
}

// pick returns the indices of idx whose match is set, in idx's order.
func (t *table) pick(idx []int32, match []bool) []int32 {
	out := make([]int32, 0, len(idx)/2)
	for _, r := range idx {
		if match[r] {
			out = append(out, r)
		}
	}
	return out
}

// matching says, per row, whether it holds every term. With among, only
// those rows can match. Rows are ruled out by their byte-pair blooms first
// (a column term's value is in its field, so in the text) and only the
// survivors are searched. Words of one letter have no pair: when no term
// has one, over all rows, the page texts are scanned for a one-letter
// word with strings.Index, a fast vector search for a single byte.
func (t *table) matching(terms []term, among []int32) []bool {
	match := make([]bool, len(t.rows))
	var q bloom
	lead := ""
	for _, w := range terms {
		if !w.inText() {
			continue
		}
		for i := 0; i+1 < len(w.value); i++ {
			q.set(pairBit(w.value[i], w.value[i+1]))
		}
		if w.field == -1 && lead == "" {
			lead = w.value
		}
	}
	if among == nil && q == (bloom{}) && lead != "" {
		t.scanPages(lead, terms, match)
		return match
	}
	// A few rows are looked up one by one; many are read in load order,
	// which reads memory in order rather than jumping about.
	if among != nil && len(among) < len(t.rows)/32 {
		for _, r := range among {
			p := t.pageOf(r)
			k := int(r - p.base)
			if p.blooms[k].covers(&q) && rowMatches(p, k, terms) {
				match[r] = true
			}
		}
		return match
	}
	var cand []bool
	if among != nil {
		cand = make([]bool, len(t.rows))
		for _, r := range among {
			cand[r] = true
		}
	}
	t.eachPages(func(from, to int) {
		for p := from; p < to; p++ {
			pg := &t.search[p]
			for k := range pg.blooms {
				r := pg.base + int32(k)
				if (cand == nil || cand[r]) && pg.blooms[k].covers(&q) && rowMatches(pg, k, terms) {
					match[r] = true
				}
			}
		}
	})
	return match
}

// parallelRows is the table size from which a search is split across
// cores: below it one core answers well within a frame.
const parallelRows = 20_000

// eachPages calls f over the search pages, split into contiguous ranges
// run on up to four cores when the table is large. Each range writes only
// its own rows' entries of a result, so the ranges never race.
func (t *table) eachPages(f func(from, to int)) {
	n := len(t.search)
	workers := min(runtime.GOMAXPROCS(0), 4, n)
	if workers <= 1 || len(t.rows) < parallelRows {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		from, to := n*i/workers, n*(i+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(from, to)
		}()
	}
	wg.Wait()
}

// scanPages searches every page text for lead (a plain word one byte
// long), checking every term only in the rows it hits.
func (t *table) scanPages(lead string, terms []term, match []bool) {
	t.eachPages(func(from, to int) {
		for p := from; p < to; p++ {
			pg := &t.search[p]
			text, pos, k := pg.text, 0, 0
			for pos < len(text) {
				j := strings.Index(text[pos:], lead)
				if j < 0 {
					break
				}
				hit := int32(pos + j)
				for pg.ends[k] <= hit {
					k++
				}
				if len(terms) == 1 || rowMatches(pg, k, terms) {
					match[pg.base+int32(k)] = true
				}
				pos = int(pg.ends[k]) // on to the next row
				k++
			}
		}
	})
}

// pageOf is the search page holding row r.
func (t *table) pageOf(r int32) *searchPage {
	p, found := slices.BinarySearchFunc(t.search, r, func(pg searchPage, r int32) int {
		return cmpInt(int64(pg.base), int64(r))
	})
	if !found {
		p--
	}
	return &t.search[p]
}

// window is the text length up to which strings.Index compares with one
// vector loop (bytealg.MaxBruteForce on amd64). On longer text it hops from
// one occurrence of the word's first byte to the next, which is slow on
// text full of hex ids where every letter a-f is frequent.
const window = 64

// containsWord is strings.Contains(s, w), searched in overlapping windows
// so that each search takes the vector path: 2 to 2.5 times faster on
// snapshot search texts. The result is the same on every platform.
func containsWord(s, w string) bool {
	if len(s) <= window || len(w) < 2 || len(w) > window/2 {
		return strings.Contains(s, w)
	}
	step := window - len(w) + 1
	for i := 0; ; i += step {
		end := min(i+window, len(s))
		if strings.Contains(s[i:end], w) {
			return true
		}
		if end == len(s) {
			return false
		}
	}
}

// within reports whether each old term is implied by some new term.
func within(old, terms []term) bool {
	for _, o := range old {
		found := false
		for _, n := range terms {
			if n.implies(o) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// position finds where row index r stands in shown (a binary search: shown
// is sorted by cmp, a total order), or -1.
func (t *table) position(r int32) int {
	k, ok := slices.BinarySearchFunc(t.shown, r, t.cmp)
	if !ok {
		return -1
	}
	return k
}

// cmp orders two rows by the sort column and direction, then by id and
// load order, so the order is total and stable across pages.
func (t *table) cmp(a, b int32) int {
	if a == b {
		return 0
	}
	x, y := &t.rows[a].snap, &t.rows[b].snap
	c := 0
	switch t.sortBy {
	case byStarted:
		c = x.StartTime.Compare(y.StartTime)
	case byName:
		c = cmpFold(t.rows[a].name, t.rows[b].name)
	case byID:
		c = strings.Compare(x.ID, y.ID)
	case bySize:
		c = cmpInt(int64(x.VolumeSizeGiB), int64(y.VolumeSizeGiB))
		if c == 0 {
			c = cmpInt(x.FullSizeBytes, y.FullSizeBytes)
		}
	case byState:
		c = strings.Compare(x.State, y.State)
	case byProgress:
		c = cmpInt(int64(x.Progress), int64(y.Progress))
	case byEncryption:
		c = cmpBool(x.Encrypted, y.Encrypted)
		if c == 0 {
			c = strings.Compare(x.KmsKeyID, y.KmsKeyID)
		}
	case byTier:
		c = strings.Compare(x.StorageTier, y.StorageTier)
	case byLocation:
		c = strings.Compare(location(x), location(y))
	case byDescription:
		c = cmpFold(x.Description, y.Description)
	}
	if t.desc {
		c = -c
	}
	if c != 0 {
		return c
	}
	if c = strings.Compare(x.ID, y.ID); c != 0 {
		return c
	}
	return cmpInt(int64(a), int64(b))
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// cmpFold compares ASCII case-insensitively without allocating.
func cmpFold(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return cmpInt(int64(len(a)), int64(len(b)))
}

// location is where a snapshot lives as the list shows it: its Outpost
// (op-… id), its Local Zone, or its Region.
func location(s *model.Snapshot) string { return s.Location() }
