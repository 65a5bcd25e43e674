package list

import (
	"fmt"
	"math/rand"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/theme"
)

// TestMain turns colour off for stable goldens and keeps the developer's
// AWS configuration out of the simulator tests.
func TestMain(m *testing.M) {
	theme.UseASCII()
	for _, k := range []string{
		"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_KMS",
		"AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS",
	} {
		os.Unsetenv(k)
	}
	os.Setenv("AWS_CONFIG_FILE", os.DevNull)
	os.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	os.Exit(m.Run())
}

// ids lists the snapshot ids shown, in order.
func ids(m Model) []string {
	out := make([]string, len(m.t.shown))
	for i, r := range m.t.shown {
		out[i] = m.t.rows[r].snap.ID
	}
	return out
}

// run executes a command and returns its message (nil for a nil command).
func run(cmd tea.Cmd) tea.Msg {
	if cmd == nil {
		return nil
	}
	return cmd()
}

func cursorID(m Model) string {
	if r := m.current(); r != nil {
		return r.snap.ID
	}
	return ""
}

func TestDefaultOrderIsNewestFirst(t *testing.T) {
	m := loaded(200, 50)
	got := ids(m)
	if got[0] != "snap-0b5c6d7e8f9012345" || got[len(got)-1] != "snap-1234abcd" {
		t.Fatalf("order = %v, want newest (started 30 s ago) first and the 3-year-old last", got)
	}
	for i := 1; i < len(m.t.shown); i++ {
		a, b := m.t.rows[m.t.shown[i-1]].snap.StartTime, m.t.rows[m.t.shown[i]].snap.StartTime
		if a.Before(b) {
			t.Fatalf("row %d started %v, before row %d (%v)", i-1, a, i, b)
		}
	}
}

func TestFilterMatchesEveryField(t *testing.T) {
	cases := []struct {
		query string
		want  []string
	}{
		{"snap-0a1b2c3d", []string{"snap-0b5c6d7e8f9012345", "snap-0a1b2c3d4e5f60718"}}, // id, and the description of its copy
		{"DB-PRIMARY", []string{"snap-0b5c6d7e8f9012345", "snap-0a1b2c3d4e5f60718"}},    // Name, any case (and the copy's description names it)
		{"year-end", []string{"snap-0e5f60718293a4b5c"}},                                // description
		{"7y", []string{"snap-0e5f60718293a4b5c"}},                                      // a tag value
		{"vol-0ffff0000", []string{"snap-08293a4b5c6d7e8f9"}},                           // volume id
		{"db prod", []string{"snap-0a1b2c3d4e5f60718"}},                                 // every word must match
		{"retention", nil}, // tag keys are not searched
		{"nothing-like-this", nil},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			m := loaded(200, 50)
			m, _ = press(m, "/")
			m = typeText(m, c.query)
			got := ids(m)
			if !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Fatalf("filter %q shows %v, want %v", c.query, got, c.want)
			}
			m, _ = press(m, "esc")
			if n := len(ids(m)); n != len(fixture()) {
				t.Fatalf("esc left %d rows shown, want all %d", n, len(fixture()))
			}
			if m.Capturing() {
				t.Fatal("esc did not leave the filter")
			}
		})
	}
}

func TestFilterNeverMatchesAcrossFields(t *testing.T) {
	m := loaded(200, 50)
	// "web-01" Name followed by "web root" description: "01web" spans the two.
	m, _ = press(m, "/")
	m = typeText(m, "01web")
	if got := ids(m); len(got) != 0 {
		t.Fatalf("a query spanning two fields matched %v", got)
	}
}

// The narrowing shortcut (search only the rows shown) must give exactly
// what a search of every row gives, whatever is typed or deleted.
func TestFilterIncrementalEqualsFullScan(t *testing.T) {
	m := loaded(200, 50, bigPage(2000, 1))
	fields := lowerFields(m)
	rng := rand.New(rand.NewSource(7))
	alphabet := []rune("abcdef0123 -snapvolidbz")
	words := []string{" state:", " tag:", " tag:env=", " kms:", " tier:", " zone:", " name:", "=", ":"}
	m, _ = press(m, "/")
	for step := 0; step < 600; step++ {
		switch r := rng.Intn(9); {
		case r < 3:
			m, _ = press(m, "backspace")
		case r == 3:
			m = typeText(m, words[rng.Intn(len(words))])
		default:
			m = typeText(m, string(alphabet[rng.Intn(len(alphabet))]))
		}
		want := bruteFilter(m, fields, m.t.query)
		if got := ids(m); !slices.Equal(got, want) {
			t.Fatalf("step %d, query %q: shown %d rows, a full scan finds %d", step, m.t.query, len(got), len(want))
		}
	}
}

