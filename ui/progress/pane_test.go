package progress

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/nav"
)

// stepPane lets n waits of the follow loop pass, 5 s of simulated time
// each, and hands the pane each step.
func stepPane(w *world, m Model, n int) Model {
	for range n {
		w.Clock.Advance(5 * time.Second)
		m = tick(m)
	}
	return m
}

func TestStartShowsCopiesAtOnceAndSendsThemAfterTheStateFile(t *testing.T) {
	w := newWorld(t, worldOptions{})
	m := w.pane(120, 10, &bytes.Buffer{})
	c := w.CopyOf(w.Source("db", 8), "us-east-1")

	m, cmd := m.Start([]*model.Copy{c})
	if !strings.Contains(m.View(), "waiting to be sent") {
		t.Fatalf("a new copy is not shown before AWS answers:\n%s", m.View())
	}
	if n := w.Sim.Count("CopySnapshot", "us-east-1"); n != 0 {
		t.Fatalf("Start sent CopySnapshot inside Update (%d)", n)
	}
	m, _ = settle(m, cmd)
	if n := w.Sim.Count("CopySnapshot", "us-east-1"); n != 1 {
		t.Fatalf("Start's command sent %d CopySnapshot, want 1", n)
	}
	saved, err := model.LoadWatchList(w.Path, w.Clock.Now())
	if err != nil || saved.Find(c.RequestID) == nil {
		t.Fatalf("the state file does not hold the started copy (err %v)", err)
	}
	if v := m.View(); m.copies[0].Phase != model.PhaseRunning || !strings.Contains(v, "1 running · 0 done") {
		t.Fatalf("after the first step the copy is not running:\n%s", v)
	}
}

func TestBellRingsWhenACopyEnds(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		w := newWorld(t, worldOptions{})
		var term bytes.Buffer
		m := w.pane(120, 10, &term, func(o *Options) { o.NoBell = quiet })
		m, cmd := m.Start([]*model.Copy{w.CopyOf(w.Source("db", 1), "us-east-1")})
		m, _ = settle(m, cmd)
		if term.Len() != 0 {
			t.Fatalf("the terminal got %q before the copy ended", term.String())
		}
		for i := 0; i < 20 && !m.copies[0].Phase.Done(); i++ {
			m = stepPane(w, m, 1)
		}
		if m.copies[0].Phase != model.PhaseCompleted {
			t.Fatalf("copy is %s", m.copies[0].Phase)
		}
		want := "\a"
		if quiet {
			want = ""
		}
		if term.String() != want {
			t.Errorf("NoBell=%v: the terminal got %q, want %q", quiet, term.String(), want)
		}
		m = stepPane(w, m, 2)
		if term.String() != want {
			t.Errorf("NoBell=%v: the bell rang again for an ended copy: %q", quiet, term.String())
		}
	}
}

func TestCopyIDGoesToTheClipboardWithOSC52(t *testing.T) {
	w := newWorld(t, worldOptions{})
	var term bytes.Buffer
	m := w.pane(120, 10, &term)
	m, cmd := m.Start([]*model.Copy{w.CopyOf(w.Source("db", 8), "us-east-1")})
	m, _ = settle(m, cmd)
	id := m.copies[0].SnapshotID
	m, _ = press(m, "y")
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(id)) + "\a"
	if term.String() != want {
		t.Fatalf("terminal got %q, want the OSC 52 sequence %q", term.String(), want)
	}
	if !strings.Contains(m.View(), "copied "+id+" to the clipboard") {
		t.Errorf("no word that the id was copied:\n%s", m.View())
	}

	// Inside a tmux that does not let OSC 52 through (here one that cannot
	// be asked) nothing is said to be copied: the id is shown to select.
	// How each tmux setting is found out is package clipboard's test.
	term.Reset()
	t.Setenv("TMUX", filepath.Join(t.TempDir(), "no-server")+",1,0")
	m, _ = press(m, "y")
	if term.Len() != 0 {
		t.Errorf("inside a tmux that drops it the terminal got %q", term.String())
	}
	if v := m.View(); strings.Contains(v, "copied "+id) || !strings.Contains(v, "select the id: "+id) {
		t.Errorf("inside a tmux that drops OSC 52 the pane does not show the id to select:\n%s", v)
	}
}

