package model

import (
	"fmt"
	"strings"
	"time"
)

// SnapLockStep is where a copy's snapshot lock stands. It is a tracked
// step of its own, saved before and after LockSnapshot is sent, so a
// restart finishes it and a lost answer is checked before asking again.
type SnapLockStep string

const (
	// SnapLockToDo: asked for, LockSnapshot not sent (or sent and proved
	// not applied). A copy with a lock asked for and no step is to do.
	SnapLockToDo SnapLockStep = "to-lock"
	// SnapLockSending: LockSnapshot went out and its answer is not known:
	// DescribeLockedSnapshots says whether it was applied before any resend.
	SnapLockSending SnapLockStep = "sending"
	// SnapLockLocked: AWS answered the copy is locked.
	SnapLockLocked SnapLockStep = "locked"
	// SnapLockFailed: AWS refused the lock; the copy goes on unlocked.
	SnapLockFailed SnapLockStep = "failed"
	// SnapLockCancelled: the copy failed or was cancelled: AWS cancels the
	// lock of a snapshot whose creation fails, and a deleted copy has none.
	SnapLockCancelled SnapLockStep = "cancelled"
)

// SnapLockInfo is a lock as LockSnapshot and DescribeLockedSnapshots
// answer it.
type SnapLockInfo struct {
	// State is AWS's LockState: governance, compliance,
	// compliance-cooloff or expired.
	State        string
	Days         int32
	CoolOffHours int32
	CreatedOn    time.Time
	// DurationStart and ExpiresOn stay zero while a duration lock waits
	// for its copy to complete.
	DurationStart time.Time
	ExpiresOn     time.Time
	CoolOffEnds   time.Time
}

// Protects reports whether the lock keeps the snapshot from being
// deleted at now: any state but expired, and not past its expiry.
func (l SnapLockInfo) Protects(now time.Time) bool {
	if l.State == "" || l.State == "expired" {
		return false
	}
	return l.ExpiresOn.IsZero() || now.Before(l.ExpiresOn)
}

// SnapLockStatus is a copy's snapshot lock as the tracker follows it.
type SnapLockStatus struct {
	Step SnapLockStep
	// Lock is what AWS last said of the lock (Step locked).
	Lock SnapLockInfo
	// Message is AWS's words and what to do when the lock failed, or what
	// snapcopy is doing about it (a lost answer being checked).
	Message string
	// Attempts counts LockSnapshot calls sent; SentAt is the last.
	Attempts int
	SentAt   time.Time
	// ReadCompleted: AWS's answer about the lock came once the copy had
	// completed, so its expiry is AWS's final word: not asked again.
	ReadCompleted bool
}

// SnapLockPending reports whether the copy's lock still has something to
// do: to lock, to check, or, for a duration lock set while the copy was
// pending, its expiry to read once the copy completed.
func (c *Copy) SnapLockPending() bool {
	if !c.Request.SnapLock.On() || c.SnapshotID == "" || c.Discovered ||
		c.Phase == PhaseFailed || c.Phase == PhaseCancelled {
		return false // a failed copy's lock is cancelled by AWS (SnapLockEnded)
	}
	switch c.SnapLock.Step {
	case "", SnapLockToDo, SnapLockSending:
		return true
	case SnapLockLocked:
		return c.Phase == PhaseCompleted && !c.SnapLock.ReadCompleted
	}
	return false
}

// SnapLockSent records that LockSnapshot goes out now: saved before it
// leaves, so a crash leaves a file that says to check before resending.
func (c *Copy) SnapLockSent(now time.Time) {
	c.SnapLock.Step = SnapLockSending
	c.SnapLock.Attempts++
	c.SnapLock.SentAt = now
	c.SnapLock.Message = "locking the copy"
	c.UpdatedAt = now
}

// SnapLocked records AWS's answer: the copy is locked as info says.
func (c *Copy) SnapLocked(info SnapLockInfo, now time.Time) {
	if info.ExpiresOn.IsZero() && !info.DurationStart.IsZero() && info.Days > 0 {
		info.ExpiresOn = info.DurationStart.AddDate(0, 0, int(info.Days))
	}
	c.SnapLock.Step = SnapLockLocked
	c.SnapLock.ReadCompleted = c.Phase == PhaseCompleted
	c.SnapLock.Lock = info
	c.SnapLock.Message = ""
	c.UpdatedAt = now
}

