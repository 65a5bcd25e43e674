package progress

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/copytext"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// cell fits s into exactly w columns: cut with "…" or padded with spaces.
func cell(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = ansi.Truncate(s, w, "…")
	if n := ansi.StringWidth(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// right fits s into w columns, aligned right.
func right(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	if n := ansi.StringWidth(s); n < w {
		s = strings.Repeat(" ", w-n) + s
	}
	return s
}

// fit cuts a line to the width, so nothing wraps.
func fit(s string, w int) string { return ansi.Truncate(s, w, "…") }

// View draws the pane in its width and height.
func (m Model) View() string {
	w, h := m.size()
	if m.policy != nil {
		return m.policyView(w, h)
	}
	body := max(1, h-2) // the last two lines: status and keys
	var lines []string
	if m.detail && m.current() != nil {
		lines = m.scrolled(m.detailLines(w), body)
	} else {
		lines = m.tableLines(w, body)
	}
	if len(lines) > body {
		lines = lines[:body]
	}
	for len(lines) < body {
		lines = append(lines, "")
	}
	if h >= 2 {
		if m.asking != nil {
			lines = append(lines, m.questionLine(w))
		} else {
			lines = append(lines, m.status.View(w))
		}
	}
	k := m.keyMap()
	lines = append(lines, status.KeyBar(m.help, k.ShortHelp(), k.keptKeys()))
	if len(lines) > h {
		lines = lines[len(lines)-h:]
	}
	for i, l := range lines {
		lines[i] = fit(l, w)
	}
	return strings.Join(lines, "\n")
}

func (m Model) tableLines(w, body int) []string {
	title := titleStyle.Render("Copies")
	if len(m.copies) == 0 {
		return []string{title, "", dimStyle.Render(fit("No copies tracked. Choose snapshots in the list ("+status.KeyName(keys.Back)+") and copy them.", w))}
	}
	l := m.layOut(w)
	per := 1
	head := 2 // title and column headings
	if l.twoLines {
		per, head = 2, 1
	}
	visible := max(1, (body-head)/per)
	first := 0
	if m.cursor >= visible {
		first = m.cursor - visible + 1
	}
	last := min(len(m.copies), first+visible)

	sum := copytext.Summary(m.copies)
	if first > 0 || last < len(m.copies) {
		sum = fmt.Sprintf("%d-%d of %d · ", first+1, last, len(m.copies)) + sum
	}
	if m.onSummary {
		title = markCursor + " " + title
	}
	lines := []string{title + "  " + dimStyle.Render(fit(sum, max(0, w-8)))}
	if !l.twoLines {
		lines = append(lines, headerStyle.Render(m.headings(l)))
	}
	for i := first; i < last; i++ {
		lines = append(lines, m.row(&m.copies[i], i == m.cursor, l)...)
	}
	return lines
}

func (m Model) headings(l layout) string {
	cols := []string{cell("", wMarker-1), cell("SOURCE", l.src)}
	if l.name > 0 {
		cols = append(cols, cell("NAME", l.name))
	}
	cols = append(cols, cell(l.destTitle, l.dest))
	if l.copyID > 0 {
		cols = append(cols, cell("COPY", l.copyID))
	}
	cols = append(cols, cell("STATE", l.state))
	if l.bar > 0 {
		cols = append(cols, cell("PROGRESS", l.bar))
	}
	cols = append(cols, right("", wPct))
	if l.elapsed > 0 {
		cols = append(cols, cell("ELAPSED", l.elapsed))
	}
	if l.rate > 0 {
		cols = append(cols, cell("RATE", l.rate))
	}
	if l.eta > 0 {
		cols = append(cols, cell("LEFT", l.eta))
	}
	return strings.TrimRight(strings.Join(cols, " "), " ")
}

// row draws one copy: one line, or two on a narrow terminal.
func (m Model) row(c *model.Copy, selected bool, l layout) []string {
	marker := cell("", wMarker)
	if selected {
		marker = markCursor + " "
	}
	state := m.stateStyle(c).Render(cell(stateLabel(c, m.now), l.state))
	idStyle := lipgloss.NewStyle()
	if selected {
		idStyle = selectedStyle
	}

	if l.twoLines {
		first := marker + idStyle.Render(m.sourceLabel(c)) + " → " + destLabel(c)
		second := cell("", wMarker) + state + " "
		if why := m.why(c); why != "" {
			second += m.stateStyle(c).Render(why)
		} else {
			second += m.drawBar(c, l.bar) + " " + right(pct(c), wPct)
			if l.eta > 0 {
				second += " " + copytext.ETA(c, m.now)
			}
		}
		return []string{fit(first, l.full), strings.TrimRight(fit(second, l.full), " ")}
	}

	cols := []string{marker[:len(marker)-1], idStyle.Render(m.sourceCell(c, l))}
	if l.name > 0 {
		cols = append(cols, cell(textsafe.Clean(c.SourceName), l.name))
	}
	cols = append(cols, cell(destLabel(c), l.dest))
	// What follows the state: the bar and the numbers, or why the copy
	// does not move (AWS's message for a failure, the app's note), which
	// may use the rest of the line. Where that is too short to read, the
	// state and the reason start where the copy's id would (the details
	// have it).
	why := m.why(c)
	used := ansi.StringWidth(strings.Join(cols, " ")) + 1
	if why != "" && l.copyID > 0 && l.full-used-(l.copyID+1)-(l.state+1) < wWhyMin {
		cols = append(cols, m.stateStyle(c).Render(fit(stateLabel(c, m.now)+": "+why, max(0, l.full-used))))
		return []string{strings.TrimRight(strings.Join(cols, " "), " ")}
	}
	if l.copyID > 0 {
		cols = append(cols, cell(copyLabel(c), l.copyID))
	}
	cols = append(cols, state)
	if why != "" {
		used := ansi.StringWidth(strings.Join(cols, " ")) + 1
		cols = append(cols, m.stateStyle(c).Render(fit(why, max(0, l.full-used))))
		return []string{strings.TrimRight(strings.Join(cols, " "), " ")}
	}
	if l.bar > 0 {
		cols = append(cols, m.drawBar(c, l.bar))
	}
	cols = append(cols, right(pct(c), wPct))
	if l.elapsed > 0 {
		cols = append(cols, cell(elapsedCell(c.Elapsed(m.now)), l.elapsed))
	}
	if l.rate > 0 {
		cols = append(cols, cell(rate(c), l.rate))
	}
	if l.eta > 0 {
		cols = append(cols, cell(copytext.ETA(c, m.now), l.eta))
	}
	return []string{strings.TrimRight(strings.Join(cols, " "), " ")}
}

// why is the text shown instead of a bar: AWS's message for a failed copy,
// the note of a copy that is waiting. "" for a copy that moves.
func (m Model) why(c *model.Copy) string {
	switch c.Phase {
	case model.PhaseFailed, model.PhaseCancelled:
		return copytext.Reason(c)
	case model.PhaseQueued, model.PhaseSending:
		if r := copytext.Reason(c); r != "" {
			return r
		}
		return "waiting to be sent"
	}
	return ""
}

func pct(c *model.Copy) string {
	if c.Phase == model.PhaseStarting && c.Progress == 0 {
		return ""
	}
	return fmt.Sprintf("%d%%", c.Progress)
}

// drawBar renders the bar with bubbles' progress (ViewAs: no animation, so
// a frame changes only when the percentage does), coloured in two runs.
func (m Model) drawBar(c *model.Copy, w int) string {
	if w <= 0 {
		return ""
	}
	b := m.bar
	b.Width = w
	plain := b.ViewAs(float64(c.Progress) / 100)
	filled := strings.Count(plain, string(b.Full))
	full := strings.Repeat(string(b.Full), filled)
	empty := strings.Repeat(string(b.Empty), max(0, w-filled))
	var s string
	if filled > 0 {
		s += barFullStyle.Render(full)
	}
	if filled < w {
		s += barEmptyStyle.Render(empty)
	}
	return s
}

func (m Model) stateStyle(c *model.Copy) lipgloss.Style {
	if lateLabel(c, m.now) != "" {
		return lateStyle
	}
	switch c.Phase {
	case model.PhaseRunning:
		return runningStyle
	case model.PhaseCompleted:
		return doneStyle
	case model.PhaseFailed:
		return failedStyle
	}
	return dimStyle // queued, sending, starting, cancelled
}

// besideFirstAttempt reports whether c is a retry shown with the copy it
// retries (attemptOrder puts it right after).
func (m Model) besideFirstAttempt(c *model.Copy) bool {
	return c.RetryOf != "" && slices.ContainsFunc(m.copies, func(o model.Copy) bool { return o.RequestID == c.RetryOf })
}

// scrolled is the details from the line detailTop on, the title kept on
// top, so details longer than the screen can be read to the end.
func (m Model) scrolled(lines []string, body int) []string {
	top := min(m.detailTop, maxTop(len(lines), body))
	if top <= 0 {
		return lines
	}
	return append([]string{lines[0]}, lines[1+top:]...)
}

// maxTop is how far details of n lines scroll in body lines.
func maxTop(n, body int) int { return max(0, n-max(1, body)) }

// size is the pane's width and height, 80x24 before the terminal told.
func (m Model) size() (w, h int) {
	w, h = m.width, m.height
	if w <= 0 {
		w = 80
	}
	if h <= 0 {
		h = 24
	}
	return w, h
}

// detailMaxTop is how far the selected copy's details scroll at the
// pane's size.
func (m Model) detailMaxTop() int {
	w, h := m.size()
	return maxTop(len(m.detailLines(w)), max(1, h-2))
}

// detailLines shows everything known about the selected copy.
func (m Model) detailLines(w int) []string {
	c := m.current()
	src := copytext.Source(c)
	title := "Copy of " + src
	if c.Discovered {
		title = "Found in flight: " + copyLabel(c)
	}
	if c.SourceName != "" {
		title += " (" + textsafe.Clean(c.SourceName) + ")"
	}
	lines := []string{titleStyle.Render(fit(title, w)), ""}
	// A long value (tags, a key ARN, AWS's words) wraps under itself: the
	// details scroll, so nothing needs cutting.
	field := func(label, value string) {
		for i, l := range strings.Split(ansi.Wrap(value, max(1, w-13), " ,"), "\n") {
			if i > 0 {
				label = ""
			}
			lines = append(lines, labelStyle.Render(cell(label, 13))+fit(l, max(0, w-13)))
		}
	}
	r := c.Request
	// What the operator came for first: the state and, for a failure,
	// AWS's reason; the screen may be too short for the rest.
	state := phaseLabel(c) // lateness follows
	if c.Phase == model.PhaseRunning || c.Phase == model.PhaseStarting {
		state += fmt.Sprintf(" %d%%", c.Progress)
	}
	if late := lateLabel(c, m.now); late != "" {
		state += " · " + late
	}
	field("state", m.stateStyle(c).Render(state))
	if !c.Phase.Done() || c.Phase == model.PhaseCompleted {
		field("progress", m.drawBar(c, min(wBarMax, max(0, w-13-5)))+" "+fmt.Sprintf("%d%%", c.Progress))
	}
	if c.Phase == model.PhaseCancelled {
		lines = append(lines, dimStyle.Render(fit(copytext.Reason(c), w)), "")
	}
	if c.Phase == model.PhaseFailed {
		lines = append(lines, failedStyle.Render(fit(markFailed+" AWS says:", w)))
		for _, l := range strings.Split(ansi.Wrap(copytext.Reason(c), max(1, w-2), " "), "\n") {
			lines = append(lines, "  "+l)
		}
		if r.KmsKeyID != "" {
			// AWS's message for a key it cannot use does not name the key.
			lines = append(lines, "  "+fit("the request's KMS key: "+textsafe.Clean(r.KmsKeyID), max(0, w-2)))
		}
		lines = append(lines, "")
	}
	field("copy", copyLabel(c))
	if lock := snapLockDetail(c, m.now); lock != "" {
		field("lock", lock)
	}
	field("destination", textsafe.Clean(r.Destination().String()))
	for _, f := range crossFields(c) {
		field(f[0], f[1])
	}
	switch {
	case r.SourceSnapshotID == "":
		field("source", copytext.Unknown+" (neither its tags nor its description name it)")
	case r.SourceRegion == "":
		field("source", src)
	default:
		field("source", src+" in "+textsafe.Clean(r.SourceRegion))
	}
	if c.Discovered {
		field("found", textsafe.Clean(c.Origin)+": followed only, never retried or cancelled")
	}
	field("request", textsafe.Clean(c.RequestID))
	if c.RetryOf != "" {
		field("attempt", fmt.Sprintf("%d, retrying %s", c.AttemptNumber(), textsafe.Clean(c.RetryOf)))
	}
	if !c.SentAt.IsZero() {
		field("sent", c.SentAt.UTC().Format("2006-01-02 15:04:05 UTC")+", elapsed "+copytext.Clock(c.Elapsed(m.now)))
	} else {
		field("added", c.CreatedAt.UTC().Format("2006-01-02 15:04:05 UTC")+", waiting "+copytext.Clock(c.Elapsed(m.now)))
	}
	if !c.DoneAt.IsZero() {
		field("ended", c.DoneAt.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	if rt := rate(c); rt != "" {
		field("rate", rt)
	}
	if r.CompletionDurationMinutes > 0 {
		v := fmt.Sprintf("time-based: %d min", r.CompletionDurationMinutes)
		if d, ok := c.Deadline(m.now); ok {
			v += ", deadline " + d.Due.UTC().Format("2006-01-02 15:04 UTC")
			switch {
			case d.Late && c.Phase == model.PhaseCompleted:
				v += ", completed " + copytext.Clock(d.LateBy) + " late"
			case d.Late:
				v += ", missed: late by " + copytext.Clock(d.LateBy)
			}
		}
		field("transfer", v)
	}
	if e := copytext.ETA(c, m.now); e != "" {
		d, timed := c.Deadline(m.now)
		switch {
		case e == "?":
			field("time left", "unknown: past the deadline, no progress seen to estimate from")
		case timed && !d.Late && strings.HasPrefix(e, "~"):
			field("time left", "about "+strings.TrimPrefix(e, "~")+", estimated from the progress seen: sooner than the deadline, in "+copytext.Roughly(d.Left))
		case strings.HasPrefix(e, "~"):
			field("time left", "about "+strings.TrimPrefix(e, "~")+", estimated from the progress seen")
		case timed:
			field("time left", e+" to the deadline")
		default:
			field("time left", "about "+e)
		}
	}
	field("encryption", encryption(r))
	if r.Description != "" {
		field("description", textsafe.Clean(r.Description))
	}
	// One tag a line, each whole (wrapped when long): the details
	// scroll to the last.
	for i, t := range userTags(r.Tags) {
		label := ""
		if i == 0 {
			label = "tags"
		}
		field(label, t)
	}
	if c.Attempts > 0 {
		field("sends", fmt.Sprintf("%d, last %s", c.Attempts, c.AttemptedAt.UTC().Format("15:04:05 UTC")))
	}
	if c.Note != "" {
		field("note", textsafe.Clean(c.Note))
	}
	return lines
}

func encryption(r model.CopyRequest) string {
	switch {
	case r.KmsKeyID != "":
		return "encrypted with " + textsafe.Clean(r.KmsKeyID)
	case r.Encrypted:
		return "encrypted with the destination's default EBS key"
	}
	return "as the source and the destination's default"
}

// userTags lists the request's tags, key=value, but snapcopy's own
// request tag.
func userTags(tags []model.Tag) []string {
	var out []string
	for _, t := range tags {
		if t.Key == model.RequestTagKey {
			continue
		}
		out = append(out, textsafe.Clean(t.Key)+"="+textsafe.Clean(t.Value))
	}
	return out
}
