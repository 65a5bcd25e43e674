package form

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
)

// policyQuestion asks, before sending, whether to add to the shared key's
// policy the statements the destination account lacks (PutKeyPolicy),
// showing the policy before and after. Without them CopySnapshot is
// accepted and the copy fails later ("Given key ID is not accessible").
type policyQuestion struct {
	region, arn   string
	account       string
	missing       []model.KeyStatement
	before, after string
	offset        int // first line shown of the two documents
}

// policyToAsk is the question for the first shared key whose policy lacks
// statements for the destination account, nil when none does.
func (m Model) policyToAsk() *policyQuestion {
	for _, s := range m.sources {
		c, f := m.crossFor(s)
		if !f.PolicyKnown || len(f.MissingStatements) == 0 {
			continue
		}
		ch, _ := m.check(s)
		arn, before := m.sharedKey(s), ch.cc.Policy
		after, err := model.WithKeyStatements(before, f.MissingStatements)
		if err != nil {
			continue
		}
		return &policyQuestion{region: m.region, arn: arn, account: c.DestinationAccount, missing: f.MissingStatements, before: before, after: after}
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
		m.status.Hold(status.Info, "adding "+plural(len(q.missing), "statement")+" to the policy of "+q.arn+" (PutKeyPolicy)…")
		return m, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
			defer cancel()
			err := src.PutKeyPolicy(ctx, q.region, q.arn, q.after)
			return policyPutMsg{arn: q.arn, policy: q.after, err: err}
		}
	case key.Matches(msg, keys.No), key.Matches(msg, keys.Back):
		m.cross.asking = nil
		return m, m.status.Show(status.Warning, "not sent: account "+q.account+" may not use "+q.arn+" until its policy has the "+
			plural(len(q.missing), "statement")+" shown (the copy would fail with \"Given key ID is not accessible\"); "+
			status.KeyName(keys.Submit)+" shows them again")
	case key.Matches(msg, keys.Up):
		q.offset = max(0, q.offset-1)
	case key.Matches(msg, keys.Down):
		q.offset++
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

// policyView is the key policy's question over the whole screen: the
// policy before and after, side by side (one under the other when
// narrow), and the question.
func (m Model) policyView(w, h int) string {
	q := m.cross.asking
	head := []string{
		previewStyle.Render("Key policy") + " of " + clean(q.arn),
		fmt.Sprintf("Account %s must use this key for the copy: its policy lacks %s (statements %s). Before, and after adding them:",
			clean(q.account), plural(len(q.missing), "statement"), sids(q.missing)),
		"",
	}
	before, after := indented(q.before), indented(q.after)
	var body []string
	if col := (w - 3) / 2; col >= 30 {
		body = append(body, padCell(labelStyle.Render("Before"), col)+" │ "+labelStyle.Render("After"))
		for i := 0; i < max(len(before), len(after)); i++ {
			l, r := "", ""
			if i < len(before) {
				l = before[i]
			}
			if i < len(after) {
				r = after[i]
			}
			body = append(body, padCell(ansi.Truncate(clean(l), col, "…"), col)+" │ "+clean(r))
		}
	} else {
		body = append(body, labelStyle.Render("Before"))
		body = append(body, cleanAll(before)...)
		body = append(body, "", labelStyle.Render("After"))
		body = append(body, cleanAll(after)...)
	}
	ask := status.RenderLines(status.LevelMessage{Level: status.Warning, Text: "add them with PutKeyPolicy, then send? " +
		status.KeyName(keys.Yes) + "/" + status.KeyName(keys.No) + " (" + status.KeyName(keys.No) + " sends nothing; ↑/↓ scroll)"}, w, 2)
	room := max(1, h-len(head)-len(ask))
	off := min(q.offset, max(0, len(body)-room))
	body = body[off:min(len(body), off+room)]
	lines := append(append(head, body...), ask...)
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "…")
	}
	return strings.Join(lines, "\n")
}

// indented is a policy document's lines, indented as JSON (as KMS keeps
// it when it is not).
func indented(doc string) []string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(doc), "", "  "); err != nil {
		return strings.Split(doc, "\n")
	}
	return strings.Split(b.String(), "\n")
}

func cleanAll(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = clean(l)
	}
	return out
}

// padCell pads s to w cells.
func padCell(s string, w int) string {
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}

// sids names statements by their Sid.
func sids(sts []model.KeyStatement) string {
	names := make([]string, len(sts))
	for i, s := range sts {
		names[i] = `"` + s.Sid + `"`
	}
	return strings.Join(names, ", ")
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
