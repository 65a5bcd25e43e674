package form

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/screentest"
)

// accountWorld is the seeded simulator, its client as the demo profile and
// the demo's profiles (dr assumes the second account's role).
type accountWorld struct {
	srv    *ec2sim.Server
	client *awsops.Client
	opts   Options
}

func newAccountWorld(t *testing.T) accountWorld {
	t.Helper()
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, VisibilityLag: -1}})
	clients := screentest.Profiles(t, s.Client, "")
	clients.Add("demo", s.Client)
	return accountWorld{srv: s.Server, client: s.Client, opts: Options{Now: clock, Tick: noTick, Accounts: clients, Profile: "demo"}}
}

// passNav keeps back what the form hands the app.
var passNav = screentest.Options{Pass: screentest.ForApp}

// openOn opens the form for the seeded snapshot named name, settled.
func (w accountWorld) openOn(t *testing.T, name string) Model {
	t.Helper()
	src, ok := simtest.ByName(w.srv, "us-west-2", name)
	if !ok {
		t.Fatalf("no %s in the seeded world", name)
	}
	m := New(w.client, []model.Snapshot{src}, w.opts)
	m.SetSize(160, 60)
	m, _ = screentest.Settle(m, m.Init(), passNav)
	return m
}

// actOn presses keys, settling what each starts; it returns what the form
// handed the app.
func actOn(m Model, keys ...string) (Model, []tea.Msg) { return screentest.Act(m, passNav, keys...) }

// typeIn types text into the focused field, settling what it starts.
func typeIn(m Model, text string) Model {
	for _, r := range text {
		m, _ = actOn(m, string(r))
	}
	return m
}

// toDR sets the destination us-east-1 and the destination account dr.
func toDR(t *testing.T, m Model) Model {
	t.Helper()
	m = focusField(t, m, fDest)
	m, _ = actOn(m, "ctrl+u")
	m = typeIn(m, "us-east-1")
	m = focusField(t, m, fAccount)
	m, _ = actOn(m, "right")
	if v := m.View(); !strings.Contains(v, "● dr ("+ec2sim.DRAccountID+")") {
		t.Fatalf("the destination account does not show dr with its account:\n%s", v)
	}
	return m
}

// sentCopies are the copies the form handed the tracker.
func sentCopies(msgs []tea.Msg) []*model.Copy {
	for _, msg := range msgs {
		if s, ok := msg.(nav.StartCopies); ok {
			return s.Copies
		}
	}
	return nil
}

// An unencrypted snapshot into the dr profile's account: the preview says
// each step, the destination's keys are the other account's own, and the
// copy sent carries the steps, starting by the share.
func TestFormCopiesIntoAnotherAccount(t *testing.T) {
	w := newAccountWorld(t)
	m := toDR(t, w.openOn(t, "build-cache"))
	v := m.View()
	for _, want := range []string{"Steps", "1. share snap-", "with account " + ec2sim.DRAccountID + " (profile dr)",
		"2. copy it into account " + ec2sim.DRAccountID, "3. when the copy completes: remove the share"} {
		if !strings.Contains(v, want) {
			t.Errorf("the preview lacks %q:\n%s", want, v)
		}
	}
	// The KMS key is the other account's: its alias/dr-backup is known there.
	m = focusField(t, m, fEncrypt)
	m, _ = actOn(m, "space")
	m = focusField(t, m, fKms)
	m = typeIn(m, "alias/dr-backup")
	if v := m.View(); strings.Contains(v, "not listed") || strings.Contains(v, "not found") {
		t.Fatalf("alias/dr-backup of the dr account is not taken as its key:\n%s", v)
	}
	// space keeps the share.
	m = focusField(t, m, fAccount)
	m, _ = actOn(m, "space")
	if v := m.View(); !strings.Contains(v, "[x] keep the share once copied") || !strings.Contains(v, "then keep the share") {
		t.Fatalf("space on the destination account does not keep the share:\n%s", v)
	}
	m, msgs := actOn(m, "ctrl+s")
	copies := sentCopies(msgs)
	if len(copies) != 1 {
		t.Fatalf("ctrl+s handed %v, want one copy started\n%s", msgs, m.View())
	}
	x := copies[0].Cross
	if x.DestinationProfile != "dr" || x.DestinationAccount != ec2sim.DRAccountID || x.Step != model.CrossShare || x.ReencryptKey != "" || !x.KeepShare {
		t.Fatalf("the copy's steps: %+v", x)
	}
	if r := copies[0].Request; r.DestinationRegion != "us-east-1" || r.KmsKeyID != "alias/dr-backup" {
		t.Fatalf("the copy's request: %+v", r)
	}
}

