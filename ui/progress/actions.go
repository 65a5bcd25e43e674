package progress

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/copytext"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// The operator's next move on a copy: retry a failed one (R), edit it and
// send it again (E), cancel one in flight (C). Retry and cancel ask first,
// on one line; the work runs in tea.Cmds.

// question is a one-line y/n question and what a yes does.
type question struct {
	text string
	yes  func(m Model) (Model, tea.Cmd)
}

// retriedMsg is the outcome of a retry.
type retriedMsg struct {
	made   []model.Copy
	err    error
	copies []model.Copy
}

// cancelledMsg is the outcome of a cancel.
type cancelledMsg struct {
	copy   model.Copy
	err    error
	copies []model.Copy
}

// ask puts a question on the status line until y or n.
func (m Model) ask(text string, yes func(m Model) (Model, tea.Cmd)) (Model, tea.Cmd) {
	m.asking = &question{text: text + "? " + status.KeyName(keys.Yes) + "/" + status.KeyName(keys.No), yes: yes}
	return m, nil
}

// answer takes y or n to the question asked; any other key is ignored.
func (m Model) answer(msg tea.KeyMsg) (Model, tea.Cmd) {
	q := m.asking
	switch {
	case key.Matches(msg, keys.Yes):
		m.asking = nil
		return q.yes(m)
	case key.Matches(msg, keys.No):
		m.asking = nil
	}
	return m, nil
}

// askRetry asks to retry the selected failed copy, or on the summary line
// every failed copy of the last batch.
func (m Model) askRetry() (Model, tea.Cmd) {
	if m.onSummary {
		ids := m.failedOfLastBatch()
		if len(ids) == 0 {
			return m, m.status.Show(status.Warning, "no copy of the last batch failed (or each was retried already)")
		}
		q := fmt.Sprintf("retry the %s of the last batch", copytext.Plural(len(ids), "failed copy", "failed copies"))
		if n := m.failedOnKey(ids); n > 0 {
			// The same key fails the same way: say so before the question.
			q = fmt.Sprintf("%d of them failed on their KMS key and will fail again with it (%s on each changes it): %s anyway",
				n, status.KeyName(keys.Edit), q)
		}
		return m.ask(q, func(m Model) (Model, tea.Cmd) { return m.retry(ids) })
	}
	c := m.current()
	switch {
	case c == nil:
		return m, nil
	case !c.Retryable():
		return m, m.status.Show(status.Warning, "only a failed copy can be retried; this one is "+string(c.Phase))
	case m.retryOf(c.RequestID) != nil:
		r := m.retryOf(c.RequestID)
		return m, m.status.Show(status.Warning, fmt.Sprintf("this copy was retried already, as attempt %d", r.AttemptNumber()))
	}
	id := c.RequestID
	q := fmt.Sprintf("retry the copy of %s to %s as attempt %d", copytext.Source(c), copytext.Dest(c), c.AttemptNumber()+1)
	if c.FailedOnItsKey() {
		// The same request is sent: AWS refuses its key again.
		q = fmt.Sprintf("the same KMS key %s will fail again (%s changes it): %s anyway",
			keyName(c), status.KeyName(keys.Edit), q)
	}
	return m.ask(q, func(m Model) (Model, tea.Cmd) { return m.retry([]string{id}) })
}

// failedOnKey counts the copies of ids that failed on their KMS key.
func (m Model) failedOnKey(ids []string) int {
	n := 0
	for i := range m.copies {
		if slices.Contains(ids, m.copies[i].RequestID) && m.copies[i].FailedOnItsKey() {
			n++
		}
	}
	return n
}

// keyName names a request's KMS key: the one it names, or the
// destination's default for an encrypted copy that names none.
func keyName(c *model.Copy) string {
	if k := c.Request.KmsKeyID; k != "" {
		return textsafe.Clean(k)
	}
	return "(the destination's default)"
}

// retry hands the failed copies to the tracker, which records their next
// attempts before any is sent; once recorded, a step at once sends them.
func (m Model) retry(ids []string) (Model, tea.Cmd) {
	t := m.tracker
	return m, func() tea.Msg {
		made, err := t.Retry(ids...)
		return retriedMsg{made: made, err: err, copies: t.Copies()}
	}
}