// SnapLockNotApplied records that DescribeLockedSnapshots shows no lock
// after a LockSnapshot whose answer was lost: it is to be sent again.
func (c *Copy) SnapLockNotApplied(now time.Time) {
	c.SnapLock.Step = SnapLockToDo
	c.SnapLock.Message = ""
	c.UpdatedAt = now
}

// SnapLockGone records that AWS shows no lock any more on a copy it had
// locked: unlocked outside snapcopy (a governance lock can be).
func (c *Copy) SnapLockGone(now time.Time) {
	c.SnapLock.Step = SnapLockFailed
	c.SnapLock.Message = "not locked any more: AWS shows no lock on the copy (unlocked outside snapcopy?)"
	c.UpdatedAt = now
}

// SnapLockUnread records that AWS refused for good to show the copy's
// lock (a permission missing, ec2:DescribeLockedSnapshots): a lock AWS
// answered keeps what it said, its expiry read no more; a lock whose
// answer was lost is not known, and is not sent again blindly.
func (c *Copy) SnapLockUnread(ae *APIError, now time.Time) {
	why := Explain(ae)
	if c.SnapLock.Step == SnapLockLocked {
		c.SnapLock.ReadCompleted = true
		c.SnapLock.Message = "its expiry could not be read: " + why
	} else {
		c.SnapLock.Step = SnapLockFailed
		c.SnapLock.Message = snapLockUnknownWords + ": " + why + "; check with aws ec2 describe-locked-snapshots"
	}
	c.UpdatedAt = now
}

// snapLockUnknownWords begin the message of a lock whose outcome AWS would not
// tell (SnapLockUnread).
const snapLockUnknownWords = "not known whether the copy was locked"

// SnapLockUnknown reports a lock step that ended without knowing whether
// AWS applied the lock: the copy may be locked.
func (c *Copy) SnapLockUnknown() bool {
	return c.SnapLock.Step == SnapLockFailed && strings.HasPrefix(c.SnapLock.Message, snapLockUnknownWords)
}

// SnapLockNoAnswer records a LockSnapshot (or the look at it) without an
// answer: it stays sending, checked before any new send.
func (c *Copy) SnapLockNoAnswer(why string, now time.Time) {
	c.SnapLock.Message = why
	c.UpdatedAt = now
}

// SnapLockWaits records a refusal that can pass (throttling, a fault,
// expired credentials): nothing was applied, the lock is asked again later.
func (c *Copy) SnapLockWaits(ae *APIError, now time.Time) {
	c.SnapLock.Step = SnapLockToDo
	c.SnapLock.Message = "waiting to lock: " + Explain(ae, Brief())
	c.UpdatedAt = now
}

// SnapLockRefused records AWS's refusal of the lock: the copy goes on
// unlocked, and the operator reads AWS's words and what to do.
func (c *Copy) SnapLockRefused(ae *APIError, now time.Time) {
	c.SnapLock.Step = SnapLockFailed
	c.SnapLock.Message = "not locked: " + Explain(ae) + snapLockAdvice(ae, c.Request.Destination())
	c.UpdatedAt = now
}

// snapLockAdvice adds what to do about a refused lock beyond AWS's own
// hint: lock the copy by hand once the cause is fixed.
func snapLockAdvice(ae *APIError, d Destination) string {
	if d.Kind == ToOutpost {
		return "; AWS does not lock local snapshots on an Outpost: copy to a Region to keep a locked copy"
	}
	if ae.Kind == ErrPermission {
		return "; once allowed ec2:LockSnapshot, lock it with aws ec2 lock-snapshot"
	}
	return "; lock it with aws ec2 lock-snapshot once the cause is fixed"
}

