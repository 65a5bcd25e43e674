package ui

import (
	"context"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/progress"
	"github.com/snapcopy/snapcopy/ui/screentest"
	"github.com/snapcopy/snapcopy/ui/theme"
	"github.com/snapcopy/snapcopy/validate"
)

func TestMain(m *testing.M) {
	theme.UseASCII()
	os.Exit(m.Run())
}

// newApp runs the whole app against a fresh simulator.
func newApp(t *testing.T) (*teatest.TestModel, *ec2sim.Server, *track.Tracker) {
	t.Helper()
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, VisibilityLag: -1}})
	sim := s.Server
	client := s.Client
	tracker := track.NewTracker(client, &model.WatchList{}, t.TempDir()+"/copies.json", track.TrackerOptions{})
	app := following(t, func(ctx context.Context) App {
		return New(client, tracker, client, Options{Region: "us-west-2", Profile: "demo", Context: ctx})
	})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 40))
	waitFor(t, tm.Output(), "40/40 snapshots")
	return tm, sim, tracker
}

func waitFor(t *testing.T, out io.Reader, want ...string) {
	t.Helper()
	teatest.WaitFor(t, out, func(b []byte) bool {
		for _, w := range want {
			if !strings.Contains(string(b), w) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// following runs app's follow loop until the test ends, and waits for it
// then: no step writes the state file once the test's folders go.
func following(t *testing.T, app func(ctx context.Context) App) App {
	ctx, cancel := context.WithCancel(context.Background())
	a := app(ctx)
	t.Cleanup(func() {
		cancel()
		<-a.Ended()
	})
	return a
}

func TestHelpShowsTheKeysOfTheScreenInFront(t *testing.T) {
	tm, _, _ := newApp(t)
	tm.Send(runes("?"))
	waitFor(t, tm.Output(), "snapcopy keys", "filter", "mark all shown", "owned/shared", "press any key to close")
	tm.Send(runes("x"))
	waitFor(t, tm.Output(), "SNAPSHOT")
	tm.Send(runes("p"))
	waitFor(t, tm.Output(), "Copies")
	tm.Send(runes("?"))
	waitFor(t, tm.Output(), "snapcopy keys", "forget finished copy", "copy id to clipboard")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Send(runes("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// While a copy is not yet accepted by AWS, q asks before leaving; n stays.
func TestQuitAsksWhileCopiesAreStarting(t *testing.T) {
	tm, sim, tracker := newApp(t)
	// AWS throttles every CopySnapshot, so the copy stays queued.
	sim.SetFaults(ec2sim.Faults{ThrottleRate: 1, Actions: []string{"CopySnapshot"}})
	src, ok := simtest.ByName(sim, "us-west-2", "web-frontend-01")
	if !ok {
		t.Fatal("no web-frontend-01 in the seeded world")
	}
	req := model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID}
	tm.Send(nav.StartCopies{Copies: []*model.Copy{model.NewCopy(req, src, time.Now())}})
	waitFor(t, tm.Output(), "RequestLimitExceeded")
	tm.Send(runes("q"))
	waitFor(t, tm.Output(), "quit anyway? y/n")
	tm.Send(runes("n"))
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm.Output(), "SNAPSHOT")
	if n := len(tracker.Copies()); n != 1 {
		t.Fatalf("tracker holds %d copies, want 1", n)
	}
	tm.Send(runes("q"))
	waitFor(t, tm.Output(), "quit anyway? y/n")
	tm.Send(runes("y"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// The form offers the Outposts seen in the list; esc keeps what was typed.
func TestFormKeepsTypingAndKnowsTheListsOutpost(t *testing.T) {
	tm, sim, _ := newApp(t)
	src, _ := simtest.ByName(sim, "us-west-2", "web-frontend-01")
	tm.Send(nav.OpenForm{Sources: []model.Snapshot{src}})
	waitFor(t, tm.Output(), "Destination type")
	tm.Send(tea.KeyMsg{Type: tea.KeyRight}) // Outpost
	waitFor(t, tm.Output(), ec2sim.OutpostArn)
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm.Output(), "SNAPSHOT")
	tm.Send(nav.OpenForm{Sources: []model.Snapshot{src}})
	final := func() App {
		tm.Send(runes("q")) // on the destination type field q is not typed text
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
		return tm.FinalModel(t).(App)
	}()
	if final.current != onForm {
		t.Fatalf("screen %d, want the form", final.current)
	}
	if v := final.form.View(); !strings.Contains(v, "● Outpost") {
		t.Errorf("the kept form lost the Outpost choice:\n%s", v)
	}
}

// Keys that arrive in one read (typed fast, over a slow link) each count:
// "?x" opens the help and closes it, "jq" moves and quits.
func TestKeysArrivingTogetherEachCount(t *testing.T) {
	tm, _, _ := newApp(t)
	tm.Send(runes("jj"))
	tm.Send(runes("p"))
	waitFor(t, tm.Output(), "Copies")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm.Output(), "SNAPSHOT")
	tm.Send(runes("jq"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(App)
	if got := final.list.View(); !strings.Contains(strings.Split(got, "\n")[5], "›") || final.current != onList {
		t.Errorf("three j pressed in two reads should put the cursor on the fourth row:\n%s", got)
	}
}

func TestQuitAsksWithoutCallingTheTracker(t *testing.T) {
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, VisibilityLag: -1}})
	sim := s.Server
	tr := &screentest.Tracker{}
	var m tea.Model = appOn(s.Client, tr, Options{Region: "us-west-2", Profile: "demo"})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	src, _ := simtest.ByName(sim, "us-west-2", "web-frontend-01")
	req := model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID}
	before := len(tr.Calls())
	m, _ = m.Update(nav.StartCopies{Copies: []*model.Copy{model.NewCopy(req, src, time.Now())}})
	m, cmd := m.Update(runes("q"))
	if got := tr.Calls()[before:]; len(got) != 0 {
		t.Fatalf("Update called the tracker: %v", got)
	}
	if !m.(App).asking || cmd != nil {
		t.Fatalf("q with a copy starting did not ask (asking=%v)", m.(App).asking)
	}
	if v := m.View(); !strings.Contains(v, "quit anyway? y/n") {
		t.Errorf("the question does not name the keys of its bindings:\n%s", v)
	}
}

// The help's key names come from the bindings: rebinding a key changes
// what the help says.
func TestHelpNamesTheKeysOfTheBindings(t *testing.T) {
	saved := keys
	t.Cleanup(func() { keys = saved })
	keys.Quit = key.NewBinding(key.WithKeys("Q"), key.WithHelp("Q", "leave snapcopy"))
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, VisibilityLag: -1}})
	var m tea.Model = appOn(s.Client, &screentest.Tracker{}, Options{Region: "us-west-2", Profile: "demo"})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 160, Height: 40})
	m, _ = m.Update(runes("?"))
	if v := m.View(); !regexp.MustCompile(`Q +leave snapcopy`).MatchString(v) {
		t.Errorf("the help does not show the rebound key:\n%s", v)
	}
}

