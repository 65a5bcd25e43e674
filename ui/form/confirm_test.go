package form

import (
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/ui/nav"
)

// started reports whether a command hands copies to the tracker.
func started(msgs []any) bool {
	for _, msg := range msgs {
		if _, ok := msg.(nav.StartCopies); ok {
			return true
		}
	}
	return false
}

// An alias the destination does not list is an error the operator must
// confirm: sending asks "send anyway? y/n"; n sends nothing and returns to
// the key, y sends.
func TestGoldenUnknownAliasAsksBeforeSending(t *testing.T) {
	m := loadFacts(newForm(t, 100, 30, encSrc))
	m = focusField(t, m, fKms)
	m = typeText(m, "alias/nope")
	m, cmd := press(m, "ctrl+s")
	if started(toAny(msgsOf(cmd))) || m.started {
		t.Fatal("the copy was sent without asking")
	}
	checkView(t, m, "! alias/nope not found in us-west-2: the copy will fail if the key does not exist there — send anyway? y/n", "y send anyway • n do not send")

	m, cmd = press(m, "n")
	if started(toAny(msgsOf(cmd))) || m.asking != "" || m.focus != fKms {
		t.Fatalf("n: started %v, asking %q, focus %s", m.started, m.asking, labels[m.focus])
	}
	if !strings.Contains(flat(m), "not sent: correct the KMS key, or send again and answer y") {
		t.Errorf("after n the status does not say nothing was sent:\n%s", m.View())
	}

	m, _ = press(m, "ctrl+s")
	m, cmd = press(m, "x") // not an answer: still asked, nothing sent
	if m.asking == "" || started(toAny(msgsOf(cmd))) {
		t.Fatal("a key that is not an answer answered the question")
	}
	m, cmd = press(m, "y")
	if !m.started || !started(toAny(msgsOf(cmd))) {
		t.Fatal("y did not send the copy")
	}
}

// A known alias, and a dry run with an unknown one, are sent without the
// question: a dry run sends no copy (and says it checks IAM only).
func TestKnownAliasAndDryRunAreNotAsked(t *testing.T) {
	m := loadFacts(newForm(t, 100, 30, encSrc))
	m = focusField(t, m, fKms)
	m = typeText(m, "alias/backup")
	if m, _ = press(m, "ctrl+s"); m.asking != "" || !m.started {
		t.Errorf("a known alias asked %q, started %v", m.asking, m.started)
	}
	m = loadFacts(newForm(t, 100, 30, encSrc))
	m = focusField(t, m, fKms)
	m = typeText(m, "alias/nope")
	m = focusField(t, m, fDryRun)
	m, _ = press(m, "space", "ctrl+s")
	if m.asking != "" || !m.dryRunning {
		t.Errorf("a dry run asked %q, running %v", m.asking, m.dryRunning)
	}
	if !strings.Contains(flat(m), "checks IAM permissions only, not the KMS key") {
		t.Errorf("the dry run does not say it leaves the KMS key unchecked:\n%s", m.View())
	}
}

func toAny[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
