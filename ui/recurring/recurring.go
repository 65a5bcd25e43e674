// Package recurring is the panel that makes the copy form's copy
// recurring: it asks what a Data Lifecycle Manager policy adds to a copy
// (which volumes, when, how long to keep), shows the policy as JSON for
// `aws dlm create-lifecycle-policy --cli-input-json`, its command line and
// a line for each rule, copies them, and creates the policy after a y/n.
// Every rule and message comes from package validate; AWS is asked only
// in tea.Cmds.
package recurring

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/validate"
)

// AWS is what the panel asks of AWS (*awsops.Client in the program).
type AWS interface {
	// Account is the caller's account, for the execution role's ARN.
	Account(ctx context.Context) (string, error)
	// DescribeKey resolves a KMS alias or key id to its key in a Region.
	DescribeKey(ctx context.Context, region, key string) (awsops.KMSKey, error)
	// CreateDLMPolicy creates a lifecycle policy and returns its id.
	CreateDLMPolicy(ctx context.Context, region string, p model.DLMPolicy) (string, error)
	// DLMPolicy reads a lifecycle policy back.
	DLMPolicy(ctx context.Context, region, id string) (awsops.DLMPolicyInfo, error)
}

// callTimeout bounds each call to AWS.
const callTimeout = 30 * time.Second

// Options configure the panel.
type Options struct {
	// Profile is the profile the app runs under, named in the command
	// line ("" for the default chain).
	Profile string
	// Tick schedules the status line's expiry (nil: tea.Tick).
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	// Clipboard copies text and reports the outcome (nil: ui/clipboard
	// with OSC 52 to the terminal).
	Clipboard func(text string, done func(copied bool, level status.Level) tea.Msg) tea.Cmd
}

// page is what the panel shows: the fields, or the policy itself.
type page int

const (
	onFields page = iota
	onPolicy
)

// lastID numbers panels, so an answer meant for an earlier one is dropped.
var lastID atomic.Int64

// Model is the panel. The zero Model is inert.
type Model struct {
	id      int64
	aws     AWS
	opts    Options
	open    *nav.OpenRecurring
	inputs  [numFields]field
	focus   int
	suggest []string // target tags offered (←/→)
	pick    int
	copyTag bool
	// descNote is the copy's description when DLM does not take it as it
	// is; the field holds it without the characters DLM refuses.
	descNote string

	facts     validate.RecurringFacts
	keyErr    error // the key's look-up failed
	acctErr   error
	result    validate.RecurringResult
	page      page
	shown     int // on the policy page, across accounts: 0 the source's policy, 1 the event policy
	scroll    int
	asking    bool // "create this policy? y/n"
	creating  bool
	createdID string

	status        status.Model
	help          help.Model
	width, height int
}

// New builds the panel for the copy the form validated.
func New(aws AWS, open nav.OpenRecurring, opts Options) Model {
	m := Model{
		id: lastID.Add(1), aws: aws, opts: opts, open: &open,
		copyTag: open.SourceTags != model.SourceTagsNone,
		status:  status.New(status.Options{Tick: opts.Tick}),
		help:    help.New(),
	}
	m.facts.SourceAliases = open.SourceAliases
	if len(open.Requests) > 0 {
		m.facts.Partition = model.Partition(open.Requests[0].SourceRegion)
	}
	m.inputs = newFields()
	m.suggest = suggestions(open)
	m.inputs[fTarget].input.SetValue(m.suggest[0])
	m.inputs[fSchedule].input.SetValue("daily@03:00")
	m.inputs[fAccount].input.SetValue(open.DestinationAccount)
	m.inputs[fProfile].input.SetValue(open.DestinationProfile)
	if len(open.Requests) > 0 {
		// The copy's description, in DLM's characters: what was left out
		// is said under the field (descNote).
		desc := strings.TrimSpace(open.Requests[0].Description)
		if clean := validate.DLMText(desc); clean != desc {
			m.descNote = desc
			desc = clean
		}
		m.inputs[fName].input.SetValue(desc)
	}
	for i := range m.inputs {
		m.inputs[i].input.CursorEnd()
	}
	m.check()
	return m
}

