package progress

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simmodel"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
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
var t0 = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

// world is the simulator on a manual clock, the real client and a tracker
// over a state file in a temporary folder.
type world struct {
	t       *testing.T
	sim     *ec2sim.Server
	clock   *ec2sim.ManualClock
	client  *awsops.Client
	tracker *track.Tracker
	path    string
	seq     int // sources made
	rid     int // copies made
}

type worldOptions struct {
	lag         time.Duration
	maxInFlight int
	quotaMiBps  float64 // the simulator's time-based copy quota per Region pair; 0: AWS's default
}

func newWorld(t testing.TB, o worldOptions) *world {
	tt, _ := t.(*testing.T)
	clock := ec2sim.NewManualClock(t0)
	lag := o.lag
	if lag == 0 {
		lag = -1
	}
	sim := ec2sim.New(ec2sim.Options{Seed: 11, NoSeedWorld: true, Clock: clock, VisibilityLag: lag, TimeBasedQuotaMiBps: o.quotaMiBps})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	creds := credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")
	client, err := awsops.New(context.Background(), awsops.Options{
		Region: "us-west-2", EndpointURL: srv.URL, StaticCredentials: &creds,
		RetryMaxAttempts: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "copies.json")
	tr := track.NewTracker(client, &model.WatchList{}, path, track.TrackerOptions{
		Now: clock.Now, Rand: rand.New(rand.NewPCG(1, 2)), MaxInFlightPerRegion: o.maxInFlight,
	})
	return &world{t: tt, sim: sim, clock: clock, client: client, tracker: tr, path: path}
}

// source adds a completed snapshot to us-west-2.
func (w *world) source(name string, sizeGiB int32) model.Snapshot {
	w.seq++
	s := model.Snapshot{
		ID:            fmt.Sprintf("snap-0%016x", 0x5eed00+w.seq),
		VolumeSizeGiB: sizeGiB,
		State:         model.StateCompleted,
		Progress:      100,
		StartTime:     t0.Add(-time.Hour),
	}
	if name != "" {
		s.Tags = []model.Tag{{Key: "Name", Value: name}}
	}
	simmodel.Add(w.sim, "us-west-2", s)
	got, ok := simmodel.Snapshot(w.sim, "us-west-2", s.ID)
	if !ok {
		panic("source not kept")
	}
	return got
}

// copyOf makes a queued copy with a fixed request id, so screens are the
// same on every run.
func (w *world) copyOf(src model.Snapshot, region string, edit ...func(*model.CopyRequest)) *model.Copy {
	req := model.CopyRequest{DestinationRegion: region, SourceRegion: "us-west-2", SourceSnapshotID: src.ID}
	for _, e := range edit {
		e(&req)
	}
	c := model.NewCopy(req, src, w.clock.Now())
	w.rid++
	c.RequestID = fmt.Sprintf("sc-%016x", 0xc0b1e5000+w.rid)
	c.Request = c.Request.WithTag(model.RequestTagKey, c.RequestID)
	return c
}

// run steps the tracker n times, 5 s of simulated time apart.
func (w *world) run(n int) {
	for range n {
		w.tracker.Step(context.Background())
		w.clock.Advance(5 * time.Second)
	}
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
// terminal's extra output (bell, clipboard) going to term.
func (w *world) pane(width, height int, term *bytes.Buffer, opts ...func(*Options)) Model {
	o := Options{Now: w.clock.Now, Terminal: term, Tick: (&ticks{}).tick}
	for _, f := range opts {
		f(&o)
	}
	m := New(w.tracker, o)
	m.SetSize(width, height)
	return m
}

// settle runs cmd and every Cmd that follows from it, feeding the
// messages to the pane, like Bubble Tea's loop minus the timers. Messages
// for the app (nav) are returned.
func settle(m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case stepMsg, removedMsg, flashMsg, pollMsg, redrawMsg, retriedMsg, cancelledMsg:
			var next tea.Cmd
			m, next = m.Update(msg)
			queue = append(queue, next)
		default:
			out = append(out, msg)
		}
	}
	return m, out
}

// press sends keys to the pane and settles what they start.
func press(m Model, keys ...string) (Model, []tea.Msg) {
	var all []tea.Msg
	for _, k := range keys {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "up":
			msg = tea.KeyMsg{Type: tea.KeyUp}
		case "down":
			msg = tea.KeyMsg{Type: tea.KeyDown}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		var out []tea.Msg
		m, out = settle(m, cmd)
		all = append(all, out...)
	}
	return m, all
}

// refresh brings the pane up to date with the tracker (one Step).
func refresh(m Model) Model {
	m, _ = settle(m, m.step(m.gen))
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
