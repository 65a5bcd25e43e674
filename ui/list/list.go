// Package list is the snapshot list: the first screen, which loads a
// Region's snapshots page by page and lets the operator filter, sort, mark
// and inspect them before opening the copy form. It stays fast at 100,000
// snapshots: rows live in one slice, sorting and filtering move indices,
// and a frame draws only the rows on screen.
package list

import (
	"context"
	"os"
	"time"
	"unicode"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/validate"
)

// Lister is what the list asks of AWS (*awsops.Client in the program).
// Its calls go over the network, so the list makes them in tea.Cmds only.
type Lister interface {
	// Profile is the AWS profile in use ("" for the default chain).
	Profile() string
	// Region is the client's Region, listed when Options.Region is "".
	Region() string
	// ListInShards returns a listing of a Region's snapshots in a scope,
	// read in shards side by side.
	ListInShards(ctx context.Context, region string, scope awsops.Scope) *awsops.Listing
	// FindSnapshots asks AWS directly for the snapshots whose id, volume
	// id or Name holds a term, before a listing is complete.
	FindSnapshots(ctx context.Context, region string, scope awsops.Scope, by awsops.FindBy, term string) ([]model.Snapshot, error)
	// KMSAliases lists a Region's KMS aliases, to name keys.
	KMSAliases(ctx context.Context, region string) ([]model.KMSAlias, error)
	// Regions lists every Region of the partition, for the picker.
	Regions(ctx context.Context) ([]model.Region, error)
}

// Options configure the list.
type Options struct {
	// Region is the source Region listed first.
	Region string
	// Profile is shown in the header: "" for the default chain, "demo" in demo mode.
	Profile string
	// Now is the clock for ages and for whether an archive is restored (nil: time.Now).
	Now func() time.Time
	// Help and Quit are the app's keys, which the app answers: the help
	// bar names them as the app binds them.
	Help, Quit key.Binding
	// Tick schedules a message after a wait (nil: tea.Tick), for the
	// status line's info messages to go.
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// Levels of the status line's messages, as the list says them.
const (
	flashInfo = status.Info
	flashWarn = status.Warning
)

// Model is the list screen.
type Model struct {
	client Lister
	now    func() time.Time
	keys   KeyMap
	help   help.Model

	profile string
	account string // from the owned snapshots' OwnerId: there is no STS call
	region  string
	scope   awsops.Scope

	t      table
	cursor int // index into t.shown
	offset int // first shown row on screen
	marks  map[string]struct{}

	// loading
	gen       int
	ctx       context.Context
	cancel    context.CancelFunc
	pager     *awsops.Listing
	loading   bool
	pages     int
	shards    int                 // shards the listing reads at once, for the header
	found     map[string]struct{} // rows a find showed before the listing reached them
	asked     string              // the filter a find last asked AWS about
	replace   bool                // a reload: the next page replaces the rows
	follow    string              // after a reload, the snapshot id to put the cursor back on
	followRow int
	held      string // that snapshot once found, kept on followRow while the reload lasts
	err       error
	stopped   bool // the listing ended on err, short of its end
	spinner   spinner.Model

	aliases map[string]string // KMS key id -> alias name

	mode mode
	// status is the one line of outcomes; statusCmd makes a new info
	// message go in time, returned by Update.
	status    status.Model
	statusCmd tea.Cmd

	detailOffset int

	// act is the copies of this run, from the app (CopiesMsg).
	act activity
	// holding is what the status line holds, if the list holds anything:
	// the note that sent copies' marks went (until a key), or the Region
	// being listed (until its listing ends).
	holding heldNote

	regions     []model.Region
	regionsErr  error
	regionsBusy bool
	pick        int

	width, height int
}

// New returns the list of opts.Region's snapshots; Init starts loading.
func New(client Lister, opts Options) Model {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	profile := opts.Profile
	if profile == "" {
		profile = client.Profile()
	}
	if profile == "" && os.Getenv("AWS_ACCESS_KEY_ID") != "" {
		// Keys in the environment win over any profile, as in the AWS CLI.
		profile = "env"
	}
	if profile == "" {
		profile = "default"
	}
	region := opts.Region
	if region == "" {
		region = client.Region()
	}
	m := Model{
		client:  client,
		now:     now,
		keys:    DefaultKeyMap(),
		help:    help.New(),
		profile: profile,
		region:  region,
		scope:   awsops.Owned,
		t:       newTable(),
		marks:   map[string]struct{}{},
		spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		width:   80,
		height:  24,
		status:  status.New(status.Options{Tick: opts.Tick}),
	}
	m.keys.Help, m.keys.Quit = opts.Help, opts.Quit
	m.gen = 1
	m.ctx, m.cancel = context.WithCancel(context.Background())
	m.pager = client.ListInShards(m.ctx, region, m.scope)
	m.loading = true
	return m
}

// Init starts loading the first page and the Region's KMS aliases.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.fetchPage(), m.spinner.Tick, m.fetchAliases())
}

