package form

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/profiles"
)

// A copy into another account: the Destination account field offers this
// account or another AWS profile (its account id shown). For another one
// the form looks the destination up with that profile's client (its
// Regions, encryption default, KMS aliases and keys are its own), reads
// what the steps need from the source account (the source's key, whether
// the snapshot is shared already, the key's policy), and the preview says
// step by step what will happen (model.PlanCrossAccount). Each copy sent
// carries its steps (model.CrossAccount), which the tracker takes.

// Accounts is what the form asks of the other AWS profiles
// (*profiles.Clients in the program): the picker's profiles and accounts,
// and a profile's client. Its calls read files or the network: the form
// makes them in tea.Cmds only.
type Accounts interface {
	profiles.Source
	// Client is the client of a profile, opened once.
	Client(ctx context.Context, profile string) (*awsops.Client, error)
}

// SourceAWS is what the steps ask of the source account before anything is
// sent (*awsops.Client): its keys, shares and key policies.
type SourceAWS interface {
	KeyIdentity(ctx context.Context, region, key string) (arn string, awsManaged bool, err error)
	KeyPolicy(ctx context.Context, region, key string) (string, error)
	PutKeyPolicy(ctx context.Context, region, key, policy string) error
	SnapshotSharedWith(ctx context.Context, region, id string) ([]string, error)
}

// crossForm is the form's destination account and the source account's
// facts a copy into it needs.
type crossForm struct {
	accounts Accounts
	src      SourceAWS // nil: the form's AWS cannot take the steps
	home     AWS       // the form's AWS in the source account
	profile  string    // the sources' profile

	// epoch counts the accounts the form looked up in: answers of an
	// account left behind are dropped (accountAnswer).
	epoch int

	profiles []awsops.Profile // the other profiles
	listErr  error
	ids      map[string]profileID
	choice   int    // 0: this account; i: profiles[i-1]
	opening  string // the profile whose client is being opened
	openErr  error

	reencrypt textinput.Model
	// keep keeps the share (and the re-encrypted copy) once the copy
	// completed (space on the field).
	keep bool
	// srcAliases are the source Region's KMS aliases of the source
	// account, kept when the form looks up another account: they name the
	// source's key in the steps.
	srcAliases []model.KMSAlias
	keys       map[string]keyFacts    // by Region and key as given (keyAt)
	policies   map[string]policyFacts // by key ARN
	shared     map[string]sharedFacts // by snapshot id
	asked      map[string]bool        // look-ups sent (keys, policies, shares)

	// asking is the key policy's y/n before sending, nil when not asked.
	asking *policyQuestion
}

type profileID struct {
	id  string
	err error
}

type keyFacts struct {
	arn     string
	managed bool
	err     error
}

type policyFacts struct {
	policy string
	err    error
}

type sharedFacts struct {
	with []string
	err  error
}

// newCross is the destination account of a new form: this account, with
// the other profiles read by init.
func newCross(aws AWS, opts Options) crossForm {
	x := crossForm{accounts: opts.Accounts, home: aws, profile: opts.Profile, reencrypt: newInput(),
		ids: map[string]profileID{}, keys: map[string]keyFacts{}, policies: map[string]policyFacts{},
		shared: map[string]sharedFacts{}, asked: map[string]bool{}}
	x.src, _ = aws.(SourceAWS)
	return x
}

// Messages of the destination account's look-ups.
type (
	accountsListedMsg struct {
		profiles []awsops.Profile
		err      error
	}
	accountIDMsg struct {
		profile, id string
		err         error
	}
	accountOpenedMsg struct {
		profile string
		client  *awsops.Client
		err     error
	}
	crossKeyMsg struct {
		at   string
		fact keyFacts
	}
	crossPolicyMsg struct {
		arn  string
		fact policyFacts
	}
	crossSharedMsg struct {
		id   string
		fact sharedFacts
	}
	policyPutMsg struct {
		arn, policy string
		err         error
	}
	// accountAnswer is a look-up's answer from the account of epoch.
	accountAnswer struct {
		epoch int
		msg   tea.Msg
	}
)

// init reads the other profiles, then their accounts.
func (x crossForm) init() tea.Cmd {
	if x.accounts == nil || x.src == nil {
		return nil
	}
	a := x.accounts
	return func() tea.Msg {
		p, err := a.Profiles()
		return accountsListedMsg{profiles: p, err: err}
	}
}

