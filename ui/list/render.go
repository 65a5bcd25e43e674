package list

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
	"github.com/snapcopy/snapcopy/validate"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// errorLineCap is how many lines an error may take: a full sentence on
// roomy terminals, one cut line on small ones, and up to half the screen
// when no rows need the room.
func (m *Model) errorLineCap() int {
	switch {
	case len(m.t.rows) == 0:
		return max(1, (m.height-4)/2)
	case m.height >= 20:
		return 3
	}
	return 1
}

// errorBlock is the load error, wrapped to the width and capped.
func (m *Model) errorBlock() []string {
	if m.err == nil || m.height < 5 {
		return nil
	}
	text := "✗ " + m.errorText(m.err)
	lines := strings.Split(ansi.Wrap(text, max(1, m.width), ""), "\n")
	if c := m.errorLineCap(); len(lines) > c {
		lines = lines[:c]
		lines[c-1] = ansi.Truncate(lines[c-1]+" …", m.width, "…")
		if c == 1 {
			lines[0] = ansi.Truncate(text, m.width, "…")
		}
	}
	for i, l := range lines {
		lines[i] = errorStyle.Render(l)
	}
	return lines
}

// bodyRows is the height between the header line and the bottom lines
// (error, status line, help bar).
func (m *Model) bodyRows() int {
	bottom := 2
	if m.err != nil && m.height >= 5 {
		bottom += len(m.errorBlock())
	}
	return max(0, m.height-1-bottom)
}

// listRows is how many snapshot rows fit under the column titles.
func (m *Model) listRows() int { return max(0, m.bodyRows()-1) }

// View draws the list in at most width x height cells; nothing wraps.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	sp := currentSpans()
	lines := make([]string, 0, m.height)
	lines = append(lines, m.headerLine())

	body := m.bodyRows()
	switch m.mode {
	case detailing:
		lines = append(lines, m.detailView(body)...)
	case picking:
		lines = append(lines, m.pickerLines(body, sp)...)
	default:
		lines = m.listLines(lines, body, sp)
	}
	for len(lines) < 1+body {
		lines = append(lines, "")
	}
	lines = lines[:1+body]

	lines = append(lines, m.errorBlock()...)
	k := m.keys
	k.mode = m.mode
	lines = append(lines, m.statusLine(), status.KeyBar(m.help, k.ShortHelp(), k.keptKeys()))
	if len(lines) > m.height {
		lines = lines[:m.height]
	}

	var b strings.Builder
	b.Grow(m.height * (m.width + 16))
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		// Rows are built to the width; other lines are cut here.
		if i == 0 || !strings.HasSuffix(l, rowEnd) {
			l = ansi.Truncate(l, m.width, "…")
		} else {
			l = l[:len(l)-len(rowEnd)]
		}
		b.WriteString(l)
	}
	return b.String()
}

// rowEnd marks lines built to the exact width, so View skips cutting them.
const rowEnd = "\x00"

