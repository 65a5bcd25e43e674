package form

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/validate"
)

// dryRunMsg answers a dry run of the form numbered form.
type dryRunMsg struct {
	form    int64
	answers []dryRunAnswer
}

// dryRunAnswer is AWS's answer to the dry run of one source's copy.
type dryRunAnswer struct {
	source string
	result awsops.DryRunResult
	err    error
}

// submit sends the form: refused, with the field to fix, while validate
// reports an error; a dry run asks AWS and stays; a real copy hands the new
// copies to the tracker.
func (m Model) submit() (Model, tea.Cmd) { return m.send(false) }

// send is submit; confirmed is true once the operator answered "send
// anyway?" with yes.
func (m Model) send(confirmed bool) (Model, tea.Cmd) {
	switch {
	case m.started:
		return m, nil
	case m.dryRunning:
		return m, m.status.Show(status.Info, "a dry run is under way; wait for its answer")
	}
	m, cmd := m.refresh()
	res := m.result
	if p, bad := res.FirstError(); bad {
		m.status.Show(status.Error, "not sent: fix the "+string(p.Field)+": "+p.Message)
		m.focusOn(p)
		return m, cmd
	}
	if len(res.Requests) == 0 {
		m.status.Show(status.Error, "not sent: no snapshot can be copied to this destination")
		return m, cmd
	}
	if m, said, stop := m.crossSend(); stop {
		return m, tea.Batch(cmd, said)
	}
	reqs := m.requests(res)
	if what, looking := m.checking(reqs); looking && !m.dryRun && !confirmed {
		// The duplicate warning and the key's check need AWS's answer:
		// sending before it would skip the check the operator counts on.
		// The form sends by itself once the answer is in.
		m.sendPending = true
		m.status.Hold(status.Info, what+" before sending…")
		return m, cmd
	}
	if q := m.question(); q != "" && !m.dryRun && !confirmed {
		// AWS accepts the request and the copy fails later, or makes a
		// second copy: the operator decides, knowingly.
		m.asking = q
		return m, cmd
	}
	if m.dryRun {
		m.dryRunning = true
		m.dryRunFor = m.formValue()
		m.status.Clear()
		m.status.Hold(status.Info, "dry run: asking AWS whether "+plural(len(reqs), "copy")+" would be allowed…")
		return m, tea.Batch(cmd, dryRunCmd(m.aws, m.id, reqs))
	}
	now := m.now()
	copies := make([]*model.Copy, 0, len(reqs))
	for _, r := range reqs {
		if m.retrying != nil && r.SourceSnapshotID == m.retrying.Request.SourceSnapshotID {
			copies = append(copies, model.NewEdit(r, m.source(r.SourceSnapshotID), m.retrying, now))
			continue
		}
		copies = append(copies, model.NewCopy(r, m.source(r.SourceSnapshotID), now))
	}
	m.setCross(copies)
	m.started = true
	said := m.status.Show(status.Info, "starting "+plural(len(copies), "copy")+"…")
	last := m.lastRequest()
	m.last = &last
	return m, tea.Batch(cmd, said, func() tea.Msg { return nav.StartCopies{Copies: copies} }, m.saveLast(last))
}

// keyWarning is validate's warning about the form's KMS key: an alias the
// destination Region does not list, or a key DescribeKey found missing,
// disabled or pending deletion there.
func (m Model) keyWarning() (validate.Problem, bool) {
	ps := validate.KnownKey(strings.TrimSpace(m.kms.Value()), m.region, m.result.Destination.Region, m.facts)
	if len(ps) == 0 {
		return validate.Problem{}, false
	}
	return ps[0], true
}

// answer takes the answer to "send anyway?": yes sends, no (or back)
// returns to the KMS key or the destination; other keys do nothing while it is asked.
func (m Model) answer(msg tea.KeyMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(msg, keys.Yes):
		m.asking = ""
		return m.send(true)
	case key.Matches(msg, keys.No), key.Matches(msg, keys.Back):
		text, focus := m.declined()
		m.asking, m.focus = "", focus
		return m, m.status.Show(status.Info, text)
	}
	return m, nil
}

