package form

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/screentest"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/theme"
)

func TestMain(m *testing.M) {
	// The clipboard's sequence goes straight to the test's terminal
	// buffer, as in a terminal of its own: not through a tmux or screen
	// the tests may run in.
	os.Unsetenv("TMUX")
	os.Setenv("TERM", "xterm-256color")
	theme.UseASCII()
	os.Exit(m.Run())
}

// now is the fixed clock of every test.
var now = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

func clock() time.Time { return now }

const (
	srcKeyArn  = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	outpostArn = "arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0"
)

// Sources of the tests: an unencrypted Region snapshot, an encrypted one, a
// Local Zone one, a pending one.
var (
	plainSrc = model.Snapshot{
		ID: "snap-0a1b2c3d4e5f60718", Region: "us-west-2", VolumeID: "vol-0123456789abcdef0",
		VolumeSizeGiB: 100, State: model.StateCompleted, Progress: 100,
		Description: "nightly db backup", OwnerID: "123456789012", StorageTier: model.TierStandard,
		Tags: []model.Tag{{Key: "Name", Value: "db"}, {Key: "team", Value: "ops"}, {Key: "aws:backup:source-resource", Value: "vol-0123456789abcdef0"}},
	}
	encSrc = model.Snapshot{
		ID: "snap-0fedcba9876543210", Region: "us-west-2", VolumeSizeGiB: 500, FullSizeBytes: 300 << 30,
		State: model.StateCompleted, Progress: 100, Description: "web\x1b[31m root", Encrypted: true, KmsKeyID: srcKeyArn,
		OwnerID: "123456789012", StorageTier: model.TierStandard,
		Tags: []model.Tag{{Key: "Name", Value: "web"}, {Key: "team", Value: "ops"}},
	}
	lzSrc = model.Snapshot{
		ID: "snap-0c0c0c0c0c0c0c0c0", Region: "us-west-2", VolumeSizeGiB: 20, State: model.StateCompleted, Progress: 100,
		Description: "edge cache", AvailabilityZone: "us-west-2-lax-1a", StorageTier: model.TierStandard,
		Tags: []model.Tag{{Key: "Name", Value: "edge"}, {Key: "team", Value: "ops"}},
	}
	pendingSrc = model.Snapshot{
		ID: "snap-0d0d0d0d0d0d0d0d0", Region: "us-west-2", VolumeSizeGiB: 8, State: model.StatePending, Progress: 40,
		StorageTier: model.TierStandard, Tags: []model.Tag{{Key: "Name", Value: "tmp"}},
	}
)

// The destination facts the tests load into a form.
var (
	testRegions = []model.Region{
		{Name: "us-west-2", OptInStatus: "opt-in-not-required"},
		{Name: "us-east-1", OptInStatus: "opt-in-not-required"},
		{Name: "eu-central-1", OptInStatus: "opt-in-not-required"},
		{Name: "af-south-1", OptInStatus: "not-opted-in"},
		{Name: "ap-southeast-2", OptInStatus: "opt-in-not-required"},
	}
	testZones = []model.LocalZone{
		{Name: "us-west-2-lax-1a", Region: "us-west-2", GroupName: "us-west-2-lax-1", State: "available", OptInStatus: "opted-in"},
		{Name: "us-west-2-lax-1b", Region: "us-west-2", GroupName: "us-west-2-lax-1", State: "available", OptInStatus: "opted-in"},
		{Name: "us-west-2-den-1a", Region: "us-west-2", GroupName: "us-west-2-den-1", State: "available", OptInStatus: "not-opted-in"},
		{Name: "us-west-2-phx-2a", Region: "us-west-2", GroupName: "us-west-2-phx-2", State: "available", OptInStatus: "opted-in"},
	}
	testEncryption = map[string]model.EncryptionDefault{
		"us-west-2":      {Enabled: false, KmsKeyID: "alias/aws/ebs"},
		"us-east-1":      {Enabled: false, KmsKeyID: "alias/aws/ebs"},
		"eu-central-1":   {Enabled: true, KmsKeyID: "alias/aws/ebs"},
		"ap-southeast-2": {Enabled: false, KmsKeyID: "alias/aws/ebs"},
	}
	testAliases = map[string][]model.KMSAlias{
		"us-west-2":      {{Name: "alias/aws/ebs"}, {Name: "alias/backup"}},
		"us-east-1":      {{Name: "alias/aws/ebs"}, {Name: "alias/backup"}, {Name: "alias/backup-archive"}, {Name: "alias/dr"}},
		"eu-central-1":   {{Name: "alias/aws/ebs"}, {Name: "alias/backup"}},
		"ap-southeast-2": {{Name: "alias/aws/ebs"}},
	}
)

