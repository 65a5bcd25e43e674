package model

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Each form of --lock and the form's Lock field reads into the request
// LockSnapshot gets, and each broken rule names the field and the rule.
func TestParseSnapLock(t *testing.T) {
	now := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want SnapLockSpec
		err  string
	}{
		{in: "", want: SnapLockSpec{}},
		{in: "off", want: SnapLockSpec{}},
		{in: "governance:30d", want: SnapLockSpec{Mode: SnapLockGovernance, Days: 30}},
		{in: " compliance:365d ", want: SnapLockSpec{Mode: SnapLockCompliance, Days: 365}},
		{in: "governance:1d", want: SnapLockSpec{Mode: SnapLockGovernance, Days: 1}},
		{in: "governance:36500d", want: SnapLockSpec{Mode: SnapLockGovernance, Days: 36500}},
		{in: "governance:2027-01-31", want: SnapLockSpec{Mode: SnapLockGovernance, Expires: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)}},
		{in: "compliance:2027-01-31T12:30:00+02:00", want: SnapLockSpec{Mode: SnapLockCompliance, Expires: time.Date(2027, 1, 31, 10, 30, 0, 0, time.UTC)}},
		{in: "governance:0d", err: `lock "governance:0d": the duration must be 1 to 36500 days`},
		{in: "governance:36501d", err: "the duration must be 1 to 36500 days"},
		{in: "legal-hold:30d", err: "the mode must be governance or compliance"},
		{in: "governance", err: "give how long, in days (governance:30d), or until when"},
		{in: "governance:30", err: "a duration in days (30d) or an expiry date"},
		{in: "governance:2026-12-08", err: "the expiry date must be in the future"},
		{in: "governance:2126-12-08", err: "the expiry date must be at most 36500 days away"},
	} {
		got, err := ParseSnapLock(tc.in, now)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseSnapLock(%q) error = %v, want %q", tc.in, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("ParseSnapLock(%q): %v", tc.in, err)
		case tc.err == "" && got != tc.want:
			t.Errorf("ParseSnapLock(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

// The cool-off is 1 to 72 hours and goes with compliance mode only.
func TestSnapLockCoolOff(t *testing.T) {
	for in, want := range map[string]int32{"": 0, "24h": 24, "1": 1, "72h": 72} {
		if got, err := ParseSnapLockCoolOff(in); err != nil || got != want {
			t.Errorf("ParseSnapLockCoolOff(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"0h", "73h", "1d", "x"} {
		if _, err := ParseSnapLockCoolOff(in); err == nil || !strings.Contains(err.Error(), "must be 1 to 72 hours") {
			t.Errorf("ParseSnapLockCoolOff(%q) error = %v", in, err)
		}
	}
	gov := SnapLockSpec{Mode: SnapLockGovernance, Days: 7}
	if _, err := gov.WithCoolOff(24); err == nil || !strings.Contains(err.Error(), "compliance lock only") {
		t.Errorf("governance with a cool-off: %v", err)
	}
	comp, err := SnapLockSpec{Mode: SnapLockCompliance, Days: 365}.WithCoolOff(24)
	if err != nil || comp.CoolOffHours != 24 {
		t.Fatalf("compliance with a cool-off = %+v, %v", comp, err)
	}
	if w := comp.Words(); w != "compliance, 365 days from completion, 24 h cool-off" {
		t.Errorf("Words = %q", w)
	}
	if w := comp.ComplianceWarning(); !strings.Contains(w, "After the 24 h cool-off, nobody can remove or shorten the lock, and the copy cannot be deleted by anyone, until it expires, 365 days after the copy completes") {
		t.Errorf("ComplianceWarning = %q", w)
	}
	if gov.ComplianceWarning() != "" {
		t.Error("a governance lock asks no question")
	}
	if comp.Token() != "compliance:365d" || (SnapLockSpec{Mode: SnapLockGovernance, Expires: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)}).Token() != "governance:2027-01-31" {
		t.Errorf("tokens: %q", comp.Token())
	}
}

// The lock's step goes through the state file and back, and a file of an
// earlier snapcopy (no lock) reads unchanged, with no lock asked for.
func TestSnapLockThroughTheStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "copies.json")
	c := NewCopy(CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-1",
		SnapLock: SnapLockSpec{Mode: SnapLockCompliance, Days: 7, CoolOffHours: 24}}, Snapshot{}, t0)
	c.Started("snap-2", t0)
	c.SnapLockSent(t0)
	w := &WatchList{Copies: []*Copy{c}}
	if err := w.Save(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	for _, want := range []string{`"snapshot_lock": {`, `"mode": "compliance"`, `"days": 7`, `"cool_off_hours": 24`, `"step": "sending"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("state file lacks %s:\n%s", want, data)
		}
	}
	back, err := LoadWatchList(path, t0)
	if err != nil || len(back.Copies) != 1 {
		t.Fatalf("%v %+v", err, back)
	}
	got := back.Copies[0]
	if got.Request.SnapLock != c.Request.SnapLock || got.SnapLock.Step != SnapLockSending || got.SnapLock.Attempts != 1 || !got.SnapLockPending() {
		t.Errorf("read back: %+v %+v", got.Request.SnapLock, got.SnapLock)
	}

	// A copy of a version 1 file has no lock.
	old := filepath.Join(t.TempDir(), "copies.json")
	copyFile(t, filepath.Join("..", "testdata", "state", "copies-v1.json"), old)
	ow, err := LoadWatchList(old, t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, oc := range ow.Copies {
		if oc.Request.SnapLock.On() || oc.SnapLock.Step != "" || oc.SnapLockPending() {
			t.Errorf("an old copy has a lock: %+v", oc.SnapLock)
		}
	}

	// A lock step this snapcopy does not know sets the copy aside.
	bad := strings.Replace(string(data), `"step": "sending"`, `"step": "legal-hold"`, 1)
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	aside, err := LoadWatchList(path, t0)
	var sfe *StateFileError
	if !errors.As(err, &sfe) || !strings.Contains(err.Error(), "a snapshot lock step this snapcopy does not know") || len(aside.Copies) != 0 {
		t.Errorf("unknown lock step: %v, %d copies", err, len(aside.Copies))
	}
}

// The lock's words on the pane: counted from completion until AWS gives
// the date, then the date; a failed copy has no lock.
func TestSnapLockWords(t *testing.T) {
	now := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	c := NewCopy(CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-1",
		SnapLock: SnapLockSpec{Mode: SnapLockGovernance, Days: 7}}, Snapshot{}, now)
	if w := c.SnapLockWords(now); w != "to lock: governance, 7 days from completion" {
		t.Errorf("queued: %q", w)
	}
	if c.SnapLockPending() {
		t.Error("a copy without an id has nothing to lock yet")
	}
	c.Started("snap-2", now)
	if !c.SnapLockPending() {
		t.Error("a started copy is to lock")
	}
	c.SnapLocked(SnapLockInfo{State: "governance", Days: 7, CreatedOn: now}, now)
	if w := c.SnapLockWords(now); w != "locked governance, 7 days from completion" {
		t.Errorf("locked while pending: %q", w)
	}
	if c.SnapLockPending() || !c.LockedAgainstDelete(now) {
		t.Error("locked while pending: nothing to do until it completes; deletion refused")
	}
	c.Observed(Snapshot{ID: "snap-2", State: StateCompleted, Progress: 100}, now)
	if !c.SnapLockPending() {
		t.Error("completed with no expiry known: its expiry is to read")
	}
	exp := now.Add(7 * 24 * time.Hour)
	c.SnapLocked(SnapLockInfo{State: "governance", Days: 7, DurationStart: now, ExpiresOn: exp}, now)
	if w := c.SnapLockWords(now); w != "locked governance until 2026-12-15 10:00 UTC" {
		t.Errorf("completed: %q", w)
	}
	if c.LockedAgainstDelete(exp) {
		t.Error("an expired lock protects nothing")
	}
	// Read once after completion, even with no expiry in the answer: not
	// asked again (a follow would wait on it for ever).
	c.SnapLocked(SnapLockInfo{State: "governance", Days: 7}, now)
	if c.SnapLockPending() {
		t.Error("a lock read after completion is still pending")
	}
	c.SnapLocked(SnapLockInfo{State: "compliance-cooloff", CoolOffEnds: now.Add(24 * time.Hour), DurationStart: now, Days: 7}, now)
	if w := c.SnapLockWords(now); w != "locked compliance-cooloff (cool-off until 2026-12-09 10:00 UTC) until 2026-12-15 10:00 UTC" {
		t.Errorf("in its cool-off: %q", w)
	}

	f := NewCopy(c.Request, Snapshot{}, now)
	f.Started("snap-3", now)
	f.Fail("gone", now)
	f.SnapLockEnded(now)
	if f.SnapLockPending() || f.SnapLockWords(now) != "no lock: the copy failed" {
		t.Errorf("failed copy: %q", f.SnapLockWords(now))
	}
}
