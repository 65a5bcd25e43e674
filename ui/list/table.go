package list

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/snapcopy/snapcopy/model"
)

// row is one loaded snapshot with what the list computes once at load, so
// that sorting and filtering never rebuild strings.
type row struct {
	snap model.Snapshot
	name string // the Name tag
	// search is the lower-cased text the filter looks in: id, Name,
	// description, tag values and volume id, separated by NUL so that a
	// query never matches across two fields.
	search string
}

// table holds every loaded snapshot and two index slices over it: order
// (all rows, sorted) and shown (the rows that pass the filter, in the same
// order). Sorting and filtering move int32 indices, never snapshots, and a
// frame reads only the rows it draws, so the cost of a frame does not grow
// with the number of snapshots.
type table struct {
	rows  []row
	order []int32
	shown []int32

	sortBy sortKey
	desc   bool

	query string   // the filter as typed
	terms []string // its lower-cased words; a row must contain every one

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

// newestFirst says whether a column sorts descending by default: times and
// sizes read best largest first, text A to Z.
func (k sortKey) descByDefault() bool { return k == byStarted || k == bySize || k == byProgress }

func newTable() table { return table{sortBy: byStarted, desc: true} }

// reset forgets every row but keeps the sort and the filter.
func (t *table) reset() {
	t.rows, t.order, t.shown = nil, nil, nil
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
	// One buffer for the page's search texts: one allocation per page, not per row.
	var buf strings.Builder
	ends := make([]int, len(snaps))
	for i := range snaps {
		s := &snaps[i]
		name := s.Name()
		writeLower(&buf, s.ID)
		buf.WriteByte(0)
		writeLower(&buf, name)
		buf.WriteByte(0)
		writeLower(&buf, s.Description)
		for _, tg := range s.Tags {
			if tg.Key == "Name" {
				continue // already in
			}
			buf.WriteByte(0)
			writeLower(&buf, tg.Value)
		}
		buf.WriteByte(0)
		writeLower(&buf, s.VolumeID)
		ends[i] = buf.Len()
		t.rows = append(t.rows, row{snap: *s, name: name})
		t.noteWidths(s, name)
	}
	all := buf.String()
	start := 0
	for i := range snaps {
		t.rows[int(base)+i].search = all[start:ends[i]]
		start = ends[i]
	}

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
	t.shown = t.merge(t.shown, t.keep(fresh, nil))
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
			b.WriteString(strings.ToLower(s[i:]))
			return
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
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

// setFilter applies a new query. When every word of the old query is inside
// a word of the new one (the usual case: one more letter typed), the new
// matches are a subset of the old, so only the rows shown now are searched.
func (t *table) setFilter(q string) {
	terms := strings.Fields(strings.ToLower(q))
	narrower := len(t.terms) > 0 && within(t.terms, terms)
	t.query = q
	old := t.terms
	t.terms = terms
	switch {
	case len(terms) == 0:
		t.shown = t.order
	case narrower && slices.Equal(old, terms):
		// same words (spaces changed): nothing to do
	case narrower:
		t.shown = t.keep(t.shown, make([]int32, 0, len(t.shown)))
	default:
		t.shown = t.keep(t.order, make([]int32, 0, len(t.order)/4))
	}
}

// within reports whether each old term is contained in some new term.
func within(old, terms []string) bool {
	for _, o := range old {
		found := false
		for _, n := range terms {
			if strings.Contains(n, o) {
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

// keep appends to out the indices of idx whose row matches every term.
func (t *table) keep(idx, out []int32) []int32 {
	rows := t.rows
	switch len(t.terms) {
	case 0:
		return append(out, idx...)
	case 1:
		term := t.terms[0]
		for _, i := range idx {
			if strings.Contains(rows[i].search, term) {
				out = append(out, i)
			}
		}
		return out
	}
next:
	for _, i := range idx {
		s := rows[i].search
		for _, term := range t.terms {
			if !strings.Contains(s, term) {
				continue next
			}
		}
		out = append(out, i)
	}
	return out
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
func location(s *model.Snapshot) string {
	if s.OutpostArn != "" {
		if i := strings.LastIndexByte(s.OutpostArn, '/'); i >= 0 && i < len(s.OutpostArn)-1 {
			return s.OutpostArn[i+1:]
		}
		return s.OutpostArn
	}
	return s.Location()
}