// newForm builds a form on the tests' world (fakeAWS), sized w x h. Its
// look-ups are answered only when a test runs their commands or calls
// loadFacts.
func newForm(t *testing.T, w, h int, sources ...model.Snapshot) Model {
	t.Helper()
	m := New(fakeAWS{}, sources, Options{Now: clock, Outposts: []string{outpostArn}, Tick: noTick})
	m.SetSize(w, h)
	return m
}

// noTick schedules nothing: a flash stays until a key or another message,
// so a test that runs every command still reads it.
func noTick(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }

// statusOf is the message on the form's status line (zero when none).
func statusOf(m Model) status.LevelMessage {
	msg, _ := m.status.Current()
	return msg
}

// fakeAWS is the form's AWS in memory: the tests' destination facts, no
// earlier copies, AWS's default quota, and dry runs granted; err, when
// set, is every call's answer.
type fakeAWS struct{ err error }

// *awsops.Client is the form's AWS in the program.
var _ AWS = (*awsops.Client)(nil)

func (f fakeAWS) Regions(context.Context) ([]model.Region, error) {
	return slices.Clone(testRegions), f.err
}

func (f fakeAWS) LocalZones(_ context.Context, region string) ([]model.LocalZone, error) {
	var out []model.LocalZone
	for _, z := range testZones {
		if z.Region == region {
			out = append(out, z)
		}
	}
	return out, f.err
}

func (f fakeAWS) EncryptionDefault(_ context.Context, region string) (model.EncryptionDefault, error) {
	return testEncryption[region], f.err
}

func (f fakeAWS) KMSAliases(_ context.Context, region string) ([]model.KMSAlias, error) {
	return slices.Clone(testAliases[region]), f.err
}

func (f fakeAWS) TimeBasedCopyQuota(context.Context, string) (model.ThroughputQuota, error) {
	return model.ThroughputQuota{MiBps: model.DefaultTimeBasedQuotaMiBps, Default: true}, f.err
}

func (f fakeAWS) EarlierCopies(context.Context, string) ([]model.Snapshot, error) {
	return nil, f.err
}

// CopiesOf finds no copy in AWS: the tests' duplicates come from the
// tracker's copies, or from the simulator.
func (f fakeAWS) CopiesOf(context.Context, string, []string) ([]model.Snapshot, error) {
	return nil, f.err
}

func (f fakeAWS) DryRun(context.Context, model.CopyRequest) (awsops.DryRunResult, error) {
	if f.err != nil {
		return awsops.DryRunResult{}, f.err
	}
	return dryRunResult(true, "permission granted: the copy would be accepted"), nil
}

// loadFacts answers every look-up the way AWS would have.
func loadFacts(m Model) Model {
	m = factsButCopies(m)
	for _, r := range testRegions {
		m, _ = m.Update(copiesMsg{region: r.Name}) // no copies of the sources anywhere
	}
	return m
}

// factsButCopies answers every look-up of the form but the copies the
// destinations hold, so the duplicate check of a destination is under way.
func factsButCopies(m Model) Model {
	m, _ = m.Update(regionsMsg{regions: testRegions})
	m, _ = m.Update(zonesMsg{region: "us-west-2", zones: testZones})
	for r, d := range testEncryption {
		m, _ = m.Update(encryptionMsg{region: r, def: d})
	}
	for r, a := range testAliases {
		m, _ = m.Update(aliasesMsg{region: r, aliases: a})
	}
	for _, r := range testRegions {
		m, _ = m.Update(earlierMsg{region: r.Name}) // no earlier copies anywhere
		rates, err := fakeAWS{}.CopyRates(context.Background(), "us-west-2", r.Name)
		m, _ = m.Update(priceMsg{region: r.Name, rates: rates, err: err})
	}
	return m
}

