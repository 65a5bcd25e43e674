package list

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
)

// findDelay is how long the filter must stay unchanged before a find asks
// AWS: typing an id sends one request, not one per letter.
const findDelay = 150 * time.Millisecond

// foundMark is the gutter mark of a row a find showed before the listing
// reached it.
const foundMark = "◌"

// findTickMsg fires findDelay after the filter changed to query.
type findTickMsg struct {
	gen   int
	query string
}

// foundMsg carries what a find asked AWS for.
type foundMsg struct {
	gen   int
	snaps []model.Snapshot
	err   error
}

// findPrefixes are the filter words that ask AWS directly while the list
// is loading, and the field each asks about.
var findPrefixes = []struct {
	prefix string
	by     awsops.FindBy
	keep   bool // the prefix is part of the value (an id)
}{
	{"snap-", awsops.FindByID, true},
	{"vol-", awsops.FindByVolume, true},
	{"tag:", awsops.FindByName, false},
	{"name:", awsops.FindByName, false},
}

// findTerm is the first word of a filter that a find can ask AWS about: a
// snapshot id (snap-…), a volume id (vol-…), or a Name (tag:… or name:…).
func findTerm(query string) (awsops.FindBy, string, bool) {
	for _, w := range strings.Fields(query) {
		lw := strings.ToLower(w)
		for _, p := range findPrefixes {
			if !strings.HasPrefix(lw, p.prefix) || len(w) == len(p.prefix) {
				continue
			}
			if p.keep {
				return p.by, lw, true // ids are lower case
			}
			return p.by, w[len(p.prefix):], true // tag values keep their case
		}
	}
	return 0, "", false
}

// findCmd, while pages are loading, schedules a find for a filter that
// names an id or a Name.
func (m *Model) findCmd() tea.Cmd {
	if !m.loading || m.t.query == m.asked {
		return nil
	}
	if _, _, ok := findTerm(m.t.query); !ok {
		return nil
	}
	gen, q := m.gen, m.t.query
	return tea.Tick(findDelay, func(time.Time) tea.Msg { return findTickMsg{gen: gen, query: q} })
}

// onFindTick asks AWS when the filter is still the one typed.
func (m *Model) onFindTick(msg findTickMsg) tea.Cmd {
	if msg.gen != m.gen || msg.query != m.t.query || !m.loading || m.replace || m.asked == msg.query {
		return nil
	}
	by, term, ok := findTerm(msg.query)
	if !ok {
		return nil
	}
	m.asked = msg.query
	c, ctx, gen, region, scope := m.client, m.ctx, m.gen, m.region, m.scope
	return func() tea.Msg {
		snaps, err := c.FindSnapshots(ctx, region, scope, by, term)
		return foundMsg{gen: gen, snaps: snaps, err: err}
	}
}

// onFound shows what a find brought that the listing has not yet: those
// rows carry foundMark until a page of the listing confirms them. A failed
// find says nothing: the listing still brings every snapshot.
func (m Model) onFound(msg foundMsg) Model {
	if msg.gen != m.gen || msg.err != nil || !m.loading || m.replace || len(msg.snaps) == 0 {
		return m
	}
	fresh := make(map[string]int, len(msg.snaps))
	for i, s := range msg.snaps {
		fresh[s.ID] = i
	}
	for i := range m.t.rows {
		delete(fresh, m.t.rows[i].snap.ID)
	}
	if len(fresh) == 0 {
		return m
	}
	if m.found == nil {
		m.found = map[string]struct{}{}
	}
	add := make([]model.Snapshot, 0, len(fresh))
	for _, s := range msg.snaps {
		if _, ok := fresh[s.ID]; ok {
			add = append(add, s)
			m.found[s.ID] = struct{}{}
		}
	}
	m.addRows(add)
	return m
}

// confirm drops from a page the snapshots a find already showed, which
// the listing now confirms: their rows lose foundMark and are not added
// twice.
func (m *Model) confirm(snaps []model.Snapshot) []model.Snapshot {
	if len(m.found) == 0 {
		return snaps
	}
	out := snaps[:0:0]
	for _, s := range snaps {
		if _, ok := m.found[s.ID]; ok {
			delete(m.found, s.ID)
			continue
		}
		out = append(out, s)
	}
	return out
}
