package list

import (
	"strconv"
	"strings"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/copytext"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// CopiesMsg hands the list the copies as the progress pane last saw them.
// The app sends it whenever they change; the list never asks the tracker.
type CopiesMsg struct {
	Copies []model.Copy
	// Shown says the list is on screen: a copy ending now is told on its
	// status line (whether or not the bell rings).
	Shown bool
}

// SentMsg says copies of these sources are recorded: their marks go, so
// the same batch is not sent twice by pressing enter again.
type SentMsg struct{ Sources []model.Snapshot }

// activity is what the list knows of the copies of this run.
type activity struct {
	all     []model.Copy           // every copy the pane holds, for the header's counts
	started bool                   // the first CopiesMsg came
	earlier map[string]bool        // request ids already ended when the list started
	phase   map[string]model.Phase // request id -> phase last seen
	session []model.Copy           // copies of this run, in the pane's order
	bySrc   map[string][]int       // source snapshot id -> indices into session
}

// onCopies takes the pane's copies: it keeps those of this run (in
// flight when the list started, or started since) and tells the copies
// that ended since the last message.
func (m *Model) onCopies(msg CopiesMsg) {
	a := &m.act
	a.all = msg.Copies
	if !a.started {
		a.started = true
		a.earlier = map[string]bool{}
		for _, c := range msg.Copies {
			if c.Phase.Done() {
				a.earlier[c.RequestID] = true
			}
		}
	}
	var ended []model.Copy
	phase := make(map[string]model.Phase, len(msg.Copies))
	a.session = a.session[:0]
	a.bySrc = map[string][]int{}
	for _, c := range msg.Copies {
		if a.earlier[c.RequestID] {
			continue
		}
		phase[c.RequestID] = c.Phase
		if was, seen := a.phase[c.RequestID]; c.Phase.Done() && (!seen || !was.Done()) {
			ended = append(ended, c)
		}
		src := c.Request.SourceSnapshotID
		a.bySrc[src] = append(a.bySrc[src], len(a.session))
		a.session = append(a.session, c)
	}
	a.phase = phase
	if len(ended) > 0 && msg.Shown {
		m.sayEnded(ended)
	}
}

// sayEnded flashes one line for the copies that just ended.
func (m *Model) sayEnded(ended []model.Copy) {
	t := model.TallyOf(ended)
	level := flashInfo
	if t.Failed > 0 {
		level = flashWarn
	}
	if len(ended) == 1 {
		c := ended[0]
		what := "copy of " + c.Request.SourceSnapshotID + " to " + c.Request.Destination().Short()
		if c.Phase == model.PhaseFailed {
			why := ""
			if c.StateMessage != "" {
				why = ": " + c.StateMessage
			}
			m.say(level, "%s failed%s · %s shows it", what, why, status.KeyName(m.keys.Progress))
			return
		}
		m.say(level, "%s completed: %s · %s shows it", what, c.SnapshotID, status.KeyName(m.keys.Progress))
		return
	}
	m.say(level, "%d copies ended: %d completed, %d failed · %s shows them", len(ended), t.Completed, t.Failed, status.KeyName(m.keys.Progress))
}

// copiesOf returns the copies of this run made from a source snapshot.
func (m *Model) copiesOf(id string) []model.Copy {
	idx := m.act.bySrc[id]
	if len(idx) == 0 {
		return nil
	}
	out := make([]model.Copy, len(idx))
	for i, k := range idx {
		out[i] = m.act.session[k]
	}
	return out
}

// Markers of a row with copies of this run, in the gutter after the mark.
const (
	markInFlight  = "→"
	markCompleted = "✓"
	markFailed    = "✗"
)

// activityMark is the gutter marker of a source's copies of this run, or
// "": in flight wins over failed, failed over completed.
func (m *Model) activityMark(id string) string {
	idx := m.act.bySrc[id]
	if len(idx) == 0 {
		return ""
	}
	failed, completed := false, false
	for _, k := range idx {
		switch p := m.act.session[k].Phase; {
		case !p.Done():
			return markInFlight
		case p == model.PhaseFailed:
			failed = true
		default:
			completed = true
		}
	}
	if failed {
		return markFailed
	}
	if completed {
		return markCompleted
	}
	return ""
}

// copyLines is one detail line per copy of the source this run: where it
// goes and how it stands.
func copyLines(copies []model.Copy) []string {
	out := make([]string, 0, len(copies))
	for _, c := range copies {
		dest := textsafe.Clean(c.Request.Destination().Short())
		var b strings.Builder
		switch c.Phase {
		case model.PhaseCompleted:
			b.WriteString(markCompleted + " " + dest + ": completed")
		case model.PhaseFailed:
			b.WriteString(markFailed + " " + dest + ": failed")
			if c.StateMessage != "" {
				b.WriteString(" (" + textsafe.Clean(c.StateMessage) + ")")
			}
		default:
			b.WriteString(markInFlight + " " + dest + ": " + string(c.Phase))
			if c.Phase == model.PhaseRunning && c.Progress >= 0 {
				b.WriteString(" " + strconv.Itoa(c.Progress) + "%")
			}
		}
		if c.SnapshotID != "" {
			b.WriteString(", " + textsafe.Clean(c.SnapshotID))
		}
		out = append(out, b.String())
	}
	return out
}

// activityCounts is the header's count of the copies, in a long and a
// short form, or "" while there are none: the progress pane's count
// (copytext.Counts, each copy by its latest attempt), so the two agree.
func (m *Model) activityCounts() (long, short string) {
	if len(m.act.all) == 0 {
		return "", ""
	}
	t := model.TallyOf(m.act.all)
	long = " · copies: " + copytext.Counts(m.act.all, ", ") + " (" + status.KeyName(m.keys.Progress) + ")"
	short = " · " + markInFlight + strconv.Itoa(t.Unfinished()) + " " + markCompleted + strconv.Itoa(t.Completed) + " " + markFailed + strconv.Itoa(t.Failed)
	return long, short
}

// plural is "1 mark", "3 marks".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// onSent clears the marks of the sources whose copies were recorded.
func (m *Model) onSent(msg SentMsg) {
	n := 0
	for _, s := range msg.Sources {
		if _, ok := m.marks[s.ID]; ok {
			delete(m.marks, s.ID)
			n++
		}
	}
	if n == 0 {
		return
	}
	// Held until the operator's next key on the list: it is most often
	// read on coming back from the progress pane.
	m.hold(heldSent, sprintf("copies sent: cleared %s (%s shows the copies)", plural(n, "mark"), status.KeyName(m.keys.Progress)))
}
