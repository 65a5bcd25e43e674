package list

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
)

// runFind types query into the filter of a list whose pages have not come
// yet, then runs the find it schedules: the delay, then the request.
func runFind(t *testing.T, m Model, query string) Model {
	t.Helper()
	m, _ = press(m, "/")
	var cmd tea.Cmd
	for _, r := range query {
		m, cmd = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	if cmd == nil {
		t.Fatalf("typing %q while loading asked AWS nothing", query)
	}
	tick := cmd()
	m, cmd = m.Update(tick)
	if cmd == nil {
		t.Fatalf("the find for %q was not sent", query)
	}
	m, _ = m.Update(cmd())
	return m
}

// rowLine is the screen line showing id, or "".
func rowLine(m Model, id string) string {
	for _, l := range strings.Split(m.View(), "\n") {
		if strings.Contains(l, id) {
			return l
		}
	}
	return ""
}

// An id typed before its page came is asked of AWS and shown at once,
// marked; the listing's page then confirms it: the mark goes and the row
// is not added twice.
func TestFindShowsASnapshotBeforeItsPage(t *testing.T) {
	s := newSim(t, ec2sim.Options{Seed: 1, ExtraSnapshots: 3000})
	all, err := s.client.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Late in the sequential order, and copyable (else ⊘ takes the gutter).
	target := ""
	for i := len(all) - 1; target == ""; i-- {
		if all[i].State == "completed" {
			target = all[i].ID
		}
	}
	m := simList(s)
	m.SetSize(160, 30)
	m = runFind(t, m, target)
	if m.Snapshots() != 1 || m.Shown() != 1 || !m.Loading() {
		t.Fatalf("after the find: %d rows, %d shown, loading %v", m.Snapshots(), m.Shown(), m.Loading())
	}
	if l := rowLine(m, target); !strings.Contains(l, foundMark) {
		t.Fatalf("the found row is not marked as unconfirmed: %q", l)
	}
	m, _ = settle(m, m.fetchPage())
	if m.Snapshots() != len(all) || m.Loading() || m.err != nil {
		t.Fatalf("loaded %d of %d (loading %v, %v)", m.Snapshots(), len(all), m.Loading(), m.err)
	}
	if m.Shown() != 1 {
		t.Fatalf("%d rows match %s once the listing is complete", m.Shown(), target)
	}
	if l := rowLine(m, target); l == "" || strings.Contains(l, foundMark) {
		t.Fatalf("after the listing confirmed it: %q", l)
	}
	seen := map[string]bool{}
	for _, r := range m.t.rows {
		if seen[r.snap.ID] {
			t.Fatalf("%s listed twice", r.snap.ID)
		}
		seen[r.snap.ID] = true
	}
}

// name: and vol- terms ask AWS by Name tag and by volume id; AWS received
// the filter with a *term* wildcard.
func TestFindByNameAndVolume(t *testing.T) {
	s := newSim(t, ec2sim.Options{Seed: 1, ExtraSnapshots: 1000})
	prod, ok := s.srv.SnapshotByName("us-west-2", "db-prod-primary")
	if !ok {
		t.Fatal("no db-prod-primary")
	}
	m := simList(s)
	m = runFind(t, m, "name:db-prod")
	if m.Shown() == 0 || rowLine(m, prod.ID) == "" && m.Shown() < m.listRows() {
		t.Fatalf("name:db-prod shows %d rows: %v", m.Shown(), ids(m))
	}
	for _, r := range m.t.rows {
		if !strings.Contains(r.name, "db-prod") {
			t.Fatalf("%s (%q) does not match name:db-prod", r.snap.ID, r.name)
		}
	}
	r := s.srv.Requests("DescribeSnapshots")
	if last := r[len(r)-1].Params; last.Get("Filter.1.Name") != "tag:Name" || last.Get("Filter.1.Value.1") != "*db-prod*" {
		t.Fatalf("the find sent %v", last)
	}

	m2 := simList(s)
	m2 = runFind(t, m2, prod.VolumeID)
	if m2.Shown() == 0 {
		t.Fatalf("%s found nothing", prod.VolumeID)
	}
	for _, r := range m2.t.rows {
		if r.snap.VolumeID != prod.VolumeID {
			t.Fatalf("%s is of %s, not %s", r.snap.ID, r.snap.VolumeID, prod.VolumeID)
		}
	}
}

// Once the list is complete, typing an id asks AWS nothing.
func TestNoFindOnceLoaded(t *testing.T) {
	s := newSim(t, ec2sim.Options{Seed: 1})
	m := simList(s)
	m, _ = settle(m, m.Init())
	m, _ = press(m, "/")
	var cmd tea.Cmd
	for _, r := range "snap-0" {
		m, cmd = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	if cmd != nil {
		t.Fatal("a complete list scheduled a find")
	}
}

// While shards load, the header counts pages done and shards.
func TestHeaderCountsPagesAndShards(t *testing.T) {
	s := newSim(t, ec2sim.Options{Seed: 1, ExtraSnapshots: 3000})
	m := simList(s)
	m.SetSize(200, 30)
	defer m.cancel() // the other pages are not waited for
	m, _ = m.Update(m.fetchPage()())
	head := strings.Split(m.View(), "\n")[0]
	if !strings.Contains(head, "pages / 17 shards") {
		t.Fatalf("header while loading: %q", head)
	}
}

// Where the snapshot-id filter takes wildcards literally, the list still
// loads every snapshot and says once that it pages one by one.
func TestListSaysItFellBack(t *testing.T) {
	s := newSim(t, ec2sim.Options{Seed: 1, ExtraSnapshots: 2500, NoWildcards: true})
	want := ownedCount(t, s, "us-west-2", awsops.Owned)
	m := simList(s)
	m.SetSize(200, 30)
	m, _ = settle(m, m.Init())
	if m.Snapshots() != want || m.err != nil {
		t.Fatalf("loaded %d of %d (%v)", m.Snapshots(), want, m.err)
	}
	if !strings.Contains(m.View(), awsops.FallbackNote) {
		t.Fatalf("the fallback is not told:\n%s", m.View())
	}
}
