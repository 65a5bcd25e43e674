package form

import (
	"bytes"
	"context"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/screentest"
	"github.com/snapcopy/snapcopy/ui/status"
)

// simSource is the snapshot the simulator tests copy.
var simSource = model.Snapshot{
	ID: "snap-0123456789abcdef0", VolumeID: "vol-0123456789abcdef0", VolumeSizeGiB: 100,
	State: model.StateCompleted, Progress: 100, StartTime: now.Add(-time.Hour),
	Description: "nightly", OwnerID: ec2sim.AccountID, StorageTier: model.TierStandard,
	Tags: []model.Tag{{Key: "Name", Value: "db"}},
}

// simWorld starts a simulator holding simSource in us-west-2 and a real
// awsops client pointed at it, and returns the source as the app lists it.
func simWorld(t *testing.T) (*ec2sim.Server, *awsops.Client, model.Snapshot) {
	t.Helper()
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 7, NoSeedWorld: true, Clock: ec2sim.NewManualClock(now), VisibilityLag: -1}})
	srv, client := s.Server, s.Client
	simtest.Add(srv, "us-west-2", simSource)
	ctx := context.Background()
	snaps, err := client.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range snaps {
		if s.ID == simSource.ID {
			return srv, client, s
		}
	}
	t.Fatalf("the simulator does not list %s", simSource.ID)
	return nil, nil, model.Snapshot{}
}

// copySnapshotCount is every CopySnapshot the simulator received, any Region.
func copySnapshotCount(srv *ec2sim.Server) int {
	n := 0
	for k, v := range srv.Counts() {
		if strings.HasPrefix(k, "CopySnapshot ") {
			n += v
		}
	}
	return n
}

// host stands in for the app around the form: it sizes it, forwards every
// message, and takes the copies the form hands to the tracker.
type host struct {
	form   Model
	copies []*model.Copy
}

func (h host) Init() tea.Cmd { return h.form.Init() }

func (h host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.form.SetSize(msg.Width, msg.Height)
		return h, nil
	case nav.StartCopies:
		h.copies = msg.Copies
		return h, tea.Quit
	}
	var cmd tea.Cmd
	h.form, cmd = h.form.Update(msg)
	return h, cmd
}

func (h host) View() string { return h.form.View() }

