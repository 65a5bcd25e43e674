package form

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/profiles"
	"github.com/snapcopy/snapcopy/validate"
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
// sent (*awsops.Client): what it tells of a copy into another account
// (its keys, share and key policy), and adding the statements a key
// policy lacks.
type SourceAWS interface {
	CheckCross(ctx context.Context, src model.Snapshot, account, reencryptKey string) (awsops.CrossCheck, error)
	PutKeyPolicy(ctx context.Context, region, key, policy string) error
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
	want     string // the profile to choose once listed (a failed copy's, edited)
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
	checks     map[string]checked // by source, account and re-encrypting key (checkKey)
	asked      map[string]bool    // checks sent

	// asking is the key policy's y/n before sending, nil when not asked.
	asking *policyQuestion
}

type profileID struct {
	id  string
	err error
}

// checked is what the source account told of one source into one account
// with one re-encrypting key (awsops.Client.CheckCross).
type checked struct {
	account string
	cc      awsops.CrossCheck
	err     error
}

// newCross is the destination account of a new form: this account, with
// the other profiles read by init.
func newCross(aws AWS, opts Options) crossForm {
	x := crossForm{accounts: opts.Accounts, home: aws, profile: opts.Profile, reencrypt: newInput(),
		ids: map[string]profileID{}, checks: map[string]checked{}, asked: map[string]bool{}}
	x.src, _ = aws.(SourceAWS)
	if r := opts.Retrying; r != nil && r.Cross.Active() {
		// Edited, a failed copy into another account goes there again.
		x.want, x.keep = r.Cross.DestinationProfile, r.Cross.KeepShare
		x.reencrypt.SetValue(r.Cross.ReencryptKey)
	}
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
	crossCheckMsg struct {
		key   string
		check checked
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
	case accountsListedMsg, accountIDMsg, accountOpenedMsg, crossCheckMsg, policyPutMsg:
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
		for i, p := range x.profiles {
			cmds = append(cmds, x.askID(p.Name))
			if p.Name == x.want && x.choice == 0 {
				var chosen tea.Cmd
				m, chosen = m.chooseAccount(i + 1)
				cmds = append(cmds, chosen)
			}
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
	case crossCheckMsg:
		x.checks = with(x.checks, msg.key, msg.check)
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
// far as the source account has told.
func (m Model) anyAWSManaged() bool {
	for _, s := range m.sources {
		if b, ok := m.baseCheck(s); ok && b.err == nil && b.cc.Facts.SourceKeyAWSManaged {
			return true
		}
	}
	return false
}

// checkKey keys what the source account told of source into account with
// the re-encrypting key reencrypt.
func checkKey(source, account, reencrypt string) string {
	return source + "|" + account + "|" + reencrypt
}

// baseCheck is what the source account told of s without a re-encrypting
// key: how it is encrypted, whether it is shared, its key's policy.
func (m Model) baseCheck(s model.Snapshot) (checked, bool) {
	c, ok := m.cross.checks[checkKey(s.ID, m.destinationAccount(), "")]
	return c, ok
}

// check is what the source account told of s with the re-encrypting key
// typed, when s is under the AWS managed key; else baseCheck.
func (m Model) check(s model.Snapshot) (checked, bool) {
	b, ok := m.baseCheck(s)
	if !ok || b.err != nil || !b.cc.Facts.SourceKeyAWSManaged {
		return b, ok
	}
	r := m.reencryptAsked()
	if r == "" {
		return b, true
	}
	c, ok := m.cross.checks[checkKey(s.ID, m.destinationAccount(), r)]
	return c, ok
}

// reencryptAsked is the re-encrypting key typed once worth asking about:
// well formed, and for an alias one the source Region lists.
func (m Model) reencryptAsked() string {
	k := strings.TrimSpace(m.cross.reencrypt.Value())
	facts := model.DestinationFacts{Aliases: map[string][]model.KMSAlias{m.region: m.sourceAliases()}}
	if m.sourceAliases() == nil {
		facts.Aliases = nil
	}
	if !validate.DescribeFirst(k, m.region, facts) {
		return ""
	}
	return k
}

// sourceAliases are the source Region's KMS aliases of the source account.
func (m Model) sourceAliases() []model.KMSAlias {
	if m.aws == m.cross.home {
		return m.facts.Aliases[m.region]
	}
	return m.cross.srcAliases
}

// lookUpCross asks the source account, once each, what a copy of each
// source into the chosen account needs (CheckCross): first without a
// re-encrypting key, then, for a source under the AWS managed key, with
// the one typed.
func (m Model) lookUpCross() (Model, tea.Cmd) {
	x := &m.cross
	account := m.destinationAccount()
	if x.chosen() == "" || x.src == nil || account == "" {
		return m, nil
	}
	var cmds []tea.Cmd
	src := x.src
	ask := func(s model.Snapshot, reencrypt string) {
		key := checkKey(s.ID, account, reencrypt)
		if x.asked[key] {
			return
		}
		x.asked = with(x.asked, key, true)
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
			defer cancel()
			cc, err := src.CheckCross(ctx, s, account, reencrypt)
			return crossCheckMsg{key: key, check: checked{account: account, cc: cc, err: err}}
		})
	}
	r := m.reencryptAsked()
	for _, s := range m.sources {
		ask(s, "")
		if b, ok := m.baseCheck(s); ok && b.err == nil && b.cc.Facts.SourceKeyAWSManaged && r != "" {
			ask(s, r)
		}
	}
	return m, tea.Batch(cmds...)
}

// sharedKey is the ARN of the key of the snapshot shared for s: the
// re-encrypting key's for a source under the AWS managed key, else the
// source's own; "" unencrypted or not yet known.
func (m Model) sharedKey(s model.Snapshot) string {
	c, ok := m.check(s)
	if !ok || c.err != nil {
		return ""
	}
	if c.cc.Facts.SourceKeyAWSManaged {
		return c.cc.ReencryptKey
	}
	return c.cc.SourceKey
}

// trackedInto are the tracker's copies made in the account the form copies
// into (model.MadeIn): only those can duplicate the form's, or be built on
// there. None while the chosen profile's account is not yet known.
func (m Model) trackedInto() []*model.Copy {
	if m.cross.chosen() == "" {
		return model.MadeIn(m.tracked, "")
	}
	if id := m.destinationAccount(); id != "" {
		return model.MadeIn(m.tracked, id)
	}
	return nil
}
