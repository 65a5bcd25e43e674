package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/screentest"
)

var expired = track.StepResult{Paused: true, Status: "paused: CopySnapshot in us-east-1: RequestExpired", Trouble: &model.APIError{
	Op: "CopySnapshot", Region: "us-east-1", Code: "RequestExpired", Message: "Request has expired.", Kind: model.ErrCredentials}}

// r while paused resumes the tracker, but from the Cmd it returns: the
// key's Update calls nothing of the tracker.
// r while paused resumes the tracker, from the follow loop: the key's
// Update calls nothing of the tracker.
func TestResumeRunsInTheFollowLoop(t *testing.T) {
	f := screentest.NewTracker(expired)
	m := drivenPane(t, f, Options{Now: func() time.Time { return t0 }, Terminal: &bytes.Buffer{}, Tick: (&ticks{}).tick})
	m = refresh(m)
	if !m.paused {
		t.Fatal("the pane is not paused")
	}
	if w := loopOf(m).Waits(); len(w) != 1 || w[0] >= 0 {
		t.Fatalf("paused, the loop waits %v, want until asked", w)
	}
	f.SetNext(track.StepResult{})
	before := len(f.Calls())
	m, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("r")})
	if got := f.Calls()[before:]; len(got) != 0 {
		t.Fatalf("Update called the tracker: %v", got)
	}
	m, _ = settle(m, cmd)
	if got := f.Calls()[before:]; len(got) < 2 || got[0] != "Resume" || got[1] != "Step" {
		t.Errorf("the loop called %v, want Resume then Step", got)
	}
	if m.paused {
		t.Error("still paused after the step that resumed")
	}
}

// The pane names keys as its bindings do: rebind "poll now" and the
// paused line, the help bar and the empty pane follow.
func TestKeyNamesComeFromTheBindings(t *testing.T) {
	saved := keys
	t.Cleanup(func() { keys = saved })
	keys.Poll = key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "poll now / resume"))
	keys.Back = key.NewBinding(key.WithKeys("backspace"), key.WithHelp("⌫", "back"))

	m := drivenPane(t, screentest.NewTracker(expired), Options{Now: func() time.Time { return t0 }, Terminal: &bytes.Buffer{}, Tick: (&ticks{}).tick})
	m.SetSize(200, 10)
	empty := m.View()
	if !strings.Contains(empty, "in the list (⌫)") {
		t.Errorf("the empty pane does not name the rebound back key:\n%s", empty)
	}
	m = refresh(m)
	v := m.View()
	for _, want := range []string{"paused: credentials expired or invalid: renew them (for example `aws sso login --profile NAME`), then press P — CopySnapshot in us-east-1: RequestExpired", "P poll now", "⌫ back"} {
		if !strings.Contains(v, want) {
			t.Errorf("the pane does not say %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "press r") {
		t.Errorf("the pane still names r:\n%s", v)
	}
}
