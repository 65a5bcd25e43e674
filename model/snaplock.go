package model

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Snapshot lock ("Lock an Amazon EBS snapshot", the LockSnapshot
// reference): a copy can be locked against deletion as soon as AWS has its
// id, while it is still pending. Not to be confused with the state file's
// lock (lock_unix.go) or the host's lock of a copy (hostlock.go).

// SnapLockMode is a snapshot lock's mode, as LockSnapshot's LockMode
// spells it.
type SnapLockMode string

// The two modes of a snapshot lock.
const (
	// SnapLockGovernance: nobody can delete the snapshot, but a user with
	// the permission can unlock it or change the lock.
	SnapLockGovernance SnapLockMode = "governance"
	// SnapLockCompliance: past the cool-off period, nobody can unlock the
	// snapshot or shorten the lock, and the snapshot cannot be deleted,
	// until the lock expires.
	SnapLockCompliance SnapLockMode = "compliance"
)

// LockSnapshot's documented limits (LockDuration 1 to 36500 days,
// CoolOffPeriod 1 to 72 hours; an ExpirationDate must be in the future,
// and is taken here to be at most as far as the longest duration).
const (
	SnapLockMinDays    = 1
	SnapLockMaxDays    = 36500
	SnapLockMinCoolOff = 1
	SnapLockMaxCoolOff = 72
)

// SnapLockSpec is the lock to set on each copy once AWS has its id. The
// zero value asks for no lock.
type SnapLockSpec struct {
	Mode SnapLockMode
	// Days is LockDuration: counted from the copy's completion (a copy is
	// locked while pending). Zero when Expires is set.
	Days int32
	// Expires is ExpirationDate, in UTC. Zero when Days is set.
	Expires time.Time
	// CoolOffHours is CoolOffPeriod, compliance mode only; 0: none (the
	// lock is in compliance mode at once).
	CoolOffHours int32
}

// On reports whether a lock is asked for.
func (s SnapLockSpec) On() bool { return s.Mode != "" }

// Token is the lock as --lock takes it: "governance:30d",
// "compliance:2027-01-31" (an expiry at midnight UTC), or an RFC 3339
// time for another expiry; "" when off. The cool-off is apart.
func (s SnapLockSpec) Token() string {
	switch {
	case !s.On():
		return ""
	case s.Days > 0:
		return fmt.Sprintf("%s:%dd", s.Mode, s.Days)
	case s.Expires.Equal(s.Expires.Truncate(24 * time.Hour)):
		return string(s.Mode) + ":" + s.Expires.UTC().Format(time.DateOnly)
	default:
		return string(s.Mode) + ":" + s.Expires.UTC().Format(time.RFC3339)
	}
}

// Words is the lock in plain words: "governance, 30 days from
// completion", "compliance until 2027-01-31 00:00 UTC, 24 h cool-off".
func (s SnapLockSpec) Words() string {
	if !s.On() {
		return "no lock"
	}
	out := string(s.Mode)
	if s.Days > 0 {
		out += ", " + dayWords(s.Days) + " from completion"
	} else {
		out += " until " + s.Expires.UTC().Format("2006-01-02 15:04 UTC")
	}
	if s.CoolOffHours > 0 {
		out += fmt.Sprintf(", %d h cool-off", s.CoolOffHours)
	}
	return out
}

func dayWords(n int32) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

var reSnapLockDays = regexp.MustCompile(`^([0-9]+)d$`)

// ParseSnapLock reads a lock as --lock and the form's Lock field take it:
// "off" or "" for none, MODE:DAYSd or MODE:DATE (YYYY-MM-DD, midnight
// UTC, or an RFC 3339 time), MODE governance or compliance. An expiry is
// judged against now. The error names the field and the rule.
func ParseSnapLock(text string, now time.Time) (SnapLockSpec, error) {
	text = strings.TrimSpace(text)
	if text == "" || text == "off" {
		return SnapLockSpec{}, nil
	}
	mode, when, ok := strings.Cut(text, ":")
	var s SnapLockSpec
	switch SnapLockMode(mode) {
	case SnapLockGovernance, SnapLockCompliance:
		s.Mode = SnapLockMode(mode)
	default:
		return SnapLockSpec{}, fmt.Errorf("lock %q: the mode must be governance or compliance (as in governance:30d)", text)
	}
	if !ok || when == "" {
		return SnapLockSpec{}, fmt.Errorf("lock %q: give how long, in days (%s:30d), or until when (%s:2027-01-31)", text, mode, mode)
	}
	if m := reSnapLockDays.FindStringSubmatch(when); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n < SnapLockMinDays || n > SnapLockMaxDays {
			return SnapLockSpec{}, fmt.Errorf("lock %q: the duration must be %d to %d days", text, SnapLockMinDays, SnapLockMaxDays)
		}
		s.Days = int32(n)
		return s, nil
	}
	t, err := time.Parse(time.DateOnly, when)
	if err != nil {
		t, err = time.Parse(time.RFC3339, when)
	}
	if err != nil {
		return SnapLockSpec{}, fmt.Errorf("lock %q: after the mode, a duration in days (30d) or an expiry date (2027-01-31, UTC)", text)
	}
	s.Expires = t.UTC()
	switch {
	case !s.Expires.After(now):
		return SnapLockSpec{}, fmt.Errorf("lock %q: the expiry date must be in the future", text)
	case s.Expires.Sub(now) > SnapLockMaxDays*24*time.Hour:
		return SnapLockSpec{}, fmt.Errorf("lock %q: the expiry date must be at most %d days away", text, SnapLockMaxDays)
	}
	return s, nil
}

// ParseSnapLockCoolOff reads a compliance lock's cool-off period as
// --lock-cool-off and the form take it: hours, "24h" or "24"; "" for none.
func ParseSnapLockCoolOff(text string) (int32, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(text, "h"))
	if err != nil || n < SnapLockMinCoolOff || n > SnapLockMaxCoolOff {
		return 0, fmt.Errorf("lock cool-off %q: must be %d to %d hours (as in 24h)", text, SnapLockMinCoolOff, SnapLockMaxCoolOff)
	}
	return int32(n), nil
}

// WithCoolOff adds a cool-off period to the lock: compliance mode only.
func (s SnapLockSpec) WithCoolOff(hours int32) (SnapLockSpec, error) {
	if hours == 0 {
		return s, nil
	}
	if s.Mode != SnapLockCompliance {
		return s, fmt.Errorf("lock cool-off %dh: a cool-off period goes with a compliance lock only (governance locks can always be removed)", hours)
	}
	s.CoolOffHours = hours
	return s, nil
}

// ComplianceWarning is what an operator is told, in plain words, before a
// compliance lock is set: what cannot be undone.
func (s SnapLockSpec) ComplianceWarning() string {
	if s.Mode != SnapLockCompliance {
		return ""
	}
	after := "Once locked"
	if s.CoolOffHours > 0 {
		after = fmt.Sprintf("After the %d h cool-off", s.CoolOffHours)
	}
	until := "it expires"
	if s.Days > 0 {
		until = "it expires, " + dayWords(s.Days) + " after the copy completes"
	} else if !s.Expires.IsZero() {
		until = "it expires on " + s.Expires.UTC().Format("2006-01-02 15:04 UTC")
	}
	return after + ", nobody can remove or shorten the lock, and the copy cannot be deleted by anyone, until " + until + "."
}