// A snapshot under a customer managed key whose policy does not admit the
// other account: ctrl+s shows the policy before and after; n sends
// nothing; y adds the statements (PutKeyPolicy) and sends.
func TestFormAsksBeforeAddingTheKeyPolicyStatements(t *testing.T) {
	w := newAccountWorld(t)
	m := toDR(t, w.openOn(t, "db-prod-primary"))
	if v := m.View(); !strings.Contains(v, "the policy of alias/prod-ebs lacks 2 statement(s) for account "+ec2sim.DRAccountID) {
		t.Fatalf("the preview does not say the key policy lacks statements:\n%s", v)
	}
	m, msgs := actOn(m, "ctrl+s")
	v := m.View()
	for _, want := range []string{"Key policy of arn:aws:kms:us-west-2:" + ec2sim.AccountID, "Before", "After",
		`"Sid": "Allow use of the key by account ` + ec2sim.DRAccountID, "add them with PutKeyPolicy, then send? y/n"} {
		if !strings.Contains(v, want) {
			t.Errorf("the question lacks %q:\n%s", want, v)
		}
	}
	if len(sentCopies(msgs)) != 0 {
		t.Fatal("copies were sent before the answer")
	}
	src, _ := simtest.ByName(w.srv, "us-west-2", "db-prod-primary")
	arn, _, err := w.client.KeyIdentity(context.Background(), "us-west-2", src.KmsKeyID)
	if err != nil {
		t.Fatal(err)
	}
	m, msgs = actOn(m, "n")
	if len(sentCopies(msgs)) != 0 || !strings.Contains(statusOf(m).Text, "not sent") {
		t.Fatalf("n: %v, status %q", msgs, statusOf(m).Text)
	}
	missing := func() int {
		p, err := w.client.KeyPolicy(context.Background(), "us-west-2", arn)
		if err != nil {
			t.Fatal(err)
		}
		n, err := model.MissingKeyStatements(p, ec2sim.DRAccountID)
		if err != nil {
			t.Fatal(err)
		}
		return len(n)
	}
	if n := missing(); n != 2 {
		t.Fatalf("after n the policy lacks %d statements, want 2 (unchanged)", n)
	}
	m, _ = actOn(m, "ctrl+s")
	m, msgs = actOn(m, "y")
	if n := missing(); n != 0 {
		t.Fatalf("after y the policy still lacks %d statements", n)
	}
	copies := sentCopies(msgs)
	if len(copies) != 1 || copies[0].Cross.SourceKey != arn || copies[0].Cross.Step != model.CrossShare {
		t.Fatalf("after y: %v\n%s", msgs, m.View())
	}
}

// A snapshot under the AWS managed key cannot be shared: the form asks for
// a customer managed key of this account to re-encrypt it with first, and
// the copy starts with that step.
func TestFormReencryptsASourceUnderTheAWSManagedKey(t *testing.T) {
	w := newAccountWorld(t)
	m := toDR(t, w.openOn(t, "ml-training-data"))
	if v := m.View(); !strings.Contains(v, "encrypted with the AWS managed key (alias/aws/ebs), which cannot be shared") || !strings.Contains(v, "Re-encrypt with") {
		t.Fatalf("the form does not ask for a re-encrypting key:\n%s", v)
	}
	m, msgs := actOn(m, "ctrl+s")
	if len(sentCopies(msgs)) != 0 || !strings.Contains(statusOf(m).Text, "not sent") {
		t.Fatalf("sent without a re-encrypting key: %v", msgs)
	}
	m = focusField(t, m, fReencrypt)
	m = typeIn(m, "alias/prod-ebs")
	if v := m.View(); !strings.Contains(v, "1. copy snap-") || !strings.Contains(v, "under alias/prod-ebs") || !strings.Contains(v, "delete the re-encrypted copy") {
		t.Fatalf("the steps do not start with the re-encrypting copy:\n%s", v)
	}
	m, _ = actOn(m, "ctrl+s")
	if m.cross.asking == nil {
		t.Fatalf("no question about alias/prod-ebs's policy:\n%s", m.View())
	}
	_, msgs = actOn(m, "y")
	copies := sentCopies(msgs)
	if len(copies) != 1 {
		t.Fatalf("after y: %v", msgs)
	}
	if x := copies[0].Cross; x.Step != model.CrossReencrypt || x.IntermediateRequestID == "" || !strings.HasPrefix(x.ReencryptKey, "arn:aws:kms:us-west-2:"+ec2sim.AccountID+":key/") {
		t.Fatalf("the copy's steps: %+v", x)
	}
}

// A dry run cannot ask about a copy into another account: that account
// does not see the snapshot before it is shared. Nothing is sent.
func TestFormRefusesADryRunIntoAnotherAccount(t *testing.T) {
	w := newAccountWorld(t)
	m := toDR(t, w.openOn(t, "build-cache"))
	m = focusField(t, m, fDryRun)
	m, _ = actOn(m, "space")
	m, msgs := actOn(m, "ctrl+s")
	if len(msgs) != 0 || m.dryRunning || !strings.Contains(statusOf(m).Text, "no dry run of a copy into another account") {
		t.Fatalf("dry run into dr: %v, status %q", msgs, statusOf(m).Text)
	}
	if n := copySnapshotCount(w.srv); n != 0 {
		t.Fatalf("%d CopySnapshot sent", n)
	}
}

