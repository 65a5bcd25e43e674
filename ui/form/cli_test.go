package form

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// ctrl+e shows each request as the AWS CLI command of the same
// CopySnapshot: broken only between words with " \", within the screen;
// any key goes back to the form. While an error stands, it says why none.
func TestCtrlEShowsTheRequestsAsAWSCLICommands(t *testing.T) {
	m := loadFacts(newForm(t, 300, 30, plainSrc))
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "us-east-1")
	m, _ = press(m, "tab", "tab", "space", "tab")
	m = typeText(m, "alias/backup")
	m = focusField(t, m, fTags)
	m = typeText(m, "team")
	m, _ = press(m, "tab")
	m = typeText(m, "it's dba")
	m, _ = press(m, "ctrl+e")
	view := m.View()
	reqs := m.requests(m.result)
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1: %v", len(reqs), m.result.Problems)
	}
	joined := strings.ReplaceAll(view, " \\\n  ", " ")
	if want := reqs[0].CLICommand(); !strings.Contains(joined, want) {
		t.Errorf("the view does not hold the command %q:\n%s", want, view)
	}
	for _, l := range strings.Split(view, "\n") {
		if ansi.StringWidth(l) > 300 {
			t.Errorf("line wider than the screen: %q", l)
		}
	}
	m, _ = press(m, "tab")
	if strings.Contains(m.View(), "aws ec2 copy-snapshot") || m.focus != fTags {
		t.Errorf("a key did not go back to the form as it was (focus %v)", m.focus)
	}

	m = focusField(t, m, fDuration)
	m = typeText(m, "20")
	m, _ = press(m, "ctrl+e")
	if v := m.View(); !strings.Contains(v, "No command while the completion duration is wrong") || strings.Contains(v, "aws ec2") {
		t.Errorf("with an error standing:\n%s", v)
	}
}

// The commands as the screen shows them, selected and pasted into a shell,
// are the very requests: lines break between words with " \", inside the
// tag JSON only between its tokens, and a word longer than any line is
// joined again by the shell. bash runs the screen's text with an aws that
// prints its arguments; the JSON argument parses back to the same tags.
// y puts the commands, one per line, on the clipboard.
func TestCtrlECommandsPasteIntoAShellAsTheSameRequests(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	long := strings.Repeat("it's a very long value ", 8) // 184 characters, quotes inside
	for _, width := range []int{80, 60, 120} {
		m := loadFacts(newForm(t, width, 80, plainSrc))
		m, _ = press(m, "tab")
		m = typeText(clearField(m), "us-east-1")
		m, _ = press(m, "tab")
		m = typeText(clearField(m), "Copy of "+plainSrc.ID+": nightly db backup, kept for the audit of the year's end, don't delete")
		m = focusField(t, m, fTags)
		for i, kv := range [][2]string{{"team", "it's dba"}, {"cost-center", "1234"}, {"note", long}, {"owner", `"quoted"`}} {
			if i > 0 {
				m, _ = press(m, "ctrl+n")
			}
			m = typeText(m, kv[0])
			m, _ = press(m, "tab")
			m = typeText(m, kv[1])
		}
		reqs := m.requests(m.result)
		if len(reqs) != 1 {
			t.Fatalf("%d requests, want 1: %v", len(reqs), m.result.Problems)
		}
		var term bytes.Buffer
		m.terminal = &term
		m, _ = press(m, "ctrl+e")
		view := m.View()
		var cmdLines []string
		for _, l := range strings.Split(view, "\n") {
			if ansi.StringWidth(l) > width {
				t.Errorf("%d columns: a line is %d wide: %q", width, ansi.StringWidth(l), l)
			}
			if strings.HasPrefix(l, "aws ") || len(cmdLines) > 0 && l != "" {
				cmdLines = append(cmdLines, l)
			}
			if len(cmdLines) > 0 && l == "" {
				break
			}
		}
		pasted := strings.Join(cmdLines, "\n")
		want := reqs[0].CLIArgs()
		got := runAWS(t, bash, pasted)
		if len(got) != len(want) {
			t.Fatalf("%d columns: the pasted command has %d arguments, want %d:\n%s\n%q", width, len(got), len(want), pasted, got)
		}
		for i := range want {
			if i > 0 && want[i-1] == "--tag-specifications" {
				var g, w any
				if err := json.Unmarshal([]byte(got[i]), &g); err != nil {
					t.Fatalf("%d columns: the pasted tags are not JSON: %v\n%s", width, err, got[i])
				}
				_ = json.Unmarshal([]byte(want[i]), &w)
				if !reflect.DeepEqual(g, w) {
					t.Errorf("%d columns: tags\n %s\nwant\n %s", width, got[i], want[i])
				}
				continue
			}
			if got[i] != want[i] {
				t.Errorf("%d columns: argument %d = %q, want %q", width, i, got[i], want[i])
			}
		}

		_, cmd := press(m, "y")
		for _, msg := range msgsOf(cmd) {
			m, _ = m.Update(msg)
		}
		if !strings.Contains(m.View(), "copied the command to the clipboard") {
			t.Errorf("y does not say it copied:\n%s", m.View())
		}
		seq := term.String()
		if !strings.HasPrefix(seq, "\x1b]52;c;") {
			t.Fatalf("no OSC 52 sequence: %q", seq)
		}
		b64 := strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b]52;c;"), "\a")
		copied, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatalf("the clipboard sequence: %v", err)
		}
		if want := reqs[0].CLICommand() + "\n"; string(copied) != want {
			t.Errorf("clipboard:\n%q\nwant\n%q", copied, want)
		}
	}
}

// runAWS runs script in bash with an aws that prints its arguments, and
// returns them.
func runAWS(t *testing.T, bash, script string) []string {
	t.Helper()
	if out, err := exec.Command(bash, "-n", "-c", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v: %s\n%s", err, out, script)
	}
	out, err := exec.Command(bash, "-c", `aws() { printf '%s\0' "$@"; }`+"\n"+script).Output()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, script)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}
