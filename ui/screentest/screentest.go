// Package screentest drives the Bubble Tea screens in tests the way the
// program does, in order and without timers: keys by name, a command and
// every command that follows from it (Settle), and an in-memory tracker
// that records what is asked of it (Tracker).
package screentest

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/ui/nav"
)

// Screen is a screen's model: Update returns the screen itself.
type Screen[M any] interface {
	Update(msg tea.Msg) (M, tea.Cmd)
}

// Options say what Settle does with the messages besides feeding them to
// the screen. The zero value feeds every one.
type Options struct {
	// Skip drops the messages it says yes to (a spinner's ticks, which
	// only animate and would each wait a frame).
	Skip func(tea.Msg) bool
	// Pass returns the messages it says yes to instead of feeding them
	// to the screen: requests for the app (nav), or results a test
	// inspects first.
	Pass func(tea.Msg) bool
	// More, once the commands run out, gives the next message of work
	// going on beside the screen (the follow loop's next step); nil when
	// there is none. It is asked again after each message it gives.
	More func() tea.Msg
}

// Settle runs cmd and every command that follows from it, one at a time
// and in order, feeding each message to m as Bubble Tea's loop would (a
// tea.Batch is run command by command). It returns the screen and the
// messages Pass kept back, in order.
func Settle[M Screen[M]](m M, cmd tea.Cmd, o Options) (M, []tea.Msg) {
	var passed []tea.Msg
	queue := []tea.Cmd{cmd}
	for {
		for len(queue) > 0 {
			c := queue[0]
			queue = queue[1:]
			if c == nil {
				continue
			}
			var next tea.Cmd
			m, next, passed = deliver(m, c(), o, passed, &queue)
			queue = append(queue, next)
		}
		if o.More == nil {
			return m, passed
		}
		msg := o.More()
		if msg == nil {
			return m, passed
		}
		var next tea.Cmd
		m, next, passed = deliver(m, msg, o, passed, &queue)
		queue = append(queue, next)
	}
}

// deliver hands one message on: batches to the queue, the skipped
// nowhere, the passed back, the rest to the screen.
func deliver[M Screen[M]](m M, msg tea.Msg, o Options, passed []tea.Msg, queue *[]tea.Cmd) (M, tea.Cmd, []tea.Msg) {
	if b, ok := msg.(tea.BatchMsg); ok {
		*queue = append(*queue, b...)
		return m, nil, passed
	}
	switch {
	case msg == nil:
		return m, nil, passed
	case o.Skip != nil && o.Skip(msg):
		return m, nil, passed
	case o.Pass != nil && o.Pass(msg):
		return m, nil, append(passed, msg)
	}
	m, next := m.Update(msg)
	return m, next, passed
}

// Press sends keys by name, one Update each, and returns the commands
// they returned, unrun.
func Press[M Screen[M]](m M, names ...string) (M, []tea.Cmd) {
	var cmds []tea.Cmd
	for _, n := range names {
		var cmd tea.Cmd
		m, cmd = m.Update(Key(n))
		cmds = append(cmds, cmd)
	}
	return m, cmds
}

// Act sends keys by name and settles what each one starts.
func Act[M Screen[M]](m M, o Options, names ...string) (M, []tea.Msg) {
	var all []tea.Msg
	for _, n := range names {
		var cmd tea.Cmd
		var passed []tea.Msg
		m, cmd = m.Update(Key(n))
		m, passed = Settle(m, cmd, o)
		all = append(all, passed...)
	}
	return m, all
}

// keyTypes are the keys named as Bubble Tea prints them.
var keyTypes = map[string]tea.KeyType{
	"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
	"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
	"backspace": tea.KeyBackspace, "ctrl+c": tea.KeyCtrlC, "ctrl+d": tea.KeyCtrlD, "ctrl+e": tea.KeyCtrlE,
	"ctrl+f": tea.KeyCtrlF, "ctrl+n": tea.KeyCtrlN, "ctrl+o": tea.KeyCtrlO, "ctrl+p": tea.KeyCtrlP, "ctrl+r": tea.KeyCtrlR,
	"ctrl+s": tea.KeyCtrlS, "ctrl+t": tea.KeyCtrlT, "ctrl+u": tea.KeyCtrlU, "ctrl+w": tea.KeyCtrlW,
}

// Key is the key named as Bubble Tea prints it ("enter", "ctrl+s", "up",
// "space" or " "); any other name is typed as its runes.
func Key(name string) tea.KeyMsg {
	if name == "space" || name == " " {
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	if t, ok := keyTypes[name]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// ForApp reports whether msg is a request for the app (package nav)
// rather than a screen's own message: Settle's Pass for a screen tested
// alone.
func ForApp(msg tea.Msg) bool {
	switch msg.(type) {
	case nav.OpenForm, nav.EditCopy, nav.OpenProgress, nav.Back, nav.Quit, nav.StartCopies, nav.ShowHelp, nav.CopiesAdded, nav.OpenRecurring:
		return true
	}
	return false
}
