// Package status is the one status line every screen shows: a level
// (info, warning, error) and one line of text, with a rule for how long
// it stays, in one look. A screen keeps one Model, writes to it, passes it
// every message and draws its View where its status line goes.
//
// A message is either a flash, the outcome of something just done (Show),
// or a standing condition, such as "paused: credentials expired" (Hold).
// A flash is drawn over the condition; when the flash goes, the condition
// is seen again.
package status

import (
	"strings"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// Level says how much a message matters; it picks the marker and the
// colour, and how long a flash stays.
type Level int

const (
	// Info is an outcome the operator may glance at: it goes after
	// InfoFor, or at the next key.
	Info Level = iota
	// Warning is something the operator should read: it stays until the
	// next key.
	Warning
	// Error is something that went wrong: it stays until another message
	// replaces it, however many keys are pressed.
	Error
)

func (l Level) String() string {
	switch l {
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "info"
}

// InfoFor is how long an info flash stays on screen.
const InfoFor = 5 * time.Second

// LevelMessage is one message of the status line.
type LevelMessage struct {
	Level Level
	Text  string
}

// Options configure a status line.
type Options struct {
	// Tick schedules a message after a wait (nil: tea.Tick); a simulated
	// clock or a test passes its own.
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// Model is a status line. The zero value works, with tea.Tick.
type Model struct {
	tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd

	flash   LevelMessage
	flashID uint64 // 0: no flash
	held    LevelMessage
	holding bool
}

// lastID numbers flashes across every status line of the program, so an
// expiry reaching a line (messages go to every screen) clears only the
// flash it was scheduled for.
var lastID atomic.Uint64

// expiredMsg says the flash id has been on screen for InfoFor.
type expiredMsg struct{ id uint64 }

// New returns an empty status line.
func New(opts Options) Model { return Model{tick: opts.Tick} }

// Show flashes a message: the outcome of what was just done. The Cmd (nil
// but for Info) makes an info flash go after InfoFor; return it from the
// screen's Update.
func (m *Model) Show(level Level, text string) tea.Cmd {
	m.flash = LevelMessage{Level: level, Text: text}
	m.flashID = lastID.Add(1)
	if level != Info {
		return nil
	}
	tick := m.tick
	if tick == nil {
		tick = tea.Tick
	}
	id := m.flashID
	return tick(InfoFor, func(time.Time) tea.Msg { return expiredMsg{id: id} })
}

// Hold shows a standing condition until Release or the next Hold; a flash
// is drawn over it while there is one.
func (m *Model) Hold(level Level, text string) {
	m.held, m.holding = LevelMessage{Level: level, Text: text}, true
}

// Release ends the standing condition.
func (m *Model) Release() { m.held, m.holding = LevelMessage{}, false }

// Clear removes the flash.
func (m *Model) Clear() { m.flash, m.flashID = LevelMessage{}, 0 }

// KeyPressed is called by the screen for every key it handles: an info or
// warning flash answered the key before, so it goes; an error stays.
func (m *Model) KeyPressed() {
	if m.flashID != 0 && m.flash.Level != Error {
		m.Clear()
	}
}

// Update ends an info flash whose time is up.
func (m Model) Update(msg tea.Msg) Model {
	if e, ok := msg.(expiredMsg); ok && e.id == m.flashID && m.flashID != 0 {
		m.Clear()
	}
	return m
}

// Current is the message on the line: the flash, else the condition held.
// ok is false when the line is empty.
func (m Model) Current() (msg LevelMessage, ok bool) {
	switch {
	case m.flashID != 0:
		return m.flash, true
	case m.holding:
		return m.held, true
	}
	return LevelMessage{}, false
}

// Empty reports whether nothing is shown.
func (m Model) Empty() bool {
	_, ok := m.Current()
	return !ok
}

// View is the line in width cells (0: uncut): the level's marker, then the
// text, sanitized, in the level's style.
func (m Model) View(width int) string {
	msg, ok := m.Current()
	if !ok {
		return ""
	}
	return Render(msg, width)
}

// Render draws a message as the status line does, for a screen that shows
// a message of its own making in the same look.
func Render(msg LevelMessage, width int) string {
	s := markers[msg.Level] + textsafe.Clean(msg.Text)
	if width > 0 {
		s = ansi.Truncate(s, width, "…")
	}
	return styles[msg.Level].Render(s)
}

// Lines is View for a screen with room for a long message (AWS's errors
// are): the text wrapped at words into at most n lines of width cells, as
// RenderLines draws it. Empty when nothing is shown.
func (m Model) Lines(width, n int) []string {
	msg, ok := m.Current()
	if !ok {
		return nil
	}
	return RenderLines(msg, width, n)
}

// RenderLines draws a message as Render does, over at most n lines of
// width cells: the marker on the first, the lines after it indented under
// the text, the last cut with "…" when the text is longer still.
func RenderLines(msg LevelMessage, width, n int) []string {
	mark := markers[msg.Level]
	indent := strings.Repeat(" ", ansi.StringWidth(mark))
	lines := Wrap(textsafe.Clean(msg.Text), width-len(indent), max(n, 1))
	for i, l := range lines {
		if i == 0 {
			l = mark + l
		} else {
			l = indent + l
		}
		lines[i] = styles[msg.Level].Render(l)
	}
	return lines
}

// Wrap breaks plain text at spaces into lines of at most w cells (at
// least 10; a word longer than a line is cut), keeping n lines at most:
// the last one is then cut with "…". Unlike ansi.Wrap it never breaks at a
// hyphen, so Region names and ARNs stay whole where they fit.
func Wrap(text string, w, n int) []string {
	w = max(w, 10)
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		for ansi.StringWidth(word) > w {
			// A word longer than a line is broken: its first part fills
			// the line begun, when that has room for some of it.
			if room := w - ansi.StringWidth(line) - 1; line != "" && room >= 10 {
				cut := breakPoint(word, room)
				lines = append(lines, line+" "+ansi.Cut(word, 0, cut))
				word, line = ansi.Cut(word, cut, ansi.StringWidth(word)), ""
				continue
			}
			if line != "" {
				lines = append(lines, line)
				line = ""
			}
			cut := breakPoint(word, w)
			lines = append(lines, ansi.Cut(word, 0, cut))
			word = ansi.Cut(word, cut, ansi.StringWidth(word))
		}
		switch {
		case line == "":
			line = word
		case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= w:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	if len(lines) > n {
		rest := strings.Join(lines[n-1:], " ")
		lines = append(lines[:n-1], ansi.Truncate(rest, w, "…"))
	}
	return lines
}

// breakPoint is where a word wider than w is cut: after its last ":", "/"
// or "-" within w cells (an ARN breaks between its parts), else at w.
func breakPoint(word string, w int) int {
	head := ansi.Cut(word, 0, w)
	if i := strings.LastIndexAny(head, ":/-"); i >= w/2 {
		return ansi.StringWidth(head[:i+1])
	}
	return w
}