// A notice (a state file kept aside) shows on the status line until the
// first key.
func TestNoticeUntilTheFirstKey(t *testing.T) {
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, VisibilityLag: -1}})
	var m tea.Model = appOn(s.Client, &screentest.Tracker{},
		Options{Region: "us-west-2", Profile: "demo", Notice: "state file copies.json is not valid JSON"})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	lines := strings.Split(m.View(), "\n")
	if last := lines[len(lines)-1]; last != "! state file copies.json is not valid JSON" {
		t.Fatalf("last line %q, want the notice", last)
	}
	m, _ = m.Update(runes("j"))
	if strings.Contains(m.View(), "not valid JSON") {
		t.Errorf("the notice outlived the first key")
	}
}

// The list learns of the copies from the app, not from the tracker: its
// header counts them, the source's row carries the marker, and a copy
// ending while the list is shown is told on its status line.
func TestListShowsTheCopiesThePaneSees(t *testing.T) {
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, VisibilityLag: -1, TimeScale: 1e6}})
	sim := s.Server
	client := s.Client
	tracker := track.NewTracker(client, &model.WatchList{}, t.TempDir()+"/copies.json", track.TrackerOptions{})
	app := following(t, func(ctx context.Context) App {
		return New(client, tracker, client, Options{Region: "us-west-2", Profile: "demo", NoBell: true, Context: ctx})
	})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(200, 40))
	waitFor(t, tm.Output(), "40/40 snapshots")

	src, ok := simtest.ByName(sim, "us-west-2", "web-frontend-01")
	if !ok {
		t.Fatal("no web-frontend-01 in the seeded world")
	}
	req := model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID}
	tm.Send(nav.StartCopies{Copies: []*model.Copy{model.NewCopy(req, src, time.Now())}})
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	// The copy is in flight (sent) or already ended: either way the list counts it.
	waitFor(t, tm.Output(), "copies: 1 running, 0 done, 0 failed (p)")
	// The next poll finds it completed, with the list in front.
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return strings.Contains(string(b), "copy of "+src.ID+" to us-east-1 completed") &&
			strings.Contains(string(b), "copies: 0 running, 1 done, 0 failed (p)")
	}, teatest.WithDuration(30*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	tm.Send(runes("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// Once a batch's copies are recorded its marks go: enter on the same rows
// offers nothing marked, and the list says why.
func TestSentBatchClearsTheListsMarks(t *testing.T) {
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, VisibilityLag: -1}})
	client := s.Client
	tracker := track.NewTracker(client, &model.WatchList{}, t.TempDir()+"/copies.json", track.TrackerOptions{})
	app := following(t, func(ctx context.Context) App {
		return New(client, tracker, client, Options{Region: "us-west-2", Profile: "demo", Context: ctx})
	})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 40))
	waitFor(t, tm.Output(), "40/40 snapshots")

	// a marks every snapshot that can be copied; the form hands the app
	// their copies.
	all, err := client.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
	if err != nil {
		t.Fatal(err)
	}
	var copies []*model.Copy
	marked := 0
	for _, s := range all {
		if ok, _ := validate.Copyable(s, time.Now()); !ok {
			continue
		}
		marked++
		if s.AvailabilityZone == "" { // a Local Zone's snapshot goes to its own zones only
			req := model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: s.ID}
			copies = append(copies, model.NewCopy(req, s, time.Now()))
		}
	}
	n := strconv.Itoa(marked)
	tm.Send(runes("a"))
	waitFor(t, tm.Output(), n+" marked")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm.Output(), "Copy "+n+" snapshots")
	tm.Send(nav.StartCopies{Copies: copies})
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm.Output(), "copies sent: cleared "+n+" marks")
	// enter now opens the form for the row under the cursor alone.
	tm.Send(runes("j"))
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm.Output(), "Copy snap-")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.Send(runes("y")) // copies may still be starting
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// The form counts the time-based copies the progress pane follows toward
// their Region pair's quota: kafka-broker-2 in 15 minutes beside two
// copies in flight (about 1,700 MiB/s) is over AWS's default 2,000 MiB/s,
// though alone it would fit.
func TestFormCountsTheCopiesInFlight(t *testing.T) {
	tm, sim, _ := newApp(t)
	var inFlight []*model.Copy
	for _, name := range []string{"kafka-broker-1", "db-prod-primary"} {
		src, ok := simtest.ByName(sim, "us-west-2", name)
		if !ok {
			t.Fatalf("no %s in the seeded world", name)
		}
		req := model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID, CompletionDurationMinutes: 15}
		inFlight = append(inFlight, model.NewCopy(req, src, time.Now()))
	}
	second, ok := simtest.ByName(sim, "us-west-2", "kafka-broker-2")
	if !ok {
		t.Fatal("no kafka-broker-2 in the seeded world")
	}
	tm.Send(nav.StartCopies{Copies: inFlight})
	waitFor(t, tm.Output(), "running")
	tm.Send(nav.OpenForm{Sources: []model.Snapshot{second}})
	waitFor(t, tm.Output(), "Destination type")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
	tm.Send(runes("us-east-1"))
	for range 7 { // description, encrypt, KMS key, source tags, tag key, tag value, duration
		tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	}
	tm.Send(runes("15"))
	waitFor(t, tm.Output(), "already in flight", "ctrl+o sets it")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc}) // leave the form; its text fields take y
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.Send(runes("y")) // quit anyway, should a copy still be starting
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// appOn is the app over one client of the simulator, as the screen is
// wired: the list's and the form's AWS are the same client.
func appOn(c *awsops.Client, tracker progress.Tracker, opts Options) App {
	return New(c, tracker, c, opts)
}

