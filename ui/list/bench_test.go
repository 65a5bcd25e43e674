package list

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
)

// Benchmarks of the list at scale (make bench). Targets: View under 2 ms
// at 100,000 snapshots on 200x50 and no dearer than at 100; one filter
// keystroke (Update + View) under 10 ms at 100,000; loading 10,000 from
// the simulator at most 1.5x the bare SDK paginator; heap for 100,000
// loaded snapshots under 150 MB.

// benchPages makes n snapshots in pages of awsops.PageSize, as AWS sends them.
func benchPages(n int) [][]model.Snapshot {
	var pages [][]model.Snapshot
	for i := 0; i < n; i += awsops.PageSize {
		pages = append(pages, bigPage(min(awsops.PageSize, n-i), int64(i/awsops.PageSize+1)))
	}
	return pages
}

// benchList is a list of n loaded snapshots at w x h, cursor mid-way.
func benchList(n, w, h int) Model {
	m := New(fixtureClient(), Options{Help: appHelp, Quit: appQuit, Tick: noTick, Region: "us-west-2", Profile: "bench", Now: clock})
	m.SetSize(w, h)
	m.loading = true
	pages := benchPages(n)
	for i, p := range pages {
		m, _ = m.Update(snapshotsPageMsg{gen: m.gen, snaps: p, pages: i + 1, more: i < len(pages)-1})
	}
	m.cursor = n / 2
	m.clampCursor()
	return m
}

// Targets the benchmarks hold the list to: a miss fails make bench.
const (
	targetView      = 2 * time.Millisecond
	targetKeystroke = 10 * time.Millisecond
	targetLoadRatio = 1.5
	targetHeapMB    = 150
)

// perOp fails the benchmark when its mean wall time per op exceeds target.
// A run of fewer than 10 ops (the benchmark's first probe, or -benchtime
// 1x) is too short to judge.
func perOp(b *testing.B, target time.Duration) {
	b.Helper()
	if b.N < 10 {
		return
	}
	if got := b.Elapsed() / time.Duration(b.N); got > target {
		b.Errorf("%v per op, over the target of %v", got, target)
	}
}

func benchView(b *testing.B, n int) {
	m := benchList(n, 200, 50)
	if m.Snapshots() != n {
		b.Fatalf("loaded %d", m.Snapshots())
	}
	_ = m.View() // warm up: the first frame fills caches
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU(b)
	for i := 0; i < b.N; i++ {
		_ = m.View()
	}
	b.StopTimer()
	cpu.report()
	perOp(b, targetView)
}

// cpuMeter reports the CPU time per op of a benchmark loop.
type cpuMeter struct {
	b     *testing.B
	start time.Duration
	ok    bool
}

func startCPU(b *testing.B) cpuMeter {
	t, ok := cpuTime()
	return cpuMeter{b: b, start: t, ok: ok}
}

func (c cpuMeter) report() {
	if end, ok := cpuTime(); ok && c.ok {
		c.b.ReportMetric(float64(end-c.start)/float64(time.Millisecond)/float64(c.b.N), "cpu-ms/op")
	}
}

func BenchmarkView100k(b *testing.B) { benchView(b, 100_000) }

func BenchmarkView100(b *testing.B) { benchView(b, 100) }

// BenchmarkFilterKeystroke100k is one key typed into the filter, Update
// then View: the first letter (a search of every row), a letter that
// narrows (a search of the rows shown), and a backspace that widens (a
// search of every row again).
func BenchmarkFilterKeystroke100k(b *testing.B) {
	base := benchList(100_000, 200, 50)
	base, _ = press(base, "/")
	cases := []struct {
		name  string
		typed string // already in the filter
		key   tea.KeyMsg
	}{
		{"first", "", keyMsg("d")},
		{"narrow", "d", keyMsg("b")},
		{"backspace", "db", keyMsg("backspace")},
		{"second-word", "db ", keyMsg("p")},
		{"column", "tag:env=pro", keyMsg("d")},
		{"tag-key", "tag:tea", keyMsg("m")}, // no byte pairs to rule rows out: every row's tags are read
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			start := typeText(base, c.typed)
			b.ReportAllocs()
			b.ResetTimer()
			cpu := startCPU(b)
			for i := 0; i < b.N; i++ {
				m, _ := start.Update(c.key) // start is never changed: each run is the same keystroke
				_ = m.View()
			}
			b.StopTimer()
			cpu.report()
			perOp(b, targetKeystroke)
		})
	}
}

var (
	load10kOnce sync.Once
	load10kSim  sim
	load10kN    int
)

