// Package form is the copy form: where the chosen snapshots go, how the
// copies are described, encrypted and tagged, and whether the copy is timed
// or a dry run. Every rule and message comes from package validate; the form
// shows them live, beside each field, and previews the encryption outcome.
package form

import (
	"context"
	"io"
	"slices"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/validate"
)

// AWS is what the form asks of AWS (*awsops.Client in the program): the
// facts of the destinations it offers, and dry runs. Its calls go over the
// network, so the form makes them in tea.Cmds only.
type AWS interface {
	// Regions lists the account's Regions, enabled or not.
	Regions(ctx context.Context) ([]model.Region, error)
	// LocalZones lists the Local Zones of a Region.
	LocalZones(ctx context.Context, region string) ([]model.LocalZone, error)
	// EncryptionDefault is a Region's EBS encryption by default and its
	// default KMS key.
	EncryptionDefault(ctx context.Context, region string) (model.EncryptionDefault, error)
	// KMSAliases lists a Region's KMS aliases, for the KMS key completion.
	KMSAliases(ctx context.Context, region string) ([]model.KMSAlias, error)
	// DescribeKMSKey tells whether a KMS key is in a Region, and its state.
	DescribeKMSKey(ctx context.Context, region, key string) (model.KMSKey, error)
	// TimeBasedCopyQuota is the time-based copy throughput quota into a Region.
	TimeBasedCopyQuota(ctx context.Context, region string) (model.ThroughputQuota, error)
	// EarlierCopies lists the copies already in a Region, for the
	// incremental preview.
	EarlierCopies(ctx context.Context, region string) ([]model.Snapshot, error)
	// CopiesOf lists the copies of the given sources already in a Region,
	// found by their provenance tag, for the duplicate warning.
	CopiesOf(ctx context.Context, region string, sourceIDs []string) ([]model.Snapshot, error)
	// CopyRates are the prices of copying from one Region to another
	// (the AWS Price List), usable even with an error.
	CopyRates(ctx context.Context, src, dest string) (model.Rates, error)
	// DryRun asks AWS whether a copy would be allowed, sending none.
	DryRun(ctx context.Context, r model.CopyRequest) (awsops.DryRunResult, error)
}

// Options configure the form.
type Options struct {
	// Now is the clock for validation (archive restores) and new copies; nil: time.Now.
	Now func() time.Time
	// Outposts are Outpost ARNs the app knows of, offered by the Outpost picker.
	Outposts []string
	// LastRequestsPath is the file of the last request sent per source
	// Region (model.LastRequestsPath beside the state file); "" remembers
	// nothing.
	LastRequestsPath string
	// Prefill, when set, fills the form with an earlier request (a failed
	// copy's, to fix and send again) instead of the defaults.
	Prefill *model.CopyRequest
	// Retrying is the failed copy whose request Prefill holds: the copy
	// sent is its next attempt, and the form opens on the field that
	// failed (the KMS key of a copy AWS could not encrypt).
	Retrying *model.Copy
	// Tracked are the copies the tracker held when the form opened (a
	// snapshot: the form never asks the tracker): the unfinished
	// time-based ones count toward their Region pair's throughput quota.
	Tracked []model.Copy
	// Tick schedules a message after a wait (nil: tea.Tick), for the
	// status line's expiry; a test passes its own.
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	// Terminal receives the clipboard (OSC 52) sequence of the AWS CLI
	// commands, which Bubble Tea has no command for (nil: os.Stdout).
	Terminal io.Writer
	// Accounts are the other AWS profiles the copy may go into (nil: this
	// account only); Profile is the profile of the sources (account.go).
	Accounts Accounts
	Profile  string
}

// lastID numbers forms, so a dry-run answer meant for an earlier form is
// not shown on a new one.
var lastID atomic.Int64

