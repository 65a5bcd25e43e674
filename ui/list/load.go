package list

import (
	"context"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
)

// snapshotsPageMsg carries one DescribeSnapshots page of load gen. A page of
// an older load (the operator reloaded or switched Region) is dropped.
type snapshotsPageMsg struct {
	gen    int
	region string
	snaps  []model.Snapshot
	pages  int    // pages read so far
	shards int    // shards read at once (0: one paginator)
	note   string // said once: the listing fell back to paging one by one
	more   bool   // another page is to be read
	// stopped is why one shard ended early; the others go on.
	stopped error
	err     error // the listing ended here, incomplete
}

// aliasesMsg carries the KMS aliases of a Region, to name keys.
type aliasesMsg struct {
	// epoch is the profile's (Model.epoch): another profile's keys are
	// not this one's, whatever their Region.
	epoch   int
	region  string
	aliases []model.KMSAlias
	err     error
}

// regionsMsg carries DescribeRegions' answer for the Region picker.
type regionsMsg struct {
	epoch   int // the profile's: opt-in Regions are enabled per account
	regions []model.Region
	err     error
}

// startLoad begins listing the current Region and scope from the first
// page, cancelling any load in progress. With keepRows (a reload) the rows
// on screen stay until the first new page replaces them.
func (m *Model) startLoad(keepRows bool) tea.Cmd {
	if m.cancel != nil {
		m.cancel()
	}
	m.gen++
	m.pages, m.shards = 0, 0
	m.err, m.stopped = nil, false
	m.follow, m.held = "", ""
	m.asked = ""
	m.replace = keepRows && len(m.t.rows) > 0
	if !m.replace {
		m.t.reset()
		m.found = nil
		m.cursor, m.offset = 0, 0
	}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	m.pager = m.client.ListInShards(m.ctx, m.region, m.scope)
	m.loading = true
	return tea.Batch(m.fetchPage(), m.spinner.Tick)
}

// fetchPage waits for the next page of the listing, in the order pages
// arrive from its shards. Only one wait is in flight per load: the next is
// asked for when this one's message arrives.
func (m *Model) fetchPage() tea.Cmd {
	p, ctx, gen, region := m.pager, m.ctx, m.gen, m.region
	return func() tea.Msg {
		page, err := p.Next(ctx)
		return snapshotsPageMsg{gen: gen, region: region, snaps: page.Snapshots, pages: page.Pages, shards: page.Shards,
			note: page.Note, more: err == nil && !page.Done, stopped: page.Stopped, err: err}
	}
}

// fetchAliases reads the KMS aliases of the current Region.
func (m *Model) fetchAliases() tea.Cmd {
	c, region, epoch := m.client, m.region, m.epoch
	return func() tea.Msg {
		a, err := c.KMSAliases(context.Background(), region)
		return aliasesMsg{epoch: epoch, region: region, aliases: a, err: err}
	}
}

// fetchRegions reads every Region of the partition, enabled or not.
func (m *Model) fetchRegions() tea.Cmd {
	c, epoch := m.client, m.epoch
	return func() tea.Msg {
		r, err := c.Regions(context.Background())
		return regionsMsg{epoch: epoch, regions: r, err: err}
	}
}

// onPage adds a page to the table, keeping the cursor where it was.
func (m Model) onPage(msg snapshotsPageMsg) (Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil
	}
	if msg.err != nil {
		// A refused reload keeps the rows that were there, with the error;
		// a listing cut short keeps every row it showed.
		m.loading, m.replace, m.err, m.stopped = false, false, msg.err, true
		return m, nil
	}
	if msg.stopped != nil {
		// One shard ended early: say why at once (the listing ends with the
		// same error, so it is named once) while the other shards go on.
		// The page holds no rows, so a reload's rows stay until one comes.
		if m.err == nil {
			m.err = msg.stopped
		}
		m.pages, m.shards = msg.pages, msg.shards
		return m, m.fetchPage()
	}
	if m.replace {
		if m.cursor < len(m.t.shown) {
			m.follow = m.t.rows[m.t.shown[m.cursor]].snap.ID
			m.followRow = m.cursor - m.offset
		}
		m.t.reset()
		m.found = nil
		m.cursor, m.offset = 0, 0
		m.replace = false
	}
	m.pages, m.shards = msg.pages, msg.shards
	if msg.note != "" {
		m.say(flashInfo, "%s", msg.note)
	}
	if m.scope == awsops.Owned && m.account == "" {
		for _, s := range msg.snaps {
			if s.OwnerID != "" {
				m.account = s.OwnerID
				break
			}
		}
	}
	m.addRows(m.confirm(msg.snaps))
	if msg.more {
		return m, m.fetchPage()
	}
	m.loading = false
	m.follow, m.held = "", ""
	m.pruneMarks()
	return m, nil
}

// addRows merges snapshots into the table. The snapshot under the cursor
// stays under it, on the same screen line, while rows arrive above or
// below; a cursor still at the very top stays at the top.
func (m *Model) addRows(snaps []model.Snapshot) {
	screenRow := m.cursor - m.offset
	pinned := int32(-1)
	if m.cursor < len(m.t.shown) {
		cur := m.t.shown[m.cursor]
		if m.cursor > 0 || m.offset > 0 || m.t.rows[cur].snap.ID == m.held {
			pinned = cur
		}
		if m.t.rows[cur].snap.ID == m.held {
			// Shards bring a reload's rows in any order: the snapshot found
			// again goes back to its line as rows above it arrive.
			screenRow = m.followRow
		}
	}
	base := len(m.t.rows)
	m.t.add(snaps)
	if m.follow != "" {
		// After a reload: find the snapshot the cursor was on before.
		for i := base; i < len(m.t.rows); i++ {
			if m.t.rows[i].snap.ID == m.follow {
				pinned, screenRow = int32(i), m.followRow
				m.held, m.follow = m.follow, ""
				break
			}
		}
	}
	if pinned >= 0 {
		if k := m.t.position(pinned); k >= 0 {
			m.cursor = k
			m.offset = max(0, k-screenRow)
		}
	}
	m.clampCursor()
}

// pruneMarks forgets marks of snapshots that a reload no longer lists.
func (m *Model) pruneMarks() {
	if len(m.marks) == 0 {
		return
	}
	kept := make(map[string]struct{}, len(m.marks))
	for i := range m.t.rows {
		id := m.t.rows[i].snap.ID
		if _, ok := m.marks[id]; ok {
			kept[id] = struct{}{}
		}
	}
	m.marks = kept
}

// aliasNames maps key ids to one alias each, preferring the account's own
// aliases over AWS-managed ones (alias/aws/...), then by name.
func aliasNames(aliases []model.KMSAlias) map[string]string {
	sorted := append([]model.KMSAlias(nil), aliases...)
	sort.SliceStable(sorted, func(i, j int) bool {
		ai, aj := strings.HasPrefix(sorted[i].Name, "alias/aws/"), strings.HasPrefix(sorted[j].Name, "alias/aws/")
		if ai != aj {
			return !ai
		}
		return sorted[i].Name < sorted[j].Name
	})
	out := make(map[string]string, len(sorted))
	for _, a := range sorted {
		if a.TargetKeyID == "" {
			continue
		}
		if _, ok := out[a.TargetKeyID]; !ok {
			out[a.TargetKeyID] = a.Name
		}
	}
	return out
}
