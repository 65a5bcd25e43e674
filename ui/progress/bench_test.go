package progress

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
)

// counter counts the bytes a program writes to its terminal.
type counter struct{ n atomic.Int64 }

func (c *counter) Write(p []byte) (int, error) {
	c.n.Add(int64(len(p)))
	return len(p), nil
}

// simTimers fire the pane's ticks by the simulated clock: a tick waits
// until the driver has moved the clock past its deadline.
type simTimers struct {
	clock   *ec2sim.ManualClock
	done    chan struct{}
	mu      sync.Mutex
	pending []simTimer
}

type simTimer struct {
	at   time.Time
	fire chan struct{}
}

func (s *simTimers) tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	t := simTimer{at: s.clock.Now().Add(d), fire: make(chan struct{})}
	s.mu.Lock()
	s.pending = append(s.pending, t)
	s.mu.Unlock()
	return func() tea.Msg {
		select {
		case <-t.fire:
			return fn(s.clock.Now())
		case <-s.done:
			return nil
		}
	}
}

// advance moves the clock and fires the ticks that are due; it returns
// how many fired.
func (s *simTimers) advance(d time.Duration) int {
	s.clock.Advance(d)
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	kept, fired := s.pending[:0], 0
	for _, t := range s.pending {
		if t.at.After(now) {
			kept = append(kept, t)
			continue
		}
		close(t.fire)
		fired++
	}
	s.pending = kept
	return fired
}

// acking is the pane in a program that reports each tick it has handled,
// so the driver knows when a simulated second is on screen.
type acking struct {
	m    Model
	acks chan struct{}
}

func (a acking) Init() tea.Cmd { return a.m.Init() }

func (a acking) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if size, ok := msg.(tea.WindowSizeMsg); ok {
		a.m.SetSize(size.Width, size.Height)
		return a, nil
	}
	var cmd tea.Cmd
	a.m, cmd = a.m.Update(msg)
	switch msg.(type) {
	case stepMsg, redrawMsg:
		a.acks <- struct{}{}
	}
	return a, cmd
}

func (a acking) View() string { return a.m.View() }

// BenchmarkTerminalBytes20Copies runs the real Bubble Tea program (alt
// screen, colours on) following 20 copies for two simulated minutes and
// reports the bytes written to the terminal per simulated second.
// The target is under 4096 B/s.
func BenchmarkTerminalBytes20Copies(b *testing.B) {
	const seconds = 120
	lipgloss.SetColorProfile(termenv.TrueColor)
	lipgloss.SetHasDarkBackground(true)
	b.Cleanup(func() { lipgloss.SetColorProfile(termenv.Ascii) })

	var perSecond, firstFrame float64
	for range b.N {
		b.StopTimer()
		w := newWorld(b, worldOptions{})
		regions := []string{"us-east-1", "eu-west-1", "ap-southeast-2"}
		var copies []*model.Copy
		for i := range 20 {
			// 30 GiB to 600 GiB: all still running after two minutes.
			copies = append(copies, w.CopyOf(w.Source("volume", int32(30+30*i)), regions[i%3]))
		}
		if err := w.Tracker.Add(copies...); err != nil {
			b.Fatal(err)
		}
		timers := &simTimers{clock: w.Clock, done: make(chan struct{})}
		var out counter
		m := New(w.Tracker, Options{Now: w.Clock.Now, Terminal: &out, Tick: timers.tick})
		host := acking{m: m, acks: make(chan struct{}, 16)}
		p := tea.NewProgram(host, tea.WithOutput(&out), tea.WithInput(nil), tea.WithAltScreen(), tea.WithoutSignals())
		ran := make(chan error, 1)
		b.StartTimer()

		go func() { _, err := p.Run(); ran <- err }()
		p.Send(tea.WindowSizeMsg{Width: 160, Height: 30})
		<-host.acks                                           // the first step
		frame := func() { time.Sleep(40 * time.Millisecond) } // two renderer frames at 60 fps
		frame()
		first := out.n.Load()
		for range seconds {
			for range timers.advance(time.Second) {
				<-host.acks
			}
			frame()
		}
		total := out.n.Load()

		p.Quit()
		close(timers.done)
		if err := <-ran; err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		moved := 0
		for _, c := range w.Tracker.Copies() {
			if c.Phase == model.PhaseRunning && c.Progress > 0 {
				moved++
			}
		}
		if moved != 20 {
			b.Fatalf("%d of 20 copies were seen moving; the run did not follow them", moved)
		}
		perSecond += float64(total-first) / seconds
		firstFrame += float64(first)
		b.StartTimer()
	}
	b.ReportMetric(perSecond/float64(b.N), "B/s")
	// A slow SSH link must keep up: a miss fails make bench.
	if bps := perSecond / float64(b.N); bps >= 4096 {
		b.Errorf("%.0f B/s written to the terminal, over the target of 4096 B/s", bps)
	}
	b.ReportMetric(firstFrame/float64(b.N), "first-frame-B")
	b.ReportMetric(0, "ns/op")
}
