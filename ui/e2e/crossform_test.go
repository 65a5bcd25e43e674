package e2e

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// openDemoForm filters the demo's list to the snapshot named name, opens
// the form and sets the destination us-east-1 and the account of dr.
func openDemoForm(t *testing.T, tm *term, name string) string {
	t.Helper()
	tm.keys("/")
	tm.typeText(name)
	tm.waitFor(shortWait, "1/40 snapshots")
	tm.keys("Enter", "Enter")
	tm.waitFor(shortWait, "("+name+") from us-west-2", "Destination account")
	tm.waitGone(shortWait, "loading")
	tm.keys("Tab", "C-u")
	tm.typeText("us-east-1")
	tm.keys("Tab", "Right")
	return tm.waitFor(shortWait, "● dr (111122223333)", "Steps")
}

// crossOf is the cross_account record of the state file's only copy.
func crossOf(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Copies []struct {
			Cross map[string]any `json:"cross_account"`
		} `json:"copies"`
	}
	if err := json.Unmarshal(b, &f); err != nil || len(f.Copies) != 1 {
		t.Fatalf("state file: %v, %d copies:\n%s", err, len(f.Copies), b)
	}
	return f.Copies[0].Cross
}

// TestDemoFormCopiesIntoTheOtherAccount: the form's Destination account
// sends web-frontend-01 into the dr profile's account; the preview says
// each step, the pane follows the copy as one row naming the account to
// completed, the share is removed, and P under dr lists exactly one copy.
func TestDemoFormCopiesIntoTheOtherAccount(t *testing.T) {
	t.Parallel()
	env := newAppEnv(t)
	tm := startApp(t, 160, 40, env, "--demo")
	tm.waitFor(shortWait, "40/40 snapshots")
	s := openDemoForm(t, tm, "web-frontend-01")
	for _, want := range []string{"1. share snap-", "with account 111122223333 (profile dr)", "copy it into account 111122223333", "remove the share"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the preview lacks %q:\n%s", want, s)
		}
	}
	tm.keys("C-s")
	s = tm.waitFor(shortWait, "Copies", "us-east-1 @111122223333")
	if n := countLines(s, "web-frontend-01"); n != 1 {
		t.Fatalf("the copy takes %d rows, want 1:\n%s", n, s)
	}
	tm.waitFor(copyWait, "✓ completed", "1 done")
	x := crossOf(t, env.demoStatePath())
	if x["destination_account"] != "111122223333" || x["step"] != "done" || x["share_added"] != true || x["unshared"] != true {
		t.Fatalf("the copy's steps as saved: %v", x)
	}

	tm.keys("Escape")
	tm.waitFor(shortWait, "profile demo")
	tm.keys("Escape", "P")
	tm.waitFor(shortWait, "listed now: demo")
	tm.keys("Down", "Enter")
	s = tm.waitFor(shortWait, "profile dr · account 111122223333 · us-east-1", "Copy of snap-")
	if n := countLines(s, "web-frontend-01"); n != 1 {
		t.Fatalf("the dr account lists %d copies of web-frontend-01, want 1:\n%s", n, s)
	}
	quit(tm)
}

// TestDemoFormAddsTheKeyPolicyStatements: db-prod-primary is under a
// customer managed key whose policy does not admit the dr account: ctrl+s
// shows the policy before and after; n sends nothing, y adds the
// statements and the copy goes on into the other account.
func TestDemoFormAddsTheKeyPolicyStatements(t *testing.T) {
	t.Parallel()
	env := newAppEnv(t)
	tm := startApp(t, 160, 45, env, "--demo")
	tm.waitFor(shortWait, "40/40 snapshots")
	openDemoForm(t, tm, "db-prod-primary")
	tm.waitFor(shortWait, "lacks 2 statement(s) for account 111122223333")
	tm.keys("C-s")
	tm.waitFor(shortWait, "Key policy of arn:aws:kms:us-west-2:123456789012:key/", "Before", "After", "Allow use of the key by account 111122223333", "add them with PutKeyPolicy, then send? y/n")
	tm.keys("n")
	s := tm.waitFor(shortWait, "not sent: account 111122223333 may not use")
	if strings.Contains(s, "Copies ") {
		t.Fatalf("n sent the copy:\n%s", s)
	}
	tm.keys("C-s")
	tm.waitFor(shortWait, "add them with PutKeyPolicy, then send? y/n")
	tm.keys("y")
	tm.waitFor(shortWait, "Copies", "us-east-1 @111122223333")
	tm.waitFor(copyWait, "running")
	if x := crossOf(t, env.demoStatePath()); x["step"] != "copy" || x["share_added"] != true {
		t.Fatalf("the copy's steps as saved: %v", x)
	}
	quit(tm)
}
