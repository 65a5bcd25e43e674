package progress

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
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

// At 140 columns the help bar is whole, whatever copy is selected (a
// failed one offers R and E, one in flight C).
func TestHelpBarWholeAt140(t *testing.T) {
	w := mixedWorld(t)
	m := refresh(w.pane(140, 16, &bytes.Buffer{}))
	for i := range m.copies {
		for _, detail := range []bool{false, true} {
			m.detail = detail
			lines := strings.Split(m.View(), "\n")
			if bar := lines[len(lines)-1]; strings.Contains(bar, "…") {
				t.Errorf("copy %d (%s, details %v): the help bar is cut: %q", i, m.copies[i].Phase, detail, bar)
			}
		}
		m.detail = false
		m, _ = press(m, "down")
	}
}

// A copy's tags are all in its details, wrapped, however many: the
// details scroll to the last.
func TestDetailsShowEveryTag(t *testing.T) {
	w := newWorld(t, worldOptions{})
	c := w.CopyOf(w.Source("db", 8), "us-east-1", func(r *model.CopyRequest) {
		for i := range 12 {
			r.Tags = append(r.Tags, model.Tag{Key: fmt.Sprintf("cost-center-%02d", i), Value: fmt.Sprintf("value-%02d", i)})
		}
	})
	if err := w.Tracker.Add(c); err != nil {
		t.Fatal(err)
	}
	m := refresh(w.pane(60, 12, &bytes.Buffer{}))
	m, _ = press(m, "enter")
	seen := ""
	for range 40 {
		seen += m.View()
		m, _ = press(m, "down")
	}
	for i := range 12 {
		if kv := fmt.Sprintf("cost-center-%02d=value-%02d", i, i); !strings.Contains(seen, kv) {
			t.Errorf("%s is never shown in the details", kv)
		}
	}
}