// Init asks AWS for the account and, when the key is no ARN, its ARN.
func (m Model) Init() tea.Cmd {
	if m.open == nil || len(m.open.Requests) == 0 || m.aws == nil {
		return nil
	}
	cmds := []tea.Cmd{accountCmd(m.aws, m.id)}
	if k := m.keyToResolve(); k != "" {
		cmds = append(cmds, keyCmd(m.aws, m.id, m.open.Requests[0].DestinationRegion, k))
	}
	return tea.Batch(cmds...)
}

// keyToResolve is the copy's key when DLM needs its ARN looked up: an
// alias or a key id, in the caller's own account.
func (m Model) keyToResolve() string {
	k := strings.TrimSpace(m.open.Requests[0].KmsKeyID)
	if k == "" || strings.Contains(k, ":key/") {
		return ""
	}
	return k
}

// SetSize sets the area the panel may draw in.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.help.Width = w
}

// Capturing reports whether keys go into a text field or answer the
// question, so the app takes neither q nor ? for its own.
func (m Model) Capturing() bool { return m.asking || m.page == onFields }

// KeyMap is the panel's keys, for the help bar and the full help.
func (m Model) KeyMap() help.KeyMap {
	k := keys
	k.page, k.asking, k.crossAccount = m.page, m.asking, m.result.Copy.CrossAccount()
	k.target = m.page == onFields && m.focus == fTarget
	k.toggle = m.page == onFields && m.focus == fCopyTags
	return k
}

// Result is the recurring copy as checked now.
func (m Model) Result() validate.RecurringResult { return m.result }

// form is the panel's fields as validate reads them.
func (m Model) form() validate.RecurringForm {
	v := func(f int) string { return m.inputs[f].input.Value() }
	return validate.RecurringForm{
		Name: v(fName), TargetTag: v(fTarget), Schedule: v(fSchedule), Retain: v(fRetain), DestRetain: v(fDestRetain),
		CopyTags: m.copyTag, Tags: m.open.Tags, AlsoTo: v(fAlsoTo), Role: v(fRole),
		DestinationAccount: strings.TrimSpace(v(fAccount)), DestinationRole: v(fDestRole),
		SourcePolicyID: m.createdID,
	}
}

// check validates the panel as it stands.
func (m *Model) check() {
	if m.open == nil {
		return
	}
	res := validate.Recurring(m.open.Requests, m.open.Sources, m.form(), m.facts)
	switch {
	case m.acctErr != nil && m.facts.Account == "":
		res.Pending = "the account is not known: " + model.Explain(m.acctErr, model.Brief()) + " (name the role by its ARN)"
		if strings.HasPrefix(strings.TrimSpace(m.inputs[fRole].input.Value()), "arn:") {
			res.Pending = ""
		}
	case m.keyErr != nil && !m.facts.KeyResolved && strings.HasPrefix(res.Pending, "resolving"):
		res.Pending = ""
		res.Problems = append(res.Problems, validate.Problem{Field: validate.FieldKmsKey, Row: -1, Severity: validate.Error,
			Message: "KMS key " + m.keyToResolve() + " could not be resolved to its ARN: " + model.Explain(m.keyErr, model.Brief()) +
				"; give the key's ARN in the copy form"})
	}
	m.result = res
}

// Update answers keys and AWS's answers.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if m.open == nil {
		return m, nil
	}
	m.status = m.status.Update(msg)
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m.key(msg)
	case tea.WindowSizeMsg:
		m.SetSize(msg.Width, msg.Height)
	case accountMsg:
		if msg.panel == m.id {
			m.facts.Account, m.acctErr = msg.account, msg.err
			m.check()
		}
	case keyMsg:
		if msg.panel == m.id {
			m.facts.KeyArn, m.facts.KeyResolved, m.keyErr = msg.key.Arn, msg.err == nil, msg.err
			m.check()
		}
	case createdMsg:
		if msg.panel == m.id {
			return m.created(msg)
		}
	case copiedMsg:
		if msg.panel == m.id {
			return m, m.status.Show(msg.level, msg.text)
		}
	}
	return m, nil
}

// back is the way back to the copy form, kept as it was.
func (m Model) back() tea.Cmd {
	sources := m.open.Sources
	return func() tea.Msg { return nav.OpenForm{Sources: sources} }
}
