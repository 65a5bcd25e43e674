package recurring

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dlm"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/screentest"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/theme"
)

func TestMain(m *testing.M) {
	theme.UseASCII()
	os.Exit(m.Run())
}

// *awsops.Client is the panel's AWS in the program.
var _ AWS = (*awsops.Client)(nil)

func noTick(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }

// panel is the panel on a simulator, for db-prod-primary copied from
// us-west-2 to us-east-1 under alias/backup, as the form validated it,
// with what the panel looked up at its start answered. clip records what
// was put on the clipboard.
type panel struct {
	m    Model
	sim  *simtest.Sim
	clip []string
}

func newPanel(t *testing.T, edit func(*nav.OpenRecurring)) *panel {
	t.Helper()
	sim := simtest.Start(t, simtest.Setup{})
	src, ok := simtest.ByName(sim.Server, "us-west-2", "db-prod-primary")
	if !ok {
		t.Fatal("no db-prod-primary")
	}
	open := nav.OpenRecurring{
		Sources: []model.Snapshot{src},
		Requests: []model.CopyRequest{{SourceRegion: "us-west-2", DestinationRegion: "us-east-1", SourceSnapshotID: src.ID,
			Description: "db-prod nightly", Encrypted: true, KmsKeyID: "alias/backup"}},
		Tags: []model.Tag{{Key: "team", Value: "data"}},
	}
	if edit != nil {
		edit(&open)
	}
	p := &panel{sim: sim}
	clip := func(text string, done func(bool, status.Level) tea.Msg) tea.Cmd {
		p.clip = append(p.clip, text)
		return func() tea.Msg { return done(true, status.Info) }
	}
	m := New(sim.Client, open, Options{Profile: "ops", Tick: noTick, Clipboard: clip})
	m.SetSize(100, 44)
	p.m, _ = screentest.Settle(m, m.Init(), screentest.Options{Pass: screentest.ForApp})
	return p
}

// act presses keys and settles what they start; typed text is typed.
func (p *panel) act(keys ...string) []tea.Msg {
	var passed []tea.Msg
	p.m, passed = screentest.Act(p.m, screentest.Options{Pass: screentest.ForApp}, keys...)
	return passed
}

// set puts text in field f (from the first field, by tab).
func (p *panel) set(f int, text string) {
	for p.m.focus != f {
		p.act("tab")
	}
	p.act("ctrl+u")
	for _, r := range text {
		p.act(string(r))
	}
}

// filled is the panel with the retentions typed: a valid policy.
func filled(t *testing.T, edit func(*nav.OpenRecurring)) *panel {
	p := newPanel(t, edit)
	p.set(fRetain, "14")
	p.set(fDestRetain, "30d")
	return p
}

func (p *panel) policies(t *testing.T) int {
	t.Helper()
	out, err := p.sim.Client.DLM("us-west-2").GetLifecyclePolicies(context.Background(), &dlm.GetLifecyclePoliciesInput{})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Policies)
}

func (p *panel) statusText() string {
	msg, _ := p.m.status.Current()
	return msg.Text
}

// checkView compares the screen with testdata/<test>.golden (go test
// -update rewrites it), checks it fits, and that it says each of wants.
func checkView(t *testing.T, m Model, wants ...string) {
	t.Helper()
	v := m.View()
	lines := strings.Split(v, "\n")
	if len(lines) > m.height {
		t.Errorf("view has %d lines, more than %d", len(lines), m.height)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > m.width {
			t.Errorf("line %d is %d wide: %q", i+1, w, l)
		}
	}
	flat := strings.Join(strings.Fields(v), " ")
	for _, want := range wants {
		if !strings.Contains(flat, strings.Join(strings.Fields(want), " ")) {
			t.Errorf("the screen does not say %q", want)
		}
	}
	golden.RequireEqual(t, []byte(v+"\n"))
}

func TestGoldenFields(t *testing.T) {
	p := filled(t, nil)
	checkView(t, p.m, "✓ valid",
		"Targets: the volumes of us-west-2 tagged snapcopy:recurring=to-us-east-1",
		"add it to the volume: aws ec2 create-tags --region us-west-2",
		"Schedule: every day at 03:00 UTC",
		"Keeps at the source: the last 14 snapshots of each volume",
		"Copies to us-east-1, encrypted with arn:aws:kms:us-east-1:123456789012:key/",
		"(alias/backup), each kept 30 days",
		"Runs as arn:aws:iam::123456789012:role/AWSDataLifecycleManagerDefaultRole under profile ops")
}

