package form

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
)

// A look-up AWS refused is told on the status line the way every screen
// tells an AWS error (model.Explain): what failed, AWS's code, what to do
// with the form's own key to ask again, and AWS's message.
func TestLoadErrorIsExplained(t *testing.T) {
	expired := &model.APIError{Op: "DescribeRegions", Region: "us-west-2", Code: "RequestExpired",
		Message: "Request has expired.", Kind: model.ErrCredentials}
	m := New(fakeAWS{err: expired}, []model.Snapshot{plainSrc}, Options{Now: clock, Tick: noTick})
	m.SetSize(100, 40)
	for _, msg := range msgsOf(m.Init()) {
		m, _ = m.Update(msg)
	}
	got := statusOf(m)
	want := "could not load the KMS aliases of us-west-2: " + model.Explain(expired, model.RetryBy("press r on a choice field"))
	if got.Level != status.Error || got.Text != want {
		t.Errorf("status line = %v %q\nwant error %q", got.Level, got.Text, want)
	}
	for _, say := range []string{"RequestExpired", "aws sso login", "then press r on a choice field", "AWS says: Request has expired."} {
		if !strings.Contains(flat(m), say) {
			t.Errorf("the screen does not say %q:\n%s", say, m.View())
		}
	}
	// A look-up that fails is a standing condition: a key does not clear it.
	m, _ = press(m, "tab", "shift+tab")
	if !strings.Contains(flat(m), "could not load the KMS aliases") {
		t.Errorf("a key cleared the failed look-up:\n%s", m.View())
	}
}

// A dry run that AWS could not answer says why, worded by model.Explain,
// with the form's key to send it again.
func TestDryRunErrorIsExplained(t *testing.T) {
	denied := &model.APIError{Op: "CopySnapshot", Region: "us-west-2", Code: "UnauthorizedOperation",
		Message: "You are not authorized to perform this operation.", Kind: model.ErrPermission}
	got := dryRunStatus([]dryRunAnswer{{source: plainSrc.ID, err: denied}})
	want := "dry run failed: " + model.Explain(denied, model.RetryBy("press ctrl+s"))
	if got.Level != status.Error || got.Text != want {
		t.Errorf("dry run status = %v %q\nwant error %q", got.Level, got.Text, want)
	}
}

// While a dry run waits for AWS the status line holds it; what a key says
// meanwhile is shown over it and goes; the answer replaces it.
func TestDryRunUnderWayIsHeld(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m = focusField(t, m, fDryRun)
	m, cmd := press(m, "space", "ctrl+s")
	if !strings.Contains(flat(m), "dry run: asking AWS whether 1 copy would be allowed") {
		t.Fatalf("the dry run is not said to be under way:\n%s", m.View())
	}
	var answer tea.Msg
	for _, msg := range msgsOf(cmd) {
		if a, ok := msg.(dryRunMsg); ok {
			answer = a
		}
	}
	if answer == nil {
		t.Fatal("submit did not ask AWS for a dry run")
	}
	m, _ = press(m, "ctrl+s")
	if !strings.Contains(flat(m), "a dry run is under way; wait for its answer") {
		t.Errorf("a second submit is not told to wait:\n%s", m.View())
	}
	m, _ = press(m, "tab")
	if !strings.Contains(flat(m), "dry run: asking AWS") {
		t.Errorf("after a key the held dry run is not seen again:\n%s", m.View())
	}
	m, _ = m.Update(answer)
	if got := statusOf(m); got.Level != status.Info || !strings.HasPrefix(got.Text, "dry run: permission granted") {
		t.Errorf("status after the answer: %+v", got)
	}
	if strings.Contains(flat(m), "asking AWS") {
		t.Errorf("the answer did not end the held dry run:\n%s", m.View())
	}
}

// An outcome the form says goes after status.InfoFor, through the
// messages the program passes it.
func TestInfoGoesAfterItsTime(t *testing.T) {
	var waits []time.Duration
	var expire func(time.Time) tea.Msg
	tick := func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		waits, expire = append(waits, d), fn
		return func() tea.Msg { return nil }
	}
	m := New(fakeAWS{}, []model.Snapshot{plainSrc}, Options{Now: clock, Tick: tick})
	m.SetSize(100, 40)
	m = loadFacts(m)
	m = focusField(t, m, fTags)
	m, cmd := press(m, "ctrl+t")
	if cmd == nil || len(waits) != 1 || waits[0] != status.InfoFor {
		t.Fatalf("copying tags scheduled %v, want one wait of %v", waits, status.InfoFor)
	}
	if !strings.Contains(flat(m), "added 2 tags from the source") {
		t.Fatalf("the status line does not say what ctrl+t did:\n%s", m.View())
	}
	m, _ = m.Update(expire(time.Time{}))
	if strings.Contains(flat(m), "added 2 tags") {
		t.Errorf("the outcome outlived its time:\n%s", m.View())
	}
}
