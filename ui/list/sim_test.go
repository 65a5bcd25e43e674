package list

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/screentest"
)

// sim is a simulator on a real port and a real awsops client for it, with
// the SDK's retries off so every fault shows at once.
type sim struct {
	srv    *ec2sim.Server
	client *awsops.Client
	url    string
}

func newSim(tb testing.TB, o ec2sim.Options) sim {
	tb.Helper()
	if o.Clock == nil {
		o.Clock = ec2sim.NewManualClock(fixedNow)
	}
	s := simtest.Start(tb, simtest.Setup{Sim: o, Client: noRetries})
	return sim{srv: s.Server, client: s.Client, url: s.URL}
}

// clientFor is a client of url without the SDK's retries.
func clientFor(tb testing.TB, url string) *awsops.Client {
	tb.Helper()
	return simtest.Client(tb, url, noRetries)
}

func noRetries(o *awsops.Options) { o.RetryMaxAttempts = 1 }

func simList(s sim) Model {
	m := New(s.client, Options{Region: "us-west-2", Profile: "demo", Now: clock, Help: appHelp, Quit: appQuit, Tick: noTick})
	m.SetSize(80, 24)
	return m
}

// settle runs cmd and every command it leads to, feeding each message to
// the list, until none is left; it returns the requests for the app (nav)
// that went by. Spinner ticks are dropped: they only animate, and each
// would wait a frame.
func settle(m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	return screentest.Settle(m, cmd, screentest.Options{
		Skip: func(msg tea.Msg) bool { _, ok := msg.(spinner.TickMsg); return ok },
		Pass: screentest.ForApp,
	})
}

// ownedCount asks the simulator, through the plain awsops call, how many
// snapshots the account owns in region.
func ownedCount(t *testing.T, s sim, region string, scope awsops.Scope) int {
	t.Helper()
	all, err := s.client.ListSnapshots(context.Background(), region, scope, nil)
	if err != nil {
		t.Fatal(err)
	}
	return len(all)
}

func TestLoadsEveryPageFromTheSimulator(t *testing.T) {
	s := newSim(t, ec2sim.Options{Seed: 1, ExtraSnapshots: 2500})
	want := ownedCount(t, s, "us-west-2", awsops.Owned)
	s.srv.ResetCounts()

	m := simList(s)
	m, _ = settle(m, m.Init())
	if m.Snapshots() != want || m.Loading() || m.err != nil {
		t.Fatalf("loaded %d of %d, loading %v, err %v", m.Snapshots(), want, m.Loading(), m.err)
	}
	// Seventeen shards of fewer than 1000 snapshots each take one page
	// apiece, and the plain first page checks them.
	if got := s.srv.Count("DescribeSnapshots", "us-west-2"); got != 17+1 {
		t.Fatalf("DescribeSnapshots sent %d times for %d snapshots, want 17 shard pages and 1 plain page", got, want)
	}
	if m.account != ec2sim.AccountID {
		t.Fatalf("account %q, want the owner id %s", m.account, ec2sim.AccountID)
	}
	head := strings.Split(m.View(), "\n")[0]
	if !strings.Contains(head, fmt.Sprintf("%d/%d snapshots", want, want)) || !strings.Contains(head, ec2sim.AccountID) {
		t.Fatalf("header %q", head)
	}
	// Keys were named by alias: ListAliases answered.
	if !strings.Contains(m.View(), "alias/") {
		t.Fatalf("no key is named by its alias:\n%s", m.View())
	}
}

// The seeded description with escape sequences travels the wire and the
// SDK. XML cannot carry ESC or BEL, so the simulator sends the sequences in
// their 8-bit C1 form (ESC [ as U+009B, which terminals obey just the same)
// and BEL as U+FFFD; the screen shows placeholders, never the bytes.
func TestSimulatorEscapesNeverReachTheScreen(t *testing.T) {
	s := newSim(t, ec2sim.Options{Seed: 1})
	m := simList(s)
	m, _ = settle(m, m.Init())
	m.SetSize(200, 50)
	m, _ = press(m, "/")
	m = typeText(m, "restore test")
	m, _ = press(m, "enter")
	r := m.current()
	if r == nil || !strings.Contains(r.snap.Description, "\u009b31mRED ALERT\u009b0m") {
		t.Fatalf("the seeded hostile description did not arrive with its CSI sequences: %+v", r)
	}
	list := m.View()
	m, _ = press(m, "d")
	for _, v := range []string{list, m.View()} {
		if strings.IndexByte(v, 0x1b) >= 0 || strings.IndexByte(v, 0x07) >= 0 || strings.ContainsRune(v, '\u009b') {
			t.Fatalf("a control character reached the screen:\n%q", v)
		}
		if !strings.Contains(v, "restore test \uFFFD31mRED ALERT\uFFFD0m ring the") {
			t.Fatalf("placeholders not shown:\n%s", v)
		}
	}
	if !strings.Contains(m.View(), "ring the bell\uFFFD done") {
		t.Fatalf("detail pane does not show the whole description:\n%s", m.View())
	}
}

