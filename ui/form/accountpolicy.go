package form

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/policyview"
	"github.com/snapcopy/snapcopy/ui/status"
)

// policyQuestion asks, before sending, whether to add to the shared key's
// policy the statements the destination account lacks (PutKeyPolicy),
// showing the policy before and after. Without them CopySnapshot is
// accepted and the copy fails later ("Given key ID is not accessible").
type policyQuestion = policyview.Question

// policyToAsk is the question for the first shared key whose policy lacks
// statements for the destination account, nil when none does.
func (m Model) policyToAsk() *policyQuestion {
	for _, s := range m.sources {
		c, f := m.crossFor(s)
		if !f.PolicyKnown || len(f.MissingStatements) == 0 {
			continue
		}
		ch, _ := m.check(s)
		if q, ok, err := policyview.New(m.region, m.sharedKey(s), c.DestinationAccount, ch.cc.Policy); err == nil && ok {
			return &q
		}
	}
	return nil
}

// crossSend checks a copy into another account before it is sent: what
// stops it is said (nothing sent), and a key policy that lacks statements
// is asked about; stop is true when the form does not send now.
func (m Model) crossSend() (_ Model, _ tea.Cmd, stop bool) {
	if m.cross.chosen() == "" {
		return m, nil, false
	}
	if m.dryRun {
		m.focus = fDryRun
		return m, m.status.Show(status.Error, "not sent: no dry run of a copy into another account: that account cannot see the snapshot before it is shared; the preview lists the steps, turn Dry run off to send"), true
	}
	if p, waiting := m.crossProblem(); p != "" {
		if waiting {
			return m, m.status.Show(status.Info, "not sent yet: "+p), true
		}
		m.focus = fAccount
		return m, m.status.Show(status.Error, "not sent: fix the destination account: "+p), true
	}
	for _, s := range m.sources {
		if ch, _ := m.check(s); ch.cc.PolicyErr != nil {
			m.focus = fAccount
			return m, m.status.Show(status.Error, "not sent: the policy of "+m.sharedKey(s)+" could not be read: "+model.Explain(ch.cc.PolicyErr, model.Brief())+
				"; whoever administers the key must let account "+m.destinationAccount()+" use it"), true
		}
	}
	if q := m.policyToAsk(); q != nil {
		m.cross.asking = q
		return m, nil, true
	}
	return m, nil, false
}

// answerPolicy takes the answer to the key policy's question: yes puts the
// policy after (PutKeyPolicy, by the source account), then sends; no sends
// nothing; up and down scroll the two documents.
func (m Model) answerPolicy(msg tea.KeyMsg) (Model, tea.Cmd) {
	q := *m.cross.asking
	switch {
	case key.Matches(msg, keys.Yes):
		m.cross.asking = nil
		src := m.cross.src
		m.status.Hold(status.Info, "adding "+plural(len(q.Missing), "statement")+" to the policy of "+q.Key+" (PutKeyPolicy)…")
		return m, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
			defer cancel()
			err := src.PutKeyPolicy(ctx, q.Region, q.Key, q.After)
			return policyPutMsg{arn: q.Key, policy: q.After, err: err}
		}
	case key.Matches(msg, keys.No), key.Matches(msg, keys.Back):
		m.cross.asking = nil
		return m, m.status.Show(status.Warning, "not sent: account "+q.Account+" may not use "+q.Key+" until its policy has the "+
			plural(len(q.Missing), "statement")+" shown (the copy would fail with \"Given key ID is not accessible\"); "+
			status.KeyName(keys.Submit)+" shows them again")
	case key.Matches(msg, keys.Up):
		q.Scroll(-1)
	case key.Matches(msg, keys.Down):
		q.Scroll(1)
	}
	m.cross.asking = &q
	return m, nil
}

// policyPut takes PutKeyPolicy's answer: the form sends once the policy
// admits the account; refused, it says who must add the statements.
func (m Model) policyPut(msg policyPutMsg) (Model, tea.Cmd) {
	m.status.Release()
	if msg.err != nil {
		m.holdCondition()
		return m, m.status.Show(status.Error, "not sent: PutKeyPolicy refused: "+model.Explain(msg.err, model.Brief())+
			"; whoever administers the key must add the statements ("+status.KeyName(keys.Submit)+" shows them)")
	}
	m.cross.checks = m.policyAdded(msg.arn, msg.policy)
	m, cmd := m.send(false)
	return m, tea.Batch(m.status.Show(status.Info, "the policy of "+msg.arn+" now lets the account use the key"), cmd)
}

// policyView is the key policy's question over the whole screen.
func (m Model) policyView(w, h int) string {
	return m.cross.asking.View(w, h, "add them with PutKeyPolicy, then send? "+status.KeyName(keys.Yes)+"/"+status.KeyName(keys.No)+
		" ("+status.KeyName(keys.No)+" sends nothing; ↑/↓ scroll)")
}

// policyAdded is what the source account told, with policy the policy of
// key arn now (PutKeyPolicy took it).
func (m Model) policyAdded(arn, policy string) map[string]checked {
	out := make(map[string]checked, len(m.cross.checks))
	for k, c := range m.cross.checks {
		shared := c.cc.SourceKey
		if c.cc.Facts.SourceKeyAWSManaged {
			shared = c.cc.ReencryptKey
		}
		if shared == arn && c.err == nil {
			missing, err := model.MissingKeyStatements(policy, c.account)
			c.cc.Policy, c.cc.PolicyErr = policy, err
			c.cc.Facts.MissingStatements, c.cc.Facts.PolicyKnown = missing, err == nil
		}
		out[k] = c
	}
	return out
}
