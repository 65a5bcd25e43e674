package progress

import (
	"time"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// snapLockMark is what the STATE column adds for a copy's snapshot lock:
// " · locked" while the lock keeps the copy from deletion, " · locking"
// until AWS has answered, " · ! not locked" when AWS refused it, " · ?
// lock unknown" when AWS would not say whether it applied it; "" for a
// copy without a lock asked (the details say the rest).
func snapLockMark(c *model.Copy, now time.Time) string {
	if !c.Request.SnapLock.On() {
		return ""
	}
	switch st := c.SnapLock.Step; {
	case c.LockedAgainstDelete(now):
		return " · locked"
	case c.SnapLockUnknown():
		return " · ? lock unknown"
	case st == model.SnapLockFailed:
		return " · " + markWarning + " not locked"
	case c.SnapLockPending() && st != model.SnapLockLocked:
		return " · locking"
	}
	return ""
}

// snapLockDetail is the lock's line in the details: its state and expiry
// ("locked governance, 7 days from completion" until the copy completes,
// then AWS's date), or AWS's words when it was refused; "" without a lock.
func snapLockDetail(c *model.Copy, now time.Time) string {
	return textsafe.Clean(c.SnapLockWords(now))
}
