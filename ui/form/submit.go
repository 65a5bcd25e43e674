package form

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/validate"
)

// statusKind is how an outcome is shown: plain, good or bad.
type statusKind int

// The kinds of status: none, plain news, a success, a refusal or failure.
const (
	statusNone statusKind = iota
	statusInfo
	statusGood
	statusBad
)

// status is the one line where outcomes and refusals are said.
type status struct {
	kind statusKind
	text string
}

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
		m.status = status{statusInfo, "a dry run is under way; wait for its answer"}
		return m, nil
	}
	m, cmd := m.refresh()
	res := m.result
	if p, bad := res.FirstError(); bad {
		m.status = status{statusBad, "not sent: fix the " + string(p.Field) + ": " + p.Message}
		m.focusOn(p)
		return m, cmd
	}
	if len(res.Requests) == 0 {
		m.status = status{statusBad, "not sent: no snapshot can be copied to this destination"}
		return m, cmd
	}
	reqs := m.requests(res)
	if q := m.question(); q != "" && !m.dryRun && !confirmed {
		// AWS accepts the request and the copy fails later, or makes a
		// second copy: the operator decides, knowingly.
		m.asking = q
		return m, cmd
	}
	if m.dryRun {
		m.dryRunning = true
		m.dryRunFor = m.formValue()
		m.status = status{statusInfo, "dry run: asking AWS whether " + plural(len(reqs), "copy") + " would be allowed…"}
		return m, tea.Batch(cmd, dryRunCmd(m.client, m.id, reqs))
	}
	now := m.now()
	copies := make([]*model.Copy, 0, len(reqs))
	for _, r := range reqs {
		copies = append(copies, model.NewCopy(r, m.source(r.SourceSnapshotID), now))
	}
	m.started = true
	m.status = status{statusGood, "starting " + plural(len(copies), "copy") + "…"}
	last := m.lastRequest()
	m.last = &last
	return m, tea.Batch(cmd, func() tea.Msg { return nav.StartCopies{Copies: copies} }, m.saveLast(last))
}

// unknownAlias is validate's warning about a KMS alias the destination
// Region does not list, when the form's key is one.
func (m Model) unknownAlias() (validate.Problem, bool) {
	ps := validate.KnownAlias(strings.TrimSpace(m.kms.Value()), m.result.Destination.Region, m.facts)
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
		m.status, m.focus = m.declined()
		m.asking = ""
		return m, nil
	}
	return m, nil
}

// fit sets the completion duration to the shortest that fits the Region
// pair's time-based copy quota, when the batch is over it.
func (m Model) fit() (Model, tea.Cmd) {
	q := m.result.Quota
	if !q.Exceeds || q.FitMinutes <= 0 {
		m.status = status{statusInfo, "nothing to fit: the time-based copies are within the quota, or no duration fits"}
		return m, nil
	}
	m.duration.SetValue(itoa(int(q.FitMinutes)))
	m.duration.CursorEnd()
	m.status = status{statusInfo, "completion duration set to " + itoa(int(q.FitMinutes)) + " minutes, the shortest that fits the quota of " + validate.FormatMiBps(q.Quota.MiBps)}
	return m.refresh()
}

// dryRunCmd asks AWS, one dry run per request, whether the copies would be
// allowed; the answers come back in one dryRunMsg for the form numbered form.
func dryRunCmd(c *awsops.Client, form int64, reqs []model.CopyRequest) tea.Cmd {
	if c == nil {
		return nil
	}
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
func (m Model) dryRunAnswered(msg dryRunMsg) Model {
	if msg.form != m.id {
		return m
	}
	m.dryRunning = false
	if !formEqual(m.dryRunFor, m.formValue()) {
		// AWS answered about a form that has changed since.
		m.status = status{statusInfo, "dry run answer dropped: the form changed while AWS answered; submit again to ask about this one"}
		return m
	}
	m.status = dryRunStatus(msg.answers)
	return m
}

// dryRunStatus says AWS's answers in one line: granted, missing (with
// AWS's message), or the error met.
func dryRunStatus(answers []dryRunAnswer) status {
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
			return status{statusGood, "dry run: " + answers[0].result.Message + only}
		}
		return status{statusGood, "dry run: permission granted for all " + plural(len(answers), "copy") + only}
	}
	what := first.result.Message
	if first.err != nil {
		what = "dry run failed: " + errorText(first.err)
	}
	if len(answers) == 1 {
		if first.err == nil {
			what = "dry run: " + what
		}
		return status{statusBad, what}
	}
	return status{statusBad, "dry run: " + plural(len(answers)-granted, "copy") + " of " + itoa(len(answers)) + " not allowed; " + first.source + ": " + what}
}

// errorText is an error with what the operator can do about it.
func errorText(err error) string {
	if ae, ok := model.AsAPIError(err); ok {
		if h := ae.Hint(); h != "" {
			return ae.Error() + " (" + h + ")"
		}
		return ae.Error()
	}
	return err.Error()
}

// statusLines is the last outcome (a refusal, a dry-run answer), else a
// failed look-up with what to do about it: one line, up to three when long.
func (m Model) statusLines(w int) []string {
	if m.asking != "" {
		q := clean(m.asking) + " — send anyway? " + keys.Yes.Help().Key + "/" + keys.No.Help().Key
		lines := wrap(q, w-2, 3)
		for i, l := range lines {
			prefix := markWarning + " "
			if i > 0 {
				prefix = "  "
			}
			lines[i] = warnStyle.Render(prefix + l)
		}
		return lines
	}
	s := m.status
	if s.kind == statusNone {
		l, err, failed := m.firstLoadError()
		if !failed {
			return []string{""}
		}
		s = status{statusBad, "could not load " + l.what() + ": " + errorText(err)}
	}
	mark, style := "", dimStyle
	switch s.kind {
	case statusBad:
		mark, style = markError+" ", errorStyle
	case statusGood:
		mark, style = markOK+" ", okStyle
	}
	lines := wrap(clean(s.text), w-len([]rune(mark)), 3)
	for i, l := range lines {
		if i == 0 {
			lines[i] = style.Render(mark + l)
		} else {
			lines[i] = style.Render(strings.Repeat(" ", len([]rune(mark))) + l)
		}
	}
	return lines
}