// lowerFields is, per row, the lower-cased fields the filter must search,
// by column: id, Name, description, volume, state, tier, location, KMS
// key (alias and id, "none" when unencrypted), then the other tag values.
func lowerFields(m Model) [][]string {
	out := make([][]string, len(m.t.rows))
	for i, r := range m.t.rows {
		s := r.snap
		kms := "none"
		if s.Encrypted {
			kms = "encrypted"
			if s.KmsKeyID != "" {
				id := s.KmsKeyID[strings.LastIndex(s.KmsKeyID, "/")+1:]
				kms = strings.TrimSpace(m.aliases[id] + " " + id)
			}
		}
		f := []string{s.ID, r.name, s.Description, s.VolumeID, s.State, s.StorageTier, strings.TrimSpace(s.Location() + " " + s.OutpostArn), kms}
		for _, tg := range s.Tags {
			if tg.Key != "Name" {
				f = append(f, tg.Value)
			}
		}
		for k := range f {
			f[k] = strings.ToLower(f[k])
		}
		out[i] = f
	}
	return out
}

// bruteFilter searches every row, field by field: a plain word in any
// field, "state:x" in its column, "tag:k=v" in the tags.
func bruteFilter(m Model, fields [][]string, q string) []string {
	terms := strings.Fields(strings.ToLower(q))
	columnOf := map[string]int{"id": 0, "name": 1, "desc": 2, "volume": 3, "state": 4, "tier": 5, "location": 6, "zone": 6, "kms": 7}
	var out []string
	for _, i := range m.t.order {
		ok := true
		for _, term := range terms {
			hit := false
			k, v, colon := strings.Cut(term, ":")
			col, known := columnOf[k]
			switch {
			case colon && known:
				hit = strings.Contains(fields[i][col], v)
			case colon && k == "tag":
				key, val, eq := strings.Cut(v, "=")
				for _, tg := range m.t.rows[i].snap.Tags {
					tk, tv := strings.ToLower(tg.Key), strings.ToLower(tg.Value)
					if eq {
						hit = hit || (tk == key && strings.Contains(tv, val))
					} else {
						hit = hit || strings.Contains(tk, v) || strings.Contains(tv, v)
					}
				}
			default:
				for _, f := range fields[i] {
					hit = hit || strings.Contains(f, term)
				}
			}
			ok = ok && hit
		}
		if ok {
			out = append(out, m.t.rows[i].snap.ID)
		}
	}
	return out
}

func TestSortCyclesAndFlips(t *testing.T) {
	m := loaded(200, 50)
	m, _ = press(m, "s")
	if m.t.sortBy != byName || m.t.desc {
		t.Fatalf("s: sort %v desc=%v, want Name A to Z", m.t.sortBy, m.t.desc)
	}
	names := func(m Model) []string {
		var out []string
		for _, i := range m.t.shown {
			out = append(out, strings.ToLower(m.t.rows[i].name))
		}
		return out
	}
	if got := names(m); !slices.IsSorted(got) {
		t.Fatalf("names not A to Z: %v", got)
	}
	m, _ = press(m, "S")
	got := names(m)
	if !m.t.desc || !slices.IsSortedFunc(got, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Fatalf("S did not reverse: %v", got)
	}
	if !strings.Contains(m.View(), "NAME ▼") {
		t.Fatal("the Name column title carries no ▼ after S")
	}
	m, _ = press(m, "s", "s") // id, then size
	if m.t.sortBy != bySize || !m.t.desc {
		t.Fatalf("sort %v desc=%v, want size largest first", m.t.sortBy, m.t.desc)
	}
	if first := cursorID(m); first != ids(m)[m.cursor] {
		t.Fatal("cursor and shown rows disagree")
	}
	if top := m.t.rows[m.t.shown[0]].snap.VolumeSizeGiB; top != 16384 {
		t.Fatalf("largest first shows %d GiB on top", top)
	}
	// Back to the start; the owner is not among the sorts of the
	// account's own snapshots.
	for i := 0; i < int(sortKeys)-4; i++ {
		m, _ = press(m, "s")
	}
	if m.t.sortBy != byStarted || !m.t.desc {
		t.Fatalf("cycling back: sort %v desc=%v, want started newest first", m.t.sortBy, m.t.desc)
	}
}

func TestSortKeepsCursorOnItsSnapshot(t *testing.T) {
	m := loaded(200, 50)
	m, _ = press(m, "down", "down", "down")
	before := cursorID(m)
	m, _ = press(m, "s", "S", "s")
	if got := cursorID(m); got != before {
		t.Fatalf("cursor moved from %s to %s on sorting", before, got)
	}
}

