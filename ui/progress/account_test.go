package progress

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/screentest"
)

// crossPane shows a copy into account 111122223333 at step, and a copy
// within the account beside it.
func crossPane(t *testing.T, step model.CrossStep, phase model.Phase) Model {
	t.Helper()
	cross := model.Copy{
		RequestID: "sc-cross", SourceName: "db-prod-primary", SizeGiB: 500,
		Request: model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0aaaaaaaaaaaaaaa1"},
		Phase:   phase, CreatedAt: t0.Add(-time.Minute), UpdatedAt: t0,
		Cross: model.CrossAccount{DestinationProfile: "dr", DestinationAccount: "111122223333", Step: step, ShareAdded: step != model.CrossShare},
	}
	if phase == model.PhaseRunning {
		cross.SnapshotID, cross.Progress, cross.SentAt, cross.StartTime = "snap-0ccccccccccccccc1", 40, t0.Add(-time.Minute), t0.Add(-time.Minute)
	}
	own := model.Copy{
		RequestID: "sc-own", SourceName: "build-cache", SizeGiB: 200, SnapshotID: "snap-0ddddddddddddddd1",
		Request: model.CopyRequest{DestinationRegion: "eu-west-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0bbbbbbbbbbbbbbb1"},
		Phase:   model.PhaseRunning, Progress: 10, CreatedAt: t0.Add(-time.Minute), SentAt: t0.Add(-time.Minute), StartTime: t0.Add(-time.Minute), UpdatedAt: t0,
	}
	tr := screentest.NewTracker(track.StepResult{}, cross, own)
	m := drivenPane(t, tr, Options{Now: func() time.Time { return t0 }, Terminal: &bytes.Buffer{}, Tick: (&ticks{}).tick})
	m.SetSize(160, 8)
	return refresh(m)
}

func rowOf(view, holding string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, holding) {
			return l
		}
	}
	return ""
}

// A copy into another account is one row: its destination names the
// account, its state the step it is on before its copy runs there; then
// the copy's own state; a copy within the account is as always.
func TestPaneRowOfACopyIntoAnotherAccount(t *testing.T) {
	v := crossPane(t, model.CrossShare, model.PhaseQueued).View()
	row := rowOf(v, "db-prod-primary")
	if !strings.Contains(row, "us-east-1 @111122223333") || !strings.Contains(row, "▸ sharing") {
		t.Fatalf("row of the copy into dr while sharing: %q\n%s", row, v)
	}
	if n := strings.Count(v, "db-prod-primary"); n != 1 {
		t.Fatalf("the copy takes %d rows, want 1:\n%s", n, v)
	}
	if own := rowOf(v, "build-cache"); strings.Contains(own, "@") || strings.Contains(own, "▸") {
		t.Fatalf("the copy within the account shows an account or a step: %q", own)
	}
	v = crossPane(t, model.CrossCopy, model.PhaseRunning).View()
	if row := rowOf(v, "db-prod-primary"); !strings.Contains(row, "us-east-1 @111122223333") || !strings.Contains(row, "running") || !strings.Contains(row, "40%") {
		t.Fatalf("row of the copy into dr while it runs there: %q\n%s", row, v)
	}
}

// Its details name the account and profile, the steps with the current
// one marked, and the share.
func TestPaneDetailsOfACopyIntoAnotherAccount(t *testing.T) {
	m := crossPane(t, model.CrossKeyPolicy, model.PhaseQueued)
	m.SetSize(120, 40)
	m, _ = press(m, "enter")
	checkView(t, m, "111122223333 (profile dr)", "sharing · ▸ key policy · copying", "added by snapcopy, removed once the copy ends")
}

// K on a copy waiting for its key policy shows the policy before and after
// adding the statements the other account lacks; y puts it (the
// simulator's key then admits the account) and a step follows at once.
func TestPaneAddsTheKeyPolicyStatementsOfAWaitingCopy(t *testing.T) {
	sim := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, VisibilityLag: -1}})
	src, ok := simtest.ByName(sim.Server, "us-west-2", "db-prod-primary")
	if !ok {
		t.Fatal("no db-prod-primary in the seeded world")
	}
	ctx := context.Background()
	arn, _, err := sim.Client.KeyIdentity(ctx, "us-west-2", src.KmsKeyID)
	if err != nil {
		t.Fatal(err)
	}
	waiting := model.Copy{
		RequestID: "sc-wait", SourceName: "db-prod-primary", SizeGiB: 500,
		Request: model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID, Encrypted: true},
		Phase:   model.PhaseQueued, CreatedAt: t0.Add(-time.Minute), UpdatedAt: t0,
		Cross: model.CrossAccount{DestinationProfile: "dr", DestinationAccount: ec2sim.DRAccountID, SourceKey: arn,
			Step: model.CrossKeyPolicy, ShareAdded: true, PolicyLacking: true},
	}
	tr := screentest.NewTracker(track.StepResult{}, waiting)
	m := drivenPane(t, tr, Options{Now: func() time.Time { return t0 }, Terminal: &bytes.Buffer{}, Tick: (&ticks{}).tick, KeyPolicies: sim.Client})
	m.SetSize(160, 50)
	m = refresh(m)
	if bar := m.View(); !strings.Contains(bar, "K key policy") {
		t.Fatalf("the help bar does not offer K on the waiting copy:\n%s", bar)
	}
	m, _ = press(m, "K")
	v := m.View()
	for _, want := range []string{"Key policy of " + arn, "Before", "After", "Allow grants for AWS resources by account " + ec2sim.DRAccountID, "add them with PutKeyPolicy? y/n"} {
		if !strings.Contains(v, want) {
			t.Errorf("the question lacks %q:\n%s", want, v)
		}
	}
	if !m.Capturing() {
		t.Error("while asked, y and n are the app's keys")
	}
	steps := len(tr.Calls())
	m, _ = press(m, "y")
	doc, err := sim.Client.KeyPolicy(ctx, "us-west-2", arn)
	if err != nil {
		t.Fatal(err)
	}
	if missing, err := model.MissingKeyStatements(doc, ec2sim.DRAccountID); err != nil || len(missing) != 0 {
		t.Fatalf("after y the policy lacks %d statements (%v)", len(missing), err)
	}
	if !strings.Contains(m.View(), "now lets the account use the key") || len(tr.Calls()) == steps {
		t.Fatalf("after y: calls %v\n%s", tr.Calls()[steps:], m.View())
	}
}
