package watch

import (
	"time"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// SnapLockEvent is a copy's snapshot lock in a JSON line: Step is where
// snapcopy stands with it (to-lock, sending, locked, failed, cancelled),
// Mode the lock asked for, State AWS's lock state once locked, ExpiresOn
// AWS's expiry (absent while a duration lock waits for the copy to
// complete), Words the lock as the pane says it.
type SnapLockEvent struct {
	Step      string     `json:"step"`
	Mode      string     `json:"mode"`
	State     string     `json:"state,omitempty"`
	Days      int32      `json:"duration_days,omitempty"`
	ExpiresOn *time.Time `json:"expires_on,omitempty"`
	Words     string     `json:"words"`
}

// snapLockEvent is c's lock for its JSON line, nil without a lock asked.
func snapLockEvent(c *model.Copy, now time.Time) *SnapLockEvent {
	spec := c.Request.SnapLock
	if !spec.On() {
		return nil
	}
	step := c.SnapLock.Step
	if step == "" {
		step = model.SnapLockToDo
	}
	e := &SnapLockEvent{Step: string(step), Mode: string(spec.Mode), State: textsafe.Clean(c.SnapLock.Lock.State), Days: spec.Days,
		Words: textsafe.Clean(c.SnapLockWords(now))}
	if t := c.SnapLock.Lock.ExpiresOn; !t.IsZero() {
		t = t.UTC()
		e.ExpiresOn = &t
	}
	return e
}

// snapLockSuffix is c's lock at the end of its plain line: " · locked
// governance until …", "" without a lock asked.
func snapLockSuffix(c *model.Copy, now time.Time) string {
	if w := c.SnapLockWords(now); w != "" {
		return " · " + textsafe.Clean(w)
	}
	return ""
}
