package progress

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
)

// fakeTracker answers from memory and records every call, so a test can
// tell whether Update itself called the tracker (which may wait on its lock
// while a Step saves the state file) or left the call to a tea.Cmd.
type fakeTracker struct {
	mu     sync.Mutex
	copies []model.Copy
	next   track.StepResult
	calls  []string
}

func (f *fakeTracker) called(name string) {
	f.mu.Lock()
	f.calls = append(f.calls, name)
	f.mu.Unlock()
}

func (f *fakeTracker) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeTracker) Copies() []model.Copy {
	f.called("Copies")
	return append([]model.Copy(nil), f.copies...)
}

func (f *fakeTracker) Step(context.Context) track.StepResult {
	f.called("Step")
	return f.next
}

func (f *fakeTracker) Add(copies ...*model.Copy) error {
	f.called("Add")
	for _, c := range copies {
		f.copies = append(f.copies, *c)
	}
	return nil
}

func (f *fakeTracker) Remove(string) error { f.called("Remove"); return nil }
func (f *fakeTracker) Resume()             { f.called("Resume") }

var expired = track.StepResult{Paused: true, Status: "paused: CopySnapshot in us-east-1: RequestExpired", Trouble: &model.APIError{
	Op: "CopySnapshot", Region: "us-east-1", Code: "RequestExpired", Message: "Request has expired.", Kind: model.ErrCredentials}}

// r while paused resumes the tracker, but from the Cmd it returns: the
// key's Update calls nothing of the tracker.
func TestResumeRunsInACmd(t *testing.T) {
	f := &fakeTracker{next: expired}
	m := New(f, Options{Now: func() time.Time { return t0 }, Terminal: &bytes.Buffer{}, Tick: (&ticks{}).tick})
	m, _ = settle(m, m.Init())
	if !m.paused {
		t.Fatal("the pane is not paused")
	}
	f.next = track.StepResult{}
	before := len(f.Calls())
	m, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("r")})
	if got := f.Calls()[before:]; len(got) != 0 {
		t.Fatalf("Update called the tracker: %v", got)
	}
	settle(m, cmd)
	if got := f.Calls()[before:]; len(got) < 2 || got[0] != "Resume" || got[1] != "Step" {
		t.Errorf("the Cmd called %v, want Resume then Step", got)
	}
}

// The pane names keys as its bindings do: rebind "poll now" and the
// paused line, the help bar and the empty pane follow.
func TestKeyNamesComeFromTheBindings(t *testing.T) {
	saved := keys
	t.Cleanup(func() { keys = saved })
	keys.Poll = key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "poll now / resume"))
	keys.Back = key.NewBinding(key.WithKeys("backspace"), key.WithHelp("⌫", "back"))

	f := &fakeTracker{next: expired}
	m := New(f, Options{Now: func() time.Time { return t0 }, Terminal: &bytes.Buffer{}, Tick: (&ticks{}).tick})
	m.SetSize(200, 10)
	empty := m.View()
	if !strings.Contains(empty, "in the list (⌫)") {
		t.Errorf("the empty pane does not name the rebound back key:\n%s", empty)
	}
	m, _ = settle(m, m.Init())
	v := m.View()
	for _, want := range []string{"paused: credentials expired or invalid: renew them (for example `aws sso login --profile NAME`), then press P — CopySnapshot in us-east-1: RequestExpired", "P poll now / resume", "⌫ back"} {
		if !strings.Contains(v, want) {
			t.Errorf("the pane does not say %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "press r") {
		t.Errorf("the pane still names r:\n%s", v)
	}
}

func (f *fakeTracker) Retry(ids ...string) ([]model.Copy, error) {
	f.called("Retry")
	f.mu.Lock()
	defer f.mu.Unlock()
	var made []model.Copy
	for _, id := range ids {
		for i := range f.copies {
			if f.copies[i].RequestID == id {
				r := model.NewRetry(&f.copies[i], t0)
				made = append(made, *r)
			}
		}
	}
	f.copies = append(f.copies, made...)
	return made, nil
}

func (f *fakeTracker) Cancel(_ context.Context, id string) (model.Copy, error) {
	f.called("Cancel")
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.copies {
		if f.copies[i].RequestID == id {
			f.copies[i].Cancelled(f.copies[i].SnapshotID, t0)
			return f.copies[i], nil
		}
	}
	return model.Copy{}, nil
}
