package form

import (
	"slices"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

// kmsForm is a form for plainSrc, encrypted, on the KMS key field, whose
// destination us-west-2 has the given aliases.
func kmsForm(t *testing.T, aliases ...string) Model {
	t.Helper()
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	list := make([]model.KMSAlias, len(aliases))
	for i, a := range aliases {
		list[i] = model.KMSAlias{Name: a}
	}
	m, _ = m.Update(aliasesMsg{region: "us-west-2", aliases: list})
	m = focusField(t, m, fEncrypt)
	m, _ = press(m, "space", "tab")
	return m
}

// Completion matches what is typed anywhere in an alias, and offers only
// keys that can encrypt a snapshot: customer keys and alias/aws/ebs.
func TestKmsCompletions(t *testing.T) {
	aliases := []string{"alias/aws/acm", "alias/aws/dynamodb", "alias/aws/ebs", "alias/aws/rds", "alias/backup", "alias/dr-ebs", "alias/team/aws-dr"}
	cases := []struct {
		typed string
		want  []string
	}{
		{"", []string{"alias/aws/ebs", "alias/backup", "alias/dr-ebs", "alias/team/aws-dr"}},
		{"dr", []string{"alias/dr-ebs", "alias/team/aws-dr"}},
		{"DR-", []string{"alias/dr-ebs"}},
		{"ebs", []string{"alias/aws/ebs", "alias/dr-ebs"}},
		{"aws/", []string{"alias/aws/ebs"}},
		{"acm", nil},
		{"dynamo", nil},
		{"alias/backup", nil}, // held exactly: nothing left to complete
	}
	for _, c := range cases {
		m := typeText(kmsForm(t, aliases...), c.typed)
		if got := m.kmsCompletions(); !slices.Equal(got, c.want) {
			t.Errorf("typed %q: completions %v, want %v", c.typed, got, c.want)
		}
	}
	m := typeText(kmsForm(t, aliases...), "dr")
	v := m.View()
	if !strings.Contains(v, "› alias/dr-ebs") || strings.Contains(v, "alias/aws/acm") {
		t.Errorf("typing dr does not offer alias/dr-ebs first, or offers another service's key:\n%s", v)
	}
	m, _ = press(m, "ctrl+f")
	if got := m.kms.Value(); got != "alias/dr-ebs" {
		t.Errorf("ctrl+f took %q, want alias/dr-ebs", got)
	}
}

// r on a field that takes no typing reloads the look-ups, the KMS aliases
// among them; in a text field it is a letter.
func TestReloadLookups(t *testing.T) {
	m := kmsForm(t, "alias/backup")
	m = typeText(m, "r")
	if got := m.kms.Value(); got != "r" {
		t.Fatalf("r in the KMS key field typed %q, want r", got)
	}
	if m.loading[aliasesOf("us-west-2")] {
		t.Fatal("r typed in a text field reloaded the look-ups")
	}
	m = clearField(m)
	m = focusField(t, m, fEncrypt)
	m, _ = press(m, "r")
	for _, l := range []lookup{regionsLookup(), zonesOf("us-west-2"), encryptionOf("us-west-2"), aliasesOf("us-west-2")} {
		if !m.loading[l] {
			t.Errorf("r did not reload %s", l)
		}
	}
	if !strings.Contains(flat(m), "reloading the Regions") {
		t.Errorf("the screen does not say it is reloading:\n%s", m.View())
	}
	// An alias made since the form opened is offered once the answer is in.
	m, _ = m.Update(aliasesMsg{region: "us-west-2", aliases: []model.KMSAlias{{Name: "alias/backup"}, {Name: "alias/dr-ebs"}}})
	m, _ = m.Update(regionsMsg{regions: testRegions})
	m, _ = m.Update(zonesMsg{region: "us-west-2", zones: testZones})
	m, _ = m.Update(encryptionMsg{region: "us-west-2", def: testEncryption["us-west-2"]})
	if strings.Contains(flat(m), "reloading") {
		t.Errorf("the status still says reloading after every answer:\n%s", m.View())
	}
	m, _ = press(m, "tab")
	m = typeText(m, "dr")
	if got := m.kmsCompletions(); !slices.Equal(got, []string{"alias/dr-ebs"}) {
		t.Errorf("after the reload, dr completes to %v, want alias/dr-ebs", got)
	}
}

// Against the simulator: r sends ListAliases again to the destination Region.
func TestReloadAsksTheSimulator(t *testing.T) {
	srv, client, src := simWorld(t)
	m := New(client, []model.Snapshot{src}, Options{Now: clock, Tick: noTick})
	m.SetSize(100, 40)
	m, _ = settle(m, m.Init())
	m = focusField(t, m, fDest)
	m, _ = act(m, "ctrl+u")
	m = actType(m, "eu-central-1")
	before := srv.Count("ListAliases", "eu-central-1")
	if before == 0 {
		t.Fatal("the form did not load eu-central-1's aliases")
	}
	m = focusField(t, m, fDryRun)
	m, _ = act(m, "r")
	if got := srv.Count("ListAliases", "eu-central-1"); got != before+1 {
		t.Errorf("r sent %d ListAliases to eu-central-1, want 1", got-before)
	}
	if got := srv.Count("ListAliases", "us-west-2"); got != 2 {
		t.Errorf("the source Region's aliases were asked %d times, want 2 (open, r)", got)
	}
	if strings.Contains(flat(m), "reloading") {
		t.Errorf("the status still says reloading:\n%s", m.View())
	}
}

// A key ARN wider than the field at 80 columns is shown whole, wrapped,
// in the field (focused or not) and in the preview: nothing of it is cut.
func TestGoldenKeyArnAt80(t *testing.T) {
	const arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	m := loadFacts(newForm(t, 80, 30, encSrc))
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "us-east-1")
	m = focusField(t, m, fKms)
	m = typeText(m, arn)
	m = focusField(t, m, fDuration)
	v := m.View()
	if strings.Contains(v, "…") {
		t.Errorf("something is cut:\n%s", v)
	}
	// Read as the operator reads a wrapped ARN: the lines joined.
	joined := strings.ReplaceAll(strings.Join(strings.Fields(v), " "), "- ", "-")
	if n := strings.Count(joined, arn); n < 2 {
		t.Errorf("the ARN is whole %d times (field and preview), want 2:\n%s", n, v)
	}
	checkView(t, m)
}