// Model is the copy form. The zero Model is an empty, inert form.
type Model struct {
	id       int64
	aws      AWS
	sources  []model.Snapshot
	region   string // the sources' Region
	now      func() time.Time
	outposts []string
	terminal io.Writer          // where the clipboard sequence goes (nil: os.Stdout)
	lastPath string             // where the last requests are kept
	retrying *model.Copy        // the failed copy this form sends again (Options.Retrying)
	last     *model.LastRequest // the last request sent from this source Region, once read

	kinds   []model.DestinationKind // destinations the sources allow
	kindIdx int
	dest    [3]textinput.Model // destination text, one per kind
	// destChosen: the destination of a kind was put there by the form (the
	// default, an arrow, the last request), not typed: typing replaces it.
	destChosen [3]bool
	desc       textinput.Model
	template   string // the description's prefill
	encrypt    bool
	kms        textinput.Model
	kmsPick    int              // highlighted completion
	srcTags    model.SourceTags // which of its source's tags each copy carries
	tags       []tagRow
	tagRow     int
	tagCol     int // 0 key, 1 value
	duration   textinput.Model
	lock       textinput.Model // lock.go
	dryRun     bool

	focus field

	facts    model.DestinationFacts
	earlier  map[string][]model.Snapshot      // earlier copies per destination Region
	quotas   map[string]model.ThroughputQuota // time-based copy quota per destination Region
	inFlight []validate.TimeBasedCopy         // unfinished time-based copies when the form opened
	tracked  []*model.Copy                    // the tracker's copies when the form opened (dup.go)
	tagged   map[string][]model.Snapshot      // copies of the sources found by tag, per destination Region
	prices   map[string]model.Rates           // prices of a copy per destination Region (price.go)
	loading  map[lookup]bool                  // look-ups in flight
	loadErrs map[lookup]error                 // failed look-ups

	result     validate.Result
	status     status.Model
	reloading  bool // reloaded look-ups are under way: the status line holds it
	dryRunning bool
	dryRunFor  validate.Form // the form as it was when the dry run was sent
	started    bool
	// sendPending: the operator sent while the destination's copies were
	// still being looked up; the form sends (or asks) once they answered,
	// unless a key changes the form first.
	sendPending bool
	cli         *cliShown // the requests as AWS CLI commands, while ctrl+e shows them
	// asking is the question "send anyway? y/n" put before sending a copy
	// whose KMS alias the destination does not list, or whose source is
	// already copied there (question); "" when none is.
	asking string

	// cross is the destination account and what a copy into another
	// account needs (account.go).
	cross crossForm

	width, height int
	help          help.Model
}

// New builds the form for one snapshot or a batch (all from one Region).
// Init loads what the destinations need; until then the form works with
// what it has and says what is still loading.
func New(aws AWS, sources []model.Snapshot, opts Options) Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	m := Model{
		id:       lastID.Add(1),
		aws:      aws,
		status:   status.New(status.Options{Tick: opts.Tick}),
		sources:  slices.Clone(sources),
		now:      opts.Now,
		outposts: slices.Clone(opts.Outposts),
		lastPath: opts.LastRequestsPath,
		terminal: opts.Terminal,
		dest:     [3]textinput.Model{newInput(), newInput(), newInput()},
		desc:     newInput(),
		kms:      newInput(),
		duration: newInput(),
		lock:     newInput(),
		tags:     []tagRow{newTagRow()},
		loading:  map[lookup]bool{},
		loadErrs: map[lookup]error{},
		help:     help.New(),
		inFlight: timeBasedInFlight(opts.Tracked),
		tracked:  trackedCopies(opts.Tracked),
	}
	if m.sources == nil {
		m.sources = []model.Snapshot{}
	}
	if len(sources) > 0 {
		m.region = sources[0].Region
	}
	m.facts.Outposts = m.outposts
	m.kinds = allowedKinds(m.sources, m.now())
	m.chooseDest(model.ToRegion, m.region)
	if len(m.outposts) > 0 {
		m.chooseDest(model.ToOutpost, m.outposts[0])
	}
	if len(m.sources) == 1 {
		m.template = prefill(m.sources[0])
	} else {
		m.template = BatchDescription
	}
	m.desc.SetValue(m.template)
	m.desc.CursorEnd()
	if opts.Prefill != nil {
		m.fillFrom(*opts.Prefill)
	}
	if opts.Retrying != nil {
		failed := *opts.Retrying
		m.retrying = &failed
		if failed.FailedOnItsKey() {
			m.focus = fKms
		}
	}
	if m.region != "" {
		// The source Region is the first destination offered: its facts
		// are needed at once, the rest when a destination is chosen.
		for _, l := range firstLookups(m.region) {
			m.loading[l] = true
		}
	}
	m.cross = newCross(aws, opts)
	m.result = validate.Check(m.sources, m.facts, m.formValue(), m.now())
	return m
}

// Init loads the Regions, the source Region's Local Zones, the
// encryption default and KMS aliases of the first destination offered, and
// the last request sent from the source Region.
func (m Model) Init() tea.Cmd {
	if m.sources == nil {
		return nil
	}
	last := m.loadLast()
	pending := make([]lookup, 0, len(m.loading))
	for l := range m.loading {
		pending = append(pending, l)
	}
	slices.SortFunc(pending, compareLookups)
	cmds := make([]tea.Cmd, 0, len(pending)+1)
	for _, l := range pending {
		cmds = append(cmds, m.load(l))
	}
	return tea.Batch(append(cmds, last, m.cross.init())...)
}

// SetSize sets the area the form may draw in.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.help.Width = width
}