func TestGoldenPolicy(t *testing.T) {
	p := filled(t, nil)
	p.act("ctrl+o")
	checkView(t, p.m, "aws dlm create-lifecycle-policy --region us-west-2 --profile ops", "file://dlm-policy.json",
		`"ExecutionRoleArn": "arn:aws:iam::123456789012:role/AWSDataLifecycleManagerDefaultRole"`,
		"y copy the JSON")
}

// y copies the JSON shown, c the command line with the JSON inline.
func TestCopiesTheJSONAndTheCommand(t *testing.T) {
	p := filled(t, nil)
	p.act("ctrl+o", "y", "c")
	want := p.m.result.Copy.SourcePolicy()
	if len(p.clip) != 2 || p.clip[0] != want.JSON() || p.clip[1] != model.DLMCommand("us-west-2", "ops", want, "") {
		t.Errorf("clipboard got %q", p.clip)
	}
	if p.statusText() != "copied the command line to the clipboard" {
		t.Errorf("status %q", p.statusText())
	}
}

// ctrl+s asks with the JSON on screen; n creates nothing, y creates the
// policy, which reads back as shown.
func TestCreatesAfterYes(t *testing.T) {
	p := filled(t, nil)
	p.act("ctrl+s")
	v := p.m.View()
	if !strings.Contains(v, "create this policy in us-west-2? y/n (it runs as role AWSDataLifecycleManagerDefaultRole)") ||
		!strings.Contains(v, `"PolicyType": "EBS_SNAPSHOT_MANAGEMENT"`) {
		t.Fatalf("the question with the JSON:\n%s", v)
	}
	p.act("n")
	if n := p.policies(t); n != 0 || p.statusText() != "not created" {
		t.Fatalf("n: %d policies, status %q", n, p.statusText())
	}
	p.act("ctrl+s", "y")
	if !strings.Contains(p.statusText(), "read back, it is the policy shown") {
		t.Fatalf("status %q", p.statusText())
	}
	if n := p.policies(t); n != 1 {
		t.Errorf("%d policies", n)
	}
	got, err := p.sim.Client.DLMPolicy(context.Background(), "us-west-2", p.m.createdID)
	if err != nil || got.Policy.JSON() != p.m.result.Copy.SourcePolicy().JSON() {
		t.Errorf("stored %v:\n%s", err, got.Policy.JSON())
	}
}

// A role DLM cannot use is said with what to do, and nothing is made.
func TestMissingRoleInPlainWords(t *testing.T) {
	p := filled(t, nil)
	p.set(fRole, "snapcopy-missing")
	p.act("ctrl+s", "y")
	for _, want := range []string{"not created: CreateLifecyclePolicy in us-west-2: InvalidRequestException",
		"the execution role arn:aws:iam::123456789012:role/snapcopy-missing does not exist", "aws dlm create-default-role --resource-type snapshot"} {
		if !strings.Contains(p.statusText(), want) {
			t.Errorf("status %q lacks %q", p.statusText(), want)
		}
	}
	if n := p.policies(t); n != 0 {
		t.Errorf("%d policies", n)
	}
}

// Each DLM limit: the panel names the field and the rule, asks nothing,
// and creates nothing.
func TestLimitsCreateNothing(t *testing.T) {
	cases := []struct {
		name string
		open func(*nav.OpenRecurring)
		f    int
		text string
		says string
	}{
		{"four copy rules", nil, fAlsoTo, "eu-west-1,eu-central-1,ap-south-1", "fix the also copy to: Also copy to: DLM takes at most 3 cross-Region copy rules per schedule"},
		{"count at the destination", nil, fDestRetain, "14", "fix the retain at destination: Retain at destination is by age only"},
		{"AWS managed key across accounts", func(o *nav.OpenRecurring) { o.Requests[0].KmsKeyID = "alias/aws/ebs" }, fAccount, "111122223333",
			"fix the KMS key: KMS key alias/aws/ebs is an AWS managed key: it cannot be used across accounts"},
		{"description characters", nil, fName, "db/prod: nightly", `fix the policy description: Policy description may hold only letters, digits, spaces, _ and - (DLM's rule [0-9A-Za-z _-]), not "/:"`},
		{"interval", nil, fSchedule, "5h", "fix the schedule: Schedule: DLM makes snapshots every 1, 2, 3, 4, 6, 8, 12 or 24 hours"},
		{"cron", nil, fSchedule, "cron(0 3 * * * *)", "fix the schedule: Schedule \"cron(0 3 * * * *)\": one of day-of-month and day-of-week must be ?"},
		{"retain maximum", nil, fRetain, "1001", "fix the retain at source: Retain at source: DLM keeps from 1 to 1000 snapshots"},
		{"destination retain maximum", nil, fDestRetain, "101y", "fix the retain at destination: Retain at destination: DLM keeps from 1 to 100 years"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filled(t, c.open)
			p.set(c.f, c.text)
			p.act("ctrl+s")
			if p.m.asking {
				t.Fatal("asked to create")
			}
			if got := p.statusText(); !strings.Contains(got, "not created: "+c.says) {
				t.Errorf("status %q, want %q", got, c.says)
			}
			if n := p.policies(t); n != 0 {
				t.Errorf("%d policies created", n)
			}
			if strings.Contains(p.m.View(), "✓ valid") {
				t.Error("shown as valid")
			}
		})
	}
}

