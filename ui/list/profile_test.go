package list

import (
	"strings"
	"testing"
)

// Under another profile the list forgets what belonged to the first
// account: its rows, marks and key names; answers still coming for the
// first profile (its KMS aliases, a page) are dropped.
func TestUnderProfileDropsTheOtherAccountsAnswers(t *testing.T) {
	m := loaded(160, 20)
	m, _ = press(m, "space")
	if len(m.Marked()) != 1 || len(m.aliases) == 0 {
		t.Fatalf("fixture: %d marked, %d aliases", len(m.Marked()), len(m.aliases))
	}
	oldGen := m.gen
	_ = m.UnderProfile(fixtureClient(), "dr", "111122223333", "us-east-1")
	if len(m.Marked()) != 0 || m.Snapshots() != 0 || m.aliases != nil {
		t.Fatalf("under dr: %d marked, %d rows, aliases %v", len(m.Marked()), m.Snapshots(), m.aliases)
	}
	m, _ = m.Update(aliasesMsg{region: "us-east-1", aliases: aliasFixture()})
	m, _ = m.Update(snapshotsPageMsg{gen: oldGen, region: "us-east-1", snaps: fixture(), pages: 1})
	if m.aliases != nil || m.Snapshots() != 0 {
		t.Fatalf("the first profile's answers were taken under dr: aliases %v, %d rows", m.aliases, m.Snapshots())
	}
	if h := m.headerLine(); !strings.Contains(h, "profile dr · account 111122223333 · us-east-1") {
		t.Fatalf("header under dr: %q", h)
	}
}