// The form driven by keystrokes only, in a running program against the
// simulator: the request the simulator receives is exactly what was typed,
// and the refused submit before it sends nothing.
func TestKeystrokesSendTheExactRequest(t *testing.T) {
	srv, client, src := simWorld(t)
	tm := teatest.NewTestModel(t, host{form: New(client, []model.Snapshot{src}, Options{Now: clock})}, teatest.WithInitialTermSize(100, 40))
	waitFor := func(text string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
			teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	}
	send := func(names ...string) {
		for _, n := range names {
			tm.Send(keyNamed(n))
		}
	}

	waitFor("6 of 6 Regions") // the Regions are loaded; us-west-2 is offered first
	send("tab", "ctrl+u")
	tm.Type("us-east-1")
	waitFor("5 of 6 Regions")
	send("tab", "tab", "space", "tab")
	tm.Type("alias/backup")
	send("tab", "tab") // through the source tags: each copy's own
	tm.Type("Name")
	send("tab")
	tm.Type("db-dr")
	send("tab")
	tm.Type("50")
	send("ctrl+s")
	waitFor("not sent: fix the completion duration")
	send("backspace", "backspace")
	tm.Type("60")
	send("ctrl+s")

	h := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(host)
	if len(h.copies) != 1 {
		t.Fatalf("the form handed %d copies to the tracker, want 1", len(h.copies))
	}
	if n := copySnapshotCount(srv); n != 0 {
		t.Fatalf("the simulator received %d CopySnapshot before the tracker sent the copy", n)
	}

	// The tracker's part: start the copy.
	c := h.copies[0]
	if err := (track.Starter{AWS: client, Now: clock}).Start(context.Background(), c); err != nil {
		t.Fatalf("start copy: %v", err)
	}
	if c.Phase != model.PhaseStarting || c.SnapshotID == "" {
		t.Errorf("copy phase %s, id %q after start", c.Phase, c.SnapshotID)
	}
	reqs := srv.Requests("CopySnapshot")
	if len(reqs) != 1 {
		t.Fatalf("the simulator received %d CopySnapshot, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Region != "us-east-1" {
		t.Errorf("CopySnapshot went to %s, want the destination us-east-1", r.Region)
	}
	want := url.Values{
		"Action":                          {"CopySnapshot"},
		"Version":                         {"2016-11-15"},
		"SourceRegion":                    {"us-west-2"},
		"SourceSnapshotId":                {src.ID},
		"Description":                     {"Copy of snap-0123456789abcdef0: nightly"},
		"Encrypted":                       {"true"},
		"KmsKeyId":                        {"alias/backup"},
		"CompletionDurationMinutes":       {"60"},
		"TagSpecification.1.ResourceType": {"snapshot"},
		"TagSpecification.1.Tag.1.Key":    {"Name"},
		"TagSpecification.1.Tag.1.Value":  {"db-dr"},
		"TagSpecification.1.Tag.2.Key":    {"snapcopy:source-snapshot"},
		"TagSpecification.1.Tag.2.Value":  {src.ID},
		"TagSpecification.1.Tag.3.Key":    {"snapcopy:source-volume"},
		"TagSpecification.1.Tag.3.Value":  {src.VolumeID},
		"TagSpecification.1.Tag.4.Key":    {"snapcopy:source-region"},
		"TagSpecification.1.Tag.4.Value":  {"us-west-2"},
		"TagSpecification.1.Tag.5.Key":    {model.RequestTagKey},
		"TagSpecification.1.Tag.5.Value":  {c.RequestID},
	}
	got := r.Params
	// The SDK presigns the request for the source Region and names the
	// destination inside the presigned URL.
	if p := got.Get("PresignedUrl"); !strings.Contains(p, "DestinationRegion=us-east-1") || !strings.Contains(p, "%2Fus-west-2%2Fec2%2F") {
		t.Errorf("PresignedUrl %q is not the SDK's presigned request from us-west-2 to us-east-1", p)
	}
	got.Del("PresignedUrl")
	var diffs []string
	for k := range union(want, got) {
		if strings.Join(want[k], ",") != strings.Join(got[k], ",") {
			diffs = append(diffs, k+": got "+strings.Join(got[k], ",")+", want "+strings.Join(want[k], ","))
		}
	}
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Error(d)
	}
}

func union(a, b url.Values) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// settle runs a command and every command that follows from it, feeding
// each message to the form, as the program would, but in order; the
// requests for the app are returned.
func settle(m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	return screentest.Settle(m, cmd, screentest.Options{Pass: screentest.ForApp})
}

// act sends keys and settles what they start.
func act(m Model, names ...string) (Model, []tea.Msg) {
	return screentest.Act(m, screentest.Options{Pass: screentest.ForApp}, names...)
}

func actType(m Model, s string) Model {
	for _, r := range s {
		var cmd tea.Cmd
		m, cmd = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		m, _ = settle(m, cmd)
	}
	return m
}

// A dry run asks the simulator and says its plain answer in the form.
func TestDryRunAgainstTheSimulator(t *testing.T) {
	srv, client, src := simWorld(t)
	m := New(client, []model.Snapshot{src}, Options{Now: clock, Tick: noTick})
	m.SetSize(100, 40)
	m, _ = settle(m, m.Init())
	m = focusField(t, m, fDryRun)
	m, other := act(m, "space", "ctrl+s")
	if len(other) != 0 {
		t.Fatalf("a dry run moved on: %v", other)
	}
	if statusOf(m).Level != status.Info || !strings.HasPrefix(statusOf(m).Text, "dry run: permission granted") {
		t.Errorf("status after the dry run: %+v", statusOf(m))
	}
	reqs := srv.Requests("CopySnapshot")
	if len(reqs) != 1 || reqs[0].Params.Get("DryRun") != "true" || reqs[0].Region != "us-west-2" {
		t.Fatalf("the simulator received %+v, want one dry-run CopySnapshot in us-west-2", reqs)
	}
	if n := srv.SnapshotCount("us-west-2"); n != 1 {
		t.Errorf("a dry run made a copy: us-west-2 holds %d snapshots", n)
	}

	srv.SetFaults(ec2sim.Faults{DenyPermission: true, Actions: []string{"CopySnapshot"}})
	m, _ = act(m, "ctrl+s")
	if statusOf(m).Level != status.Error || !strings.HasPrefix(statusOf(m).Text, "dry run: permission missing") {
		t.Errorf("status after a denied dry run: %+v", statusOf(m))
	}
	if !strings.Contains(m.View(), "✗ dry run: permission missing") {
		t.Errorf("the form does not show the answer:\n%s", m.View())
	}
}

