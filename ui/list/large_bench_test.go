package list

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
)

// Benchmarks of a large account (make bench): 100,000 snapshots, side by
// side with the bare SDK paginator against the same simulator. Targets:
// at ec2sim.BenchPageLatency per page, the full listing in at most 25 % of
// the paginator's time, the first rows within 1 s, and a snapshot late in
// the sequential order found by typing its id within 2 s; at zero latency
// at most 1.3x the paginator (the heap is BenchmarkHeap100k's).
const (
	targetShardedShare = 0.25
	targetFirstRows    = time.Second
	targetFind         = 2 * time.Second
	targetZeroLatency  = 1.3
	largeAccount       = 100_000
)

// bareSDK pages through every owned snapshot with the SDK's paginator,
// keeping nothing but the count and the last id of each page.
func bareSDK(b *testing.B, c *awsops.Client) (n int, lastIDs []string) {
	p := ec2.NewDescribeSnapshotsPaginator(c.EC2("us-west-2"), &ec2.DescribeSnapshotsInput{
		OwnerIds: []string{"self"}, MaxResults: aws.Int32(awsops.PageSize),
	})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		n += len(out.Snapshots)
		for i := len(out.Snapshots) - 1; i >= 0; i-- {
			if s := out.Snapshots[i]; s.State == "completed" {
				lastIDs = append(lastIDs, aws.ToString(s.SnapshotId))
				break
			}
		}
	}
	return n, lastIDs
}

// drive runs a list the way Bubble Tea does: every command in its own
// goroutine, every message through Update in turn, from start (the list's
// Init plus extra, e.g. keys typed at once) until done says so or no
// command is left. It returns the list and the time done was first true.
func drive(m Model, extra []tea.Cmd, done func(Model) bool) (Model, time.Duration) {
	start := time.Now()
	msgs := make(chan tea.Msg, 64)
	var pending sync.WaitGroup
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		pending.Add(1)
		go func() {
			defer pending.Done()
			switch msg := c().(type) {
			case nil, spinner.TickMsg: // only animates
			case tea.BatchMsg:
				for _, c := range msg {
					run(c)
				}
			default:
				pending.Add(1) // done once Update has handled it
				msgs <- msg
			}
		}()
	}
	run(m.Init())
	for _, c := range extra {
		run(c)
	}
	idle := make(chan struct{})
	go func() {
		pending.Wait()
		close(idle)
	}()
	for {
		if done(m) {
			return m, time.Since(start)
		}
		select {
		case msg := <-msgs:
			var cmd tea.Cmd
			m, cmd = m.Update(msg)
			run(cmd)
			pending.Done()
		case <-idle:
			return m, time.Since(start)
		}
	}
}

func largeSim(b *testing.B, latency time.Duration) sim {
	if testing.Short() {
		b.Skip("a large-account benchmark")
	}
	return newSim(b, ec2sim.Options{Seed: 1, ExtraSnapshots: largeAccount, PageLatency: latency})
}

func loaded100k(m Model) bool { return !m.Loading() }

// BenchmarkLargeAccountPageLatency lists 100,000 snapshots at
// ec2sim.BenchPageLatency per page: the bare SDK paginator, then the app's
// full listing, then a fresh list in which the id of a snapshot late in
// the paginator's order is typed at once.
func BenchmarkLargeAccountPageLatency(b *testing.B) {
	s := largeSim(b, ec2sim.BenchPageLatency)
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		n, lastIDs := bareSDK(b, s.client)
		sdk := time.Since(t0)
		if n < largeAccount {
			b.Fatalf("the paginator listed %d", n)
		}

		var first time.Duration
		m := New(s.client, Options{Region: "us-west-2", Profile: "bench", Now: clock})
		m.SetSize(200, 50)
		start := time.Now()
		m, app := drive(m, nil, func(m Model) bool {
			if first == 0 && m.Shown() > 0 {
				first = time.Since(start)
			}
			return loaded100k(m)
		})
		if m.Snapshots() != n || m.err != nil {
			b.Fatalf("the app listed %d of %d (%v)", m.Snapshots(), n, m.err)
		}

		target := lastIDs[len(lastIDs)-1]
		f := New(s.client, Options{Region: "us-west-2", Profile: "bench", Now: clock})
		f.SetSize(200, 50)
		var typed []tea.Cmd
		f, _ = press(f, "/")
		for _, r := range target {
			var cmd tea.Cmd
			f, cmd = f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			typed = append(typed, cmd)
		}
		f, find := drive(f, typed, func(m Model) bool {
			return slices.ContainsFunc(m.t.shown, func(r int32) bool { return m.t.rows[r].snap.ID == target })
		})
		f.cancel()

		share := float64(app) / float64(sdk)
		b.ReportMetric(float64(sdk.Milliseconds()), "sdk-ms")
		b.ReportMetric(float64(app.Milliseconds()), "app-ms")
		b.ReportMetric(share, "app/sdk")
		b.ReportMetric(float64(first.Milliseconds()), "first-rows-ms")
		b.ReportMetric(float64(find.Milliseconds()), "find-ms")
		if share > targetShardedShare {
			b.Fatalf("the full listing took %v, %.0f %% of the paginator's %v: over the target of %.0f %%", app, 100*share, sdk, 100*targetShardedShare)
		}
		if first > targetFirstRows || first == 0 {
			b.Fatalf("the first rows showed after %v, over the target of %v", first, targetFirstRows)
		}
		if find > targetFind || f.Shown() == 0 {
			b.Fatalf("%s was found after %v (%d shown), over the target of %v", target, find, f.Shown(), targetFind)
		}
	}
}

// zeroLatencyRounds is how many times each side lists at zero latency:
// the best of each is compared, as other work on a shared machine only
// ever adds time.
const zeroLatencyRounds = 3

// BenchmarkLargeAccountZeroLatency lists 100,000 snapshots from a
// simulator that answers at once: the sharded listing must not cost more
// than 1.3x the bare paginator where XML parsing, not waiting, is the work.
func BenchmarkLargeAccountZeroLatency(b *testing.B) {
	s := largeSim(b, 0)
	for i := 0; i < b.N; i++ {
		var sdk, app time.Duration
		for round := 0; round < zeroLatencyRounds; round++ {
			t0 := time.Now()
			n, _ := bareSDK(b, s.client)
			d := time.Since(t0)
			m := New(s.client, Options{Region: "us-west-2", Profile: "bench", Now: clock})
			m.SetSize(200, 50)
			m, a := drive(m, nil, loaded100k)
			if m.Snapshots() != n || m.err != nil {
				b.Fatalf("the app listed %d of %d (%v)", m.Snapshots(), n, m.err)
			}
			if round == 0 || d < sdk {
				sdk = d
			}
			if round == 0 || a < app {
				app = a
			}
		}
		r := float64(app) / float64(sdk)
		b.ReportMetric(float64(sdk.Milliseconds()), "sdk-ms")
		b.ReportMetric(float64(app.Milliseconds()), "app-ms")
		b.ReportMetric(r, "app/sdk")
		if r > targetZeroLatency {
			b.Fatalf("the app listed in %v, %.2fx the paginator's %v: over the target of %.1fx", app, r, sdk, targetZeroLatency)
		}
	}
}
