package form

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
)

// The preview with a lock and the price: the time-based copy of 1,500
// GiB in 15 minutes, locked governance for 30 days.
func TestGoldenPreviewWithLockAndPrice(t *testing.T) {
	m := loadFacts(newForm(t, 110, 44, bigSrc))
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "us-east-1")
	m = focusField(t, m, fDuration)
	m = typeText(m, "15")
	m = focusField(t, m, fLock)
	m = typeText(m, "governance:30d")
	checkView(t, m,
		"Lock      locked governance, 30 days from completion, once AWS lists the copy",
		"Estimate time-based fee, 15 minutes: 1500 GiB × $0.020 = $30.00 (estimate, AWS's published table, 2026-12-07)")
	m, cmd := press(m, "ctrl+s")
	copies := startedCopies(t, cmd)
	if m.asking != "" || len(copies) != 1 || copies[0].Request.SnapLock != (model.SnapLockSpec{Mode: model.SnapLockGovernance, Days: 30}) {
		t.Fatalf("a governance lock: asked %q, copies %+v", m.asking, copies)
	}
}

// A compliance lock asks a y/n that says what cannot be undone; n sends
// nothing and returns to the Lock field, y sends the copy with its lock.
func TestComplianceLockAsksBeforeSending(t *testing.T) {
	m := loadFacts(newForm(t, 200, 40, encSrc))
	m = focusField(t, m, fLock)
	m = typeText(m, "compliance:365d 24h")
	m, cmd := press(m, "ctrl+s")
	if started(toAny(msgsOf(cmd))) || m.started {
		t.Fatal("a compliance lock was sent without asking")
	}
	want := "compliance lock: after the 24 h cool-off, nobody can remove or shorten the lock, and the copy cannot be deleted by anyone, until it expires, 365 days after the copy completes — send anyway? y/n"
	if !strings.Contains(flat(m), want) {
		t.Fatalf("the question is not %q:\n%s", want, m.View())
	}
	m, cmd = press(m, "n")
	if started(toAny(msgsOf(cmd))) || m.focus != fLock || !strings.Contains(flat(m), "not sent: change the Lock (a governance lock can be removed)") {
		t.Fatalf("n: focus %s\n%s", labels[m.focus], m.View())
	}
	m, _ = press(m, "ctrl+s")
	m, cmd = press(m, "y")
	copies := startedCopies(t, cmd)
	if len(copies) != 1 || copies[0].Request.SnapLock != (model.SnapLockSpec{Mode: model.SnapLockCompliance, Days: 365, CoolOffHours: 24}) {
		t.Fatalf("y sent %+v", copies)
	}
}

// A lock that breaks a rule is an error beside the field, naming the rule.
func TestLockFieldRules(t *testing.T) {
	m := loadFacts(newForm(t, 140, 40, encSrc))
	m = focusField(t, m, fLock)
	m = typeText(m, "governance:7d 24h")
	if !strings.Contains(flat(m), "a cool-off period goes with a compliance lock only") {
		t.Errorf("a governance lock with a cool-off:\n%s", m.View())
	}
	m, _ = press(m, "ctrl+s")
	if m.started || !strings.Contains(flat(m), "not sent: fix the lock") {
		t.Errorf("sent with a broken lock:\n%s", m.View())
	}
}

// A form filled from a failed copy's request (E) keeps its lock.
func TestPrefillKeepsTheLock(t *testing.T) {
	earlier := model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: plainSrc.ID,
		SnapLock: model.SnapLockSpec{Mode: model.SnapLockCompliance, Days: 30, CoolOffHours: 12}}
	m := New(fakeAWS{}, []model.Snapshot{plainSrc}, Options{Now: clock, Prefill: &earlier, Tick: noTick})
	m.SetSize(140, 40)
	m = loadFacts(m)
	if got := m.lock.Value(); got != "compliance:30d 12h" {
		t.Fatalf("Lock field = %q", got)
	}
	m, _ = press(m, "ctrl+s")
	m, cmd := press(m, "y")
	if copies := startedCopies(t, cmd); len(copies) != 1 || copies[0].Request.SnapLock != earlier.SnapLock {
		t.Errorf("sent %+v", copies)
	}
}

// ctrl+e with a lock: the copy's command keeps the copy's id and the
// lock-snapshot command locks it; pasted into a shell, the lock goes to
// the id the copy answered with.
func TestCtrlEShowsTheLockCommand(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	m := loadFacts(newForm(t, 80, 60, plainSrc))
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "us-east-1")
	m = focusField(t, m, fLock)
	m = typeText(m, "compliance:365d 24h")
	m, _ = press(m, "ctrl+e")
	var pasted []string
	for _, l := range strings.Split(m.View(), "\n") {
		if ansi.StringWidth(l) > 80 {
			t.Errorf("a line is %d wide: %q", ansi.StringWidth(l), l)
		}
		if strings.HasPrefix(l, "COPY_ID=$(aws ") || len(pasted) > 0 && l != "" {
			pasted = append(pasted, l)
		}
		if len(pasted) > 0 && l == "" {
			break
		}
	}
	script := `aws() { if [ "$2" = copy-snapshot ]; then echo snap-0123456789abcdef0; else printf '%s\0' "$@"; fi; }` + "\n" + strings.Join(pasted, "\n")
	out, err := exec.Command(bash, "-c", script).Output()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, script)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	want := model.SnapLockSpec{Mode: model.SnapLockCompliance, Days: 365, CoolOffHours: 24}.CLIArgs("us-east-1", "snap-0123456789abcdef0")
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("the pasted lines locked with\n%q\nwant\n%q\n%s", got, want, script)
	}
	reqs := m.requests(m.result)
	if text := m.cli.text(); text != strings.Join(reqs[0].CLILines(), "\n")+"\n" {
		t.Errorf("the clipboard's text:\n%s", text)
	}
}

// ctrl+p refuses a copy with a lock: DLM makes a policy's copies.
func TestRecurringRefusesALock(t *testing.T) {
	m := loadFacts(newForm(t, 140, 40, plainSrc))
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "us-east-1")
	m = focusField(t, m, fLock)
	m = typeText(m, "governance:7d")
	m = focusField(t, m, fDesc)
	m, cmd := press(m, "ctrl+p")
	for _, msg := range msgsOf(cmd) {
		if _, ok := msg.(nav.OpenRecurring); ok {
			t.Fatal("the recurring panel opened with a lock")
		}
	}
	if m.focus != fLock || !strings.Contains(flat(m), "not recurring: DLM makes a policy's copies, which snapcopy cannot lock") {
		t.Errorf("focus %s:\n%s", labels[m.focus], m.View())
	}
}
