package progress

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/screentest"
	"github.com/snapcopy/snapcopy/ui/theme"
)

func TestMain(m *testing.M) {
	for _, k := range []string{"AWS_PROFILE", "AWS_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2", "TMUX"} {
		os.Unsetenv(k)
	}
	os.Setenv("AWS_CONFIG_FILE", os.DevNull)
	os.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	os.Setenv("TERM", "xterm-256color")
	theme.UseASCII()
	os.Exit(m.Run())
}

// t0 is where the simulator's manual clock starts.
var t0 = screentest.T0

// world is what the pane follows (screentest.World), and the test.
type world struct {
	*screentest.World
	t  *testing.T // nil in a benchmark
	tb testing.TB
}

type worldOptions = screentest.WorldOptions

func newWorld(t testing.TB, o worldOptions) *world {
	tt, _ := t.(*testing.T)
	return &world{World: screentest.NewWorld(t, o), t: tt, tb: t}
}

// follow tracks copies and follows them for steps steps.
func (w *world) follow(steps int, copies ...*model.Copy) *world {
	w.tb.Helper()
	if err := w.Tracker.Add(copies...); err != nil {
		w.tb.Fatal(err)
	}
	w.Run(steps)
	return w
}

// ticks records the waits the pane asked for instead of sleeping: tests
// deliver the messages themselves.
type ticks struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (k *ticks) tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	k.mu.Lock()
	k.waits = append(k.waits, d)
	k.mu.Unlock()
	return func() tea.Msg { return nil } // the test delivers the message itself
}

// pane makes the pane over the world's tracker at a size, with the
// terminal's extra output (bell, clipboard) going to term, its follow
// loop driven by the test (drivenPane).
func (w *world) pane(width, height int, term *bytes.Buffer, opts ...func(*Options)) Model {
	o := Options{Now: w.Clock.Now, Terminal: term, Tick: (&ticks{}).tick}
	for _, f := range opts {
		f(&o)
	}
	m := drivenPane(w.tb, w.Tracker, o)
	m.SetSize(width, height)
	return m
}

// drivenPane is the pane over t with its follow loop driven by the test:
// the real track.Follow with the pane's options, on a clock that never
// fires by itself. A step runs only when one is asked for (a key, copies
// added, refresh), one step per ask, and settle hands each to the pane in
// order: as the program would, minus the timers.
func drivenPane(tb testing.TB, tracker Tracker, o Options) Model {
	ctx, cancel := context.WithCancel(context.Background())
	o.Context = ctx
	m := New(tracker, o)
	l := &loop{tb: tb, ctx: ctx, tracker: tracker, f: m.follow, parked: make(chan struct{}), release: make(chan struct{}), ended: make(chan struct{})}
	tb.Cleanup(func() {
		// The loop ends before the test's folders go.
		cancel()
		if l.state != notStarted {
			<-l.ended
		}
	})
	m.follow.after = l.after
	l.opts = m.followOptions()
	loops.Store(m.follow, l)
	tb.Cleanup(func() { loops.Delete(m.follow) })
	return m
}

// loops are the driven panes' loops, by their follower.
var loops sync.Map

// loop drives one pane's follow loop.
type loop struct {
	tb      testing.TB
	ctx     context.Context
	tracker Tracker
	f       *follower
	opts    track.FollowOptions
	// state is where the loop is, as the test goroutine last saw it.
	state   loopState
	parked  chan struct{} // the loop announces its wait
	release chan struct{} // the test ends it
	ended   chan struct{} // closed when the loop has ended
	// due: the loop's timer fired (tick), whatever its wait; a wait for
	// a step asked for (paused) does not end by time.
	due bool

	mu    sync.Mutex
	waits []time.Duration // the waits the loop asked for
}

type loopState int

const (
	notStarted loopState = iota
	stepping             // its step's result is coming
	stepped              // its result was taken; its wait comes next
	waiting              // parked in its wait
)