// press sends keys by name ("tab", "ctrl+s", "left", ... or "space") and
// returns the last one's command, unrun.
func press(m Model, names ...string) (Model, tea.Cmd) {
	m, cmds := screentest.Press(m, names...)
	if len(cmds) == 0 {
		return m, nil
	}
	return m, cmds[len(cmds)-1]
}

func keyNamed(n string) tea.KeyMsg { return screentest.Key(n) }

// typeText types s one character at a time, as a terminal sends it;
// the KMS key typed is then described at once, as if DescribeKey answered
// before the next key (typeOnly leaves the look-up in flight).
func typeText(m Model, s string) Model {
	return describeKeys(typeOnly(m, s))
}

// typeOnly types s, answering nothing.
func typeOnly(m Model, s string) Model {
	for _, r := range s {
		m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return m
}

// describeKeys answers the DescribeKey look-ups in flight, and those they
// lead to.
func describeKeys(m Model) Model {
	for {
		var ls []lookup
		for l := range m.loading {
			if l.fact == factKey {
				ls = append(ls, l)
			}
		}
		if len(ls) == 0 {
			return m
		}
		for _, l := range ls {
			m, _ = m.Update(m.load(l)())
		}
	}
}

// clearField empties the focused text field (ctrl+u deletes before the cursor).
func clearField(m Model) Model {
	m, _ = press(m, "end", "ctrl+u")
	return m
}

// focusField tabs to f.
func focusField(t *testing.T, m Model, f field) Model {
	t.Helper()
	for i := 0; m.focus != f; i++ {
		if i > 40 {
			t.Fatalf("could not reach field %s", labels[f])
		}
		m, _ = press(m, "tab")
	}
	return m
}

// msgOf runs a command and returns its message, unwrapping batches to the
// first message of a type the test wants.
func msgsOf(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, msgsOf(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func dryRunResult(allowed bool, msg string) awsops.DryRunResult {
	return awsops.DryRunResult{Allowed: allowed, Message: msg}
}

// paste sends s as one key message, as a terminal sends pasted text.
func paste(m Model, s string) Model {
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true})
	return m
}

// testKeys is what DescribeKey tells of keys, by model.KeyFact; any other
// well-formed key is found enabled.
var testKeys = map[string]model.KMSKey{
	model.KeyFact("us-east-1", "1234abcd-12ab-34cd-56ef-1234567890ab"): {},
	model.KeyFact("us-west-2", "1234abcd-12ab-34cd-56ef-1234567890ab"): {Found: true, State: model.KeyEnabled},
	model.KeyFact("us-east-1", "alias/dr"):                             {Found: true, State: model.KeyDisabled},
	model.KeyFact("us-east-1", "alias/backup-archive"):                 {Found: true, State: model.KeyPendingDeletion, DeletionDate: now.Add(7 * 24 * time.Hour)},
}

func (f fakeAWS) DescribeKMSKey(_ context.Context, region, key string) (model.KMSKey, error) {
	if k, ok := testKeys[model.KeyFact(region, key)]; ok {
		return k, f.err
	}
	return model.KMSKey{Found: true, State: model.KeyEnabled}, f.err
}

// testRates are the prices the tests' Price List gives, by destination
// Region: us-east-1's and us-west-2's, none for the others.
var testRates = map[string]model.Rates{
	"us-east-1": {Transfer: model.Rate{USD: 0.02, Source: model.FromPriceList}, Storage: model.Rate{USD: 0.05, Source: model.FromPriceList}},
	"us-west-2": {Storage: model.Rate{USD: 0.05, Source: model.FromPriceList}},
}

func (f fakeAWS) CopyRates(_ context.Context, src, dest string) (model.Rates, error) {
	r := testRates[dest]
	r.SourceRegion, r.DestinationRegion = src, dest
	if f.err != nil {
		return model.Rates{SourceRegion: src, DestinationRegion: dest, Missing: "the AWS Price List did not answer"}, f.err
	}
	if !r.Storage.Known() {
		r.Missing = "the AWS Price List lists no snapshot storage in " + dest
	}
	return r, nil
}