func (m Model) retried(msg retriedMsg) (Model, tea.Cmd) {
	m.setCopies(msg.copies)
	if msg.err != nil {
		return m, m.status.Show(status.Error, "not retried: "+model.Explain(msg.err))
	}
	text := "retrying " + copytext.Plural(len(msg.made), "copy", "copies")
	if len(msg.made) == 1 {
		m.onSummary = false
		m.selected = msg.made[0].RequestID
		m.fixCursor()
		text = fmt.Sprintf("retrying as attempt %d", msg.made[0].AttemptNumber())
	}
	// Asked for once these copies are shown: the step's newer copies come after.
	m.follow.stepNow()
	return m, tea.Batch(m.status.Show(status.Info, text), m.redrawTick())
}

// failedOfLastBatch is the request ids of the last batch's failed copies
// not yet retried.
func (m Model) failedOfLastBatch() []string {
	var ids []string
	for _, id := range model.LastBatch(m.copies) {
		i := slices.IndexFunc(m.copies, func(c model.Copy) bool { return c.RequestID == id })
		if c := &m.copies[i]; c.Retryable() && m.retryOf(id) == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// retryOf is the copy retrying requestID, as the pane last saw them.
func (m Model) retryOf(requestID string) *model.Copy {
	for i := range m.copies {
		if m.copies[i].RetryOf == requestID {
			return &m.copies[i]
		}
	}
	return nil
}

// edit opens the form filled with the selected failed copy's request.
func (m Model) edit() (Model, tea.Cmd) {
	c := m.current()
	switch {
	case c == nil:
		return m, m.status.Show(status.Warning, "choose a failed copy to edit")
	case !c.Retryable():
		return m, m.status.Show(status.Warning, "only a failed copy can be edited and sent again; this one is "+string(c.Phase))
	}
	req := c.Edited()
	failed := *c
	return m, func() tea.Msg { return nav.EditCopy{Request: req, Failed: failed} }
}

// askCancel asks to cancel the selected copy, naming it and where it goes.
func (m Model) askCancel() (Model, tea.Cmd) {
	c := m.current()
	switch {
	case c == nil:
		return m, m.status.Show(status.Warning, "choose a copy to cancel")
	case !c.Cancellable():
		return m, m.status.Show(status.Warning, "only a copy in flight can be cancelled; this one is "+string(c.Phase))
	case c.SnapLockKeepsFromDelete(m.now) != "":
		// Nothing to ask: AWS would refuse the DeleteSnapshot.
		return m, m.status.Show(status.Warning, textsafe.Clean(c.SnapLockKeepsFromDelete(m.now)))
	}
	what := "the copy of " + copytext.Source(c) + " to " + textsafe.Clean(c.Request.Destination().String())
	if c.SnapshotID != "" {
		what += " (" + textsafe.Clean(c.SnapshotID) + ", deleted in " + textsafe.Clean(c.Request.DestinationRegion) + ")"
	}
	id := c.RequestID
	return m.ask("cancel "+what, func(m Model) (Model, tea.Cmd) {
		t, ctx := m.tracker, m.opts.Context
		shown := m.status.Show(status.Info, "cancelling")
		return m, tea.Batch(shown, func() tea.Msg {
			ctx, cancel := context.WithTimeout(ctx, track.DefaultStepTimeout) // bounded as a step is
			defer cancel()
			c, err := t.Cancel(ctx, id)
			return cancelledMsg{copy: c, err: err, copies: t.Copies()}
		})
	})
}

func (m Model) cancelled(msg cancelledMsg) (Model, tea.Cmd) {
	m.setCopies(msg.copies)
	if msg.err != nil {
		return m, m.status.Show(status.Error, "not cancelled: "+model.Explain(msg.err))
	}
	return m, m.status.Show(status.Info, textsafe.Clean(msg.copy.StateMessage))
}

// attemptOrder places each retry right after the copy it retries, the
// rest in the tracker's order.
func attemptOrder(copies []model.Copy) []model.Copy {
	byID := make(map[string]bool, len(copies))
	for _, c := range copies {
		byID[c.RequestID] = true
	}
	retries := map[string][]model.Copy{}
	out := make([]model.Copy, 0, len(copies))
	for _, c := range copies {
		if c.RetryOf != "" && byID[c.RetryOf] {
			retries[c.RetryOf] = append(retries[c.RetryOf], c)
		}
	}
	var place func(c model.Copy)
	place = func(c model.Copy) {
		out = append(out, c)
		for _, r := range retries[c.RequestID] {
			place(r)
		}
	}
	for _, c := range copies {
		if c.RetryOf == "" || !byID[c.RetryOf] {
			place(c)
		}
	}
	return out
}

// questionLine is the question asked, for the status line.
func (m Model) questionLine(w int) string {
	return status.Render(status.LevelMessage{Level: status.Warning, Text: strings.TrimSpace(m.asking.text)}, w)
}