// SetSize sets the area the list draws in.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.help.Width = width
	m.clampCursor()
}

// Capturing reports whether keys are text for the filter, so the app does
// not take q or ? as commands.
func (m Model) Capturing() bool { return m.mode == filtering }

// KeyMap is the list's keys as the help bar and the full help show them.
func (m Model) KeyMap() help.KeyMap {
	k := m.keys
	k.mode = m.mode
	return k
}

// Snapshots is how many snapshots are loaded.
func (m Model) Snapshots() int { return len(m.t.rows) }

// Shown is how many snapshots pass the filter.
func (m Model) Shown() int { return len(m.t.shown) }

// Region is the source Region listed.
func (m Model) Region() string { return m.region }

// Loading reports whether pages are still being read.
func (m Model) Loading() bool { return m.loading }

// Outposts lists the distinct Outpost ARNs of the loaded snapshots: the
// Outposts the app knows of, offered by the copy form (EC2 has no call
// that lists Outposts).
func (m Model) Outposts() []string {
	seen := map[string]bool{}
	var out []string
	for i := range m.t.rows {
		if arn := m.t.rows[i].snap.OutpostArn; arn != "" && !seen[arn] {
			seen[arn] = true
			out = append(out, arn)
		}
	}
	return out
}

// Marked returns the marked snapshots in the order the list sorts them,
// including marked rows the filter hides.
func (m Model) Marked() []model.Snapshot {
	if len(m.marks) == 0 {
		return nil
	}
	out := make([]model.Snapshot, 0, len(m.marks))
	for _, i := range m.t.order {
		if _, ok := m.marks[m.t.rows[i].snap.ID]; ok {
			out = append(out, m.t.rows[i].snap)
		}
	}
	return out
}

// Update handles keys, the mouse wheel and the answers of AWS calls.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	m.status = m.status.Update(msg)
	m, cmd := m.update(msg)
	if m.statusCmd != nil {
		cmd = tea.Batch(cmd, m.statusCmd)
		m.statusCmd = nil
	}
	return m, cmd
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case snapshotsPageMsg:
		m, cmd := m.onPage(msg)
		if !m.loading && m.holding == heldListing {
			m.release() // listed, or refused: the header or the error says which
		}
		return m, cmd
	case findTickMsg:
		return m, m.onFindTick(msg)
	case foundMsg:
		return m.onFound(msg), nil
	case CopiesMsg:
		m.onCopies(msg)
		return m, nil
	case SentMsg:
		m.onSent(msg)
		return m, nil
	case aliasesMsg:
		if msg.region == m.region && msg.err == nil {
			m.aliases = aliasNames(msg.aliases)
			// Keys are searched by alias: the loaded rows learn their keys' names.
			m.keepCursor(func() { m.t.setAliases(m.aliases) })
		}
		// Without kms:ListAliases the list names keys by id: not worth an error.
		return m, nil
	case regionsMsg:
		m.regionsBusy = false
		m.regions, m.regionsErr = sortRegions(msg.regions), msg.err
		m.pick = m.regionIndex(m.region)
		return m, nil
	case spinner.TickMsg:
		if !m.loading {
			return m, nil // let the spinner stop
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	case tea.MouseMsg:
		return m.onMouse(msg), nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			return m.eachRune(msg)
		}
		m.status.KeyPressed()
		if m.holding == heldSent {
			m.release()
		}
		switch m.mode {
		case filtering:
			m = m.onFilterKey(msg)
			return m, m.findCmd()
		case detailing:
			return m.onDetailKey(msg)
		case picking:
			return m.onPickerKey(msg)
		}
		return m.onKey(msg)
	}
	return m, nil
}

