package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoProfilePickerListsTheOtherAccount: the demo writes its own AWS
// profiles beside its state file (never in ~/.aws); P lists them with the
// account each reaches, and choosing dr (a role assumed in the simulator's
// second account) lists that account's snapshots in dr's Region, the
// header naming profile and account; P and demo go back.
func TestDemoProfilePickerListsTheOtherAccount(t *testing.T) {
	t.Parallel()
	env := newAppEnv(t)
	tm := startApp(t, 160, 30, env, "--demo")
	tm.waitFor(shortWait, "profile demo", "40/40 snapshots")

	dir := filepath.Dir(env.demoStatePath())
	config, err := os.ReadFile(filepath.Join(dir, "demo-aws-config"))
	if err != nil {
		t.Fatalf("the demo wrote no AWS config beside its state file: %v", err)
	}
	for _, want := range []string{"[profile demo]", "[profile dr]", "role_arn = arn:aws:iam::111122223333:role/dr-copy", "source_profile = demo"} {
		if !strings.Contains(string(config), want) {
			t.Errorf("the demo's AWS config lacks %q:\n%s", want, config)
		}
	}
	if _, err := os.Stat(filepath.Join(env.home, ".aws")); err == nil {
		t.Errorf("the demo wrote into ~/.aws")
	}

	tm.keys("P")
	s := tm.waitFor(shortWait, "Profiles", "listed now: demo", "123456789012", "111122223333")
	if l := lineWith(s, "dr "); !strings.Contains(l, "111122223333") || !strings.Contains(l, "us-east-1") {
		t.Fatalf("dr's row does not show its account and Region: %q\n%s", l, s)
	}
	// The filter finds dr by its account id.
	tm.keys("/")
	tm.typeText("1111")
	tm.waitGone(shortWait, "123456789012")
	tm.keys("Enter", "Enter")
	s = tm.waitFor(shortWait, "profile dr · account 111122223333 · us-east-1 · owned · 2/2 snapshots", "dr-orders-db", "dr-web-root")
	if strings.Contains(s, "build-cache") {
		t.Fatalf("the first account's snapshots are still listed under dr:\n%s", s)
	}

	tm.keys("P")
	tm.waitFor(shortWait, "listed now: dr")
	tm.keys("Escape")
	tm.waitFor(shortWait, "profile dr · account 111122223333")
	tm.keys("P")
	tm.waitFor(shortWait, "listed now: dr")
	tm.keys("Home", "Enter")
	tm.waitFor(shortWait, "profile demo · account 123456789012 · us-west-2 · owned · 40/40 snapshots", "build-cache")
	quit(tm)
}
