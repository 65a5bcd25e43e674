package list

import (
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

// space on a row that cannot be copied says why and still moves down, so
// holding space runs down the list.
func TestSpaceOnARowThatCannotBeCopiedMovesDown(t *testing.T) {
	m := loaded(200, 50)
	m, _ = press(m, "down", "down") // the pending snapshot
	if cursorID(m) != "snap-0c3d4e5f607182930" {
		t.Fatalf("cursor on %s", cursorID(m))
	}
	m, _ = press(m, " ")
	if len(m.Marked()) != 0 {
		t.Fatal("a pending snapshot was marked")
	}
	if got := cursorID(m); got != "snap-0a1b2c3d4e5f60718" {
		t.Fatalf("space on a row that cannot be copied left the cursor on %s", got)
	}
	if !strings.Contains(m.statusLine(), "snap-0c3d4e5f607182930 cannot be copied: pending") {
		t.Fatalf("status line %q does not say why", m.statusLine())
	}
}

// Picking another Region clears the marks and says so; "listing …" stays
// while the Region is listed and goes when its listing ends.
func TestRegionSwitchSaysMarksClearedAndListingEnds(t *testing.T) {
	m := loaded(80, 24)
	m, _ = press(m, " ", " ")
	m, _ = press(m, "g")
	m, _ = m.Update(regionsMsg{regions: []model.Region{
		{Name: "eu-west-1", OptInStatus: "opt-in-not-required"},
		{Name: "us-west-2", OptInStatus: "opt-in-not-required"},
	}})
	m, _ = press(m, "home", "enter")
	if m.region != "eu-west-1" || len(m.Marked()) != 0 {
		t.Fatalf("region %s, %d marks", m.region, len(m.Marked()))
	}
	if line := m.statusLine(); !strings.Contains(line, "cleared 2 marks: marks belong to one Region's list") {
		t.Fatalf("status line %q does not say the marks were cleared", line)
	}
	m.status.Clear() // the info flash goes in time: the listing is seen under it
	if line := m.statusLine(); !strings.Contains(line, "listing eu-west-1…") {
		t.Fatalf("status line %q does not say the Region is listed", line)
	}
	m, _ = m.Update(snapshotsPageMsg{gen: m.gen, region: "eu-west-1", snaps: fixture()[:2], pages: 1, more: true})
	if line := m.statusLine(); !strings.Contains(line, "listing eu-west-1…") {
		t.Fatalf("after one page of two the status line is %q", line)
	}
	m, _ = m.Update(snapshotsPageMsg{gen: m.gen, region: "eu-west-1", snaps: fixture()[2:4], pages: 2})
	if line := m.statusLine(); strings.Contains(line, "listing") {
		t.Fatalf("the listing ended and the status line still says %q", line)
	}
}

// A refused listing ends the note too: the error says what happened.
func TestListingNoteEndsOnError(t *testing.T) {
	m := loaded(80, 24)
	m, _ = press(m, "g")
	m, _ = m.Update(regionsMsg{regions: []model.Region{{Name: "eu-west-1"}, {Name: "us-west-2"}}})
	m, _ = press(m, "home", "enter")
	m, _ = m.Update(snapshotsPageMsg{gen: m.gen, region: "eu-west-1", err: &model.APIError{Op: "DescribeSnapshots", Region: "eu-west-1", Code: "UnauthorizedOperation", Message: "no", Status: 403}})
	if line := m.statusLine(); strings.Contains(line, "listing") {
		t.Fatalf("the listing failed and the status line still says %q", line)
	}
}

// LOCATION is shown whole or not at all: a Local Zone cut to "us-west-…"
// says little. At every width the column holds the longest location
// loaded (an Outpost's id, 20 cells).
func TestLocationIsNeverCut(t *testing.T) {
	m := loaded(200, 24)
	for width := 40; width <= 200; width++ {
		l := computeLayout(width, &m.t, false)
		if w := l.w[colLocation]; w > 0 && w < m.t.maxLoc {
			t.Fatalf("at %d columns LOCATION is %d wide, its longest value %d", width, w, m.t.maxLoc)
		}
		// Nor does it take the room of a Name, which would then be cut.
		if l.w[colLocation] > 0 && l.w[colName] < min(m.t.maxName, columns[colName].ideal) {
			t.Fatalf("at %d columns LOCATION is shown and Name cut to %d (its longest %d)", width, l.w[colName], m.t.maxName)
		}
	}
}

// The sort column keeps its arrow when it is too narrow for its title
// and the arrow: the title is cut instead (PROG is 4 wide).
func TestSortArrowSurvivesANarrowColumn(t *testing.T) {
	m := loaded(40, 10)
	for i := 0; m.t.sortBy != byProgress; i++ {
		if i > int(numCols)+2 {
			t.Fatal("s never sorts by progress")
		}
		m, _ = press(m, "s")
	}
	l := computeLayout(m.width, &m.t, false)
	title := m.titleLine(&l)
	if !strings.Contains(title, "▼") && !strings.Contains(title, "▲") {
		t.Errorf("the title line has no arrow on PROG: %q", title)
	}
}

// The help bar keeps "? help" and "q quit" at every width that holds
// them: the other keys give way first.
func TestHelpBarKeepsHelpAndQuit(t *testing.T) {
	for _, width := range []int{80, 60, 40} {
		m := loaded(width, 24)
		lines := strings.Split(m.View(), "\n")
		if bar := lines[len(lines)-1]; !strings.HasSuffix(bar, "? help • q quit") {
			t.Errorf("at %d columns the help bar is %q", width, bar)
		}
	}
}

// awsRegions are the Regions of a real account, about 30.
var awsRegions = []string{"af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ca-central-1", "ca-west-1",
	"eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
	"il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"}

// Typing in the Region picker jumps to the Region typed: the first that
// begins with it, else the first that holds it; backspace takes a letter
// back; text no Region holds leaves the cursor and says so.
func TestRegionPickerJumpsAsOneTypes(t *testing.T) {
	m := loaded(80, 24)
	m, _ = press(m, "g")
	regions := make([]model.Region, len(awsRegions))
	for i, n := range awsRegions {
		regions[i] = model.Region{Name: n, OptInStatus: "opt-in-not-required"}
	}
	m, _ = m.Update(regionsMsg{regions: regions})
	picked := func() string { return m.regions[m.pick].Name }
	for _, step := range []struct{ keys, want string }{
		{"eu-w", "eu-west-1"},
		{"est-2", "eu-west-2"},
		{"backspace", "eu-west-1"},    // eu-west-
		{"backspace", "eu-west-1"},    // eu-west
		{"backspace", "eu-west-1"},    // eu-wes
		{"backspace", "eu-west-1"},    // eu-we
		{"backspace", "eu-west-1"},    // eu-w
		{"backspace", "eu-central-1"}, // eu-
		{"backspace", "eu-central-1"}, // eu
		{"backspace", "eu-central-1"}, // e
		{"backspace", "eu-central-1"}, // nothing typed: the cursor stays
		{"south-2", "ap-south-2"},     // held, not begun
		{"x", "ap-south-2"},
	} {
		if step.keys == "backspace" {
			m, _ = press(m, "backspace")
		} else {
			m = typeText(m, step.keys)
		}
		if picked() != step.want {
			t.Errorf("after %q (typed %q): %s, want %s", step.keys, m.pickTyped, picked(), step.want)
		}
	}
	if v := m.View(); !strings.Contains(v, "south-2x█ no Region holds it") {
		t.Errorf("the picker does not say nothing matches:\n%s", v)
	}
	m, _ = press(m, "backspace", "enter")
	if m.mode == picking || m.Region() != "ap-south-2" {
		t.Errorf("enter after typing: mode %v, Region %s", m.mode, m.Region())
	}
}
