package clipboard

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func outcome(t *testing.T, env map[string]string, tmux map[string]string) (Outcome, string) {
	t.Helper()
	var term bytes.Buffer
	opts := Options{
		Terminal: &term,
		Getenv:   func(k string) string { return env[k] },
		TmuxOption: func(name string) (string, error) {
			v, ok := tmux[name]
			if !ok {
				return "", errors.New("invalid option: " + name)
			}
			return v, nil
		},
	}
	msg := Copy("snap-0123456789abcdef0", opts, func(o Outcome) tea.Msg { return o })()
	return msg.(Outcome), term.String()
}

func TestCopySaysCopiedOnlyWhenItCanWork(t *testing.T) {
	const plain = "\x1b]52;c;"
	const wrapped = "\x1bPtmux;\x1b\x1b]52;c;"
	cases := []struct {
		name    string
		env     map[string]string
		tmux    map[string]string
		copied  bool
		written string // the start of what the terminal receives ("" nothing)
	}{
		{"a terminal of its own", map[string]string{"TERM": "xterm-256color"}, nil, true, plain},
		{"tmux defaults (3.3+)", map[string]string{"TMUX": "/tmp/tmux-1/default,1,0"}, map[string]string{"allow-passthrough": "off", "set-clipboard": "external"}, false, ""},
		{"tmux with passthrough", map[string]string{"TMUX": "/tmp/tmux-1/default,1,0"}, map[string]string{"allow-passthrough": "on", "set-clipboard": "external"}, true, wrapped},
		{"tmux with passthrough all", map[string]string{"TMUX": "/tmp/tmux-1/default,1,0"}, map[string]string{"allow-passthrough": "all"}, true, wrapped},
		{"tmux taking OSC 52 itself", map[string]string{"TMUX": "/tmp/tmux-1/default,1,0"}, map[string]string{"allow-passthrough": "off", "set-clipboard": "on"}, true, plain},
		{"tmux older than 3.3, set-clipboard on", map[string]string{"TMUX": "/tmp/tmux-1/default,1,0"}, map[string]string{"set-clipboard": "on"}, true, plain},
		{"tmux that cannot be asked", map[string]string{"TMUX": "/tmp/tmux-1/default,1,0"}, nil, false, ""},
		{"GNU screen", map[string]string{"TERM": "screen.xterm-256color"}, nil, true, "\x1bP\x1b]52;c;"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, written := outcome(t, c.env, c.tmux)
			if o.Copied != c.copied {
				t.Fatalf("copied = %v, want %v (%q)", o.Copied, c.copied, o.Text)
			}
			if c.copied && o.Text != "copied snap-0123456789abcdef0 to the clipboard" {
				t.Fatalf("said %q", o.Text)
			}
			if !c.copied {
				if !strings.Contains(o.Text, "select the id: snap-0123456789abcdef0") || !strings.Contains(o.Text, "allow-passthrough on") {
					t.Fatalf("said %q: neither the id to select nor the tmux setting", o.Text)
				}
			}
			if c.written == "" && written != "" || c.written != "" && !strings.HasPrefix(written, c.written) {
				t.Fatalf("the terminal received %q, want it to start with %q", written, c.written)
			}
		})
	}
}

// The question goes to a real tmux server: its answers are what the
// routes are decided on.
func TestTmuxIsAskedForItsOptions(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	sock := filepath.Join(t.TempDir(), "tmux.sock")
	tmux := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("tmux", append([]string{"-S", sock, "-f", "/dev/null"}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("tmux %v: %v %s", args, err, out)
		}
	}
	tmux("new-session", "-d", "-s", "clip", "sleep 60")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", sock, "kill-server").Run() })
	// The tmux client finds its server by $TMUX, as inside a pane.
	t.Setenv("TMUX", sock+",1,0")
	route := func() route {
		return routeOf(Options{Getenv: func(k string) string { return map[string]string{"TMUX": sock + ",1,0"}[k] }, TmuxOption: tmuxOption})
	}
	if r := route(); r != blocked {
		t.Fatalf("tmux defaults: route %v, want blocked", r)
	}
	tmux("set", "-g", "set-clipboard", "on")
	if r := route(); r != tmuxItself {
		t.Fatalf("set-clipboard on: route %v", r)
	}
	tmux("set", "-g", "allow-passthrough", "on")
	if r := route(); r != passthrough {
		t.Fatalf("allow-passthrough on: route %v", r)
	}
}

// Text too long to repeat (commands) is named instead: copied, or to be
// selected on the screen when tmux drops the sequence.
func TestCopyNamesLongText(t *testing.T) {
	text := "aws ec2 copy-snapshot --region us-east-1 --source-region us-west-2 --source-snapshot-id snap-0123456789abcdef0\n"
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"TERM": "xterm-256color"}, "copied the command to the clipboard"},
		{map[string]string{"TMUX": "/tmp/tmux-1/default,1,0"}, "select the command on the screen · tmux drops the clipboard sequence"},
	} {
		var term bytes.Buffer
		opts := Options{Terminal: &term, Name: "the command", Getenv: func(k string) string { return tc.env[k] },
			TmuxOption: func(string) (string, error) { return "off", nil }}
		o := Copy(text, opts, func(o Outcome) tea.Msg { return o })().(Outcome)
		if !strings.HasPrefix(o.Text, tc.want) || strings.Contains(o.Text, "copy-snapshot") {
			t.Errorf("said %q, want %q…", o.Text, tc.want)
		}
	}
}
