// Package clipboard puts text on the operator's clipboard with OSC 52, the
// terminal sequence that works over SSH where no local clipboard tool can,
// and says "copied" only when the sequence can reach the terminal. Inside
// tmux it reaches it only when tmux lets it: tmux passes an application's
// sequences through with allow-passthrough (off by default since tmux
// 3.3), or takes OSC 52 itself with set-clipboard on (the default,
// "external", ignores it). Otherwise the text is shown, to be selected.
package clipboard

import (
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// Options say where the sequence goes and how the terminal is found out.
type Options struct {
	// Terminal receives the sequence (nil: os.Stdout).
	Terminal io.Writer
	// Getenv reads the environment (nil: os.Getenv).
	Getenv func(string) string
	// TmuxOption asks the tmux server the program runs under for a global
	// option's value (nil: "tmux show-options -gv NAME").
	TmuxOption func(name string) (string, error)
	// Name says what is copied when the text itself is too long to repeat
	// ("the 2 commands"), shown on the screen to be selected when the
	// clipboard cannot be reached; "" repeats the text (an id).
	Name string
}

// Outcome is what the operator is told: "copied", or why not and the
// text to select.
type Outcome struct {
	Copied bool
	Level  status.Level
	Text   string
}

// route is how the sequence reaches the terminal.
type route int

const (
	direct      route = iota // a terminal of its own: plain OSC 52
	screen                   // GNU screen: wrapped for screen
	passthrough              // tmux with allow-passthrough: wrapped for tmux
	tmuxItself               // tmux with set-clipboard on: plain, tmux takes it
	blocked                  // tmux that drops it
)

// Copy returns a Cmd that puts text (a snapshot id, commands) on the clipboard when
// it can and reports the outcome through done. Asking tmux runs a
// process, so it is done in the Cmd.
func Copy(text string, opts Options, done func(Outcome) tea.Msg) tea.Cmd {
	if opts.Terminal == nil {
		opts.Terminal = os.Stdout
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.TmuxOption == nil {
		opts.TmuxOption = tmuxOption
	}
	return func() tea.Msg { return done(copyNow(text, opts)) }
}

func copyNow(text string, opts Options) Outcome {
	shown, selectIt := textsafe.Clean(text), "select the id: "+textsafe.Clean(text)
	if opts.Name != "" {
		shown, selectIt = textsafe.Clean(opts.Name), "select "+textsafe.Clean(opts.Name)+" on the screen"
	}
	seq := osc52.New(text)
	switch routeOf(opts) {
	case blocked:
		// The id first: a narrow status line cuts the end.
		return Outcome{Level: status.Warning, Text: selectIt + " · tmux drops the clipboard sequence: set -g allow-passthrough on (or set-clipboard on)"}
	case passthrough:
		seq = seq.Tmux()
	case screen:
		seq = seq.Screen()
	}
	if _, err := seq.WriteTo(opts.Terminal); err != nil {
		return Outcome{Level: status.Error, Text: "could not copy (" + err.Error() + "): " + selectIt}
	}
	return Outcome{Copied: true, Level: status.Info, Text: "copied " + shown + " to the clipboard"}
}

// routeOf finds how an OSC 52 sequence reaches the terminal, asking tmux
// when the program runs under it.
func routeOf(opts Options) route {
	switch {
	case opts.Getenv("TMUX") != "":
		// Passthrough first: it reaches the outer terminal whatever tmux's
		// own clipboard does. An older tmux without the option says
		// "invalid option": no passthrough.
		if v, err := opts.TmuxOption("allow-passthrough"); err == nil && (v == "on" || v == "all") {
			return passthrough
		}
		if v, err := opts.TmuxOption("set-clipboard"); err == nil && v == "on" {
			return tmuxItself
		}
		return blocked
	case strings.HasPrefix(opts.Getenv("TERM"), "screen"):
		return screen
	}
	return direct
}

// tmuxOption asks the tmux server of $TMUX for a global option.
func tmuxOption(name string) (string, error) {
	out, err := exec.Command("tmux", "show-options", "-gv", name).Output()
	return strings.TrimSpace(string(out)), err
}
