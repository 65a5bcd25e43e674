package form

import (
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

// A KMS key id or ARN is checked with DescribeKey as an alias is checked
// with the alias list: a key of another Region, a disabled key, a key
// pending deletion each warn beside the field, and sending asks "send
// anyway? y/n"; n returns to the key.
func TestKeyIDsAreCheckedBeforeSending(t *testing.T) {
	for _, tc := range []struct {
		key, want string
	}{
		{"1234abcd-12ab-34cd-56ef-1234567890ab", "KMS key 1234abcd-12ab-34cd-56ef-1234567890ab is a key of us-west-2, not of us-east-1: the copy will fail"},
		{"alias/dr", "KMS key alias/dr is disabled in us-east-1: the copy will fail unless the key is enabled first"},
		{"alias/backup-archive", "KMS key alias/backup-archive is pending deletion in us-east-1 (to be deleted on 2026-03-21)"},
	} {
		m := loadFacts(newForm(t, 120, 34, encSrc))
		m, _ = press(m, "tab")
		m = typeText(clearField(m), "us-east-1")
		m = focusField(t, m, fKms)
		m = typeText(m, tc.key)
		if !strings.Contains(flat(m), tc.want) {
			t.Errorf("%s: the field does not warn %q:\n%s", tc.key, tc.want, m.View())
		}
		m, cmd := press(m, "ctrl+s")
		if started(toAny(msgsOf(cmd))) || m.started || !strings.Contains(m.asking, tc.want) {
			t.Fatalf("%s: sent without asking (asking %q)", tc.key, m.asking)
		}
		if !strings.Contains(flat(m), "send anyway? y/n") {
			t.Errorf("%s: the question is not shown:\n%s", tc.key, m.View())
		}
		m, _ = press(m, "n")
		if m.focus != fKms || m.started {
			t.Errorf("%s: n leaves focus on %s, started %v", tc.key, labels[m.focus], m.started)
		}
	}
}

// ctrl+s before DescribeKey answered waits for the answer, then asks.
func TestSendWaitsForTheKeyCheck(t *testing.T) {
	m := loadFacts(newForm(t, 120, 34, encSrc))
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "us-east-1")
	m = focusField(t, m, fKms)
	m = typeOnly(m, "alias/dr")
	if !strings.Contains(flat(m), "checking the key in us-east-1…") {
		t.Errorf("the field does not say the key is being checked:\n%s", m.View())
	}
	m, cmd := press(m, "ctrl+s")
	if started(toAny(msgsOf(cmd))) || m.started || !m.sendPending {
		t.Fatalf("sent before the key was checked (pending %v)", m.sendPending)
	}
	if !strings.Contains(flat(m), "checking KMS key alias/dr in us-east-1 before sending…") {
		t.Errorf("the status does not say what sending waits for:\n%s", m.View())
	}
	m = describeKeys(m)
	if !strings.Contains(m.asking, "alias/dr is disabled in us-east-1") || m.started {
		t.Errorf("after the answer: asking %q, started %v", m.asking, m.started)
	}
}

// Against the simulator, whose KMS serves DescribeKey: a key id that is no
// key of the destination (nor of the source Region) is warned of and
// asked about; the key of alias/backup there, by its ARN, is not.
func TestKeyIDNotFoundInTheSimulator(t *testing.T) {
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1}})
	src, ok := simtest.ByName(s.Server, "us-west-2", "web-frontend-01")
	if !ok {
		t.Fatal("no web-frontend-01 in the seeded world")
	}
	arn, ok := s.Server.KMSKeyArn("us-east-1", "alias/backup")
	if !ok {
		t.Fatal("no alias/backup in the seeded us-east-1")
	}
	for _, tc := range []struct {
		key  string
		warn string
	}{
		{"0000abcd-12ab-34cd-56ef-1234567890ab", "KMS key 0000abcd-12ab-34cd-56ef-1234567890ab not found in us-east-1: the copy will fail"},
		{arn, ""},
	} {
		m := New(s.Client, []model.Snapshot{src}, Options{Now: clock, Tick: noTick})
		m.SetSize(140, 40)
		m = runAll(m)
		m, _ = press(m, "tab")
		m = typeOnly(clearField(m), "us-east-1")
		m = runAll(m)
		m = focusField(t, m, fEncrypt)
		m, _ = press(m, "space")
		m = focusField(t, m, fKms)
		m = typeOnly(m, tc.key)
		m = runAll(m)
		_, asked := m.keyWarning()
		if tc.warn == "" {
			if asked {
				t.Errorf("%s: warned %q", tc.key, m.result.Problems)
			}
			continue
		}
		if !asked || !strings.Contains(flat(m), tc.warn) {
			t.Errorf("%s: no warning %q:\n%s", tc.key, tc.warn, m.View())
		}
		if n := s.Server.Count("DescribeKey", "us-east-1"); n == 0 {
			t.Errorf("%s: no DescribeKey in us-east-1", tc.key)
		}
	}
}

// runAll answers every look-up in flight with the form's AWS, and those
// they lead to.
func runAll(m Model) Model {
	for {
		var ls []lookup
		for l := range m.loading {
			ls = append(ls, l)
		}
		if len(ls) == 0 {
			return m
		}
		for _, l := range ls {
			m, _ = m.Update(m.load(l)())
		}
	}
}
