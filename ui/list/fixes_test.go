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
