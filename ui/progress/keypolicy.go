package progress

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/policyview"
	"github.com/snapcopy/snapcopy/ui/status"
)

// A copy into another account whose key policy does not admit that
// account waits at its key policy's step (model.Copy.WaitsForKeyPolicy):
// K reads the policy, shows it before and after adding the statements the
// account lacks, and y adds them (PutKeyPolicy, with the credentials of
// the account that owns the key: the source's); the next step then finds
// them and the copy goes on.

// KeyPolicies reads and puts the policies of the source account's keys
// (*awsops.Client).
type KeyPolicies interface {
	KeyPolicy(ctx context.Context, region, key string) (string, error)
	PutKeyPolicy(ctx context.Context, region, key, policy string) error
}

// policyCallTimeout bounds reading or putting one key policy.
const policyCallTimeout = 60 * time.Second

// policyReadMsg carries the policy of a waiting copy's key.
type policyReadMsg struct {
	requestID, region, key, account string
	policy                          string
	err                             error
}

// policyPutMsg carries PutKeyPolicy's answer.
type policyPutMsg struct {
	key string
	err error
}

// askKeyPolicy reads the policy of the selected copy's key, when it waits
// for statements.
func (m Model) askKeyPolicy() (Model, tea.Cmd) {
	c := m.current()
	switch {
	case c == nil || !c.WaitsForKeyPolicy():
		return m, m.status.Show(status.Info, "only a copy into another account waiting for its key policy takes statements")
	case m.opts.KeyPolicies == nil:
		return m, m.status.Show(status.Warning, "key policies cannot be read here")
	}
	p, id, region, key, account := m.opts.KeyPolicies, c.RequestID, c.Request.SourceRegion, c.Cross.SharedKey(), c.Cross.DestinationAccount
	return m, tea.Batch(m.status.Show(status.Info, "reading the policy of "+key+" (GetKeyPolicy)…"), func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), policyCallTimeout)
		defer cancel()
		doc, err := p.KeyPolicy(ctx, region, key)
		return policyReadMsg{requestID: id, region: region, key: key, account: account, policy: doc, err: err}
	})
}

// policyRead asks the question, or says why there is none.
func (m Model) policyRead(msg policyReadMsg) (Model, tea.Cmd) {
	if msg.err != nil {
		return m, m.status.Show(status.Error, "could not read the policy of "+msg.key+": "+model.Explain(msg.err, model.Brief()))
	}
	q, ok, err := policyview.New(msg.region, msg.key, msg.account, msg.policy)
	switch {
	case err != nil:
		return m, m.status.Show(status.Error, "the policy of "+msg.key+": "+err.Error())
	case !ok:
		m.follow.stepNow()
		return m, m.status.Show(status.Info, "the policy of "+msg.key+" already lets account "+msg.account+" use the key: checking again now")
	}
	m.policy = &q
	return m, nil
}

// answerPolicy takes y (put the policy after), n (leave it) or ↑/↓.
func (m Model) answerPolicy(msg tea.KeyMsg) (Model, tea.Cmd) {
	q := *m.policy
	switch {
	case key.Matches(msg, keys.Yes):
		m.policy = nil
		p := m.opts.KeyPolicies
		return m, tea.Batch(m.status.Show(status.Info, "adding the statements to the policy of "+q.Key+" (PutKeyPolicy)…"), func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), policyCallTimeout)
			defer cancel()
			return policyPutMsg{key: q.Key, err: p.PutKeyPolicy(ctx, q.Region, q.Key, q.After)}
		})
	case key.Matches(msg, keys.No):
		m.policy = nil
		return m, m.status.Show(status.Info, "the policy of "+q.Key+" is left as it is: the copy waits")
	case key.Matches(msg, keys.Up):
		q.Scroll(-1)
	case key.Matches(msg, keys.Down):
		q.Scroll(1)
	}
	m.policy = &q
	return m, nil
}

// policyPut says PutKeyPolicy's answer; a step at once lets the waiting
// copy find the statements.
func (m Model) policyPut(msg policyPutMsg) (Model, tea.Cmd) {
	if msg.err != nil {
		return m, m.status.Show(status.Error, "PutKeyPolicy refused: "+model.Explain(msg.err, model.Brief())+"; whoever administers "+msg.key+" must add the statements")
	}
	m.follow.stepNow()
	return m, m.status.Show(status.Info, "the policy of "+msg.key+" now lets the account use the key: the copy goes on")
}

// policyView is the question over the whole pane.
func (m Model) policyView(w, h int) string {
	return m.policy.View(w, h, "add them with PutKeyPolicy? "+status.KeyName(keys.Yes)+"/"+status.KeyName(keys.No)+" (↑/↓ scroll)")
}
