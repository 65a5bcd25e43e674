package form

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
)

// rememberingForm is a form for sources that keeps its last requests in
// path, with the last request read in (as Init's command does).
func rememberingForm(t *testing.T, path string, sources ...model.Snapshot) Model {
	t.Helper()
	m := New(fakeAWS{}, sources, Options{Now: clock, Outposts: []string{outpostArn}, LastRequestsPath: path, Tick: noTick})
	m.SetSize(100, 40)
	m = loadFacts(m)
	for _, msg := range msgsOf(m.Init()) {
		m, _ = m.Update(msg)
	}
	return m
}

// run runs a command's messages through the form, as the program would,
// and returns the ones that are not the form's.
func run(m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	var other []tea.Msg
	for _, msg := range msgsOf(cmd) {
		switch msg.(type) {
		case lastSavedMsg, lastRequestMsg:
			m, _ = m.Update(msg)
		default:
			other = append(other, msg)
		}
	}
	return m, other
}

// Copy again: a sent request is remembered for its source Region (by a
// command, not by Update), a new form offers it (ctrl+r in the footer, its
// destination first) and ctrl+r fills it in.
func TestCopyAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "last-requests.json")
	m := rememberingForm(t, path, plainSrc)
	if strings.Contains(flat(m), "ctrl+r") {
		t.Errorf("with nothing remembered the form offers ctrl+r:\n%s", m.View())
	}
	m, _ = press(m, "ctrl+r")
	if !strings.Contains(statusOf(m).Text, "no request from us-west-2 remembered yet") {
		t.Errorf("ctrl+r with nothing remembered says %q", statusOf(m).Text)
	}
	m = focusField(t, m, fDest)
	m = typeText(clearField(m), "us-east-1")
	m = focusField(t, m, fEncrypt)
	m, _ = press(m, "space", "tab")
	m = typeText(m, "alias/backup")
	m, _ = press(m, "tab", "right", "tab") // source tags: none
	m = typeText(m, "team")
	m, _ = press(m, "tab")
	m = typeText(m, "dr")
	m = focusField(t, m, fDuration)
	m = typeText(m, "60")
	sent := m.formValue()
	m, cmd := press(m, "ctrl+s")
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("Update wrote the file itself (stat: %v)", err)
	}
	m, other := run(m, cmd)
	if len(other) == 0 {
		t.Fatal("submit started nothing")
	}
	want := model.LastRequest{Kind: model.ToRegion, Destination: "us-east-1", Encrypt: true, KmsKey: "alias/backup",
		SourceTags: model.SourceTagsNone, Tags: []model.Tag{{Key: "team", Value: "dr"}}, Duration: "60", SentAt: now}
	got, ok, err := model.LoadLastRequest(path, "us-west-2")
	if err != nil || !ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("remembered %+v, %v, %v; want %+v", got, ok, err, want)
	}
	if strings.Contains(statusOf(m).Text, "not remembered") {
		t.Errorf("status %q", statusOf(m).Text)
	}

	// A new form for another snapshot of the Region.
	n := rememberingForm(t, path, encSrc)
	v := flat(n)
	for _, w := range []string{"ctrl+r fills in the last request from us-west-2: to Region us-east-1", "ctrl+r last request"} {
		if !strings.Contains(v, w) {
			t.Errorf("the new form does not say %q:\n%s", w, n.View())
		}
	}
	if opts := n.destOptions(model.ToRegion); len(opts) == 0 || opts[0].value != "us-east-1" {
		t.Errorf("the Regions offered begin with %v, want the last used us-east-1 first", opts)
	}
	n = focusField(t, n, fDesc)
	desc := n.desc.Value()
	n, _ = press(n, "ctrl+r")
	f := n.formValue()
	if f.Kind != sent.Kind || f.Destination != sent.Destination || f.Encrypt != sent.Encrypt || f.KmsKey != sent.KmsKey ||
		f.SourceTags != model.SourceTagsNone || !reflect.DeepEqual(f.Tags, sent.Tags) || f.Duration != sent.Duration {
		t.Errorf("ctrl+r filled in %+v, want the request sent %+v", f, sent)
	}
	if f.Description != desc {
		t.Errorf("ctrl+r changed the description to %q", f.Description)
	}
	v = flat(n)
	for _, w := range []string{"filled in the last request from us-west-2 (to Region us-east-1", "us-east-1 ←/→ 1 of 5 Regions"} {
		if !strings.Contains(v, w) {
			t.Errorf("after ctrl+r the screen does not say %q:\n%s", w, n.View())
		}
	}
	if !n.result.OK() || n.result.Requests[0].KmsKeyID != "alias/backup" || n.result.Requests[0].CompletionDurationMinutes != 60 {
		t.Errorf("the filled-in form builds %+v (problems %v)", n.result.Requests, n.result.Problems)
	}

	// Another source Region has nothing remembered.
	east := plainSrc
	east.Region = "us-east-1"
	e := rememberingForm(t, path, east)
	if e.last != nil || strings.Contains(flat(e), "ctrl+r") {
		t.Errorf("a form for us-east-1 offers us-west-2's request")
	}
}

// A dry run is not remembered.
func TestDryRunNotRemembered(t *testing.T) {
	path := filepath.Join(t.TempDir(), "last-requests.json")
	m := rememberingForm(t, path, plainSrc)
	m = focusField(t, m, fDryRun)
	m, cmd := press(m, "space", "ctrl+s")
	run(m, cmd)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a dry run was remembered (stat: %v)", err)
	}
}

// A file that is not ours is said in the status line, not used, and not
// overwritten when copies are sent.
func TestLastRequestsFileNotOurs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "last-requests.json")
	const foreign = `{"theirs": true}`
	if err := os.WriteFile(path, []byte(foreign), 0o600); err != nil {
		t.Fatal(err)
	}
	m := rememberingForm(t, path, plainSrc)
	if v := flat(m); !strings.Contains(v, "are not used") || !strings.Contains(v, "left as it is") {
		t.Errorf("the form does not say the file is not used:\n%s", m.View())
	}
	m, cmd := press(m, "ctrl+s")
	m, other := run(m, cmd)
	if len(other) == 0 {
		t.Fatal("the copies were not started")
	}
	if data, _ := os.ReadFile(path); string(data) != foreign {
		t.Errorf("the file was overwritten:\n%s", data)
	}
	if !strings.Contains(statusOf(m).Text, "copies started; the request was not remembered") {
		t.Errorf("status %q does not say the request was not remembered", statusOf(m).Text)
	}
}

// A remembered destination these snapshots cannot go to is refused by
// ctrl+r, naming it, and the form is left as it was.
func TestRecallDestinationNotAllowed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "last-requests.json")
	if err := model.SaveLastRequest(path, "us-west-2", model.LastRequest{Kind: model.ToOutpost, Destination: outpostArn}); err != nil {
		t.Fatal(err)
	}
	m := rememberingForm(t, path, lzSrc) // a Local Zone snapshot cannot go to an Outpost
	before := m.formValue()
	m, _ = press(m, "ctrl+r")
	if !strings.Contains(statusOf(m).Text, "went to Outpost "+outpostArn+", where these snapshots cannot be copied") {
		t.Errorf("status %q", statusOf(m).Text)
	}
	if !formEqual(before, m.formValue()) {
		t.Errorf("a refused ctrl+r changed the form")
	}
}