// eachRune handles keys typed faster than the terminal is read ("/db"
// arrives as one message) one at a time, as if typed slowly: the first may
// change the mode the others are read in.
func (m Model) eachRune(msg tea.KeyMsg) (Model, tea.Cmd) {
	var cmds []tea.Cmd
	for _, r := range msg.Runes {
		var cmd tea.Cmd
		m, cmd = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

func (m Model) onMouse(msg tea.MouseMsg) Model {
	if msg.Action != tea.MouseActionPress {
		return m
	}
	step := 0
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		step = -3
	case tea.MouseButtonWheelDown:
		step = 3
	default:
		return m
	}
	switch m.mode {
	case detailing:
		m.scrollDetail(step)
	case picking:
		m.movePick(step)
	default:
		m.move(step)
	}
	return m
}

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
		m.pick = m.regionIndex(m.region)
		if m.regions == nil && !m.regionsBusy {
			m.regionsBusy, m.regionsErr = true, nil
			return m, m.fetchRegions()
		}
	}
	return m, nil
}

// onFilterKey edits the filter: it is applied on every keystroke. Arrow
// keys still move, so one can type and pick without leaving the filter.
func (m Model) onFilterKey(msg tea.KeyMsg) Model {
	q := []rune(m.t.query)
	k := m.keys
	switch {
	case key.Matches(msg, k.Accept):
		m.mode = browsing
		return m
	case key.Matches(msg, k.Clear):
		m.mode = browsing
		m.applyFilter("")
		return m
	case key.Matches(msg, k.FilterUp):
		m.move(-1)
		return m
	case key.Matches(msg, k.FilterDown):
		m.move(1)
		return m
	case key.Matches(msg, k.PageUp):
		m.move(-max(1, m.listRows()))
		return m
	case key.Matches(msg, k.PageDown):
		m.move(max(1, m.listRows()))
		return m
	case key.Matches(msg, k.DeleteChar):
		if len(q) > 0 {
			q = q[:len(q)-1]
		}
	case key.Matches(msg, k.DeleteWord):
		q = []rune(dropLastWord(string(q)))
	case key.Matches(msg, k.DeleteAll):
		q = nil
	// What is not a key of the filter is text typed into it.
	case msg.Type == tea.KeySpace:
		q = append(q, ' ')
	case msg.Type == tea.KeyRunes:
		for _, r := range msg.Runes {
			// A paste may carry newlines or escapes: keep printable text only.
			if unicode.IsPrint(r) || r == ' ' {
				q = append(q, r)
			}
		}
	default:
		return m
	}
	m.applyFilter(string(q))
	return m
}

func dropLastWord(s string) string {
	r := []rune(s)
	i := len(r)
	for i > 0 && r[i-1] == ' ' {
		i--
	}
	for i > 0 && r[i-1] != ' ' {
		i--
	}
	return string(r[:i])
}

// applyFilter sets the filter, keeping the cursor on its snapshot (and on
// the same screen line) when that snapshot still matches.
func (m *Model) applyFilter(q string) {
	m.keepCursor(func() { m.t.setFilter(q) })
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

// onDetailKey handles keys while the detail pane is open.
func (m Model) onDetailKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.keys
	page := max(1, m.bodyRows()-2)
	switch {
	case key.Matches(msg, k.Close):
		m.mode = browsing
	case key.Matches(msg, k.Up):
		m.scrollDetail(-1)
	case key.Matches(msg, k.Down):
		m.scrollDetail(1)
	case key.Matches(msg, k.PageUp):
		m.scrollDetail(-page)
	case key.Matches(msg, k.PageDown):
		m.scrollDetail(page)
	case key.Matches(msg, k.Home):
		m.detailOffset = 0
	case key.Matches(msg, k.End):
		m.scrollDetail(1 << 20)
	case key.Matches(msg, k.Copy):
		return m.openForm(true)
	case key.Matches(msg, k.Progress):
		return m, func() tea.Msg { return nav.OpenProgress{} }
	}
	return m, nil
}

func (m *Model) scrollDetail(delta int) {
	m.detailOffset += delta
	// The pane's first line is its title.
	if limit := len(m.detailLines()) - (m.bodyRows() - 1); m.detailOffset > limit {
		m.detailOffset = limit
	}
	if m.detailOffset < 0 {
		m.detailOffset = 0
	}
}

// heldNote names what the list holds on its status line.
type heldNote int

const (
	heldNone    heldNote = iota
	heldSent             // sent copies' marks were cleared
	heldListing          // a Region picked is being listed
)

// hold keeps a note on the status line until release.
func (m *Model) hold(n heldNote, text string) {
	m.status.Hold(flashInfo, text)
	m.holding = n
}

func (m *Model) release() {
	m.status.Release()
	m.holding = heldNone
}

// say puts an outcome on the status line: an info goes after a while or
// at the next key, a warning at the next key.
func (m *Model) say(level status.Level, format string, args ...any) {
	m.statusCmd = m.status.Show(level, sprintf(format, args...))
}
