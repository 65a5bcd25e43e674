package list

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// colID names a column of the list.
type colID int

const (
	colSnapshot colID = iota
	colOwner
	colName
	colSize
	colFull
	colAge
	colStarted
	colState
	colProgress
	colEncryption
	colTier
	colLocation
	colDescription
	numCols
)

// colSpec describes a column: its title, its narrowest and preferred
// widths, and its priority (0 is dropped last as the terminal narrows).
type colSpec struct {
	title    string
	min      int
	ideal    int // 0: takes whatever width is left
	priority int
	right    bool
	sort     sortKey
}

// columns in display order. Priorities: the id and the state always stay
// (40 columns still show them), then the owner (only in the list of
// snapshots shared with the account) and Name, size, age, encryption,
// description, progress, location, tier, start time, full size.
var columns = [numCols]colSpec{
	colSnapshot:    {title: "SNAPSHOT", min: 13, ideal: 22, priority: 0, sort: byID},
	colOwner:       {title: "OWNER", min: 12, ideal: 12, priority: 2, sort: byOwner},
	colName:        {title: "NAME", min: 8, ideal: 24, priority: 2, sort: byName},
	colSize:        {title: "SIZE", min: 9, ideal: 9, priority: 3, right: true, sort: bySize},
	colFull:        {title: "FULL", min: 9, ideal: 9, priority: 11, right: true, sort: bySize},
	colAge:         {title: "AGE", min: 8, ideal: 8, priority: 4, sort: byStarted},
	colStarted:     {title: "STARTED (UTC)", min: 16, ideal: 16, priority: 10, sort: byStarted},
	colState:       {title: "STATE", min: 9, ideal: 9, priority: 1, sort: byState},
	colProgress:    {title: "PROG", min: 4, ideal: 4, priority: 7, right: true, sort: byProgress},
	colEncryption:  {title: "ENCRYPTION", min: 12, ideal: 22, priority: 5, sort: byEncryption},
	colTier:        {title: "TIER", min: 8, ideal: 8, priority: 9, sort: byTier},
	colLocation:    {title: "LOCATION", min: 9, ideal: 20, priority: 8, sort: byLocation},
	colDescription: {title: "DESCRIPTION", min: 16, ideal: 0, priority: 6, sort: byDescription},
}

// nameMin is the Name column's width before lower columns get any room: a
// Name cut to 8 cells rarely says which snapshot it is.
const nameMin = 12

// prefixWidth is the cursor and mark gutter before the columns: "›● ".
const prefixWidth = 3

// layout is the set of columns shown at a width, with their widths.
type layout struct {
	width int
	cols  []colID
	w     [numCols]int
}