func TestMarkAndCopyMarked(t *testing.T) {
	m := loaded(200, 50)
	// Row 0 (db-primary-copy) and row 1 (esc name) are copyable; row 2 is pending.
	m, _ = press(m, " ", " ")
	if got := m.Marked(); len(got) != 2 || got[0].ID != "snap-0b5c6d7e8f9012345" || got[1].ID != "snap-0a4b5c6d7e8f90123" {
		t.Fatalf("marked %v", got)
	}
	if cursorID(m) != "snap-0c3d4e5f607182930" {
		t.Fatalf("space did not move down: cursor on %s", cursorID(m))
	}
	m, _ = press(m, " ") // pending: refused with the reason
	if len(m.Marked()) != 2 || !strings.Contains(m.View(), "! snap-0c3d4e5f607182930 cannot be copied: pending: only a completed snapshot can be copied") {
		t.Fatalf("marking a pending snapshot: marks %d, status:\n%s", len(m.Marked()), lastLines(m.View(), 2))
	}
	if !strings.Contains(m.View(), "● 2 marked") {
		t.Fatal("header does not count the marks")
	}
	m, cmds := press(m, "enter")
	msg, ok := run(cmds[0]).(nav.OpenForm)
	if !ok || len(msg.Sources) != 2 || msg.Sources[0].ID != "snap-0b5c6d7e8f9012345" {
		t.Fatalf("enter with marks gave %#v", run(cmds[0]))
	}
	m, _ = press(m, "A")
	if len(m.Marked()) != 0 {
		t.Fatal("A left marks")
	}
	_, cmds = press(m, "home", "c")
	if msg, ok := run(cmds[1]).(nav.OpenForm); !ok || len(msg.Sources) != 1 || msg.Sources[0].ID != "snap-0b5c6d7e8f9012345" {
		t.Fatalf("c without marks gave %#v, want the form for the row under the cursor", run(cmds[1]))
	}
}

func TestMarkAllLeavesOutWhatCannotBeCopied(t *testing.T) {
	m := loaded(200, 50)
	m, _ = press(m, "a")
	marked := map[string]bool{}
	for _, s := range m.Marked() {
		marked[s.ID] = true
	}
	want := map[string]bool{
		"snap-0b5c6d7e8f9012345": true, "snap-0a4b5c6d7e8f90123": true, "snap-0a1b2c3d4e5f60718": true,
		"snap-0718293a4b5c6d7e8": true, "snap-0b2c3d4e5f6071829": true, "snap-093a4b5c6d7e8f901": true,
		"snap-0f60718293a4b5c6d": true, "snap-1234abcd": true,
	}
	if fmt.Sprint(marked) != fmt.Sprint(want) {
		t.Fatalf("a marked %v\nwant %v (not the pending, error, archived or Outpost ones)", marked, want)
	}
	if !strings.Contains(m.View(), "4 shown cannot be copied") {
		t.Fatalf("status does not say what was left out:\n%s", lastLines(m.View(), 2))
	}
	// Marks stay on rows the filter hides, and the filter limits a.
	m, _ = press(m, "A", "/")
	m = typeText(m, "db")
	m, _ = press(m, "enter", "a", "esc")
	if n := len(m.Marked()); n != 2 { // db-primary and its copy; db-replica is pending
		t.Fatalf("a under filter \"db\" marked %d", n)
	}
}

func TestEnterOnRowThatCannotBeCopiedSaysWhy(t *testing.T) {
	cases := map[string]string{
		"snap-0c3d4e5f607182930": "pending: only a completed snapshot can be copied",
		"snap-0d4e5f60718293a4b": "error: only a completed snapshot can be copied",
		"snap-0e5f60718293a4b5c": "archived: restore it first",
		"snap-08293a4b5c6d7e8f9": "on an Outpost",
	}
	for id, why := range cases {
		m := loaded(200, 50)
		m = moveTo(t, m, id)
		// Dimmed row, marked ⊘, and the status line already says why.
		if !strings.Contains(m.View(), "⊘ "+id+" cannot be copied: "+why) {
			t.Fatalf("%s: status line does not say why:\n%s", id, lastLines(m.View(), 2))
		}
		m, cmds := press(m, "enter")
		if msg := run(cmds[0]); msg != nil {
			t.Fatalf("%s: enter gave %#v, want no form", id, msg)
		}
		if !strings.Contains(m.View(), "! "+id+" cannot be copied: "+why) {
			t.Fatalf("%s: enter does not say why:\n%s", id, lastLines(m.View(), 2))
		}
	}
	// A restored archive can be copied.
	m := moveTo(t, loaded(200, 50), "snap-0f60718293a4b5c6d")
	_, cmds := press(m, "enter")
	if _, ok := run(cmds[0]).(nav.OpenForm); !ok {
		t.Fatal("a temporarily restored archive did not open the form")
	}
}

