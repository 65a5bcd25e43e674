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

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
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
	// Profiles is the app's key that opens the profile picker (unbound:
	// no picker), named in the help bar.
	Profiles key.Binding
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
	account string // from STS when the profile picker knew it, else the owned snapshots' OwnerId
	// epoch counts the profiles listed under (UnderProfile).
	epoch  int
	region string
	scope  awsops.Scope

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
	// pickTyped is what was typed in the picker: the cursor jumps to the
	// first Region it begins (else holds).
	pickTyped string

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
	m.keys.Help, m.keys.Quit, m.keys.Profiles = opts.Help, opts.Quit, opts.Profiles
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
		if msg.epoch == m.epoch && msg.region == m.region && msg.err == nil {
			m.aliases = aliasNames(msg.aliases)
			// Keys are searched by alias: the loaded rows learn their keys' names.
			m.keepCursor(func() { m.t.setAliases(m.aliases) })
		}
		// Without kms:ListAliases the list names keys by id: not worth an error.
		return m, nil
	case regionsMsg:
		if msg.epoch != m.epoch {
			return m, nil
		}
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