// SnapLockUnsettled reports a failed or cancelled copy whose lock step
// has not recorded the end yet (SnapLockEnded).
func (c *Copy) SnapLockUnsettled() bool {
	switch c.SnapLock.Step {
	case SnapLockLocked, SnapLockFailed, SnapLockCancelled:
		return false
	}
	return c.Request.SnapLock.On() && (c.Phase == PhaseFailed || c.Phase == PhaseCancelled)
}

// SnapLockEnded records that the copy failed or was cancelled with its
// lock not settled: AWS cancels the lock of a snapshot whose creation
// fails, and a copy never made has none.
func (c *Copy) SnapLockEnded(now time.Time) {
	if !c.SnapLockUnsettled() {
		return
	}
	c.SnapLock.Step = SnapLockCancelled
	c.SnapLock.Message = fmt.Sprintf("no lock: the copy %s", c.Phase)
	c.UpdatedAt = now
}

// SnapLockWords is the copy's lock as the pane and plain lines say it:
// "" without a lock asked for; "locked governance until 2026-12-15 10:04
// UTC"; "locked governance, 7 days from completion"; "to lock: ...".
func (c *Copy) SnapLockWords(now time.Time) string {
	spec := c.Request.SnapLock
	if !spec.On() {
		return ""
	}
	st := c.SnapLock
	switch st.Step {
	case SnapLockLocked:
		l := st.Lock
		state := l.State
		if state == "" {
			state = string(spec.Mode)
		}
		switch {
		case !l.ExpiresOn.IsZero() && !now.Before(l.ExpiresOn):
			return "lock expired " + l.ExpiresOn.UTC().Format("2006-01-02 15:04 UTC")
		case !l.CoolOffEnds.IsZero() && now.Before(l.CoolOffEnds):
			// In its cool-off a compliance lock can still be removed.
			state += " (cool-off until " + l.CoolOffEnds.UTC().Format("2006-01-02 15:04 UTC") + ")"
		}
		switch {
		case !l.ExpiresOn.IsZero():
			return "locked " + state + " until " + l.ExpiresOn.UTC().Format("2006-01-02 15:04 UTC")
		case spec.Days > 0:
			return "locked " + state + ", " + dayWords(spec.Days) + " from completion"
		}
		return "locked " + state
	case SnapLockFailed, SnapLockCancelled:
		return st.Message
	case SnapLockSending:
		if st.Message != "" {
			return "locking: " + st.Message
		}
		return "locking"
	}
	if st.Message != "" {
		return st.Message
	}
	return "to lock: " + spec.Words()
}

// LockedAgainstDelete reports whether the copy is locked at now, so that
// DeleteSnapshot would be refused: `C` says so instead of trying.
func (c *Copy) LockedAgainstDelete(now time.Time) bool {
	return c.SnapLock.Step == SnapLockLocked && c.SnapLock.Lock.Protects(now)
}

// SnapLockKeepsFromDelete says, when the copy's lock keeps it from being
// deleted at now, why a cancel (which deletes the copy) is not tried: ""
// when nothing keeps it. A lock being set counts: it may have been
// applied.
func (c *Copy) SnapLockKeepsFromDelete(now time.Time) string {
	id, region := c.SnapshotID, c.Request.DestinationRegion
	switch {
	case c.SnapLock.Step == SnapLockSending:
		return fmt.Sprintf("the copy %s is being locked: AWS refuses to delete a locked snapshot, so it is not cancelled; try again once the lock is settled", id)
	case !c.LockedAgainstDelete(now):
		return ""
	}
	l := c.SnapLock.Lock
	what := c.SnapLockWords(now)
	if l.State == string(SnapLockCompliance) {
		until := "it expires"
		if !l.ExpiresOn.IsZero() {
			until = l.ExpiresOn.UTC().Format("2006-01-02 15:04 UTC")
		}
		return fmt.Sprintf("the copy %s is %s: nobody can remove a compliance lock past its cool-off, so it cannot be deleted or cancelled before %s", id, what, until)
	}
	return fmt.Sprintf("the copy %s is %s: AWS refuses to delete a locked snapshot, so it is not cancelled; to delete it, unlock it first (aws ec2 unlock-snapshot --region %s --snapshot-id %s)", id, what, region, id)
}