// No form that validate refuses reaches the simulator, as a copy or as a
// dry run; and the form asks nothing of a Region that is not enabled.
func TestRefusedFormsSendNothing(t *testing.T) {
	srv, client, src := simWorld(t)
	type step func(m Model) Model
	typeIn := func(f field, text string) step {
		return func(m Model) Model {
			m = focusField(t, m, f)
			m, _ = act(m, "end", "ctrl+u")
			return actType(m, text)
		}
	}
	cases := map[string][]step{
		"Region not enabled":  {typeIn(fDest, "af-south-1")},
		"unknown Region":      {typeIn(fDest, "mars-north-1")},
		"bad duration":        {typeIn(fDuration, "50")},
		"key without encrypt": {typeIn(fKms, "alias/backup")},
		"key in another Region": {func(m Model) Model {
			m = focusField(t, m, fEncrypt)
			m, _ = act(m, "space")
			return typeIn(fKms, "arn:aws:kms:us-east-1:123456789012:alias/backup")(m)
		}},
		"aws: tag":                  {typeIn(fTags, "aws:x")},
		"description too long":      {typeIn(fDesc, strings.Repeat("d", 256))},
		"Outpost of another Region": {func(m Model) Model { m, _ = act(m, "right"); return m }, typeIn(fDest, "arn:aws:outposts:us-east-1:123456789012:outpost/op-0abc1234def567890")},
		"duration to a Local Zone":  {func(m Model) Model { m, _ = act(m, "left"); return m }, typeIn(fDuration, "60")},
	}
	for name, steps := range cases {
		for _, dry := range []bool{false, true} {
			m := New(client, []model.Snapshot{src}, Options{Now: clock, Outposts: []string{ec2sim.OutpostArn}, Tick: noTick})
			m.SetSize(100, 40)
			m, _ = settle(m, m.Init())
			if dry {
				m = focusField(t, m, fDryRun)
				m, _ = act(m, "space")
			}
			m = focusField(t, m, fKind)
			for _, s := range steps {
				m = s(m)
			}
			m, other := act(m, "ctrl+s")
			if len(other) != 0 || statusOf(m).Level != status.Error || !strings.HasPrefix(statusOf(m).Text, "not sent: fix the ") {
				t.Errorf("%s (dry run %v): submit gave %v, status %+v", name, dry, other, statusOf(m))
			}
		}
	}
	if n := copySnapshotCount(srv); n != 0 {
		t.Errorf("refused forms sent %d CopySnapshot", n)
	}
	for k, v := range srv.Counts() {
		if strings.Contains(k, "af-south-1") || strings.Contains(k, "mars-north-1") {
			t.Errorf("the form asked %d × %s", v, k)
		}
	}
}

// The facts come from the simulator: a Region that encrypts by default
// forces encryption on, with its default key.
func TestFactsFromTheSimulator(t *testing.T) {
	_, client, src := simWorld(t)
	m := New(client, []model.Snapshot{src}, Options{Now: clock, Tick: noTick})
	m.SetSize(100, 40)
	m, _ = settle(m, m.Init())
	m = focusField(t, m, fDest)
	m, _ = act(m, "ctrl+u")
	m = actType(m, "eu-central-1")
	v := strings.Join(strings.Fields(m.View()), " ")
	for _, want := range []string{
		"forced on: eu-central-1 encrypts new EBS snapshots by default",
		"encrypted with the default EBS key alias/aws/ebs (eu-central-1 encrypts by default)",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("the screen does not say %q:\n%s", want, m.View())
		}
	}
	m = focusField(t, m, fKms)
	m = actType(m, "prod")
	if !strings.Contains(m.View(), "› alias/prod-ebs") {
		t.Errorf("the KMS key completion does not offer eu-central-1's alias/prod-ebs:\n%s", m.View())
	}
}
