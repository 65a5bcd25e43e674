package recurring

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/clipboard"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/validate"
)

// policyFile is the file the command line reads the policy from.
const policyFile = "dlm-policy.json"

// shownPolicy is a policy on the policy page: its document, the Region
// and profile its command runs in, and whose it is.
type shownPolicy struct {
	title   string
	policy  model.DLMPolicy
	region  string
	profile string
}

// policies are the documents of the recurring copy: the source account's,
// and across accounts the destination account's event policy.
func (m Model) policies() []shownPolicy {
	rc := m.result.Copy
	out := []shownPolicy{{title: "Policy of this account", policy: rc.SourcePolicy(), region: rc.SourceRegion, profile: m.opts.Profile}}
	if rc.CrossAccount() {
		out[0].title = "1 of 2 · this account's policy: snapshots and shares with " + rc.DestinationAccount
		out = append(out, shownPolicy{title: "2 of 2 · account " + rc.DestinationAccount + "'s event policy: copies what is shared",
			policy: rc.EventPolicy(), region: rc.SourceRegion, profile: strings.TrimSpace(m.inputs[fProfile].input.Value())})
	}
	return out
}

// words are the AWS CLI line that creates p, reading it from policyFile,
// word by word, quoted for the shell.
func (p shownPolicy) words() []string {
	out := []string{"aws"}
	for _, a := range model.DLMCommandArgs(p.region, p.profile, p.policy, policyFile) {
		out = append(out, model.ShellQuote(a))
	}
	return out
}

// policyKey answers a key on the policy page.
func (m Model) policyKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	ps := m.policies()
	p := ps[min(m.shown, len(ps)-1)]
	switch {
	case key.Matches(msg, keys.Up):
		m.scroll = max(0, m.scroll-1)
	case key.Matches(msg, keys.Down):
		m.scroll++
	case key.Matches(msg, keys.Next) && len(ps) > 1:
		m.shown, m.scroll = (m.shown+1)%len(ps), 0
	case key.Matches(msg, keys.CopyJSON):
		return m, m.copy(p.policy.JSON(), "the policy JSON")
	case key.Matches(msg, keys.CopyCommand):
		// Inline, so the line pasted runs by itself.
		return m, m.copy(model.DLMCommand(p.region, p.profile, p.policy, ""), "the command line")
	}
	return m, nil
}

// copiedMsg says what became of a copy to the clipboard.
type copiedMsg struct {
	panel int64
	level status.Level
	text  string
}

// copy puts text on the clipboard; what not is said, and the text stays on
// screen to select.
func (m Model) copy(text, what string) tea.Cmd {
	id := m.id
	done := func(copied bool, level status.Level) tea.Msg {
		if copied {
			return copiedMsg{id, status.Info, "copied " + what + " to the clipboard"}
		}
		return copiedMsg{id, level, what + " was not copied (the terminal or tmux takes no clipboard sequence: set -g allow-passthrough on); select it on screen"}
	}
	if m.opts.Clipboard != nil {
		return m.opts.Clipboard(text, done)
	}
	return clipboard.Copy(text, clipboard.Options{}, func(o clipboard.Outcome) tea.Msg { return done(o.Copied, o.Level) })
}

// ask puts "create this policy?" with the policy on screen, once it is
// valid and this account's alone.
func (m Model) ask() (Model, tea.Cmd) {
	switch {
	case m.creating:
		return m, m.status.Show(status.Info, "the policy is being created; wait for AWS's answer")
	case m.createdID != "":
		return m, m.status.Show(status.Info, "already created: "+m.createdID)
	case !m.result.OK():
		return m, m.status.Show(statusLevelOf(m.result), "not created: "+m.notReady())
	case m.aws == nil:
		return m, m.status.Show(status.Warning, "not created: snapcopy is not connected to AWS; run the command instead")
	case m.result.Copy.CrossAccount():
		return m, m.status.Show(status.Warning, "not created: across accounts each account creates its own policy; run each command under its profile")
	}
	m.page, m.shown, m.asking = onPolicy, 0, true
	return m, nil
}

