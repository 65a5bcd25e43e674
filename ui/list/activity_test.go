package list

import (
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/copytext"
	"github.com/snapcopy/snapcopy/ui/nav"
)

// copyOf is a copy of a fixture snapshot to a Region, in a phase.
func copyOf(reqID, source, dest string, phase model.Phase, progress int, snapID string) model.Copy {
	return model.Copy{
		RequestID:  reqID,
		Request:    model.CopyRequest{SourceRegion: "us-west-2", SourceSnapshotID: source, DestinationRegion: dest},
		Phase:      phase,
		Progress:   progress,
		SnapshotID: snapID,
	}
}

const (
	primaryID = "snap-0a1b2c3d4e5f60718"
	webID     = "snap-0b2c3d4e5f6071829"
)

// activityRow is the screen line of a snapshot row.
func activityRow(t *testing.T, view, id string) string {
	t.Helper()
	for _, l := range strings.Split(view, "\n") {
		if i := strings.Index(l, id); i >= 0 && i < 12 { // in the id column, after the gutter
			return l
		}
	}
	t.Fatalf("no row of %s on screen:\n%s", id, view)
	return ""
}

func TestActivityHeaderMarkersAndDetails(t *testing.T) {
	m := loaded(200, 50)
	earlier := copyOf("sc-old", webID, "eu-west-1", model.PhaseCompleted, 100, "snap-0old")
	m, _ = m.Update(CopiesMsg{Copies: []model.Copy{earlier}, Shown: true})
	if v := m.View(); strings.Contains(activityRow(t, v, webID), markCompleted) {
		t.Fatalf("a copy ended before the list started marks its row as this run's:\n%s", v)
	}
	// The header counts it, as the progress pane does.
	if header := strings.SplitN(m.View(), "\n", 2)[0]; !strings.Contains(header, "copies: 0 running, 1 done, 0 failed (p)") {
		t.Fatalf("header %q does not count the copies the pane counts", header)
	}
	m, _ = m.Update(CopiesMsg{Shown: true, Copies: []model.Copy{
		earlier,
		copyOf("sc-1", primaryID, "us-east-1", model.PhaseRunning, 42, "snap-0new1"),
		copyOf("sc-2", webID, "eu-west-1", model.PhaseFailed, 0, ""),
	}})
	v := m.View()
	header := strings.SplitN(v, "\n", 2)[0]
	if !strings.Contains(header, "copies: 1 running, 1 done, 1 failed (p)") {
		t.Fatalf("header %q does not count the copies", header)
	}
	if l := activityRow(t, v, primaryID); !strings.Contains(l, markInFlight+" "+primaryID) {
		t.Fatalf("row with a copy in flight has no %s: %q", markInFlight, l)
	}
	if l := activityRow(t, v, webID); !strings.Contains(l, markFailed) {
		t.Fatalf("row with a failed copy has no %s: %q", markFailed, l)
	}
	m, _ = press(m, "/")
	m = typeText(m, "id:"+primaryID)
	m, _ = press(m, "enter", "d")
	d := m.View()
	for _, want := range []string{"Copies", "1 this run (p shows them)", "→ us-east-1: running 42%, snap-0new1"} {
		if !strings.Contains(d, want) {
			t.Fatalf("details lack %q:\n%s", want, d)
		}
	}
}