// q asks first only while a copy is not yet accepted by AWS (queued or
// sending: the next snapcopy sends it, or finds it by its tag); a copy AWS
// accepted (starting, running) is safe to leave, and q leaves at once. The
// README's Keys table says the same.
func TestQuitAsksOnlyWhileACopyIsQueuedOrSending(t *testing.T) {
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, VisibilityLag: -1}})
	for _, tc := range []struct {
		phase model.Phase
		asks  bool
	}{
		{model.PhaseQueued, true},
		{model.PhaseSending, true},
		{model.PhaseStarting, false},
		{model.PhaseRunning, false},
		{model.PhaseCompleted, false},
	} {
		c := model.NewCopy(model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0123456789abcdef0"}, model.Snapshot{}, time.Now())
		c.Phase = tc.phase
		var m tea.Model = appOn(s.Client, screentest.NewTracker(track.StepResult{}, *c), Options{Region: "us-west-2", Profile: "demo"})
		m, _ = m.Update(tea.WindowSizeMsg{Width: 160, Height: 30})
		m, cmd := m.Update(runes("q"))
		asked := m.(App).asking
		quits := cmd != nil && cmd() == tea.Quit()
		if asked != tc.asks || quits == tc.asks {
			t.Errorf("%s: q asked %v, quit %v; want asked %v", tc.phase, asked, quits, tc.asks)
		}
		if asked && !strings.Contains(m.View(), "1 copy not yet accepted by AWS") {
			t.Errorf("%s: the question does not say why it asks:\n%s", tc.phase, m.View())
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "| `q` | quit (asks first while a copy is queued or sending: not yet accepted by AWS) |") {
		t.Error("the README's Keys table does not say when q asks as the app does")
	}
}

// Copies are recorded in the background: a form opened before the pane
// says they are (nav.CopiesAdded) is not the form they came from, and
// stays, with what is typed into it. The app once dropped it, leaving a
// blank screen that took every key.
func TestAFormOpenedWhileCopiesAreRecordedStays(t *testing.T) {
	tm, sim, _ := newApp(t)
	src, ok := simtest.ByName(sim, "us-west-2", "kafka-broker-2")
	if !ok {
		t.Fatal("no kafka-broker-2 in the seeded world")
	}
	tm.Send(nav.OpenForm{Sources: []model.Snapshot{src}})
	waitFor(t, tm.Output(), "Destination type")
	tm.Send(nav.CopiesAdded{}) // the copies of a batch sent from no form, recorded late
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
	waitFor(t, tm.Output(), "Destination Region is required")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.Send(runes("y"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}
