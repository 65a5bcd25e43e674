package copy

import (
	"fmt"
	"slices"
	"time"

	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/cmd/completion"
	"github.com/snapcopy/snapcopy/ui/textsafe"
	"github.com/snapcopy/snapcopy/validate"
)

// snapLockOptions are the flags of the copies' snapshot lock.
type snapLockOptions struct{ lock, coolOff string }

// snapLockWords are what --lock completes to: each mode at a few common
// durations, and off.
var snapLockWords = []string{"governance:7d", "governance:30d", "governance:365d", "compliance:30d", "compliance:365d", "compliance:2555d", "off"}

// define defines --lock and --lock-cool-off on fs.
func (l *snapLockOptions) define(fs *pflag.FlagSet) {
	fs.StringVar(&l.lock, "lock", "", "lock each copy against deletion as soon as AWS lists it, by `MODE:DAYSd` or MODE:DATE (governance:30d, compliance:2027-01-31 UTC); "+
		"a duration counts from the copy's completion. governance: users with the permission can still unlock it; compliance: after the cool-off nobody can remove or shorten the lock, "+
		"and the copy cannot be deleted, until it expires (no question is asked here)")
	completion.Words(fs, "lock", snapLockWords...)
	fs.StringVar(&l.coolOff, "lock-cool-off", "", "with --lock compliance:…: a cool-off of `HOURS` (1h to 72h) during which the lock can still be removed or changed")
}

// check refuses --lock where snapcopy makes no copy to lock: a DLM
// policy's copies are made by DLM.
// The lock's own rules are checked here too, before AWS is reached, by
// the form's rules (validate.SnapLock checks them again with the request).
func (l snapLockOptions) check(output string) error {
	if isDLM(output) && (l.lock != "" || l.coolOff != "") {
		return fmt.Errorf("--lock: not with --output %s (DLM makes the copies; snapcopy cannot lock them)", output)
	}
	if _, ps := validate.SnapLock(l.lock, l.coolOff, model.ToRegion, time.Now()); len(ps) > 0 {
		return fmt.Errorf("--lock: %s", ps[0].Message)
	}
	return nil
}

// SnapLockJSON is a copy's lock in the dry run's JSON lines: the lock
// LockSnapshot will be asked for once AWS lists the copy.
type SnapLockJSON struct {
	Mode         string     `json:"mode"`
	Days         int32      `json:"duration_days,omitempty"`
	ExpiresOn    *time.Time `json:"expiration_date,omitempty"`
	CoolOffHours int32      `json:"cool_off_hours,omitempty"`
	// FromCompletion says a duration counts from the copy's completion.
	FromCompletion bool   `json:"from_completion,omitempty"`
	Words          string `json:"words"`
}

// snapLockJSON is spec for a dry run's line, nil without a lock.
func snapLockJSON(spec model.SnapLockSpec) *SnapLockJSON {
	if !spec.On() {
		return nil
	}
	j := &SnapLockJSON{Mode: string(spec.Mode), Days: spec.Days, CoolOffHours: spec.CoolOffHours, FromCompletion: spec.Days > 0, Words: spec.Words()}
	if !spec.Expires.IsZero() {
		t := spec.Expires.UTC()
		j.ExpiresOn = &t
	}
	return j
}

// snapLocksUnsent reports a copy of ids whose lock AWS has not answered
// yet: `copy` without --wait waits for it as it waits for CopySnapshot's
// answer, so the copies it prints are locked (or say why not).
func snapLocksUnsent(copies []model.Copy, ids []string) bool {
	for _, cp := range copies {
		if !slices.Contains(ids, cp.RequestID) || !cp.SnapLockPending() {
			continue
		}
		if st := cp.SnapLock.Step; st == "" || st == model.SnapLockToDo || st == model.SnapLockSending {
			return true
		}
	}
	return false
}

// saySnapLocksFailed tells, on standard error, each copy whose lock AWS
// refused (the copy itself goes on).
func (c *run) saySnapLocksFailed(copies []model.Copy) {
	for _, cp := range copies {
		if cp.SnapLock.Step == model.SnapLockFailed {
			c.say("%s -> %s: %s", cp.Request.SourceSnapshotID, cp.Request.Destination().Short(), textsafe.Clean(cp.SnapLock.Message))
		}
	}
}