// headerLine says where the operator is: profile, account, Region, scope,
// how many snapshots are shown of how many loaded, marks and loading.
func (m *Model) headerLine() string {
	account := textsafe.Clean(m.account)
	if account == "" {
		account = "—"
	}
	scope := "owned"
	if m.scope == awsops.SharedWithMe {
		scope = "shared with me"
	}
	counts := strconv.Itoa(len(m.t.shown)) + "/" + strconv.Itoa(len(m.t.rows))
	marks, loading, loadingShort := "", "", ""
	if n := len(m.marks); n > 0 {
		marks = " · ● " + strconv.Itoa(n) + " marked"
	}
	copies, copiesShort := m.activityCounts()
	if m.loading {
		sp := m.spinner.View()
		loading = " · " + sp + " loading page " + strconv.Itoa(m.pages+1)
		loadingShort = " " + sp + strconv.Itoa(m.pages+1)
		if m.shards > 0 {
			// Shards page side by side: pages done, and how many at once.
			loading = " · " + sp + " " + strconv.Itoa(m.pages) + " pages / " + strconv.Itoa(m.shards) + " shards"
			loadingShort = " " + sp + strconv.Itoa(m.pages) + "/" + strconv.Itoa(m.shards)
		}
	} else if m.stopped {
		// The count is of what arrived, not of the Region: say so.
		loading, loadingShort = " · listing stopped", "·stopped"
	}
	profile, region := textsafe.Clean(m.profile), textsafe.Clean(m.region)
	title := titleStyle.Render("snapcopy")
	// The widest form that fits: with labels, without, then bare.
	forms := []string{
		title + "  profile " + profile + " · account " + account + " · " + region + " · " + scope + " · " + counts + " snapshots" + marks + copies + loading,
		title + " " + profile + " · " + account + " · " + region + " · " + scope + " · " + counts + " snapshots" + marks + copies + loading,
		title + " " + profile + " · " + account + " · " + region + " · " + scope + " · " + counts + marks + copiesShort + loading,
	}
	for _, f := range forms {
		if ansi.StringWidth(f) <= m.width {
			return f
		}
	}
	short := profile + "·" + account + "·" + region + "·" + scope + "·" + counts
	if n := len(m.marks); n > 0 {
		short += "·●" + strconv.Itoa(n)
	}
	if copiesShort != "" {
		short += "·" + strings.TrimPrefix(copiesShort, " · ")
	}
	return short + loadingShort
}

// listLines draws the column titles and the visible rows (or a message).
func (m *Model) listLines(lines []string, h int, sp rowSpans) []string {
	if h <= 0 {
		return lines
	}
	l := computeLayout(m.width, &m.t, m.scope == awsops.SharedWithMe)
	lines = append(lines, m.titleLine(&l))
	rows := h - 1
	if rows <= 0 {
		return lines
	}
	if msg := m.emptyMessage(); msg != "" {
		for _, w := range strings.Split(ansi.Wrap(msg, max(1, m.width-prefixWidth), ""), "\n") {
			lines = append(lines, "   "+w)
		}
		return lines
	}
	now := m.now()
	offset := clamp(m.offset, 0, max(0, len(m.t.shown)-rows))
	var b strings.Builder
	for i := offset; i < len(m.t.shown) && i < offset+rows; i++ {
		b.Reset()
		m.renderRow(&b, &l, m.t.shown[i], i == m.cursor, now, sp)
		lines = append(lines, b.String())
	}
	return lines
}

// titleLine is the column titles; the sort column carries ▼ or ▲.
func (m *Model) titleLine(l *layout) string {
	var b strings.Builder
	pad(&b, prefixWidth)
	arrow := " ▲"
	if m.t.desc {
		arrow = " ▼"
	}
	sorted := m.sortColumn(l)
	for i, c := range l.cols {
		if i > 0 {
			b.WriteByte(' ')
		}
		title := columns[c].title
		if c == sorted {
			// The arrow stays when the column is too narrow for the
			// title and it: the title is cut instead.
			if w := ansi.StringWidth(arrow); ansi.StringWidth(title)+w > l.w[c] {
				title = ansi.Truncate(title, max(0, l.w[c]-w), "")
			}
			title += arrow
		}
		fit(&b, title, l.w[c], columns[c].right)
	}
	return columnStyle.Render(b.String())
}

// sortColumn is the shown column the arrow goes on: the first one that
// sorts by the current key (size and full size share one).
func (m *Model) sortColumn(l *layout) colID {
	for _, c := range l.cols {
		if columns[c].sort == m.t.sortBy {
			return c
		}
	}
	return -1
}