// Refused calls show AWS's code and what to do; r retries once the fault
// is gone and the list loads: the app stays usable.
func TestErrorLineAndRetry(t *testing.T) {
	cases := []struct {
		name   string
		faults ec2sim.Faults
		want   []string
	}{
		{"denied", ec2sim.Faults{DenyPermission: true, Actions: []string{"DescribeSnapshots"}},
			[]string{"✗ DescribeSnapshots in us-west-2: UnauthorizedOperation", "lacks permission for DescribeSnapshots"}},
		{"expired", ec2sim.Faults{ExpiredCredentials: true},
			[]string{"✗ DescribeSnapshots in us-west-2: RequestExpired", "credentials expired or invalid"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, ec2sim.Options{Seed: 1})
			s.srv.SetFaults(c.faults)
			m := simList(s)
			m, _ = settle(m, m.Init())
			v := m.View()
			for _, w := range c.want {
				if !strings.Contains(strings.ReplaceAll(v, "\n", " "), w) {
					t.Fatalf("error line lacks %q:\n%s", w, v)
				}
			}
			if !strings.Contains(v, "no snapshots loaded: r tries again, g picks another Region") {
				t.Fatalf("empty list does not say what to do:\n%s", v)
			}
			s.srv.SetFaults(ec2sim.Faults{})
			m, cmds := press(m, "r")
			m, _ = settle(m, cmds[0])
			if m.err != nil || m.Snapshots() == 0 {
				t.Fatalf("r after the fault: err %v, %d snapshots", m.err, m.Snapshots())
			}
			if strings.Contains(m.View(), "✗") {
				t.Fatalf("error still shown after a good reload:\n%s", m.View())
			}
		})
	}
}

func TestUnreachableEndpoint(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	m := New(clientFor(t, url), Options{Region: "us-west-2", Profile: "demo", Now: clock})
	m.SetSize(120, 24)
	m, _ = settle(m, m.Init())
	v := strings.ReplaceAll(m.View(), "\n", " ")
	if !strings.Contains(v, "✗ DescribeSnapshots in us-west-2") || !strings.Contains(v, "the EC2 endpoint cannot be reached") {
		t.Fatalf("unreachable endpoint:\n%s", m.View())
	}
}

// TestGoldenError pins the error line of a real refusal, run as a whole
// program with teatest.
func TestGoldenError(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {40, 10}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			s := newSim(t, ec2sim.Options{Seed: 1})
			s.srv.SetFaults(ec2sim.Faults{DenyPermission: true})
			m := New(s.client, Options{Region: "us-west-2", Profile: "demo", Now: clock, Help: appHelp, Quit: appQuit, Tick: noTick})
			tm := teatest.NewTestModel(t, screen{m: m, load: true}, teatest.WithInitialTermSize(sz[0], sz[1]))
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), "✗") },
				teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
			if err := tm.Quit(); err != nil {
				t.Fatal(err)
			}
			final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(screen).m
			golden.RequireEqual(t, []byte(final.View()))
		})
	}
}

func TestRegionSwitchAgainstTheSimulator(t *testing.T) {
	s := newSim(t, ec2sim.Options{Seed: 1})
	m := simList(s)
	m, _ = settle(m, m.Init())
	m, cmds := press(m, "g")
	m, _ = settle(m, cmds[0])
	v := m.View()
	if !strings.Contains(v, "af-south-1       ⊘ opt-in Region, not enabled for this account") {
		t.Fatalf("picker does not show the opt-in Region as refused:\n%s", v)
	}
	m = pickRegion(t, m, "af-south-1")
	m, cmds = press(m, "enter")
	m, _ = settle(m, cmds[0])
	if m.region != "us-west-2" || !strings.Contains(m.View(), "af-south-1 is an opt-in Region not enabled") {
		t.Fatalf("af-south-1 not refused: region %s\n%s", m.region, m.View())
	}
	want := ownedCount(t, s, "eu-west-1", awsops.Owned)
	s.srv.ResetCounts()
	m = pickRegion(t, m, "eu-west-1")
	m, cmds = press(m, "enter")
	m, _ = settle(m, cmds[0])
	if m.region != "eu-west-1" || m.Snapshots() != want || want == 0 {
		t.Fatalf("after picking eu-west-1: region %s, %d snapshots, want %d", m.region, m.Snapshots(), want)
	}
	if s.srv.Count("DescribeSnapshots", "eu-west-1") == 0 || s.srv.Count("DescribeSnapshots", "us-west-2") != 0 {
		t.Fatalf("requests: %v", s.srv.Counts())
	}
	for _, r := range m.t.rows {
		if r.snap.Region != "eu-west-1" {
			t.Fatalf("%s listed in %s", r.snap.ID, r.snap.Region)
		}
	}
}