// answer takes y or n to "create this policy?".
func (m Model) answer(msg tea.KeyMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(msg, keys.Yes):
		m.asking, m.creating = false, true
		p := m.policies()[0]
		m.status.Hold(status.Info, "creating the policy in "+p.region+"…")
		return m, createCmd(m.aws, m.id, p.region, p.policy)
	case key.Matches(msg, keys.No), key.Matches(msg, keys.Back):
		m.asking = false
		return m, m.status.Show(status.Info, "not created")
	}
	return m, nil
}

// created shows AWS's answer to CreateLifecyclePolicy and the policy as
// read back.
func (m Model) created(msg createdMsg) (Model, tea.Cmd) {
	m.creating = false
	m.status.Release()
	role := m.policies()[0].policy.ExecutionRoleArn
	switch {
	case msg.err != nil:
		return m, m.status.Show(status.Error, "not created: "+model.ExplainDLM(msg.err, role))
	case msg.readErr != nil:
		m.createdID = msg.id
		return m, m.status.Show(status.Warning, "created "+msg.id+", but reading it back failed: "+model.Explain(msg.readErr, model.Brief()))
	}
	m.createdID = msg.id
	p := m.policies()[0]
	text := fmt.Sprintf("created %s in %s (%s); read back, it is the policy shown", msg.id, p.region, msg.info.State)
	if msg.info.Policy.JSON() != p.policy.JSON() {
		return m, m.status.Show(status.Warning, fmt.Sprintf("created %s in %s, but AWS reads it back different from the policy shown", msg.id, p.region))
	}
	return m, m.status.Show(status.Info, text)
}

// notReady says why the policy cannot be shown or created yet: the
// topmost field's error first.
func (m Model) notReady() string {
	r := m.result
	for i := 0; i <= m.lastField(); i++ {
		for _, p := range r.Problems {
			if p.Severity == validate.Error && p.Field == m.inputs[i].of {
				return "fix the " + string(p.Field) + ": " + p.Message
			}
		}
	}
	if p, bad := firstError(r.Problems); bad {
		return "fix the " + string(p.Field) + ": " + p.Message
	}
	return r.Pending
}

func statusLevelOf(r validate.RecurringResult) status.Level {
	if _, bad := firstError(r.Problems); bad {
		return status.Error
	}
	return status.Info
}

func firstError(ps []validate.Problem) (validate.Problem, bool) {
	for _, p := range ps {
		if p.Severity == validate.Error {
			return p, true
		}
	}
	return validate.Problem{}, false
}

// accountMsg answers the look-up of the caller's account.
type accountMsg struct {
	panel   int64
	account string
	err     error
}

func accountCmd(aws AWS, panel int64) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		a, err := aws.Account(ctx)
		return accountMsg{panel, a, err}
	}
}

// keyMsg answers the look-up of the copy's key.
type keyMsg struct {
	panel int64
	key   awsops.KMSKey
	err   error
}

func keyCmd(aws AWS, panel int64, region, key string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		k, err := aws.DescribeKey(ctx, region, key)
		return keyMsg{panel, k, err}
	}
}

// createdMsg answers CreateLifecyclePolicy and the read back.
type createdMsg struct {
	panel   int64
	id      string
	info    awsops.DLMPolicyInfo
	err     error
	readErr error
}

// createCmd creates the policy, then reads it back.
func createCmd(aws AWS, panel int64, region string, p model.DLMPolicy) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		id, err := aws.CreateDLMPolicy(ctx, region, p)
		if err != nil {
			return createdMsg{panel: panel, err: err}
		}
		info, err := aws.DLMPolicy(ctx, region, id)
		return createdMsg{panel: panel, id: id, info: info, readErr: err}
	}
}
