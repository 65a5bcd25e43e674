package form

import (
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
)

// BenchmarkKeystroke is one key typed into the description of a
// 50-snapshot batch and the screen drawn again: validation and the view
// both run on every keystroke.
func BenchmarkKeystroke(b *testing.B) {
	sources := make([]model.Snapshot, 50)
	for i := range sources {
		s := plainSrc
		s.ID = fmt.Sprintf("snap-%017x", i+1)
		if i%5 == 0 {
			s = lzSrc
			s.ID = fmt.Sprintf("snap-%017x", i+1)
		}
		sources[i] = s
	}
	m := loadFacts(New(fakeAWS{}, sources, Options{Now: clock}))
	m.SetSize(100, 40)
	m.focus = fDesc
	typed := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'x'}}
	erase := tea.KeyMsg{Type: tea.KeyBackspace}
	for b.Loop() {
		m, _ = m.Update(typed)
		_ = m.View()
		m, _ = m.Update(erase)
		_ = m.View()
	}
}