// A profile of the sources' own account is no other account: the form
// says so and sends nothing.
func TestFormRefusesAProfileOfTheSameAccount(t *testing.T) {
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, VisibilityLag: -1}})
	// Any static keys act as the first account in the simulator.
	same := `[profile same]
region = us-west-2
credential_process = echo '{"Version": 1, "AccessKeyId": "AKIDSAME", "SecretAccessKey": "same-secret"}'
`
	clients := screentest.Profiles(t, s.Client, same)
	clients.Add("demo", s.Client)
	w := accountWorld{srv: s.Server, client: s.Client, opts: Options{Now: clock, Tick: noTick, Accounts: clients, Profile: "demo"}}
	m := w.openOn(t, "build-cache")
	m = focusField(t, m, fAccount)
	m, _ = actOn(m, "right", "right")
	v := m.View()
	if !strings.Contains(v, "● same (123456789012)") || !strings.Contains(v, "profile same is this same account (123456789012): choose this account") {
		t.Fatalf("a profile of the same account is offered as another:\n%s", v)
	}
	m, msgs := actOn(m, "ctrl+s")
	if len(sentCopies(msgs)) != 0 || !strings.Contains(statusOf(m).Text, "not sent") {
		t.Fatalf("sent into the same account: %v, status %q", msgs, statusOf(m).Text)
	}
}

// Edited, a failed copy into another account opens the form on the same
// account, share kept as it was, and is sent there again.
func TestFormEditsAFailedCopyIntoAnotherAccount(t *testing.T) {
	w := newAccountWorld(t)
	src, _ := simtest.ByName(w.srv, "us-west-2", "build-cache")
	req := model.CopyRequest{SourceRegion: "us-west-2", SourceSnapshotID: src.ID, DestinationRegion: "us-east-1"}
	failed := model.NewCopy(req, src, now)
	failed.StartCrossAccount(model.CrossAccount{DestinationProfile: "dr", DestinationAccount: ec2sim.DRAccountID, KeepShare: true})
	failed.Fail("Given key ID is not accessible", now)
	opts := w.opts
	opts.Prefill, opts.Retrying = &req, failed
	m := New(w.client, []model.Snapshot{src}, opts)
	m.SetSize(160, 60)
	m, _ = screentest.Settle(m, m.Init(), passNav)
	if v := m.View(); !strings.Contains(v, "● dr ("+ec2sim.DRAccountID+")") || !strings.Contains(v, "[x] keep the share") {
		t.Fatalf("the edited copy's account is not chosen:\n%s", v)
	}
	_, msgs := actOn(m, "ctrl+s")
	copies := sentCopies(msgs)
	if len(copies) != 1 || copies[0].Cross.DestinationProfile != "dr" || !copies[0].Cross.KeepShare || copies[0].RetryOf != failed.RequestID {
		t.Fatalf("sent %v", msgs)
	}
}

// ctrl+e has no single AWS CLI command for a copy into another account:
// it says so, and which snapcopy command makes it.
func TestFormCLIOfACopyIntoAnotherAccount(t *testing.T) {
	w := newAccountWorld(t)
	m := toDR(t, w.openOn(t, "build-cache"))
	m, _ = actOn(m, "ctrl+e")
	if v := m.View(); !strings.Contains(v, "No single command") || !strings.Contains(v, "snapcopy copy --to-profile dr") || strings.Contains(v, "aws ec2 copy-snapshot") {
		t.Fatalf("ctrl+e into dr:\n%s", v)
	}
}

// A copy of the source already made in this account does not duplicate one
// into the other account, nor the other way round.
func TestFormDuplicatesAreOfTheAccountCopiedInto(t *testing.T) {
	w := newAccountWorld(t)
	src, _ := simtest.ByName(w.srv, "us-west-2", "build-cache")
	own := model.NewCopy(model.CopyRequest{SourceRegion: "us-west-2", SourceSnapshotID: src.ID, DestinationRegion: "us-east-1"}, src, now)
	w.opts.Tracked = []model.Copy{*own}
	m := w.openOn(t, "build-cache")
	m = focusField(t, m, fDest)
	m, _ = actOn(m, "ctrl+u")
	m = typeIn(m, "us-east-1")
	if n := len(m.duplicates()); n != 1 {
		t.Fatalf("into this account: %d duplicates, want the copy in flight", n)
	}
	m = focusField(t, m, fAccount)
	m, _ = actOn(m, "right")
	if d := m.duplicates(); len(d) != 0 {
		t.Fatalf("into dr, this account's copy is taken for a duplicate: %+v", d)
	}
}