// esc goes back to the form as it was kept; from the policy page, to the fields.
func TestBackToTheForm(t *testing.T) {
	p := filled(t, nil)
	p.act("ctrl+o")
	if passed := p.act("esc"); len(passed) != 0 || p.m.page != onFields {
		t.Fatalf("esc on the policy: %v, page %v", passed, p.m.page)
	}
	passed := p.act("esc")
	if len(passed) != 1 {
		t.Fatalf("passed %v", passed)
	}
	if o, ok := passed[0].(nav.OpenForm); !ok || len(o.Sources) != 1 || o.Sources[0].ID != p.m.open.Sources[0].ID {
		t.Errorf("back: %#v", passed[0])
	}
}

// Across accounts both policies are shown, each with its command and
// profile; the panel creates neither.
func TestCrossAccountShowsBothPolicies(t *testing.T) {
	p := filled(t, func(o *nav.OpenRecurring) {
		o.Requests[0].KmsKeyID = "arn:aws:kms:us-east-1:111122223333:key/9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4"
	})
	p.set(fAccount, "111122223333")
	p.set(fProfile, "dr")
	p.act("ctrl+o")
	if v := strings.Join(strings.Fields(p.m.View()), " "); !strings.Contains(v, "1 of 2") || !strings.Contains(v, "Shares each snapshot with account 111122223333") {
		t.Fatalf("source policy page:\n%s", v)
	}
	p.act("tab")
	v := strings.Join(strings.Fields(p.m.View()), " ")
	for _, want := range []string{"2 of 2", "aws dlm create-lifecycle-policy --region us-west-2 --profile dr", `"PolicyType": "EVENT_BASED_POLICY"`} {
		if !strings.Contains(v, want) {
			t.Errorf("event policy page lacks %q", want)
		}
	}
	p.act("ctrl+s")
	if p.m.asking || !strings.Contains(p.statusText(), "each account creates its own policy") || p.policies(t) != 0 {
		t.Errorf("cross-account create: asking %v, status %q", p.m.asking, p.statusText())
	}
}

// A copy the form sends into another account opens the panel with that
// account and its profile filled in.
func TestCrossAccountFromTheForm(t *testing.T) {
	p := filled(t, func(o *nav.OpenRecurring) {
		o.DestinationAccount, o.DestinationProfile = "111122223333", "dr"
		o.Requests[0].KmsKeyID = "arn:aws:kms:us-east-1:111122223333:key/9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4"
	})
	p.act("ctrl+o")
	p.act("tab")
	v := strings.Join(strings.Fields(p.m.View()), " ")
	if !strings.Contains(v, "2 of 2") || !strings.Contains(v, "--profile dr") {
		t.Fatalf("the destination account's policy is not offered:\n%s", v)
	}
}

// The copy's description, when DLM refuses some of its characters, is
// offered without them, and the panel says so.
func TestDescriptionOutsideDLMsCharactersIsSaid(t *testing.T) {
	p := filled(t, func(o *nav.OpenRecurring) { o.Requests[0].Description = "Copy of snap-0abc: nightly (prod)" })
	if got := p.m.inputs[fName].input.Value(); got != "Copy of snap-0abc nightly prod" {
		t.Errorf("description %q", got)
	}
	v := strings.Join(strings.Fields(p.m.View()), " ")
	if !strings.Contains(v, `! the copy's description "Copy of snap-0abc: nightly (prod)" has characters DLM does not take`) {
		t.Errorf("not said:\n%s", p.m.View())
	}
}