func moveTo(t *testing.T, m Model, id string) Model {
	t.Helper()
	for i := 0; i < len(m.t.shown); i++ {
		if cursorID(m) == id {
			return m
		}
		m, _ = press(m, "down")
	}
	t.Fatalf("%s is not shown", id)
	return m
}

func TestProgressKeyOpensProgressPane(t *testing.T) {
	_, cmds := press(loaded(80, 24), "p")
	if _, ok := run(cmds[0]).(nav.OpenProgress); !ok {
		t.Fatalf("p gave %#v", run(cmds[0]))
	}
}

func TestCapturingWhileTypingOnly(t *testing.T) {
	m := loaded(80, 24)
	if m.Capturing() {
		t.Fatal("capturing before /")
	}
	m, _ = press(m, "/")
	m = typeText(m, "q?")
	if !m.Capturing() || m.t.query != "q?" {
		t.Fatalf("capturing=%v query=%q, want q and ? typed into the filter", m.Capturing(), m.t.query)
	}
	m, _ = press(m, "enter")
	if m.Capturing() || m.t.query != "q?" {
		t.Fatalf("enter: capturing=%v query=%q, want the filter kept and typing over", m.Capturing(), m.t.query)
	}
	if !strings.Contains(m.View(), "filter: q?") {
		t.Fatal("the kept filter is not shown")
	}
}

func TestFilterTypingEdits(t *testing.T) {
	m := loaded(80, 24)
	m, _ = press(m, "/")
	m = typeText(m, "db prod")
	m, _ = press(m, "ctrl+w")
	if m.t.query != "db " {
		t.Fatalf("ctrl+w left %q", m.t.query)
	}
	m, _ = press(m, "backspace", "backspace")
	if m.t.query != "d" {
		t.Fatalf("backspace left %q", m.t.query)
	}
	// A paste with a newline and an escape keeps only printable text.
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("b\x1b[2J\nx"), Paste: true})
	if m.t.query != "db[2Jx" {
		t.Fatalf("paste left %q", m.t.query)
	}
	m, _ = press(m, "ctrl+u")
	if m.t.query != "" || len(ids(m)) != len(fixture()) {
		t.Fatalf("ctrl+u left %q", m.t.query)
	}
}

// Later pages append without moving the cursor: the snapshot under it
// stays on the same screen line, whatever sorts above it.
func TestPagesAppendWithoutMovingCursor(t *testing.T) {
	first := fixture()
	m := New(fixtureClient(), Options{Help: appHelp, Quit: appQuit, Tick: noTick, Region: "us-west-2", Profile: "demo", Now: clock})
	m.SetSize(120, 12)
	m.loading = true
	m, _ = m.Update(snapshotsPageMsg{gen: m.gen, snaps: first, pages: 1, more: true})
	m, _ = press(m, "down", "down", "down", "down", "down", "down", "down", "down")
	id, line := cursorID(m), m.cursor-m.offset
	viewBefore := m.View()

	// A second page with snapshots newer and older than the cursor's.
	var second []model.Snapshot
	for i := 0; i < 40; i++ {
		s := first[1]
		s.ID = fmt.Sprintf("snap-%017x", 0xf0000+i)
		s.StartTime = fixedNow.Add(-time.Duration(i*7) * time.Hour)
		second = append(second, s)
	}
	m, _ = m.Update(snapshotsPageMsg{gen: m.gen, snaps: second, pages: 2, more: false})
	if got := cursorID(m); got != id {
		t.Fatalf("cursor moved from %s to %s", id, got)
	}
	if got := m.cursor - m.offset; got != line {
		t.Fatalf("cursor line moved from %d to %d", line, got)
	}
	if cursorLine(viewBefore) != cursorLine(m.View()) {
		t.Fatalf("cursor row drawn at line %d, then %d", cursorLine(viewBefore), cursorLine(m.View()))
	}
	if m.Snapshots() != len(first)+40 || m.Loading() {
		t.Fatalf("loaded %d, loading %v", m.Snapshots(), m.Loading())
	}
}

// A cursor nobody moved stays on top, so the newest snapshot is shown first
// once all pages are in.
func TestUntouchedCursorStaysOnTop(t *testing.T) {
	old := fixture()[11:]
	m := loaded(120, 12, old, fixture()[:11])
	if m.cursor != 0 || m.offset != 0 || cursorID(m) != "snap-0b5c6d7e8f9012345" {
		t.Fatalf("cursor %d offset %d on %s, want the newest on top", m.cursor, m.offset, cursorID(m))
	}
}