func TestActivityFlashesACopyEndingWhileShown(t *testing.T) {
	running := copyOf("sc-1", primaryID, "us-east-1", model.PhaseRunning, 42, "snap-0new1")
	done := running
	done.Phase, done.Progress = model.PhaseCompleted, 100

	m := loaded(200, 50)
	m, _ = m.Update(CopiesMsg{Shown: true})
	m, _ = m.Update(CopiesMsg{Shown: true, Copies: []model.Copy{running}})
	if line := m.statusLine(); line != "" {
		t.Fatalf("a running copy flashed %q", line)
	}
	m, _ = m.Update(CopiesMsg{Shown: true, Copies: []model.Copy{done}})
	want := "copy of " + primaryID + " to us-east-1 completed: snap-0new1 · p shows it"
	if line := m.statusLine(); !strings.Contains(line, want) {
		t.Fatalf("status line %q, want %q", line, want)
	}
	if l := activityRow(t, m.View(), primaryID); !strings.Contains(l, markCompleted) {
		t.Fatalf("completed copy's row has no %s: %q", markCompleted, l)
	}
	if !strings.Contains(strings.SplitN(m.View(), "\n", 2)[0], "copies: 0 running, 1 done, 0 failed") {
		t.Fatal("header does not count the completed copy")
	}

	// Behind another screen, the end is not told on the list.
	hidden := loaded(200, 50)
	hidden, _ = hidden.Update(CopiesMsg{Shown: false})
	hidden, _ = hidden.Update(CopiesMsg{Shown: false, Copies: []model.Copy{running}})
	hidden, _ = hidden.Update(CopiesMsg{Shown: false, Copies: []model.Copy{done}})
	if line := hidden.statusLine(); line != "" {
		t.Fatalf("an end seen behind another screen flashed %q", line)
	}

	// Two ending at once: one line, a warning when one failed.
	failed := copyOf("sc-2", webID, "eu-west-1", model.PhaseFailed, 0, "")
	two := loaded(200, 50)
	two, _ = two.Update(CopiesMsg{Shown: true})
	two, _ = two.Update(CopiesMsg{Shown: true, Copies: []model.Copy{running, copyOf("sc-2", webID, "eu-west-1", model.PhaseRunning, 3, "")}})
	two, _ = two.Update(CopiesMsg{Shown: true, Copies: []model.Copy{done, failed}})
	if msg, _ := two.status.Current(); msg.Text != "2 copies ended: 1 completed, 1 failed · p shows them" || msg.Level != flashWarn {
		t.Fatalf("two endings flashed %+v", msg)
	}
}

func TestSentClearsTheMarksAndSaysSo(t *testing.T) {
	m := loaded(200, 50)
	m, _ = press(m, " ", " ")
	sources := m.Marked()
	if len(sources) != 2 {
		t.Fatalf("marked %d, want 2", len(sources))
	}
	m, _ = m.Update(SentMsg{Sources: sources})
	if n := len(m.Marked()); n != 0 {
		t.Fatalf("%d marks left after their copies were sent", n)
	}
	if line := m.statusLine(); !strings.Contains(line, "copies sent: cleared 2 marks (p shows the copies)") {
		t.Fatalf("status line %q does not say the marks were cleared", line)
	}
	m, _ = press(m, "home")
	if line := m.statusLine(); strings.Contains(line, "copies sent") {
		t.Fatalf("the note stayed after a key: %q", line)
	}
	// enter now offers the row under the cursor, not the batch sent.
	_, cmd := press(m, "enter")
	if open, ok := run(cmd[0]).(nav.OpenForm); !ok || len(open.Sources) != 1 {
		t.Fatalf("enter after the sending asks for %+v, want the form for the row under the cursor", run(cmd[0]))
	}
}

// The header and the progress pane count alike: every copy the pane
// holds, each by its latest attempt (a copy that failed, then was sent
// again and completed, is done), with the pane's words.
func TestHeaderCountsAsThePaneDoes(t *testing.T) {
	failed := copyOf("sc-1", primaryID, "us-east-1", model.PhaseFailed, 0, "")
	again := copyOf("sc-2", primaryID, "us-east-1", model.PhaseCompleted, 100, "snap-0again")
	again.RetryOf, again.Attempt = "sc-1", 2
	queued := copyOf("sc-3", webID, "eu-west-1", model.PhaseQueued, 0, "")
	copies := []model.Copy{failed, again, queued}
	m := loaded(200, 50)
	m, _ = m.Update(CopiesMsg{Shown: true, Copies: copies})
	header := strings.SplitN(m.View(), "\n", 2)[0]
	if want := "copies: " + copytext.Counts(copies, ", ") + " (p)"; !strings.Contains(header, want) {
		t.Errorf("header %q, want %q", header, want)
	}
	if !strings.Contains(header, "copies: 1 queued, 0 running, 1 done, 0 failed (p)") {
		t.Errorf("header %q counts the failed first attempt of a copy that completed", header)
	}
}
