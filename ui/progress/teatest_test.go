package progress

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/snapcopy/snapcopy/model"
)

// host runs the pane as a whole program, the way the app does: sizes go
// to SetSize, everything else to Update; q quits.
type host struct{ m Model }

func (h host) Init() tea.Cmd { return h.m.Init() }

func (h host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.m.SetSize(msg.Width, msg.Height)
		return h, nil
	case tea.KeyMsg:
		if msg.String() == "q" {
			return h, tea.Quit
		}
	}
	var cmd tea.Cmd
	h.m, cmd = h.m.Update(msg)
	return h, cmd
}

func (h host) View() string { return h.m.View() }

func TestProgramFollowsCopiesAndOpensDetails(t *testing.T) {
	w := newWorld(t, worldOptions{})
	copies := []*model.Copy{
		w.CopyOf(w.Source("db-prod-primary", 100), "us-east-1"),
		w.CopyOf(w.Source("web", 8), "eu-west-1", func(r *model.CopyRequest) { r.Encrypted, r.KmsKeyID = true, "alias/nope" }),
	}
	if err := w.Tracker.Add(copies...); err != nil {
		t.Fatal(err)
	}
	w.Run(8) // the key check fails the second copy
	var term bytes.Buffer
	// Init starts the follow loop, whose first step comes at once; its
	// clock never fires in this test.
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	m := New(w.Tracker, Options{Now: w.Clock.Now, Terminal: &term, Tick: (&ticks{}).tick, Context: ctx})
	tm := teatest.NewTestModel(t, host{m}, teatest.WithInitialTermSize(140, 12))

	waitFor(t, tm.Output(), "1 running · 0 done · 1 failed")
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm.Output(), "AWS says:")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm.Output(), "SOURCE")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(host).m
	if final.cursor != 1 || final.detail {
		t.Errorf("final state: cursor %d, detail %v", final.cursor, final.detail)
	}
}

// waitFor reads the program's output until it shows s.
func waitFor(t *testing.T, out io.Reader, s string) {
	t.Helper()
	teatest.WaitFor(t, out, func(b []byte) bool { return strings.Contains(string(b), s) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// In the real program the follow loop runs beside it: its first step comes
// at once, r asks for another (the clock never fires here), and the loop
// ends with its context.
func TestProgramFollowLoopStepsWhenAskedAndEndsWithItsContext(t *testing.T) {
	w := newWorld(t, worldOptions{})
	if err := w.Tracker.Add(w.CopyOf(w.Source("db", 100), "us-east-1")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	m := New(w.Tracker, Options{Now: w.Clock.Now, Terminal: &bytes.Buffer{}, Tick: (&ticks{}).tick, Context: ctx})
	tm := teatest.NewTestModel(t, host{m}, teatest.WithInitialTermSize(140, 12))
	waitFor(t, tm.Output(), "1 running") // the first step sent the copy
	polls := w.Sim.Count("DescribeSnapshots", "us-east-1")
	tm.Send(keyRunes("r"))
	for deadline := time.Now().Add(time.Minute); w.Sim.Count("DescribeSnapshots", "us-east-1") == polls; {
		if time.Now().After(deadline) { // a bound on a hang, not a speed check
			t.Fatal("r did not make the follow loop poll")
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.Send(keyRunes("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	cancel()
	select {
	case <-m.Ended():
	case <-time.After(time.Minute):
		t.Fatal("the follow loop did not end with its context")
	}
}