func TestCopyIDBeforeAWSGaveOne(t *testing.T) {
	w := newWorld(t, worldOptions{})
	var term bytes.Buffer
	m := w.pane(120, 10, &term)
	m, _ = m.Start([]*model.Copy{w.CopyOf(w.Source("db", 8), "us-east-1")}) // not stepped yet
	m, _ = press(m, "y")
	if term.Len() != 0 || !strings.Contains(m.View(), "! the copy has no id yet") {
		t.Errorf("terminal %q, screen:\n%s", term.String(), m.View())
	}
}

func TestRemoveForgetsOnlyFinishedCopies(t *testing.T) {
	w := newWorld(t, worldOptions{})
	m := w.pane(120, 10, &bytes.Buffer{})
	small := w.CopyOf(w.Source("small", 1), "us-east-1")
	big := w.CopyOf(w.Source("big", 500), "us-east-1")
	m, cmd := m.Start([]*model.Copy{small, big})
	m, _ = settle(m, cmd)
	m = stepPane(w, m, 5)

	m, _ = press(m, "down", "x") // the big one is still running
	if len(m.copies) != 2 || !strings.Contains(m.View(), "! only completed or failed copies can be forgotten; this one is running") {
		t.Fatalf("x on a running copy:\n%s", m.View())
	}
	m, _ = press(m, "up", "x")
	if len(m.copies) != 1 || m.copies[0].RequestID != big.RequestID {
		t.Fatalf("x on the completed copy left %d copies", len(m.copies))
	}
	if !strings.Contains(m.View(), "forgot copy "+small.RequestID) {
		t.Errorf("no word of the removal:\n%s", m.View())
	}
	saved, _ := model.LoadWatchList(w.Path, w.Clock.Now())
	if saved.Find(small.RequestID) != nil {
		t.Error("the removed copy is still in the state file")
	}
	if _, ok := w.Sim.Snapshot("us-east-1", w.Tracker.Copies()[0].SnapshotID); !ok {
		t.Error("the other copy vanished from AWS")
	}
}

func TestEscGoesBackAndLeavesDetailsFirst(t *testing.T) {
	w := mixedWorld(t)
	m := refresh(w.pane(100, 20, &bytes.Buffer{}))
	m, out := press(m, "enter")
	if !m.detail || len(out) != 0 {
		t.Fatalf("enter did not open the details")
	}
	m, out = press(m, "esc")
	if m.detail || len(out) != 0 {
		t.Fatalf("esc in the details: detail=%v msgs=%v", m.detail, out)
	}
	_, out = press(m, "esc")
	if len(out) != 1 || out[0] != (nav.Back{}) {
		t.Fatalf("esc on the list sent %v, want nav.Back", out)
	}
}

func TestPausedOnExpiredCredentialsUntilR(t *testing.T) {
	w := newWorld(t, worldOptions{})
	m := w.pane(160, 10, &bytes.Buffer{})
	w.Sim.SetFaults(ec2sim.Faults{ExpiredCredentials: true})
	m, cmd := m.Start([]*model.Copy{w.CopyOf(w.Source("db", 8), "us-east-1")})
	m, _ = settle(m, cmd)
	v := m.View()
	if !strings.Contains(v, "✗ paused: credentials expired or invalid: renew them (for example `aws sso login --profile NAME`), then press r — CopySnapshot in us-east-1: RequestExpired") ||
		strings.Count(v, "renew them") != 1 {
		t.Fatalf("expired credentials not explained:\n%s", v)
	}
	// The paused loop does not reschedule itself: nothing polls until r.
	before := w.Sim.Count("CopySnapshot", "us-east-1")
	m = stepPane(w, m, 3)
	if n := w.Sim.Count("CopySnapshot", "us-east-1"); n != before {
		t.Fatalf("a paused pane sent %d more requests", n-before)
	}
	w.Sim.SetFaults(ec2sim.Faults{})
	m, _ = press(m, "r")
	if strings.Contains(m.View(), "paused") {
		t.Fatalf("still paused after r:\n%s", m.View())
	}
	if m.copies[0].Phase != model.PhaseStarting && m.copies[0].Phase != model.PhaseRunning {
		t.Fatalf("after r the copy is %s", m.copies[0].Phase)
	}
}