func pickRegion(t *testing.T, m Model, name string) Model {
	t.Helper()
	m, _ = press(m, "home")
	for i := 0; i < len(m.regions); i++ {
		if m.regions[m.pick].Name == name {
			return m
		}
		m, _ = press(m, "down")
	}
	t.Fatalf("%s not in the picker", name)
	return m
}

func TestSharedScope(t *testing.T) {
	s := newSim(t, ec2sim.Options{Seed: 1})
	want := ownedCount(t, s, "us-west-2", awsops.SharedWithMe)
	m := simList(s)
	m, _ = settle(m, m.Init())
	if strings.Contains(m.View(), "OWNER") {
		t.Errorf("the account's own snapshots have an OWNER column:\n%s", m.View())
	}
	m, cmds := press(m, "o")
	m, _ = settle(m, cmds[0])
	if m.Snapshots() != want || want == 0 {
		t.Fatalf("shared: %d snapshots, want %d", m.Snapshots(), want)
	}
	// Shared with the account, each snapshot says whose it is.
	m.SetSize(120, 40)
	v := m.View()
	if titles := strings.Split(v, "\n")[1]; !strings.Contains(titles, "SNAPSHOT               OWNER") {
		t.Errorf("no OWNER column beside the id: %q", titles)
	}
	for _, r := range m.t.rows {
		if row := lineWith(v, r.snap.ID); row != "" && !strings.Contains(row, r.snap.ID+" "+r.snap.OwnerID) {
			t.Errorf("the row of %s does not name its owner %s: %q", r.snap.ID, r.snap.OwnerID, row)
		}
	}
	for _, r := range m.t.rows {
		if r.snap.OwnerID == ec2sim.AccountID {
			t.Fatalf("%s is the account's own, listed as shared", r.snap.ID)
		}
	}
	head := strings.Split(m.View(), "\n")[0]
	if !strings.Contains(head, "shared with me") || !strings.Contains(head, ec2sim.AccountID) {
		t.Fatalf("header %q: want the scope and still the account's own id", head)
	}
	r := s.srv.Requests("DescribeSnapshots")
	if last := r[len(r)-1].Params; last.Get("RestorableBy.1") != "self" || last.Get("Owner.1") != "" {
		t.Fatalf("shared listing sent %v", last)
	}
}

// A reload keeps the rows on screen until the first new page, then puts
// the cursor back on the snapshot it was on.
func TestReloadKeepsCursorOnItsSnapshot(t *testing.T) {
	s := newSim(t, ec2sim.Options{Seed: 1, ExtraSnapshots: 1500})
	m := simList(s)
	m, _ = settle(m, m.Init())
	m, _ = press(m, "down", "down", "down", "down", "down")
	id, line := cursorID(m), m.cursor-m.offset
	m, cmds := press(m, "r")
	if m.Snapshots() == 0 || !m.Loading() {
		t.Fatalf("r emptied the list before the first page came (rows %d)", m.Snapshots())
	}
	m, _ = settle(m, cmds[0])
	if cursorID(m) != id || m.cursor-m.offset != line {
		t.Fatalf("after reload the cursor is on %s line %d, was %s line %d", cursorID(m), m.cursor-m.offset, id, line)
	}
}

// Marks, then enter, asks the app for the form with the marked snapshots
// as AWS described them.
func TestCopyMarkedFromTheSimulator(t *testing.T) {
	s := newSim(t, ec2sim.Options{Seed: 1})
	m := simList(s)
	m, _ = settle(m, m.Init())
	m, _ = press(m, "/")
	m = typeText(m, "db-prod")
	m, _ = press(m, "enter", "a")
	_, cmds := press(m, "enter")
	_, seen := settle(m, cmds[0])
	var sources []model.Snapshot
	for _, msg := range seen {
		if of, ok := msg.(nav.OpenForm); ok {
			sources = of.Sources
		}
	}
	if len(sources) != 2 {
		t.Fatalf("form asked for %d sources, want the 2 db-prod snapshots", len(sources))
	}
	for _, src := range sources {
		if !strings.HasPrefix(src.Name(), "db-prod-") || src.Region != "us-west-2" || src.State != model.StateCompleted {
			t.Fatalf("source %+v", src)
		}
	}
}

