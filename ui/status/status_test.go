package status

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/ui/theme"
)

func TestMain(m *testing.M) {
	theme.UseASCII()
	os.Exit(m.Run())
}

// timer records the waits asked for; fire delivers the message of one.
type timer struct {
	waits []time.Duration
	fns   []func(time.Time) tea.Msg
}

func (t *timer) tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	t.waits = append(t.waits, d)
	t.fns = append(t.fns, fn)
	return func() tea.Msg { return nil }
}

func (t *timer) fire(i int) tea.Msg { return t.fns[i](time.Time{}) }

func TestLevelsLookAndLast(t *testing.T) {
	tests := []struct {
		level        Level
		view         string
		expires      bool // an info flash goes after InfoFor
		survivesAKey bool
	}{
		{Info, "copied snap-1 to the clipboard", true, false},
		{Warning, "! the copy has no id yet", false, false},
		{Error, "✗ could not copy: broken pipe", false, true},
	}
	texts := map[Level]string{Info: "copied snap-1 to the clipboard", Warning: "the copy has no id yet", Error: "could not copy: broken pipe"}
	for _, tt := range tests {
		t.Run(tt.level.String(), func(t *testing.T) {
			var tm timer
			m := New(Options{Tick: tm.tick})
			cmd := m.Show(tt.level, texts[tt.level])
			if got := m.View(0); got != tt.view {
				t.Fatalf("View = %q, want %q", got, tt.view)
			}
			if (cmd != nil) != tt.expires || (len(tm.waits) == 1) != tt.expires {
				t.Fatalf("expiry scheduled: cmd %v waits %v, want %v", cmd != nil, tm.waits, tt.expires)
			}
			if tt.expires {
				if tm.waits[0] != InfoFor {
					t.Errorf("an info flash stays %v, want %v", tm.waits[0], InfoFor)
				}
				if m2 := m.Update(tm.fire(0)); !m2.Empty() {
					t.Errorf("an info flash is still shown after InfoFor: %q", m2.View(0))
				}
			}
			k := m
			k.KeyPressed()
			if k.Empty() == tt.survivesAKey {
				t.Errorf("after a key: shown %q, want survives=%v", k.View(0), tt.survivesAKey)
			}
		})
	}
}

// An expiry scheduled for an older flash does not clear the newer one,
// nor a flash of another screen's line.
func TestExpiryClearsOnlyItsOwnFlash(t *testing.T) {
	var tm timer
	m := New(Options{Tick: tm.tick})
	m.Show(Info, "sorted by size")
	m.Show(Info, "sorted by age")
	other := New(Options{Tick: tm.tick})
	other.Show(Info, "listing eu-west-1")

	m = m.Update(tm.fire(0))
	other = other.Update(tm.fire(1))
	if msg, _ := m.Current(); msg.Text != "sorted by age" {
		t.Errorf("the older flash's expiry cleared the newer: %q", m.View(0))
	}
	if msg, _ := other.Current(); msg.Text != "listing eu-west-1" {
		t.Errorf("another line's expiry cleared this one: %q", other.View(0))
	}
	m = m.Update(tm.fire(1))
	if !m.Empty() {
		t.Errorf("the flash outlived its own expiry: %q", m.View(0))
	}
}

// A held condition shows when no flash does, and comes back after one.
func TestHeldConditionUnderAFlash(t *testing.T) {
	m := New(Options{Tick: (&timer{}).tick})
	m.Hold(Error, "paused: credentials expired")
	m.Show(Warning, "only finished copies can be forgotten")
	if got := m.View(0); got != "! only finished copies can be forgotten" {
		t.Fatalf("the flash is not over the condition: %q", got)
	}
	m.KeyPressed()
	if got := m.View(0); got != "✗ paused: credentials expired" {
		t.Fatalf("the condition did not come back: %q", got)
	}
	m.Release()
	if !m.Empty() {
		t.Fatalf("released, yet shown: %q", m.View(0))
	}
}

func TestViewIsOneCleanLine(t *testing.T) {
	m := New(Options{Tick: (&timer{}).tick})
	m.Show(Error, "AWS says: \x1b[31mred\x1b[0m\nsecond line that is long")
	got := m.View(20)
	if got != "✗ AWS says: ␛[31mre…" {
		t.Errorf("View(20) = %q", got)
	}
}

func TestKeyName(t *testing.T) {
	tests := []struct {
		b    key.Binding
		want string
	}{
		{key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")), "r"},
		{key.NewBinding(key.WithKeys("enter", "c"), key.WithHelp("enter/c", "copy")), "enter"},
		{key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")), "↑"},
		{key.NewBinding(key.WithKeys("ctrl+r")), "ctrl+r"},
	}
	for _, tt := range tests {
		if got := KeyName(tt.b); got != tt.want {
			t.Errorf("KeyName(%v) = %q, want %q", tt.b.Help(), got, tt.want)
		}
	}
}

// A long message wraps at words under its marker, and is cut with "…"
// past the lines allowed.
func TestLinesWrapUnderTheMarker(t *testing.T) {
	m := New(Options{Tick: (&timer{}).tick})
	if got := m.Lines(30, 3); got != nil {
		t.Fatalf("an empty line draws %q", got)
	}
	m.Show(Error, "dry run: permission missing (UnauthorizedOperation): You are not authorized to perform this operation.")
	got := m.Lines(30, 3)
	want := []string{
		"✗ dry run: permission missing",
		"  (UnauthorizedOperation): You",
		"  are not authorized to perfo…",
	}
	if len(got) != len(want) {
		t.Fatalf("Lines = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i, got[i], want[i])
		}
	}
	m.Show(Info, "reloading\x1b[2J the Regions")
	if got := m.Lines(30, 3); len(got) != 1 || strings.Contains(got[0], "\x1b") {
		t.Errorf("an info line draws %q, want it sanitized on one line", got)
	}
}