func TestThrottlingShowsInTheStatusLine(t *testing.T) {
	w := newWorld(t, worldOptions{})
	m := w.pane(200, 10, &bytes.Buffer{})
	m, cmd := m.Start([]*model.Copy{w.CopyOf(w.Source("db", 8), "us-east-1")})
	m, _ = settle(m, cmd)
	w.Sim.SetFaults(ec2sim.Faults{ThrottleRate: 1})
	m = stepPane(w, m, 1)
	v := m.View()
	if !strings.Contains(v, "! retrying in ") || !strings.Contains(v, "RequestLimitExceeded") || !strings.Contains(v, "throttling") {
		t.Fatalf("throttling not shown:\n%s", v)
	}
	w.Sim.SetFaults(ec2sim.Faults{})
	m = stepPane(w, m, 1)
	if strings.Contains(m.View(), "retrying") {
		t.Fatalf("the status stays after recovery:\n%s", m.View())
	}
}

// One follow loop, at the tracker's pace: r asks it for a step at once
// (one more round of polls), it does not start a second loop.
func TestOneFollowLoopAtTheTrackersPace(t *testing.T) {
	w := newWorld(t, worldOptions{})
	m := w.pane(120, 10, &bytes.Buffer{})
	m, cmd := m.Start([]*model.Copy{w.CopyOf(w.Source("db", 8), "us-east-1")})
	m, _ = settle(m, cmd)
	polls := w.Sim.Count("DescribeSnapshots", "us-east-1")
	m, _ = press(m, "r")
	if got := w.Sim.Count("DescribeSnapshots", "us-east-1"); got != polls+1 {
		t.Errorf("r polled %d times, want once", got-polls)
	}
	if waits := loopOf(m).Waits(); len(waits) != 2 || waits[0] != model.PollInterval || waits[1] != model.PollInterval {
		t.Errorf("the loop waited %v, each time the tracker's %v", waits, model.PollInterval)
	}
}

func TestRedrawsEverySecondOnlyWhileCopiesMove(t *testing.T) {
	w := newWorld(t, worldOptions{})
	var waits ticks
	m := w.pane(120, 10, &bytes.Buffer{}, func(o *Options) { o.Tick = waits.tick })
	m, cmd := m.Start([]*model.Copy{w.CopyOf(w.Source("db", 1), "us-east-1")})
	m, _ = settle(m, cmd)
	before := m.View()
	w.Clock.Advance(1500 * time.Millisecond)
	m, cmd = m.Update(redrawMsg{})
	if cmd == nil {
		t.Fatal("no next redraw while a copy moves")
	}
	if m.View() == before {
		t.Error("the elapsed time did not move after a second")
	}
	w.Clock.Advance(300 * time.Millisecond)
	same := m.View()
	m, _ = m.Update(redrawMsg{})
	if m.View() != same {
		t.Error("the screen changed within the same second")
	}
	for i := 0; i < 20 && !m.copies[0].Phase.Done(); i++ {
		m = stepPane(w, m, 1)
	}
	if _, cmd := m.Update(redrawMsg{}); cmd != nil {
		t.Error("redraws go on with every copy finished")
	}
}

func TestAddFailureIsShown(t *testing.T) {
	w := newWorld(t, worldOptions{})
	m := w.pane(160, 10, &bytes.Buffer{})
	c := w.CopyOf(w.Source("db", 8), "us-east-1")
	if err := w.Tracker.Add(c); err != nil {
		t.Fatal(err)
	}
	m, cmd := m.Start([]*model.Copy{c}) // the same copy again
	m, _ = settle(m, cmd)
	if !strings.Contains(m.View(), "✗ add copies: copy "+c.RequestID+" is already tracked") {
		t.Fatalf("Add's refusal is not shown:\n%s", m.View())
	}
	if len(m.copies) != 1 {
		t.Errorf("the refused copy is still listed: %d rows", len(m.copies))
	}
}

func TestKeyMapMatchesTheView(t *testing.T) {
	w := mixedWorld(t)
	m := refresh(w.pane(200, 20, &bytes.Buffer{}))
	for _, b := range m.KeyMap().ShortHelp() {
		if !strings.Contains(m.View(), b.Help().Desc) {
			t.Errorf("help bar lacks %q", b.Help().Desc)
		}
	}
	if m.Capturing() {
		t.Error("the pane has no text field, yet says it captures keys")
	}
	m, _ = press(m, "enter")
	if !strings.Contains(m.View(), "esc all copies") {
		t.Errorf("details help lacks the way back:\n%s", m.View())
	}
}

