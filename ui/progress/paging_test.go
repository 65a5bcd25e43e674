package progress

import (
	"bytes"
	"strings"
	"testing"
)

// pgdn and pgup move the selection a screen at a time, home and end to
// the first and last copy; in the details they scroll. The help bar names
// them, and the full help names each.
func TestPagingKeys(t *testing.T) {
	w := runningWorld(t)
	m := refresh(w.pane(120, 6, &bytes.Buffer{})) // 2 rows of copies on screen
	if !strings.Contains(m.View(), "pgup/pgdn page") {
		t.Errorf("the help bar does not name the paging keys:\n%s", m.View())
	}
	steps := []struct {
		key    string
		cursor int
	}{{"pgdown", 1}, {"pgdown", 2}, {"end", 4}, {"pgup", 3}, {"home", 0}, {"end", 4}, {"pgdown", 4}}
	for _, s := range steps {
		m, _ = press(m, s.key)
		if m.cursor != s.cursor || m.onSummary {
			t.Errorf("%s: cursor %d (summary %v), want %d", s.key, m.cursor, m.onSummary, s.cursor)
		}
	}
	if v := m.View(); !strings.Contains(v, "5-5 of 5") && !strings.Contains(v, "4-5 of 5") {
		t.Errorf("the last copy is not in view:\n%s", v)
	}

	m.SetSize(60, 8)
	m, _ = press(m, "home", "enter")
	bottom := m.detailMaxTop()
	if bottom < 2 {
		t.Fatalf("the details do not scroll at 60x8 (%d)", bottom)
	}
	m, _ = press(m, "end")
	if m.detailTop != bottom {
		t.Errorf("end in the details: top %d, want %d", m.detailTop, bottom)
	}
	m, _ = press(m, "home")
	if m.detailTop != 0 {
		t.Errorf("home in the details: top %d", m.detailTop)
	}
	m, _ = press(m, "pgdown")
	if m.detailTop == 0 || m.detailTop > bottom {
		t.Errorf("pgdn in the details: top %d of %d", m.detailTop, bottom)
	}

	var names []string
	for _, col := range m.KeyMap().FullHelp() {
		for _, b := range col {
			names = append(names, b.Help().Key)
		}
	}
	for _, want := range []string{"pgup", "pgdn", "home", "end"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf("the full help lacks %s: %v", want, names)
		}
	}
}
