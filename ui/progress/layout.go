package progress

import (
	"strconv"

	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/copytext"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// Column widths that do not depend on the copies. Ids are "snap-" and 17
// hex digits.
const (
	wMarker  = 2
	wID      = 22
	wBarMin  = 8
	wBarMax  = 16 // every cell is 3 bytes each time a row is redrawn
	wPct     = 4
	wState   = 11 // "✓ completed", in the second line of a two-line row
	wElapsed = 8  // "1h02m05s"
	wRate    = 10
	wETA     = 7
	// wNameMin is the narrowest a name is shown: cut shorter, a name
	// rarely says which snapshot it is.
	wNameMin = 12
	wNameMax = 40
	// wWhyMin is the least room a row's reason (AWS's message of a
	// failure) is given after its state; with less, it starts where the
	// copy's id would.
	wWhyMin = 24
	// wIDMin is the narrowest a source id is shown in the one column that
	// names a source by its name, or by its id cut in the middle.
	wIDMin = 12
)

// layout is the width of each column for a terminal width and the copies
// shown; 0 means the column is left out.
type layout struct {
	// twoLines: a row cannot hold the columns that must be there (source,
	// destination, state, percent): each copy takes two lines.
	twoLines bool
	// byName: the SOURCE column names each source by its name, or by its
	// id when it has none, and there is no NAME column: a row too narrow
	// for both keeps the name and the copy's id, which the operator acts on.
	byName                                                        bool
	src, name, dest, copyID, state, bar, elapsed, rate, eta, full int
	destTitle                                                     string
}

// needs are the widths the copies' values take, each column's own.
type needs struct{ src, name, byName, dest, state int }

// measure finds what each column needs for the copies: the widest value,
// and at least its title (DEST for the destination).
func (m Model) measure() needs {
	n := needs{src: len("SOURCE"), dest: len("DEST"), state: len("STATE"), byName: len("SOURCE")}
	for i := range m.copies {
		c := &m.copies[i]
		src := ansi.StringWidth(m.sourceLabel(c))
		name := ansi.StringWidth(textsafe.Clean(c.SourceName))
		n.src = max(n.src, src)
		n.name = max(n.name, min(name, wNameMax))
		if name == 0 {
			name = src
		}
		n.byName = max(n.byName, min(name, wNameMax))
		n.dest = max(n.dest, ansi.StringWidth(destLabel(c)))
		n.state = max(n.state, ansi.StringWidth(stateLabel(c, m.now)))
	}
	return n
}

// layOut gives the columns their widths by need at a terminal width: the
// columns that must be there, then the copy's id and the name, then the
// time left, the bar, the elapsed time and the rate while they fit; what
// is left grows the name, the bar and the destination's title.
func (m Model) layOut(width int) layout {
	n := m.measure()
	l := layout{full: width, dest: n.dest, state: n.state, destTitle: "DEST"}
	// 1 for the marker, then each column with the space before it.
	must := func(src int) int { return 1 + (1 + src) + (1 + l.dest) + (1 + l.state) + (1 + wPct) }
	left := width - must(n.src) - (1 + wID)
	switch {
	case n.name > 0 && left >= 1+min(n.name, wNameMin):
		l.src, l.copyID, l.name = n.src, wID, min(n.name, wNameMin)
		left -= 1 + l.name
	case n.name > 0 && width-must(wIDMin)-(1+wID) >= 0:
		l.byName, l.copyID = true, wID
		l.src = min(n.byName, width-must(0)-(1+wID))
		left = width - must(l.src) - (1 + wID)
	case left >= 0:
		l.src, l.copyID = n.src, wID
	case width >= must(n.src):
		l.src, left = n.src, width-must(n.src)
	case width >= must(wIDMin):
		l.src, left = wIDMin, width-must(wIDMin)
	default:
		return twoLineLayout(width)
	}
	// Optional columns, the most useful first; the name whole before the
	// elapsed time and the rate.
	for _, col := range []struct {
		width *int
		w     int
	}{{&l.eta, wETA}, {&l.bar, wBarMin}, {&l.name, -1}, {&l.elapsed, wElapsed}, {&l.rate, wRate}} {
		switch {
		case col.w < 0 && *col.width > 0:
			grow := min(left, n.name-l.name)
			l.name += grow
			left -= grow
		case col.w > 0 && left >= col.w+1:
			*col.width = col.w
			left -= col.w + 1
		}
	}
	if l.bar > 0 {
		grow := min(left, wBarMax-l.bar)
		l.bar += grow
		left -= grow
	}
	if title := len("DESTINATION"); left >= title-l.dest {
		left -= max(0, title-l.dest)
		l.dest, l.destTitle = max(l.dest, title), "DESTINATION"
	}
	return l
}

// twoLineLayout is a copy in two lines: "› source → destination", then
// "  state bar pct eta".
func twoLineLayout(width int) layout {
	l := layout{twoLines: true, full: width, state: wState}
	l.bar = width - wMarker - wState - 1 - 1 - wPct
	if l.bar-wETA-1 >= wBarMin {
		l.eta = wETA
		l.bar -= wETA + 1
	}
	l.bar = max(0, min(wBarMax, l.bar))
	return l
}

// sourceLabel is what the SOURCE column shows of a copy's source: its id
// ("?" when AWS does not tell), or for a retry shown under the copy it
// retries, which attempt it is.
func (m Model) sourceLabel(c *model.Copy) string {
	if m.besideFirstAttempt(c) {
		return "↳ attempt " + strconv.Itoa(c.AttemptNumber())
	}
	return copytext.Source(c)
}

// sourceCell is the SOURCE column of a row in w cells: the source's label
// or, by name, the name of the source when it has one; an id too long
// for the column is cut in the middle, where ids differ least.
func (m Model) sourceCell(c *model.Copy, l layout) string {
	label := m.sourceLabel(c)
	if l.byName && c.SourceName != "" && !m.besideFirstAttempt(c) {
		return cell(textsafe.Clean(c.SourceName), l.src)
	}
	return cell(midCut(label, l.src), l.src)
}

// midCut fits s into w cells by cutting its middle out: "snap-07…ae82ce".
func midCut(s string, w int) string {
	if ansi.StringWidth(s) <= w || w < 5 {
		return s
	}
	r := []rune(s)
	head := (w - 1) / 2
	tail := w - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}
