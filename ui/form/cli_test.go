package form

import (
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