// on reports whether the form offers other accounts at all.
func (x crossForm) on() bool { return x.accounts != nil && x.src != nil && len(x.profiles) > 0 }

// chosen is the profile the copy goes into, "" for this account.
func (x crossForm) chosen() string {
	if x.choice == 0 || x.choice > len(x.profiles) {
		return ""
	}
	return x.profiles[x.choice-1].Name
}

// hidden reports whether a field is left out: the destination account
// while there is no other profile, the re-encrypting key unless a source
// under the AWS managed key goes into another account.
func (m Model) hidden(f field) bool {
	switch f {
	case fAccount:
		return !m.cross.on()
	case fReencrypt:
		return m.cross.chosen() == "" || !m.anyAWSManaged()
	}
	return false
}

// load is the command of one look-up, its answer tagged with the account
// it was asked in.
func (m Model) load(l lookup) tea.Cmd {
	cmd, epoch := m.ask(l), m.cross.epoch
	if cmd == nil {
		return nil
	}
	return func() tea.Msg { return accountAnswer{epoch: epoch, msg: cmd()} }
}

// crossMessage unwraps a look-up's answer: drop is true for one of an
// account the form no longer looks up in; mine for the messages of this
// file.
func (m Model) crossMessage(msg tea.Msg) (_ tea.Msg, mine, drop bool) {
	switch msg := msg.(type) {
	case accountAnswer:
		if msg.epoch != m.cross.epoch {
			return nil, false, true
		}
		return msg.msg, false, false
	case accountsListedMsg, accountIDMsg, accountOpenedMsg, crossKeyMsg, crossPolicyMsg, crossSharedMsg, policyPutMsg:
		return msg, true, false
	}
	return msg, false, false
}

// crossAnswered takes the answers of this file's look-ups.
func (m Model) crossAnswered(msg tea.Msg) (Model, tea.Cmd) {
	x := &m.cross
	switch msg := msg.(type) {
	case accountsListedMsg:
		x.listErr = msg.err
		x.profiles = nil
		for _, p := range msg.profiles {
			if p.Name != x.profile {
				x.profiles = append(x.profiles, p)
			}
		}
		// The sources' own account too: a profile of the same account is
		// no other account.
		cmds := []tea.Cmd{x.askID(x.profile)}
		for _, p := range x.profiles {
			cmds = append(cmds, x.askID(p.Name))
		}
		return m, tea.Batch(cmds...)
	case accountIDMsg:
		x.ids = with(x.ids, msg.profile, profileID{id: msg.id, err: msg.err})
	case accountOpenedMsg:
		if msg.profile != x.chosen() {
			return m, nil // chosen another meanwhile
		}
		x.opening, x.openErr = "", msg.err
		if msg.err != nil {
			return m, nil
		}
		return m.lookUpIn(msg.client)
	case crossKeyMsg:
		x.keys = with(x.keys, msg.at, msg.fact)
	case crossPolicyMsg:
		x.policies = with(x.policies, msg.arn, msg.fact)
	case crossSharedMsg:
		x.shared = with(x.shared, msg.id, msg.fact)
	case policyPutMsg:
		return m.policyPut(msg)
	}
	return m.refresh()
}

// with is map m with k set to v, a copy: Model is a value, and an earlier
// value must not change under whoever holds it.
func with[V any](m map[string]V, k string, v V) map[string]V {
	out := make(map[string]V, len(m)+1)
	for key, val := range m {
		out[key] = val
	}
	out[k] = v
	return out
}

// askID asks a profile's account id.
func (x crossForm) askID(profile string) tea.Cmd {
	a := x.accounts
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
		defer cancel()
		id, err := a.Account(ctx, profile)
		return accountIDMsg{profile: profile, id: id, err: err}
	}
}

// chooseAccount moves the choice by d (wrapping) and looks the destination
// up in the account chosen: this one at once, another once its client is
// open.
func (m Model) chooseAccount(d int) (Model, tea.Cmd) {
	x := &m.cross
	n := len(x.profiles) + 1
	x.choice = ((x.choice+d)%n + n) % n
	x.openErr = nil
	profile := x.chosen()
	if profile == "" {
		x.opening = ""
		return m.lookUpIn(x.home)
	}
	x.opening = profile
	a := x.accounts
	return m, func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
		defer cancel()
		c, err := a.Client(ctx, profile)
		return accountOpenedMsg{profile: profile, client: c, err: err}
	}
}