func cursorLine(view string) int {
	for i, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(l, "›") {
			return i
		}
	}
	return -1
}

func TestStalePagesAreDropped(t *testing.T) {
	m := loaded(80, 24)
	m, _ = m.Update(snapshotsPageMsg{gen: m.gen - 1, snaps: bigPage(5, 9), pages: 9})
	if m.Snapshots() != len(fixture()) {
		t.Fatalf("a page of an older load was added: %d rows", m.Snapshots())
	}
}

func TestMovement(t *testing.T) {
	m := loaded(80, 24, bigPage(500, 3))
	rows := m.listRows()
	m, _ = press(m, "pgdown")
	if m.cursor != rows {
		t.Fatalf("pgdn: cursor %d, want %d", m.cursor, rows)
	}
	m, _ = press(m, "end")
	if m.cursor != 499 || m.offset != 500-rows {
		t.Fatalf("end: cursor %d offset %d", m.cursor, m.offset)
	}
	m, _ = press(m, "k", "k", "pgup", "home", "j")
	if m.cursor != 1 || m.offset != 0 {
		t.Fatalf("home, j: cursor %d offset %d", m.cursor, m.offset)
	}
	// The mouse wheel scrolls three rows.
	m, _ = m.Update(tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if m.cursor != 4 {
		t.Fatalf("wheel down: cursor %d", m.cursor)
	}
	m, _ = m.Update(tea.MouseMsg{Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	if m.cursor != 1 {
		t.Fatalf("wheel up: cursor %d", m.cursor)
	}
}

func TestDetailPaneShowsEveryFieldAndTag(t *testing.T) {
	m := moveTo(t, loaded(200, 40), "snap-0a1b2c3d4e5f60718")
	m, _ = press(m, "d")
	v := m.View()
	for _, want := range []string{
		"Snapshot      snap-0a1b2c3d4e5f60718", "Name          db-primary",
		"Description   nightly backup of the primary database", "State         completed (100%)",
		"Copyable      yes", "Volume        vol-0123456789abcdef0",
		"Size          500 GiB; full snapshot size 120 GiB (128849018880 bytes)",
		"Started       2026-11-25 10:00:00 UTC (2h ago)", "Completed     2026-11-25 10:30:00 UTC",
		"Encryption    encrypted with alias/backup (" + keyBackup + ")", "Owner         123456789012",
		"Storage tier  standard", "Location      Region us-west-2", "Transfer      standard",
		"Tags          3", "Name = db-primary", "env = prod", "team = data",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("detail pane lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(v)
	}
	m, _ = press(m, "esc")
	if m.mode != browsing {
		t.Fatal("esc did not close the detail pane")
	}
	m, _ = press(m, "tab")
	if m.mode != detailing {
		t.Fatal("tab did not open the detail pane")
	}
	_, cmds := press(m, "enter")
	if msg, ok := run(cmds[0]).(nav.OpenForm); !ok || len(msg.Sources) != 1 || msg.Sources[0].ID != "snap-0a1b2c3d4e5f60718" {
		t.Fatalf("enter in the detail pane gave %#v", run(cmds[0]))
	}
}

func TestDetailPaneScrolls(t *testing.T) {
	m := moveTo(t, loaded(40, 10), "snap-0a1b2c3d4e5f60718")
	m, _ = press(m, "d")
	if !strings.Contains(m.View(), "more lines") {
		t.Fatalf("a cut detail pane does not say more follows:\n%s", m.View())
	}
	m, _ = press(m, "end")
	if !strings.Contains(m.View(), "team = data") {
		t.Fatalf("end does not reach the last tag:\n%s", m.View())
	}
}

func TestRegionPicker(t *testing.T) {
	m := loaded(80, 24)
	m, cmds := press(m, "g")
	if m.mode != picking || cmds[0] == nil { // the Regions are asked for
		t.Fatalf("g: mode %v", m.mode)
	}
	m, _ = m.Update(regionsMsg{regions: []model.Region{
		{Name: "us-west-2", OptInStatus: "opt-in-not-required"},
		{Name: "af-south-1", OptInStatus: "not-opted-in"},
		{Name: "eu-west-1", OptInStatus: "opt-in-not-required"},
		{Name: "ap-east-1", OptInStatus: "opted-in"},
	}})
	v := m.View()
	if !strings.Contains(v, "af-south-1       ⊘ opt-in Region, not enabled for this account") || !strings.Contains(v, "› us-west-2        listed now") {
		t.Fatalf("picker:\n%s", v)
	}
	m, _ = press(m, "home", "enter") // af-south-1, first by name
	if m.region != "us-west-2" || m.mode != picking {
		t.Fatalf("a disabled Region was picked: region %s mode %v", m.region, m.mode)
	}
	if !strings.Contains(m.View(), "! af-south-1 is an opt-in Region not enabled for this account") {
		t.Fatalf("refusal not said:\n%s", lastLines(m.View(), 2))
	}
	m, _ = press(m, "down", "down", "enter") // eu-west-1
	if m.region != "eu-west-1" || m.mode != browsing || m.Snapshots() != 0 {
		t.Fatalf("picking eu-west-1: region %s mode %v rows %d", m.region, m.mode, m.Snapshots())
	}
	if !strings.Contains(m.View(), "eu-west-1") {
		t.Fatal("header does not name the new Region")
	}
}

// Every screen fits its terminal: no line wider than the width, no more
// lines than the height, at every size and in every mode.
func TestViewFitsTheTerminal(t *testing.T) {
	sizes := [][2]int{{200, 50}, {120, 30}, {80, 24}, {60, 15}, {40, 10}, {30, 6}, {20, 4}, {10, 2}}
	prep := map[string]func(Model) Model{
		"list": func(m Model) Model { return m },
		"marked": func(m Model) Model {
			m, _ = press(m, "a")
			return m
		},
		"copies": func(m Model) Model {
			m, _ = press(m, "a")
			for _, msg := range runCopies() {
				m, _ = m.Update(msg)
			}
			return m
		},
		"filtering": func(m Model) Model {
			m, _ = press(m, "/")
			return typeText(m, "db")
		},
		"detail": func(m Model) Model {
			m, _ = press(m, "end", "d")
			return m
		},
		"error": func(m Model) Model {
			m.err = &model.APIError{Op: "DescribeSnapshots", Region: "us-west-2", Code: "UnauthorizedOperation", Message: "You are not authorized to perform this operation.", Kind: model.ErrPermission}
			return m
		},
		"picker": func(m Model) Model {
			m, _ = press(m, "g")
			m, _ = m.Update(regionsMsg{regions: []model.Region{{Name: "us-west-2"}, {Name: "af-south-1", OptInStatus: "not-opted-in"}}})
			return m
		},
		"empty": func(m Model) Model {
			m, _ = press(m, "/")
			return typeText(m, "zzzz")
		},
	}
	check := func(colour string) {
		for name, f := range prep {
			for _, sz := range sizes {
				m := f(loaded(sz[0], sz[1]))
				v := m.View()
				lines := strings.Split(v, "\n")
				if len(lines) > sz[1] {
					t.Errorf("%s, %s at %dx%d: %d lines", colour, name, sz[0], sz[1], len(lines))
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w > sz[0] {
						t.Errorf("%s, %s at %dx%d: line %d is %d wide: %q", colour, name, sz[0], sz[1], i, w, l)
					}
				}
			}
		}
	}
	check("no colour")
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer theme.UseASCII()
	check("colour")
}

func TestNarrowTerminalsKeepIDAndState(t *testing.T) {
	m := loaded(40, 10)
	v := m.View()
	for _, want := range []string{"SNAPSHOT", "STATE", "snap-0b5c6d7e8f9012345 completed", "snap-0c3d4e5f607182930 pending"} {
		if !strings.Contains(v, want) {
			t.Fatalf("40x10 lacks %q:\n%s", want, v)
		}
	}
}

// Descriptions, Names and tags with escape sequences and control
// characters are shown as visible placeholders: nothing of them reaches
// the terminal, in any mode, with or without colour.
func TestEscapeSequencesNeverReachOutput(t *testing.T) {
	hostile := fixture()[9] // snap-0a4b5c6d7e8f90123
	hostile.StateMessage = "bad\x1b[2Jstate\x9b31m"
	hostile.Tags = append(hostile.Tags, model.Tag{Key: "k\x1b[1m", Value: "v\x1bP+q\x1b\\"})
	pages := [][]model.Snapshot{append(fixture()[:9:9], hostile)}

	views := func() []string {
		var out []string
		m := loaded(200, 50, pages...)
		out = append(out, m.View())
		m = moveTo(t, m, hostile.ID)
		out = append(out, m.View())
		m, _ = press(m, "d")
		out = append(out, m.View())
		m, _ = press(m, "esc", "/")
		m = typeText(m, "evil")
		out = append(out, m.View())
		m.err = &model.APIError{Op: "DescribeSnapshots", Code: "X\x1b[5m", Message: "m\x07\x1b]8;;http://x\x1b\\"}
		out = append(out, m.View())
		return out
	}

	for _, v := range views() {
		if strings.IndexByte(v, 0x1b) >= 0 || strings.IndexByte(v, 0x07) >= 0 || strings.ContainsRune(v, '\u009b') {
			t.Fatalf("a control character reached the screen (no colour):\n%q", v)
		}
		if !strings.Contains(v, "␛") {
			t.Fatalf("escape not shown as ␛:\n%s", v)
		}
	}

	// With colour on, the only escapes are the list's own SGR styles.
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer theme.UseASCII()
	for _, v := range views() {
		for _, bad := range []string{"\x1b[31m", "\x1b[2J", "\x1b]", "\x07", "\x1bP", "\x1b[5m", "\u009b"} {
			if strings.Contains(v, bad) {
				t.Fatalf("%q reached the screen (colour):\n%q", bad, v)
			}
		}
		if !strings.Contains(v, "\x1b[") {
			t.Fatal("no styling at all with colour on: the test proves nothing")
		}
	}
}

func TestHeader(t *testing.T) {
	m := loaded(200, 50)
	head := strings.Split(m.View(), "\n")[0]
	for _, want := range []string{"profile demo", "account 123456789012", "us-west-2", "owned", "12/12 snapshots"} {
		if !strings.Contains(head, want) {
			t.Fatalf("header %q lacks %q", head, want)
		}
	}
	m, _ = press(m, "/")
	m = typeText(m, "db")
	if head := strings.Split(m.View(), "\n")[0]; !strings.Contains(head, "4/12 snapshots") {
		t.Fatalf("filtered header %q", head)
	}
	loading := New(fixtureClient(), Options{Help: appHelp, Quit: appQuit, Tick: noTick, Region: "us-west-2", Profile: "demo", Now: clock})
	loading.SetSize(120, 20)
	loading.loading = true
	loading, _ = loading.Update(snapshotsPageMsg{gen: loading.gen, snaps: fixture()[:3], pages: 1, more: true})
	if head := strings.Split(loading.View(), "\n")[0]; !strings.Contains(head, "⠋ loading page 2") {
		t.Fatalf("loading header %q", head)
	}
}

func lastLines(v string, n int) string {
	l := strings.Split(v, "\n")
	return strings.Join(l[max(0, len(l)-n):], "\n")
}

// bigPage makes n plausible snapshots (seeded), for scale tests.
func bigPage(n int, seed int64) []model.Snapshot {
	rng := rand.New(rand.NewSource(seed))
	names := []string{"db", "web", "cache", "ledger", "etl", "search", "queue", "auth"}
	envs := []string{"prod", "staging", "dev"}
	out := make([]model.Snapshot, n)
	for i := range out {
		name := fmt.Sprintf("%s-%02d", names[rng.Intn(len(names))], rng.Intn(40))
		out[i] = model.Snapshot{
			ID:            fmt.Sprintf("snap-%017x", rng.Int63()&0xfffffffffffffff|seed<<60),
			Region:        "us-west-2",
			VolumeID:      fmt.Sprintf("vol-%017x", rng.Int63()&0xfffffffffffffff),
			VolumeSizeGiB: int32(8 << rng.Intn(11)),
			State:         model.StateCompleted,
			Progress:      100,
			StartTime:     fixedNow.Add(-time.Duration(rng.Int63n(int64(3 * 365 * 24 * time.Hour)))),
			Description:   fmt.Sprintf("Created by CreateImage(i-%017x) for ami-%017x from vol-%x", rng.Int63(), rng.Int63(), rng.Int63()),
			Encrypted:     rng.Intn(2) == 0,
			OwnerID:       account,
			StorageTier:   model.TierStandard,
			Tags:          tags("Name", name, "env", envs[rng.Intn(len(envs))], "team", names[rng.Intn(len(names))]),
		}
		if out[i].Encrypted {
			out[i].KmsKeyID = keyBackup
		}
	}
	return out
}

func TestContainsWordIsContains(t *testing.T) {
	rows := lowerFields(loaded(200, 50, bigPage(300, 5)))
	words := []string{"d", "db", "db-1", "ami-0", "created by createimage", strings.Repeat("a", 40), "zz", "", "-", "for ami", "\x00"}
	for _, f := range rows {
		s := strings.Join(f, "\x00") + strings.Repeat("x", 70) + "tail-word"
		for _, w := range append(words, "tail-word", "x"+"tail") {
			if containsWord(s, w) != strings.Contains(s, w) {
				t.Fatalf("containsWord(%q, %q) = %v", s, w, !strings.Contains(s, w))
			}
		}
	}
}

// Keys typed faster than the terminal is read arrive as one message.
func TestKeysArrivingTogether(t *testing.T) {
	m := loaded(80, 24)
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/db")})
	if !m.Capturing() || m.t.query != "db" || len(ids(m)) != 4 {
		t.Fatalf("\"/db\" in one message: capturing %v, query %q, %d shown", m.Capturing(), m.t.query, len(ids(m)))
	}
	m, _ = press(m, "enter")
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj ")})
	if m.cursor != 3 || len(m.Marked()) != 1 || m.Marked()[0].ID != "snap-0a1b2c3d4e5f60718" {
		t.Fatalf("\"jj \" in one message: cursor %d, marked %v", m.cursor, m.Marked())
	}
}

// Above parallelRows the search is split across cores; it must find
// exactly what a plain search finds, for every kind of query.
func TestLargeFilterMatchesFullScan(t *testing.T) {
	n := parallelRows + 5000
	m := loaded(200, 50, benchPages(n)...)
	fields := lowerFields(m)
	m, _ = press(m, "/")
	for _, q := range []string{"d", "db", "db-1", "db-1 prod", "z", "ami-0", "staging web", "e", "ee", "snap-", "nothing"} {
		m, _ = press(m, "ctrl+u")
		m = typeText(m, q)
		if got, want := ids(m), bruteFilter(m, fields, q); !slices.Equal(got, want) {
			t.Fatalf("query %q: %d shown, a plain search finds %d", q, len(got), len(want))
		}
	}
	// Typing on from a query narrows it; the result must still be exact.
	m, _ = press(m, "ctrl+u")
	for _, r := range "db-1 pro" {
		m = typeText(m, string(r))
		if got, want := ids(m), bruteFilter(m, fields, m.t.query); !slices.Equal(got, want) {
			t.Fatalf("typing %q: %d shown, a plain search finds %d", m.t.query, len(got), len(want))
		}
	}
}

// Switching between owned and shared snapshots drops the marks, and says so.
func TestScopeSwitchSaysMarksWereCleared(t *testing.T) {
	m, _ := press(loaded(120, 30), "a")
	if len(m.Marked()) == 0 {
		t.Fatal("a marked nothing")
	}
	n := len(m.Marked())
	m, _ = press(m, "o")
	if len(m.Marked()) != 0 {
		t.Errorf("%d marks survived the switch", len(m.Marked()))
	}
	if v := m.View(); !strings.Contains(v, fmt.Sprintf("cleared %d marks", n)) {
		t.Errorf("the switch does not say the marks were cleared:\n%s", v)
	}
}

// Every key named on the list's screen comes from its binding: rebind
// them and the hints, the error's "then press" and the filter follow.
func TestHintsNameTheKeysOfTheBindings(t *testing.T) {
	m := New(fixtureClient(), Options{Help: appHelp, Quit: appQuit, Tick: noTick, Region: "us-west-2", Profile: "demo", Now: clock})
	m.SetSize(120, 24)
	m.keys.Reload = key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "reload"))
	m.keys.Region = key.NewBinding(key.WithKeys("G"), key.WithHelp("G", "Region"))
	m.keys.Clear = key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "clear filter"))
	m.keys.Accept = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "keep filter"))
	m, _ = m.Update(snapshotsPageMsg{gen: m.gen, err: &model.APIError{
		Op: "DescribeSnapshots", Region: "us-west-2", Code: "RequestExpired", Message: "Request has expired.", Kind: model.ErrCredentials}})
	v := m.View()
	for _, want := range []string{"R tries again, G picks another Region", "then press R. AWS says"} {
		if !strings.Contains(v, want) {
			t.Errorf("the list does not say %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "press r") || strings.Contains(v, "r tries") {
		t.Errorf("the list still names r:\n%s", v)
	}

	m = loaded(120, 24)
	m.keys.Clear = key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "clear filter"))
	m.keys.Accept = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "keep filter"))
	m, _ = press(m, "/")
	m = typeText(m, "db")
	if line := lastLines(m.View(), 2); !strings.Contains(line, "tab keeps · ctrl+g clears") {
		t.Errorf("the filter line does not name the bound keys:\n%s", line)
	}
	// The filter answers its bindings: esc is now text-less and does
	// nothing, tab keeps the filter.
	m, _ = press(m, "esc")
	if m.mode != filtering || m.t.query != "db" {
		t.Fatalf("esc, no longer bound, changed the filter: mode %v query %q", m.mode, m.t.query)
	}
	m, _ = press(m, "tab")
	if m.mode != browsing || m.t.query != "db" {
		t.Fatalf("tab (Accept) did not keep the filter: mode %v query %q", m.mode, m.t.query)
	}
	if line := lastLines(m.View(), 2); !strings.Contains(line, "(ctrl+g clears, / edits)") {
		t.Errorf("the kept filter does not name the bound keys:\n%s", line)
	}
}