// fit sets the completion duration to the shortest that fits the Region
// pair's time-based copy quota, when the batch is over it.
func (m Model) fit() (Model, tea.Cmd) {
	q := m.result.Quota
	if !q.Exceeds || q.FitMinutes <= 0 {
		return m, m.status.Show(status.Info, "nothing to fit: the time-based copies are within the quota, or no duration fits")
	}
	m.duration.SetValue(itoa(int(q.FitMinutes)))
	m.duration.CursorEnd()
	said := m.status.Show(status.Info, "completion duration set to "+itoa(int(q.FitMinutes))+" minutes, the shortest that fits the quota of "+validate.FormatMiBps(q.Quota.MiBps))
	m, cmd := m.refresh()
	return m, tea.Batch(said, cmd)
}

// dryRunCmd asks AWS, one dry run per request, whether the copies would be
// allowed; the answers come back in one dryRunMsg for the form numbered form.
func dryRunCmd(c AWS, form int64, reqs []model.CopyRequest) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
		defer cancel()
		answers := make([]dryRunAnswer, len(reqs))
		for i, r := range reqs {
			res, err := c.DryRun(ctx, r)
			answers[i] = dryRunAnswer{source: r.SourceSnapshotID, result: res, err: err}
		}
		return dryRunMsg{form: form, answers: answers}
	}
}

// dryRunAnswered shows AWS's answers to a dry run of this form, unless
// the form changed since it was sent.
func (m Model) dryRunAnswered(msg dryRunMsg) (Model, tea.Cmd) {
	if msg.form != m.id {
		return m, nil
	}
	m.dryRunning = false
	m.holdCondition()
	if !formEqual(m.dryRunFor, m.formValue()) {
		// AWS answered about a form that has changed since.
		return m, m.status.Show(status.Info, "dry run answer dropped: the form changed while AWS answered; submit again to ask about this one")
	}
	said := dryRunStatus(msg.answers)
	return m, m.status.Show(said.Level, said.Text)
}

// dryRunStatus says AWS's answers in one line: granted, missing (with
// AWS's message), or the error met with what to do.
func dryRunStatus(answers []dryRunAnswer) status.LevelMessage {
	granted := 0
	var first *dryRunAnswer
	for i := range answers {
		a := &answers[i]
		if a.err == nil && a.result.Allowed {
			granted++
		} else if first == nil {
			first = a
		}
	}
	if first == nil {
		// AWS's dry run answers for IAM alone: a KMS key the copy cannot
		// use fails the copy later.
		const only = "; a dry run checks IAM permissions only, not the KMS key"
		if len(answers) == 1 {
			return status.LevelMessage{Level: status.Info, Text: "dry run: " + answers[0].result.Message + only}
		}
		return status.LevelMessage{Level: status.Info, Text: "dry run: permission granted for all " + plural(len(answers), "copy") + only}
	}
	what := first.result.Message
	if first.err != nil {
		what = "dry run failed: " + model.Explain(first.err, model.RetryBy("press "+status.KeyName(keys.Submit)))
	}
	if len(answers) == 1 {
		if first.err == nil {
			what = "dry run: " + what
		}
		return status.LevelMessage{Level: status.Error, Text: what}
	}
	return status.LevelMessage{Level: status.Error, Text: "dry run: " + plural(len(answers)-granted, "copy") + " of " + itoa(len(answers)) + " not allowed; " + first.source + ": " + what}
}

// statusLines is the question asked before sending, else the status
// line: the last outcome (a refusal, a dry-run answer) over the standing
// condition (a dry run or reload under way, a failed look-up with what to
// do about it); one line, up to three when long.
func (m Model) statusLines(w int) []string {
	if m.asking != "" {
		q := m.asking + " — send anyway? " + status.KeyName(keys.Yes) + "/" + status.KeyName(keys.No)
		return status.RenderLines(status.LevelMessage{Level: status.Warning, Text: q}, w, 3)
	}
	if lines := m.status.Lines(w, 3); len(lines) > 0 {
		return lines
	}
	return []string{""}
}