// Every size, down to a few cells, gives a screen that fits without
// wrapping, in the table and in the details.
func TestViewFitsEverySize(t *testing.T) {
	w := mixedWorld(t)
	m := refresh(w.pane(80, 24, &bytes.Buffer{}))
	for _, detail := range []bool{false, true} {
		m.detail = detail
		for width := 1; width <= 200; width += 3 {
			for height := 1; height <= 30; height += 2 {
				m.SetSize(width, height)
				lines := strings.Split(m.View(), "\n")
				if len(lines) > height {
					t.Fatalf("%dx%d (details %v): %d lines", width, height, detail, len(lines))
				}
				for i, l := range lines {
					if ansi.StringWidth(l) > width {
						t.Fatalf("%dx%d (details %v): line %d is %d wide: %q", width, height, detail, i+1, ansi.StringWidth(l), l)
					}
				}
			}
		}
	}
}

// Copies refused at the start (the state file cannot be written) leave the
// pane polling the copies it already tracks, and say why; copies that are
// recorded tell the app, which then lets their form go.
func TestRefusedStartKeepsPollingAndRecordedStartIsAnnounced(t *testing.T) {
	w := newWorld(t, worldOptions{})
	m := w.pane(120, 12, &bytes.Buffer{})

	m, cmd := m.Start([]*model.Copy{w.CopyOf(w.Source("first", 100), "us-east-1")})
	m, out := settle(m, cmd)
	if !slices.ContainsFunc(out, func(msg tea.Msg) bool { _, ok := msg.(nav.CopiesAdded); return ok }) {
		t.Fatalf("a recorded start did not announce nav.CopiesAdded: %v", out)
	}

	// The state file's folder becomes a file: no save can succeed.
	if err := os.RemoveAll(filepath.Dir(w.Path)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Dir(w.Path), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	m, cmd = m.Start([]*model.Copy{w.CopyOf(w.Source("second", 8), "us-east-1")})
	m, out = settle(m, cmd)
	if slices.ContainsFunc(out, func(msg tea.Msg) bool { _, ok := msg.(nav.CopiesAdded); return ok }) {
		t.Errorf("a refused start announced nav.CopiesAdded")
	}
	if v := m.View(); !strings.Contains(v, "the copies were not started") {
		t.Errorf("the pane does not say the copies were refused:\n%s", v)
	}
	// The loop goes on at its pace with the copy it already tracks.
	polls := w.Sim.Count("DescribeSnapshots", "us-east-1")
	w.Clock.Advance(model.PollInterval)
	m = tick(m)
	if w.Sim.Count("DescribeSnapshots", "us-east-1") == polls || len(m.copies) != 1 || m.copies[0].Phase != model.PhaseRunning {
		t.Errorf("after the refused start the copy already tracked is no longer polled: %+v", m.copies)
	}
}

// A status from AWS with escape sequences (7- or 8-bit) reaches the screen
// only as placeholders.
func TestStatusFromAWSIsSanitized(t *testing.T) {
	w := newWorld(t, worldOptions{})
	m := w.pane(160, 12, &bytes.Buffer{})
	m, _ = m.Update(stepMsg{res: track.StepResult{
		Status: "retrying in 4 s: InvalidParameterValue: bad \x1b[31mRED \u009b31mC1\u009d0;title\u009c bell \x07",
		Next:   time.Second,
	}})
	v := m.View()
	for _, bad := range []string{"\x1b[31m", "\u009b", "\u009d", "\a"} {
		if strings.Contains(v, bad) {
			t.Errorf("the pane shows %q raw:\n%q", bad, v)
		}
	}
	if !strings.Contains(v, "retrying in 4 s") {
		t.Errorf("the status is not shown:\n%s", v)
	}
}

// An error said of earlier copies ("✗ not cancelled: …") gives way when a
// new batch is sent: it is not about the new copies.
func TestANewBatchClearsAnEarlierError(t *testing.T) {
	w := newWorld(t, worldOptions{})
	m := w.pane(120, 12, &bytes.Buffer{})
	m, _ = m.Update(cancelledMsg{err: errors.New("copy sc-1 has completed: there is nothing to cancel")})
	if !strings.Contains(m.View(), "not cancelled") {
		t.Fatalf("the error is not shown:\n%s", m.View())
	}
	m, cmd := m.Start([]*model.Copy{w.CopyOf(w.Source("db", 8), "us-east-1")})
	m, _ = settle(m, cmd)
	if v := m.View(); strings.Contains(v, "not cancelled") {
		t.Errorf("the earlier error stays after a new batch:\n%s", v)
	}
}