// lookUpIn makes aws the account the destination is looked up in: what
// was known of the other account goes, and its answers still coming are
// dropped.
func (m Model) lookUpIn(aws AWS) (Model, tea.Cmd) {
	if aws != m.cross.home && m.aws == m.cross.home {
		m.cross.srcAliases = m.facts.Aliases[m.region]
	}
	m.aws = aws
	m.cross.epoch++
	m.facts = model.DestinationFacts{Outposts: m.outposts}
	m.earlier, m.quotas, m.tagged, m.prices = nil, nil, nil, nil
	m.loading, m.loadErrs = map[lookup]bool{}, map[lookup]error{}
	m, cmd := m.reload()
	m, more := m.refresh()
	return m, tea.Batch(cmd, more)
}

// destinationAccount is the chosen profile's account id, "" while unknown.
func (m Model) destinationAccount() string {
	return m.cross.ids[m.cross.chosen()].id
}

// anyAWSManaged reports whether a source is under the AWS managed key, as
// far as DescribeKey has told.
func (m Model) anyAWSManaged() bool {
	for _, s := range m.sources {
		if k, ok := m.cross.keys[keyAt(s.Region, s.KmsKeyID)]; s.Encrypted && ok && k.managed {
			return true
		}
	}
	return false
}

// keyAt keys what DescribeKey said of key in region.
func keyAt(region, key string) string { return region + "|" + key }

// lookUpCross asks the source account what the steps need, once each: the
// sources' keys, the re-encrypting key typed, whether the snapshots are
// shared already and the shared key's policy.
func (m Model) lookUpCross() (Model, tea.Cmd) {
	x := &m.cross
	if x.chosen() == "" || x.src == nil {
		return m, nil
	}
	var cmds []tea.Cmd
	ask := func(what string, cmd tea.Cmd) {
		if !x.asked[what] {
			x.asked = with(x.asked, what, true)
			cmds = append(cmds, cmd)
		}
	}
	src, region := x.src, m.region
	describe := func(key string) {
		at := keyAt(region, key)
		ask("key "+at, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
			defer cancel()
			arn, managed, err := src.KeyIdentity(ctx, region, key)
			return crossKeyMsg{at: at, fact: keyFacts{arn: arn, managed: managed, err: err}}
		})
	}
	for _, s := range m.sources {
		if s.Encrypted && s.KmsKeyID != "" {
			describe(s.KmsKeyID)
		} else {
			id := s.ID
			ask("shared "+id, func() tea.Msg {
				ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
				defer cancel()
				with, err := src.SnapshotSharedWith(ctx, region, id)
				return crossSharedMsg{id: id, fact: sharedFacts{with: with, err: err}}
			})
		}
	}
	if k := strings.TrimSpace(x.reencrypt.Value()); k != "" && !m.hidden(fReencrypt) {
		describe(k)
	}
	for _, s := range m.sources {
		if arn := m.sharedKey(s); arn != "" {
			ask("policy "+arn, func() tea.Msg {
				ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
				defer cancel()
				p, err := src.KeyPolicy(ctx, region, arn)
				return crossPolicyMsg{arn: arn, fact: policyFacts{policy: p, err: err}}
			})
		}
	}
	return m, tea.Batch(cmds...)
}

// sharedKey is the ARN of the key of the snapshot shared for source: the
// re-encrypting key's for a source under the AWS managed key, else the
// source's own; "" unencrypted or not yet known.
func (m Model) sharedKey(s model.Snapshot) string {
	if !s.Encrypted {
		return ""
	}
	k, ok := m.cross.keys[keyAt(s.Region, s.KmsKeyID)]
	if !ok || k.err != nil {
		return ""
	}
	if !k.managed {
		return k.arn
	}
	r, ok := m.cross.keys[keyAt(m.region, strings.TrimSpace(m.cross.reencrypt.Value()))]
	if !ok || r.err != nil || r.managed {
		return ""
	}
	return r.arn
}