// KeyMap is the form's keys, with the short help for the focused field.
func (m Model) KeyMap() help.KeyMap {
	k := keys
	k.focus = m.focus
	k.recall = m.last != nil
	k.fit = m.result.Quota.Exceeds && m.result.Quota.FitMinutes > 0
	k.asking = m.asking != "" || m.cross.asking != nil
	return k
}

// Capturing reports whether keys go into a text field, so the app does
// not take q or ? as its own.
func (m Model) Capturing() bool {
	if m.sources == nil {
		return false
	}
	if m.asking != "" {
		return true // y and n answer the question
	}
	if m.cross.asking != nil {
		return true // y and n answer the key policy's question
	}
	switch m.focus {
	case fDest, fReencrypt, fDesc, fKms, fTags, fDuration, fLock:
		return true
	}
	return false
}

// Result is the validation of the form as it stands.
func (m Model) Result() validate.Result { return m.result }

// Update answers keys and the look-ups' messages.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if m.sources == nil {
		return m, nil
	}
	m.status = m.status.Update(msg)
	msg, mine, drop := m.crossMessage(msg)
	switch {
	case drop:
		return m, nil
	case mine:
		return m.crossAnswered(msg)
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m.key(msg)
	case tea.WindowSizeMsg:
		m.SetSize(msg.Width, msg.Height)
		return m, nil
	case dryRunMsg:
		return m.dryRunAnswered(msg)
	case lastRequestMsg:
		return m.lastRequestRead(msg)
	case lastSavedMsg:
		return m.lastSaved(msg)
	case copiedMsg:
		return m, m.status.Show(msg.outcome.Level, msg.outcome.Text)
	}
	if m, ok := m.answered(msg); ok {
		m, cmd := m.refresh()
		if m.sendPending {
			if _, looking := m.checking(m.requests(m.result)); !looking {
				// The check the send waited for is complete: send, or ask.
				m.sendPending = false
				m.status.Release()
				m, sent := m.send(false)
				return m, tea.Batch(cmd, sent)
			}
		}
		return m, cmd
	}
	return m, nil
}

// refresh validates the form again and starts the look-ups the chosen
// destination needs.
func (m Model) refresh() (Model, tea.Cmd) {
	m.result = validate.Check(m.sources, m.facts, m.formValue(), m.now())
	m, cmd := m.lookUpDestination()
	m, cross := m.lookUpCross()
	return m, tea.Batch(cmd, cross)
}

// timeBasedInFlight are the unfinished time-based copies among tracked, as
// the quota check counts them: at their full size (an upper bound).
func timeBasedInFlight(tracked []model.Copy) []validate.TimeBasedCopy {
	var out []validate.TimeBasedCopy
	for _, c := range tracked {
		r := c.Request
		if c.Phase.Done() || r.CompletionDurationMinutes <= 0 {
			continue
		}
		out = append(out, validate.TimeBasedCopy{
			SourceRegion: r.SourceRegion, DestinationRegion: r.DestinationRegion,
			Bytes: int64(c.SizeGiB) << 30, Minutes: r.CompletionDurationMinutes,
		})
	}
	return out
}

// formValue is the form's raw state as validate reads it.
func (m Model) formValue() validate.Form {
	tags := make([]validate.TagInput, len(m.tags))
	for i, r := range m.tags {
		tags[i] = validate.TagInput{Key: r.key.Value(), Value: r.value.Value()}
	}
	lock, coolOff := lockParts(m.lock.Value())
	return validate.Form{
		Kind:        m.kind(),
		Destination: m.dest[m.kind()].Value(),
		Description: m.desc.Value(),
		Encrypt:     m.encrypt,
		KmsKey:      m.kms.Value(),
		SourceTags:  m.srcTags,
		Tags:        tags,
		Duration:    m.duration.Value(),
		DryRun:      m.dryRun,
		Lock:        lock,
		LockCoolOff: coolOff,
		Quota:       m.quotas[m.destRegion()],
		InFlight:    m.inFlight,
	}
}

// destRegion is the Region the destination as typed resolves to, "" when
// it does not.
func (m Model) destRegion() string {
	d, _ := validate.ResolveDestination(m.kind(), m.dest[m.kind()].Value(), m.region, m.facts)
	return d.Region
}

// formEqual reports whether two states of the form are the same.
func formEqual(a, b validate.Form) bool {
	return a.Kind == b.Kind && a.Destination == b.Destination && a.Description == b.Description &&
		a.Encrypt == b.Encrypt && a.KmsKey == b.KmsKey && a.SourceTags == b.SourceTags && slices.Equal(a.Tags, b.Tags) &&
		a.Duration == b.Duration && a.DryRun == b.DryRun && a.Lock == b.Lock && a.LockCoolOff == b.LockCoolOff
}