// load10k is one simulator with 10,000 extra snapshots in us-west-2,
// shared by the load benchmarks so they read the same pages.
func load10k(b *testing.B) sim {
	load10kOnce.Do(func() {
		// Shared by several benchmarks, so it is not closed with any one of
		// them: it lives until the test binary exits.
		srv, _, url, err := ec2sim.Listen("127.0.0.1:0", ec2sim.Options{Seed: 1, ExtraSnapshots: 10_000, Clock: ec2sim.NewManualClock(fixedNow)})
		if err != nil {
			b.Fatal(err)
		}
		load10kSim = sim{srv: srv, client: clientFor(b, url), url: url}
		all, err := load10kSim.client.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
		if err != nil {
			b.Fatal(err)
		}
		load10kN = len(all)
	})
	if load10kN == 0 {
		b.Fatal("the load simulator did not start")
	}
	return load10kSim
}

// appLoad loads every page into a new list, the way the app does.
func appLoad(b *testing.B, s sim) {
	m := New(s.client, Options{Region: "us-west-2", Profile: "bench", Now: clock})
	m.SetSize(200, 50)
	m, _ = settle(m, m.fetchPage())
	if m.Snapshots() != load10kN || m.err != nil {
		b.Fatalf("app loaded %d of %d (%v)", m.Snapshots(), load10kN, m.err)
	}
}

// sdkLoad is the bare SDK paginator over the same pages, keeping nothing.
func sdkLoad(b *testing.B, s sim) {
	p := ec2.NewDescribeSnapshotsPaginator(s.client.EC2("us-west-2"), &ec2.DescribeSnapshotsInput{
		OwnerIds: []string{"self"}, MaxResults: aws.Int32(awsops.PageSize),
	})
	n := 0
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		n += len(out.Snapshots)
	}
	if n != load10kN {
		b.Fatalf("sdk loaded %d of %d", n, load10kN)
	}
}

func BenchmarkLoad10kApp(b *testing.B) {
	s := load10k(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		appLoad(b, s)
	}
}

func BenchmarkLoad10kBareSDK(b *testing.B) {
	s := load10k(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sdkLoad(b, s)
	}
}

// BenchmarkLoad10kRatio runs the two loads alternately in one loop, so both
// see the same machine load, and reports the app's time over the SDK's
// (target: at most 1.5).
func BenchmarkLoad10kRatio(b *testing.B) {
	s := load10k(b)
	var app, sdk time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		sdkLoad(b, s)
		t1 := time.Now()
		appLoad(b, s)
		app += time.Since(t1)
		sdk += t1.Sub(t0)
	}
	b.ReportMetric(float64(app)/float64(sdk), "app/sdk")
	if r := float64(app) / float64(sdk); r > targetLoadRatio {
		b.Errorf("the app loads in %.2fx the bare SDK's time, over the target of %.1fx", r, targetLoadRatio)
	}
	b.ReportMetric(float64(app.Milliseconds())/float64(b.N), "app-ms/op")
	b.ReportMetric(float64(sdk.Milliseconds())/float64(b.N), "sdk-ms/op")
}

// BenchmarkHeap100k reports the live heap of a list holding 100,000
// snapshots, measured after a GC and counting everything the list keeps:
// the snapshots' strings, the rows, the search texts and the index slices.
// "generated" feeds pages of rich snapshots (long descriptions, three tags
// each); "simulator" loads 100,000 through the real client.
func BenchmarkHeap100k(b *testing.B) {
	b.Run("generated", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			before := liveHeap()
			m := benchList(100_000, 200, 50) // pages are garbage once added
			after := liveHeap()
			if m.Snapshots() != 100_000 {
				b.Fatal("not loaded")
			}
			heapMB(b, after-before)
			runtime.KeepAlive(m)
		}
	})
	b.Run("simulator", func(b *testing.B) {
		s := newSim(b, ec2sim.Options{Seed: 1, ExtraSnapshots: 100_000})
		for i := 0; i < b.N; i++ {
			before := liveHeap()
			m := New(s.client, Options{Region: "us-west-2", Profile: "bench", Now: clock})
			m, _ = settle(m, m.fetchPage())
			after := liveHeap()
			if m.Snapshots() < 100_000 || m.err != nil {
				b.Fatalf("loaded %d (%v)", m.Snapshots(), m.err)
			}
			heapMB(b, after-before)
			runtime.KeepAlive(m)
		}
	})
}

// heapMB reports the heap grown by a load and fails over the target.
func heapMB(b *testing.B, grown uint64) {
	mb := float64(grown) / (1 << 20)
	b.ReportMetric(mb, "MB-heap")
	if mb > targetHeapMB {
		b.Errorf("%.1f MB of heap for 100,000 snapshots, over the target of %d MB", mb, targetHeapMB)
	}
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
