package list

import (
	"slices"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

// The filter finds snapshots by key alias or id, state, tier and
// location like by Name, and "key:value" narrows a word to one column.
func TestFilterByMoreColumns(t *testing.T) {
	const (
		primary  = "snap-0a1b2c3d4e5f60718"
		web      = "snap-0b2c3d4e5f6071829"
		replica  = "snap-0c3d4e5f607182930"
		broken   = "snap-0d4e5f60718293a4b"
		ledger   = "snap-0e5f60718293a4b5c"
		audit    = "snap-0f60718293a4b5c6d"
		lax      = "snap-0718293a4b5c6d7e8"
		plant    = "snap-08293a4b5c6d7e8f9"
		lake     = "snap-093a4b5c6d7e8f901"
		evil     = "snap-0a4b5c6d7e8f90123"
		copyOf   = "snap-0b5c6d7e8f9012345"
		oldStyle = "snap-1234abcd"
	)
	cases := []struct {
		query string
		want  []string
	}{
		{"alias/backup", []string{primary, copyOf}},
		{"kms:backup", []string{primary, copyOf}},
		{"kms:alias/aws/ebs", []string{replica, plant}},
		{"kms:9f8e7d6c", []string{replica, plant}},
		{"kms:" + keyEBS, []string{replica, plant}},
		{"kms:none", []string{web, ledger, audit, lax, lake, evil, oldStyle}},
		{"state:pending", []string{replica}},
		{"STATE:Error", []string{broken}},
		{"pending", []string{replica}},
		{"tier:archive", []string{ledger, audit}},
		{"archive", []string{ledger, audit}},
		{"zone:lax", []string{lax}},
		{"us-west-2-lax-1a", []string{lax}},
		{"op-0abc1234def567890", []string{plant}},
		{"location:op-0abc", []string{plant}},
		{"tag:env=prod", []string{primary}},
		{"tag:env=", []string{primary, web}},
		{"tag:ENV=stag", []string{web}},
		{"tag:team=data", []string{primary}},
		{"tag:retention", []string{ledger}},
		{"tag:7y", []string{ledger}},
		{"name:db", []string{primary, replica, plant, copyOf}},
		{"name:db state:pending", []string{replica}},
		{"state:", allIDs()},
		{"db kms:ebs", []string{replica, plant}},
		{"d tier:archive", []string{ledger, audit}},
		{"state:completed kms:backup tag:env=prod", []string{primary}},
		{"nosuch:db", nil},
		{"tag:env=staging-no", nil},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			m := loaded(200, 50)
			m, _ = press(m, "/")
			m = typeText(m, c.query)
			got := ids(m)
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("filter %q shows %v, want %v", c.query, got, want)
			}
		})
	}
}

func allIDs() []string {
	var out []string
	for _, s := range fixture() {
		out = append(out, s.ID)
	}
	return out
}

// Aliases usually come before the first page; when they come after, the
// rows already loaded are found by their key's alias all the same, and a
// filter in force is applied again.
func TestFilterFindsAliasesThatCameLate(t *testing.T) {
	m := New(fixtureClient(), Options{Help: appHelp, Quit: appQuit, Tick: noTick, Region: "us-west-2", Profile: "demo", Now: clock})
	m.SetSize(200, 50)
	m, _ = m.Update(snapshotsPageMsg{gen: m.gen, region: "us-west-2", snaps: fixture(), pages: 1})
	m, _ = press(m, "/")
	m = typeText(m, "kms:backup")
	if got := ids(m); len(got) != 0 {
		t.Fatalf("before the aliases came, kms:backup shows %v", got)
	}
	m, _ = m.Update(aliasesMsg{region: "us-west-2", aliases: aliasFixture()})
	if got := ids(m); len(got) != 2 {
		t.Fatalf("after the aliases came, kms:backup shows %v, want the two rows of alias/backup", got)
	}
}

// A field's text cannot reach into the next: a NUL or newline in AWS
// text is a space in the search text.
func TestFilterFieldsStayApart(t *testing.T) {
	s := fixture()[1]
	s.Description = "web\x00completed\nroot"
	m := loaded(200, 50, []model.Snapshot{s})
	m, _ = press(m, "/")
	m = typeText(m, "state:web")
	if got := ids(m); len(got) != 0 {
		t.Fatalf("state:web matched %v through a NUL in the description", got)
	}
}