// after is the loop's clock: it parks until the test releases it, takes
// the ask that released it, if any, and fires.
func (l *loop) after(d time.Duration) <-chan time.Time {
	l.mu.Lock()
	l.waits = append(l.waits, d)
	l.mu.Unlock()
	select {
	case l.parked <- struct{}{}:
	case <-l.ctx.Done():
		return nil
	}
	select {
	case <-l.release:
	case <-l.ctx.Done():
		return nil
	}
	select {
	case <-l.f.now:
	default:
	}
	return screentest.FiredNow
}

// Waits are the waits the loop asked for so far.
func (l *loop) Waits() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.waits)
}

// lastWait is the wait the loop is in.
func (l *loop) lastWait() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.waits[len(l.waits)-1]
}

// next is the loop's next step's message when one was asked for, nil
// when the loop waits with nothing asked. The first ask starts the loop,
// whose first step answers it.
func (l *loop) next() tea.Msg {
	l.tb.Helper()
	for {
		switch l.state {
		case notStarted:
			select {
			case <-l.f.now:
			default:
				if !l.due {
					return nil
				}
			}
			l.due = false
			go func() {
				defer close(l.ended)
				_ = track.Follow(l.ctx, l.tracker, l.opts)
			}()
			l.state = stepping
		case stepping:
			select {
			case msg := <-l.f.steps:
				l.state = stepped
				return msg
			case <-time.After(time.Minute): // a bound on a hang, not a speed check
				l.tb.Fatal("the follow loop's step never came")
			}
		case stepped:
			select {
			case <-l.parked:
				l.state = waiting
			case <-time.After(time.Minute):
				l.tb.Fatal("the follow loop never waited after its step")
			}
		case waiting:
			timer := l.due && l.lastWait() >= 0
			l.due = false
			if len(l.f.now) == 0 && !timer {
				return nil
			}
			l.release <- struct{}{}
			l.state = stepping
		}
	}
}

// loopOf is the loop driving m's follow loop, nil for a pane not driven.
func loopOf(m Model) *loop {
	if l, ok := loops.Load(m.follow); ok {
		return l.(*loop)
	}
	return nil
}

// settleOptions feed the pane its messages and hand back the requests
// for the app, with the follow loop's steps as they are asked for.
func settleOptions(m Model) screentest.Options {
	o := screentest.Options{Pass: screentest.ForApp}
	if l := loopOf(m); l != nil {
		o.More = l.next
	}
	return o
}

// settle runs cmd and every Cmd that follows from it, and the steps they
// ask for, feeding the messages to the pane (screentest.Settle). Messages
// for the app (nav) are returned.
func settle(m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	return screentest.Settle(m, cmd, settleOptions(m))
}

// press sends keys to the pane and settles what they start.
func press(m Model, keys ...string) (Model, []tea.Msg) {
	return screentest.Act(m, settleOptions(m), keys...)
}

// refresh brings the pane up to date with the tracker: one step asked
// for, as by r.
func refresh(m Model) Model {
	m.follow.stepNow()
	m, _ = settle(m, nil)
	return m
}

// tick fires the follow loop's timer: it steps unless it waits for a step
// asked for (paused).
func tick(m Model) Model {
	loopOf(m).due = true
	m, _ = settle(m, nil)
	return m
}

// checkView compares the pane's screen with testdata/<test name>.golden
// (go test ./ui/progress -update rewrites them), checks it fits its size,
// and that it says each of wants.
func checkView(t *testing.T, m Model, wants ...string) {
	t.Helper()
	v := m.View()
	lines := strings.Split(v, "\n")
	if len(lines) > m.height {
		t.Errorf("view has %d lines, more than the height %d", len(lines), m.height)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > m.width {
			t.Errorf("line %d is %d wide, more than %d: %q", i+1, w, m.width, l)
		}
	}
	if strings.ContainsAny(v, "\x1b\a") {
		t.Errorf("the screen carries raw control characters: %q", v)
	}
	for _, want := range wants {
		if !strings.Contains(v, want) {
			t.Errorf("the screen does not say %q", want)
		}
	}
	golden.RequireEqual(t, []byte(v+"\n"))
}
