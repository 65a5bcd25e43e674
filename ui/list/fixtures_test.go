package list

import (
	"fmt"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/screentest"
)

// fixedNow is the clock of every rendering test, so ages never drift.
var fixedNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

const (
	keyBackup = "arn:aws:kms:us-west-2:123456789012:key/1b2c3d4e-5f60-4718-9a0b-c1d2e3f40516"
	keyEBS    = "arn:aws:kms:us-west-2:123456789012:key/9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
	outpost   = "arn:aws:outposts:us-west-2:123456789012:outpost/op-0abc1234def567890"
	account   = "123456789012"
)

func tags(kv ...string) []model.Tag {
	var t []model.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		t = append(t, model.Tag{Key: kv[i], Value: kv[i+1]})
	}
	return t
}

// fixture is a small account with one snapshot of every kind the list
// must tell apart: copyable or not (pending, error, archived, on an
// Outpost), restored archives, a Local Zone, encrypted or not, hostile text.
func fixture() []model.Snapshot {
	base := model.Snapshot{Region: "us-west-2", OwnerID: account, State: model.StateCompleted, Progress: 100, StorageTier: model.TierStandard, TransferType: model.TransferStandard}
	at := func(d time.Duration) time.Time { return fixedNow.Add(-d) }
	s := func(f func(*model.Snapshot)) model.Snapshot { c := base; f(&c); return c }
	return []model.Snapshot{
		s(func(x *model.Snapshot) {
			x.ID, x.VolumeID, x.VolumeSizeGiB, x.FullSizeBytes = "snap-0a1b2c3d4e5f60718", "vol-0123456789abcdef0", 500, 128849018880
			x.StartTime, x.CompletionTime = at(2*time.Hour), at(90*time.Minute)
			x.Description = "nightly backup of the primary database"
			x.Encrypted, x.KmsKeyID = true, keyBackup
			x.Tags = tags("Name", "db-primary", "env", "prod", "team", "data")
		}),
		s(func(x *model.Snapshot) {
			x.ID, x.VolumeID, x.VolumeSizeGiB = "snap-0b2c3d4e5f6071829", "vol-0fedcba9876543210", 8
			x.StartTime = at(3 * 24 * time.Hour)
			x.Description = "web root"
			x.Tags = tags("Name", "web-01", "env", "staging")
		}),
		s(func(x *model.Snapshot) {
			x.ID, x.VolumeID, x.VolumeSizeGiB = "snap-0c3d4e5f607182930", "vol-0aaaabbbbccccdddd", 250
			x.StartTime, x.State, x.Progress = at(25*time.Minute), model.StatePending, 42
			x.Description = "replica seed"
			x.Encrypted, x.KmsKeyID = true, keyEBS
			x.Tags = tags("Name", "db-replica")
		}),
		s(func(x *model.Snapshot) {
			x.ID, x.VolumeID, x.VolumeSizeGiB = "snap-0d4e5f60718293a4b", "vol-0bbbbccccddddeeee", 100
			x.StartTime, x.State, x.Progress = at(26*time.Hour), model.StateError, 13
			x.StateMessage = "The KMS key arn:aws:kms:us-west-2:123456789012:key/0000 does not exist or is not accessible"
			x.Encrypted, x.KmsKeyID = true, "arn:aws:kms:us-west-2:123456789012:key/00000000-1111-2222-3333-444444444444"
			x.Tags = tags("Name", "broken-copy")
		}),
		s(func(x *model.Snapshot) {
			x.ID, x.VolumeID, x.VolumeSizeGiB = "snap-0e5f60718293a4b5c", "vol-0ccccddddeeeeffff", 1024
			x.StartTime, x.StorageTier = at(400*24*time.Hour), model.TierArchive
			x.Description = "2025 year-end archive"
			x.Tags = tags("Name", "ledger-2025", "retention", "7y")
		}),
		s(func(x *model.Snapshot) {
			x.ID, x.VolumeID, x.VolumeSizeGiB = "snap-0f60718293a4b5c6d", "vol-0ddddeeeeffff0000", 64
			x.StartTime, x.StorageTier, x.RestoreExpiry = at(200*24*time.Hour), model.TierArchive, fixedNow.Add(48*time.Hour)
			x.Description = "restored for audit"
			x.Tags = tags("Name", "audit-restore")
		}),
		s(func(x *model.Snapshot) {
			x.ID, x.VolumeID, x.VolumeSizeGiB = "snap-0718293a4b5c6d7e8", "vol-0eeeeffff00001111", 32
			x.StartTime, x.AvailabilityZone = at(5*time.Hour), "us-west-2-lax-1a"
			x.Description = "edge cache"
			x.Tags = tags("Name", "lax-cache")
		}),
		s(func(x *model.Snapshot) {
			x.ID, x.VolumeID, x.VolumeSizeGiB = "snap-08293a4b5c6d7e8f9", "vol-0ffff000011112222", 200
			x.StartTime, x.OutpostArn = at(7*24*time.Hour), outpost
			x.Encrypted, x.KmsKeyID = true, keyEBS
			x.Description = "factory floor"
			x.Tags = tags("Name", "plant-db")
		}),
		s(func(x *model.Snapshot) {
			x.ID, x.VolumeID, x.VolumeSizeGiB, x.FullSizeBytes = "snap-093a4b5c6d7e8f901", "vol-0000111122223333", 16384, 9895604649984
			x.StartTime = at(45 * 24 * time.Hour)
			x.Description = "data lake volume " + longText(220)
		}),
		s(func(x *model.Snapshot) {
			x.ID, x.VolumeID, x.VolumeSizeGiB = "snap-0a4b5c6d7e8f90123", "vol-0111122223333444", 20
			x.StartTime = at(9 * time.Minute)
			x.Description = "evil \x1b[31mred\x1b[0m and a bell \x07 here"
			x.Tags = tags("Name", "esc\x1b]0;pwned\x07name", "note", "tab\there\nnewline")
		}),
		s(func(x *model.Snapshot) {
			x.ID, x.VolumeID, x.VolumeSizeGiB = "snap-0b5c6d7e8f9012345", "vol-ffffffff", 40
			x.StartTime, x.CompletionTime = at(30*time.Second), at(0)
			x.TransferType, x.CompletionMinutes = model.TransferTimeBased, 60
			x.Encrypted, x.KmsKeyID = true, keyBackup
			x.Description = "Copied for snap-0a1b2c3d4e5f60718 from us-east-1"
			x.Tags = tags("Name", "db-primary-copy", model.RequestTagKey, "sc-0011223344556677")
		}),
		s(func(x *model.Snapshot) {
			x.ID, x.VolumeID, x.VolumeSizeGiB = "snap-1234abcd", "vol-1234abcd", 2
			x.StartTime = at(3 * 365 * 24 * time.Hour)
			x.Description = "old-style id"
		}),
	}
}

