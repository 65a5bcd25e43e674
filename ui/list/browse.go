package list

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/validate"
)

// onKey handles a key while browsing.
func (m Model) onKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PageUp):
		m.move(-max(1, m.listRows()))
	case key.Matches(msg, k.PageDown):
		m.move(max(1, m.listRows()))
	case key.Matches(msg, k.Home):
		m.move(-len(m.t.shown))
	case key.Matches(msg, k.End):
		m.move(len(m.t.shown))
	case key.Matches(msg, k.Filter):
		m.mode = filtering
	case key.Matches(msg, k.Clear):
		if m.t.query != "" {
			m.applyFilter("")
		}
	case key.Matches(msg, k.Sort):
		next := (m.t.sortBy + 1) % sortKeys
		if next == byOwner && m.scope != awsops.SharedWithMe {
			next = (next + 1) % sortKeys // the account's own: one owner
		}
		m.resort(next, next.descByDefault())
	case key.Matches(msg, k.Reverse):
		m.resort(m.t.sortBy, !m.t.desc)
	case key.Matches(msg, k.Mark):
		m.toggleMark()
	case key.Matches(msg, k.MarkAll):
		m.markAll()
	case key.Matches(msg, k.ClearMarks):
		if n := len(m.marks); n > 0 {
			m.marks = map[string]struct{}{}
			m.say(flashInfo, "cleared %d marks", n)
		}
	case key.Matches(msg, k.Copy):
		return m.openForm(false)
	case key.Matches(msg, k.Detail):
		if r := m.current(); r != nil {
			m.mode, m.detailOffset = detailing, 0
		}
	case key.Matches(msg, k.Scope):
		if m.scope == awsops.Owned {
			m.scope = awsops.SharedWithMe
		} else {
			m.scope = awsops.Owned
		}
		if n := len(m.marks); n > 0 {
			// Marks name snapshots of the scope left behind.
			m.say(flashInfo, "cleared %d marks: marks belong to one list", n)
		}
		m.marks = map[string]struct{}{}
		return m, m.startLoad(false)
	case key.Matches(msg, k.Progress):
		return m, func() tea.Msg { return nav.OpenProgress{} }
	case key.Matches(msg, k.Reload):
		return m, m.startLoad(true)
	case key.Matches(msg, k.Region):
		m.mode = picking
		m.pick, m.pickTyped = m.regionIndex(m.region), ""
		if m.regions == nil && !m.regionsBusy {
			m.regionsBusy, m.regionsErr = true, nil
			return m, m.fetchRegions()
		}
	}
	return m, nil
}

// resort sorts anew, keeping the cursor on its snapshot.
func (m *Model) resort(k sortKey, desc bool) {
	m.keepCursor(func() { m.t.setSort(k, desc) })
	dir := "ascending"
	if desc {
		dir = "descending"
	}
	if k == byStarted {
		dir = "oldest first"
		if desc {
			dir = "newest first"
		}
	}
	m.say(flashInfo, "sorted by %s, %s", k, dir)
}

func (m *Model) keepCursor(change func()) {
	pinned := int32(-1)
	screenRow := m.cursor - m.offset
	if m.cursor < len(m.t.shown) {
		pinned = m.t.shown[m.cursor]
	}
	change()
	m.cursor, m.offset = 0, 0
	if pinned >= 0 {
		if k := m.t.position(pinned); k >= 0 {
			m.cursor = k
			m.offset = max(0, k-screenRow)
		}
	}
	m.clampCursor()
}

// move moves the cursor by delta rows, scrolling as needed.
func (m *Model) move(delta int) {
	m.cursor += delta
	m.clampCursor()
}

// clampCursor keeps the cursor on a shown row and on screen.
func (m *Model) clampCursor() {
	n := len(m.t.shown)
	if m.cursor >= n {
		m.cursor = n - 1
	}
	if m.cursor < 0 {
		m.cursor = 0
	}
	rows := max(1, m.listRows())
	if m.offset > m.cursor {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	if m.offset > max(0, n-rows) {
		m.offset = max(0, n-rows)
	}
	if m.offset < 0 {
		m.offset = 0
	}
}

// current is the row under the cursor, or nil.
func (m *Model) current() *row {
	if m.cursor < 0 || m.cursor >= len(m.t.shown) {
		return nil
	}
	return &m.t.rows[m.t.shown[m.cursor]]
}

// toggleMark marks or unmarks the row under the cursor and moves down. A
// row that cannot be copied is not marked (the status line says why), but
// the cursor moves down all the same, so space runs down a list.
func (m *Model) toggleMark() {
	r := m.current()
	if r == nil {
		return
	}
	id := r.snap.ID
	if _, ok := m.marks[id]; ok {
		delete(m.marks, id)
		m.move(1)
		return
	}
	if ok, why := validate.Copyable(r.snap, m.now()); !ok {
		m.say(flashWarn, "%s cannot be copied: %s", id, why)
		m.move(1)
		return
	}
	m.marks[id] = struct{}{}
	m.move(1)
}

// markAll marks every shown row that can be copied.
func (m *Model) markAll() {
	now := m.now()
	added, skipped := 0, 0
	for _, i := range m.t.shown {
		s := &m.t.rows[i].snap
		if _, ok := m.marks[s.ID]; ok {
			continue
		}
		if ok, _ := validate.Copyable(*s, now); !ok {
			skipped++
			continue
		}
		m.marks[s.ID] = struct{}{}
		added++
	}
	if skipped > 0 {
		m.say(flashInfo, "marked %d more (%d shown cannot be copied and were left out)", added, skipped)
		return
	}
	m.say(flashInfo, "marked %d more", added)
}

// openForm asks the app for the copy form: for the marked snapshots, or
// for the one under the cursor (only in the detail pane: always that one).
// Snapshots that cannot be copied never reach the form; when none can,
// the status line says why instead.
func (m Model) openForm(onlyCurrent bool) (Model, tea.Cmd) {
	now := m.now()
	if len(m.marks) > 0 && !onlyCurrent {
		var sources []model.Snapshot
		for _, s := range m.Marked() {
			if ok, _ := validate.Copyable(s, now); ok {
				sources = append(sources, s)
			}
		}
		if len(sources) == 0 {
			m.say(flashWarn, "none of the %d marked snapshots can be copied now", len(m.marks))
			return m, nil
		}
		return m, openFormCmd(sources)
	}
	r := m.current()
	if r == nil {
		m.say(flashWarn, "no snapshot to copy")
		return m, nil
	}
	if ok, why := validate.Copyable(r.snap, now); !ok {
		m.say(flashWarn, "%s cannot be copied: %s", r.snap.ID, why)
		return m, nil
	}
	return m, openFormCmd([]model.Snapshot{r.snap})
}

func openFormCmd(sources []model.Snapshot) tea.Cmd {
	return func() tea.Msg { return nav.OpenForm{Sources: sources} }
}
