package progress

import (
	"bytes"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
)

// "polling now" is said while the poll asked for runs, and goes with its
// result: it never outlives the poll.
func TestPollingNowEndsWithThePoll(t *testing.T) {
	w := newWorld(t, worldOptions{})
	var term bytes.Buffer
	m := w.pane(120, 10, &term)
	m, cmd := m.Start([]*model.Copy{w.CopyOf(w.Source("db", 8), "us-east-1")})
	m, _ = settle(m, cmd)
	m, _ = m.Update(keyRunes("r"))
	if !strings.Contains(m.View(), "polling now") {
		t.Fatalf("r does not say it polls:\n%s", m.View())
	}
	m, _ = press(m, "r")
	if strings.Contains(m.View(), "polling now") {
		t.Fatalf("the poll is done and the pane still says so:\n%s", m.View())
	}
}

func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