func longText(n int) string {
	const words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
	out := ""
	for len(out) < n {
		out += words
	}
	return out[:n]
}

// aliasFixture names the two keys of the fixture.
func aliasFixture() []model.KMSAlias {
	return []model.KMSAlias{
		{Name: "alias/aws/ebs", TargetKeyID: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"},
		{Name: "alias/backup", TargetKeyID: "1b2c3d4e-5f60-4718-9a0b-c1d2e3f40516"},
	}
}

// loaded returns a list of the fixture at w x h, as if its pages had come.
func loaded(w, h int, pages ...[]model.Snapshot) Model {
	m := New(fixtureClient(), Options{Help: appHelp, Quit: appQuit, Tick: noTick, Region: "us-west-2", Profile: "demo", Now: clock})
	m.SetSize(w, h)
	m.loading = true
	if len(pages) == 0 {
		pages = [][]model.Snapshot{fixture()}
	}
	m, _ = m.Update(aliasesMsg{region: "us-west-2", aliases: aliasFixture()})
	for i, p := range pages {
		m, _ = m.Update(snapshotsPageMsg{gen: m.gen, region: "us-west-2", snaps: p, pages: i + 1, more: i < len(pages)-1})
	}
	return m
}

// press sends keys by name (screentest.Key) and returns their commands, unrun.
func press(m Model, keys ...string) (Model, []tea.Cmd) { return screentest.Press(m, keys...) }

// keyMsg is the key named as Bubble Tea prints it, or the runes typed.
func keyMsg(k string) tea.KeyMsg { return screentest.Key(k) }

func typeText(m Model, s string) Model {
	for _, r := range s {
		m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return m
}

var _ = fmt.Sprint

// fixtureClient is a client of an empty simulator, shared by the tests
// that feed the list pages themselves: nothing is asked of it unless a
// test runs the list's commands.
var fixtureClient = sync.OnceValue(func() *awsops.Client {
	_, _, url, err := ec2sim.Listen("127.0.0.1:0", ec2sim.Options{NoSeedWorld: true, Clock: ec2sim.NewManualClock(fixedNow)})
	if err != nil {
		panic(err)
	}
	return awsops.NewLocal(url, "us-west-2")
})

// The app's keys, as the app hands them to the list.
var (
	appHelp = key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help"))
	appQuit = key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit"))
)

// noTick drops the status line's timers: tests deliver what they need.
func noTick(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
