package list

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/snapcopy/snapcopy/model"
)

// row is one loaded snapshot with its Name tag, found once at load.
type row struct {
	snap model.Snapshot
	name string
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
	byOwner
	sortKeys // count
)

var sortNames = [sortKeys]string{"started", "Name", "id", "size", "state", "progress", "encryption", "tier", "location", "description", "owner"}

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

// noteWidths keeps the widest id, Name, location and state seen.
func (t *table) noteWidths(s *model.Snapshot, name string) {
	t.maxID = max(t.maxID, len(s.ID))
	t.maxName = max(t.maxName, utf8.RuneCountInString(name))
	t.maxLoc = max(t.maxLoc, len(location(s)))
	t.maxState = max(t.maxState, len(s.State))
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
	case byOwner:
		c = strings.Compare(x.OwnerID, y.OwnerID)
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