// computeLayout picks columns in priority order, each one that still fits
// at its narrowest (so a wide low-priority column never crowds out a narrow
// one), then grows them towards their preferred widths (bounded by the
// widest value loaded) and gives what is left to the description. OWNER
// is a column of the snapshots shared with the account (owners) only: the
// account's own are all its own.
func computeLayout(width int, t *table, owners bool) layout {
	l := layout{width: width}
	want := columns
	if t.maxID > 0 {
		want[colSnapshot].min = t.maxID
		want[colSnapshot].ideal = t.maxID
	}
	if t.maxState > want[colState].min {
		want[colState].min, want[colState].ideal = t.maxState, t.maxState
	}
	if t.maxName > 0 {
		want[colName].ideal = clamp(t.maxName, want[colName].min, want[colName].ideal)
	}
	want[colName].min = clamp(nameMin, want[colName].min, want[colName].ideal)
	if t.maxLoc > 0 {
		// A location cut says little (us-east-… of which Local Zone?): the
		// column is shown whole, up to an Outpost's id, or not at all.
		want[colLocation].ideal = clamp(t.maxLoc, want[colLocation].min, want[colLocation].ideal)
		want[colLocation].min = want[colLocation].ideal
	}

	byPriority := make([]colID, numCols)
	for c := range byPriority {
		byPriority[c] = colID(c)
	}
	slices.SortStableFunc(byPriority, func(a, b colID) int { return want[a].priority - want[b].priority })
	var on [numCols]bool
	used := prefixWidth
	nameKept := 0 // room kept for the Name to be whole, once LOCATION is on
	for _, c := range byPriority {
		if c == colOwner && !owners {
			continue
		}
		need := want[c].min
		if used > prefixWidth {
			need++ // the space before it
		}
		// LOCATION, shown whole or not at all, does not take the room a
		// Name needs to be whole: a cut Name rarely says which snapshot.
		keep := 0
		if c == colLocation && on[colName] {
			keep = want[colName].ideal - want[colName].min
		}
		if used+need+keep <= width || want[c].priority <= 1 {
			on[c] = true
			used += need + keep
			nameKept += keep
		}
	}
	spare := width - used
	for c := colID(0); c < numCols; c++ {
		if on[c] {
			l.cols = append(l.cols, c)
			l.w[c] = want[c].min
		}
	}
	l.w[colName] += nameKept
	// Grow towards the preferred widths in priority order.
	for _, c := range byPriority {
		if spare <= 0 {
			break
		}
		if on[c] && want[c].ideal > l.w[c] {
			g := min(spare, want[c].ideal-l.w[c])
			l.w[c] += g
			spare -= g
		}
	}
	if spare > 0 {
		if on[colDescription] {
			l.w[colDescription] += spare
		} else if on[colName] {
			l.w[colName] += spare
		}
	}
	// Below 40 columns even the id and the state do not fit: cut the id.
	if spare < 0 {
		l.w[colSnapshot] = max(1, l.w[colSnapshot]+spare)
	}
	return l
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

// cellText is what a column shows for a snapshot, already safe to print.
func (m *Model) cellText(c colID, r *row, now time.Time) string {
	s := &r.snap
	switch c {
	case colSnapshot:
		return textsafe.Clean(s.ID)
	case colOwner:
		return textsafe.Clean(s.OwnerID)
	case colName:
		return textsafe.Clean(r.name)
	case colSize:
		return strconv.Itoa(int(s.VolumeSizeGiB)) + " GiB"
	case colFull:
		if s.FullSizeBytes <= 0 {
			return "—"
		}
		return model.FormatBytes(s.FullSizeBytes)
	case colAge:
		return ago(s.StartTime, now)
	case colStarted:
		if s.StartTime.IsZero() {
			return "—"
		}
		return s.StartTime.UTC().Format("2006-01-02 15:04")
	case colState:
		return textsafe.Clean(s.State)
	case colProgress:
		if s.Progress < 0 {
			return "—"
		}
		return strconv.Itoa(s.Progress) + "%"
	case colEncryption:
		return m.encryption(s)
	case colTier:
		return tier(s, now)
	case colLocation:
		return textsafe.Clean(location(s))
	case colDescription:
		return textsafe.Clean(s.Description)
	}
	return ""
}

// encryption names a snapshot's key by alias when one is known, else by id.
func (m *Model) encryption(s *model.Snapshot) string {
	if !s.Encrypted {
		return "none"
	}
	if s.KmsKeyID == "" {
		return "encrypted"
	}
	id := keyID(s.KmsKeyID)
	if a, ok := m.aliases[id]; ok {
		return textsafe.Clean(a)
	}
	return textsafe.Clean(id)
}

// keyID is the key id at the end of a key ARN (…:key/ID), or the text itself.
func keyID(k string) string {
	if i := strings.LastIndex(k, ":key/"); i >= 0 {
		return k[i+len(":key/"):]
	}
	return k
}

// tier is the storage tier; an archived snapshot that is temporarily
// restored (and so copyable) says "restored".
func tier(s *model.Snapshot, now time.Time) string {
	if s.StorageTier == model.TierArchive && s.Restored(now) {
		return "restored"
	}
	return textsafe.Clean(s.StorageTier)
}

// ago says how long before now t was, in at most 8 columns.
func ago(t, now time.Time) string {
	if t.IsZero() {
		return "—"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h ago"
	case d < 60*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d ago"
	case d < 2*365*24*time.Hour:
		return strconv.Itoa(int(d/(30*24*time.Hour))) + "mo ago"
	}
	return strconv.Itoa(int(d/(365*24*time.Hour))) + "y ago"
}

// fit writes s into exactly w columns: cut with "…" when too wide, padded
// with spaces otherwise (on the left when right-aligned). ASCII text, the
// common case, takes a fast path without width tables.
func fit(b *strings.Builder, s string, w int, right bool) {
	if w <= 0 {
		return
	}
	sw := 0
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		if len(s) > w {
			b.WriteString(s[:w-1])
			b.WriteString("…")
			return
		}
		sw = len(s)
	} else {
		sw = ansi.StringWidth(s)
		if sw > w {
			s = ansi.Truncate(s, w, "…")
			sw = ansi.StringWidth(s)
		}
	}
	if right {
		pad(b, w-sw)
		b.WriteString(s)
		return
	}
	b.WriteString(s)
	pad(b, w-sw)
}

const spaces = "                                                                                "

func pad(b *strings.Builder, n int) {
	for n > len(spaces) {
		b.WriteString(spaces)
		n -= len(spaces)
	}
	if n > 0 {
		b.WriteString(spaces[:n])
	}
}