// renderRow writes one snapshot line of exactly the width: gutter (cursor
// ›, mark ● or ⊘ when it cannot be copied, else → ✓ ✗ when a copy of it
// is in flight, completed or failed this run) and the columns. Cannot-copy
// rows are dimmed and the cursor row reversed, with two writes each.
func (m *Model) renderRow(b *strings.Builder, l *layout, idx int32, isCursor bool, now time.Time, sp rowSpans) {
	r := &m.t.rows[idx]
	copyable, _ := validate.Copyable(r.snap, now)
	_, marked := m.marks[r.snap.ID]
	_, unconfirmed := m.found[r.snap.ID]
	style := span{}
	switch {
	case isCursor:
		style = sp.cursor
	case !copyable:
		style = sp.dim
	}
	b.WriteString(style.pre)
	if isCursor {
		b.WriteString("›")
	} else {
		b.WriteByte(' ')
	}
	switch {
	case marked && style == (span{}):
		b.WriteString(sp.mark.pre + "●" + sp.mark.post)
	case marked:
		b.WriteString("●")
	case !copyable:
		b.WriteString("⊘")
	case unconfirmed:
		b.WriteString(foundMark)
	default:
		// A copy of this run in flight, completed or failed; a mark wins.
		if a := m.activityMark(r.snap.ID); a != "" {
			b.WriteString(a)
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteByte(' ')
	used := prefixWidth
	for i, c := range l.cols {
		if i > 0 {
			b.WriteByte(' ')
			used++
		}
		fit(b, m.cellText(c, r, now), l.w[c], columns[c].right)
		used += l.w[c]
	}
	pad(b, m.width-used)
	b.WriteString(style.post)
	b.WriteString(rowEnd)
}

// emptyMessage explains an empty list, or is "" when there are rows.
func (m *Model) emptyMessage() string {
	if len(m.t.shown) > 0 {
		return ""
	}
	where := textsafe.Clean(m.region)
	k := &m.keys
	region := status.KeyName(k.Region) + " picks another Region"
	switch {
	case len(m.t.rows) == 0 && m.loading:
		what := "owned by this account"
		if m.scope == awsops.SharedWithMe {
			what = "shared with this account"
		}
		return m.spinner.View() + " loading the snapshots " + what + " in " + where + "…"
	case len(m.t.rows) == 0 && m.err != nil:
		return "no snapshots loaded: " + status.KeyName(k.Reload) + " tries again, " + region
	case len(m.t.rows) == 0 && m.scope == awsops.SharedWithMe:
		return "no snapshots are shared with this account in " + where + ": " + status.KeyName(k.Scope) + " shows the account's own, " + region
	case len(m.t.rows) == 0:
		return "no snapshots owned by this account in " + where + ": " + status.KeyName(k.Scope) + " shows those shared with it, " + region
	}
	return "no snapshot matches \"" + textsafe.Clean(m.t.query) + "\": " + status.KeyName(k.Clear) + " clears the filter"
}

// statusLine is the one line of outcomes: the filter being typed, the
// status line's message, the filter in force, why the row under the cursor
// cannot be copied, or what marks are waiting.
func (m *Model) statusLine() string {
	k := &m.keys
	switch {
	case m.mode == filtering:
		n := strconv.Itoa(len(m.t.shown))
		return filterStyle.Render(status.KeyName(k.Filter)+textsafe.Clean(m.t.query)+"█") +
			dimStyle.Render("  "+n+" match · "+status.KeyName(k.Accept)+" keeps · "+status.KeyName(k.Clear)+" clears")
	case !m.status.Empty():
		return m.status.View(0)
	case m.t.query != "":
		return filterStyle.Render("filter: "+textsafe.Clean(m.t.query)) +
			dimStyle.Render("  ("+status.KeyName(k.Clear)+" clears, "+status.KeyName(k.Filter)+" edits)")
	}
	if m.mode == browsing {
		if r := m.current(); r != nil {
			if ok, why := validate.Copyable(r.snap, m.now()); !ok {
				return dimStyle.Render("⊘ " + textsafe.Clean(r.snap.ID) + " cannot be copied: " + why)
			}
		}
	}
	if n := len(m.marks); n > 0 {
		return "● " + strconv.Itoa(n) + " marked: " + status.KeyName(k.Copy) + " opens the copy form for them, " + status.KeyName(k.ClearMarks) + " clears"
	}
	return ""
}

// padTo pads s with spaces to w cells.
func padTo(s string, w int) string {
	if d := w - ansi.StringWidth(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}