// undecodableRegion is a simulator of 2500 snapshots in us-west-2 (o on
// top) where the one at index bad of the plain listing has a raw ESC in its
// description, which the simulator writes as moto does: the page holding
// it cannot be decoded. It returns the plain listing, read before.
func undecodableRegion(t *testing.T, o ec2sim.Options, bad int) (sim, []model.Snapshot) {
	t.Helper()
	o.Seed, o.NoSeedWorld, o.ExtraSnapshots = 1, true, 2500
	s := newSim(t, o)
	all, err := s.client.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := all[bad]
	b.Description = "nightly \x1b[31mRED\x1b[0m"
	simtest.Add(s.srv, "us-west-2", b)
	// SetFaults replaces every fault, those Options started with too.
	f := s.srv.Faults()
	f.RawControlCharacters = true
	s.srv.SetFaults(f)
	return s, all
}

// shardKey is the part of an id that decides its shard of a listing:
// snap-00 ... snap-0f, or any other first digit.
func shardKey(id string) string {
	if strings.HasPrefix(id, "snap-0") && len(id) > len("snap-0") {
		return id[:len("snap-0x")]
	}
	return "snap-[1-f]"
}

// stoppedListing checks what the operator sees once a listing ended on an
// undecodable page: the rows (each once), the error named once, and a
// header that does not pass the rows off as the Region's all.
func stoppedListing(t *testing.T, m Model) map[string]bool {
	t.Helper()
	shown := map[string]bool{}
	for _, r := range m.t.rows {
		if shown[r.snap.ID] {
			t.Fatalf("%s listed twice", r.snap.ID)
		}
		shown[r.snap.ID] = true
	}
	if m.Loading() {
		t.Fatalf("still loading after every shard ended")
	}
	v := strings.ReplaceAll(m.View(), "\n", " ")
	const said = "AWS's answer for us-west-2 could not be decoded: invalid XML character U+001B at byte"
	if strings.Count(v, said) != 1 || strings.Contains(v, "temporary") {
		t.Fatalf("error line, want the undecodable answer named once:\n%s", m.View())
	}
	head := strings.Split(m.View(), "\n")[0]
	if want := fmt.Sprintf("%d/%d snapshots · listing stopped", len(shown), len(shown)); !strings.Contains(head, want) {
		t.Fatalf("header %q, want %q", head, want)
	}
	return shown
}

// A page that cannot be decoded (a raw ESC, as moto writes it) ends its
// shard with that said; every other shard's snapshots are still listed.
// Whether the bad page is also the plain page that checks the shards or
// not, the listing shows every snapshot it can.
func TestUndecodablePageStopsOnlyItsShard(t *testing.T) {
	for _, c := range []struct {
		name string
		bad  int
	}{{"on the check page", 10}, {"past the check page", 1500}} {
		t.Run(c.name, func(t *testing.T) {
			s, all := undecodableRegion(t, ec2sim.Options{}, c.bad)
			badShard := shardKey(all[c.bad].ID)
			var want []string
			inBad := 0
			for _, sn := range all {
				if shardKey(sn.ID) == badShard {
					inBad++
				} else {
					want = append(want, sn.ID)
				}
			}
			if inBad >= awsops.PageSize {
				t.Fatalf("the bad shard holds %d snapshots: want one page, so none of it is listed", inBad)
			}

			m := simList(s)
			m.SetSize(200, 24)
			m, _ = settle(m, m.Init())
			shown := stoppedListing(t, m)
			if len(shown) != len(want) {
				t.Fatalf("%d snapshots shown, want the %d outside shard %s", len(shown), len(want), badShard)
			}
			for _, id := range want {
				if !shown[id] {
					t.Fatalf("%s (shard %s) is not shown", id, shardKey(id))
				}
			}
		})
	}
}

// Where the listing pages sequentially (the endpoint ignores wildcards),
// the pages before the undecodable one stay and the listing stops there.
func TestUndecodablePageStopsSequentialPaging(t *testing.T) {
	s, all := undecodableRegion(t, ec2sim.Options{NoWildcards: true}, 1500) // on the second page
	if !s.srv.Faults().NoWildcards {
		t.Fatal("wildcards are honoured: the listing would not page sequentially")
	}
	m := simList(s)
	m.SetSize(200, 24)
	m, _ = settle(m, m.Init())
	shown := stoppedListing(t, m)
	if len(shown) != awsops.PageSize {
		t.Fatalf("%d snapshots shown, want the first page's %d", len(shown), awsops.PageSize)
	}
	for _, sn := range all[:awsops.PageSize] {
		if !shown[sn.ID] {
			t.Fatalf("%s of the first page is not shown", sn.ID)
		}
	}
}

// lineWith is the first line of s holding part, "" when none does.
func lineWith(s, part string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, part) {
			return l
		}
	}
	return ""
}
