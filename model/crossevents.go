package model

import (
	"fmt"
	"time"
)

// The steps of a copy into another account move only through the methods
// below, named for the event each records, like the copy's phase.

// intermediateSuffix makes the intermediate copy's request tag from the
// copy's own: looked up by it like any copy, and never taken for the copy.
const intermediateSuffix = "-reencrypt"

// StartCrossAccount makes c a copy into another account at its first step.
// Called on a new copy, before it is added to the tracker.
func (c *Copy) StartCrossAccount(x CrossAccount) {
	x.Step = x.FirstStep()
	if x.ReencryptKey != "" {
		x.IntermediateRequestID = c.RequestID + intermediateSuffix
	}
	c.Cross = x
	// A twin is looked for in the copy's own account only; a copy into
	// another account is one per run, under the host's lock.
	c.OnlyCopy = false
	c.Note = "next: " + x.Step.Title()
}

// Again is the way of x into the other account without its progress: a
// retry of the copy takes every step again.
func (x CrossAccount) Again() CrossAccount {
	return CrossAccount{
		DestinationProfile: x.DestinationProfile, DestinationAccount: x.DestinationAccount,
		SourceProfile: x.SourceProfile, SourceAccount: x.SourceAccount,
		SourceKey: x.SourceKey, ReencryptKey: x.ReencryptKey, KeepShare: x.KeepShare,
	}
}

// IntermediateRequest is the CopySnapshot of the intermediate copy: in the
// source Region, under the re-encrypting key, tagged with its own request
// tag.
func (c *Copy) IntermediateRequest() CopyRequest {
	r := c.Request
	return CopyRequest{
		DestinationRegion: r.SourceRegion,
		SourceRegion:      r.SourceRegion,
		SourceSnapshotID:  r.SourceSnapshotID,
		Description:       fmt.Sprintf("Re-encrypted copy of %s to share with account %s (snapcopy)", r.SourceSnapshotID, c.Cross.DestinationAccount),
		Encrypted:         true,
		KmsKeyID:          c.Cross.ReencryptKey,
		Tags:              []Tag{{Key: RequestTagKey, Value: c.Cross.IntermediateRequestID}},
	}
}

// IntermediateSent records that the intermediate copy's CopySnapshot goes
// out now (saved before it does: a restart looks for it by its tag first).
func (c *Copy) IntermediateSent(now time.Time) {
	c.Cross.IntermediateSentAt = now
	c.Note = "re-encrypting: sending CopySnapshot in " + c.Request.SourceRegion
	c.UpdatedAt = now
}

// IntermediateSettled reports whether an unanswered intermediate
// CopySnapshot has settled: a tag look-up that finds nothing now proves
// no copy was made.
func (c *Copy) IntermediateSettled(now time.Time, settle time.Duration) bool {
	return now.Sub(c.Cross.IntermediateSentAt) >= settle
}

// IntermediateStarted records the intermediate copy's id.
func (c *Copy) IntermediateStarted(id string, now time.Time) {
	c.Cross.IntermediateSnapshotID = id
	c.Note = "re-encrypting: " + id
	c.UpdatedAt = now
}

// IntermediateObserved applies what AWS says of the intermediate copy:
// completed moves on to sharing it; an error fails the copy.
func (c *Copy) IntermediateObserved(s Snapshot, now time.Time) {
	switch s.State {
	case StateCompleted:
		c.Cross.Step = CrossShare
		c.Note = "re-encrypted as " + s.ID + "; sharing it"
	case StateError:
		c.Fail(fmt.Sprintf("the re-encrypting copy %s failed: %s", s.ID, s.StateMessage), now)
		return
	default:
		c.Note = fmt.Sprintf("re-encrypting: %s %d%%", s.ID, max(0, s.Progress))
	}
	c.UpdatedAt = now
}

// Sharing records, before ModifySnapshotAttribute goes out, that the share
// is snapcopy's: it is removed at the end (a restart shares again, which
// changes nothing).
func (c *Copy) Sharing(now time.Time) {
	c.Cross.ShareAdded = true
	c.Note = "sharing with account " + c.Cross.DestinationAccount
	c.UpdatedAt = now
}

// Shared records that the snapshot is shared with the destination
// account (by snapcopy, or before it); next is the key policy's check for
// an encrypted snapshot, else the copy.
func (c *Copy) Shared(now time.Time) {
	c.Cross.Step = CrossCopy
	if c.Cross.SharedKey() != "" {
		c.Cross.Step = CrossKeyPolicy
	}
	c.Note = "shared with account " + c.Cross.DestinationAccount
	c.UpdatedAt = now
}

// KeyPolicyChecked records the key policy's check: with no statement
// missing the copy may be sent; else it waits, saying what to add (nothing
// is sent until the policy admits the account).
func (c *Copy) KeyPolicyChecked(missing []KeyStatement, why string, now time.Time) {
	c.UpdatedAt = now
	c.Cross.PolicyLacking = len(missing) > 0 || why != ""
	if c.Cross.PolicyLacking {
		if why == "" {
			why = fmt.Sprintf("the policy of %s lacks %d statement(s) for account %s: add them (snapcopy copy --to-profile prints them)", c.Cross.SharedKey(), len(missing), c.Cross.DestinationAccount)
		}
		c.Note = "waiting: " + why
		return
	}
	c.Cross.Step = CrossCopy
	c.Note = "the key policy admits account " + c.Cross.DestinationAccount
}

// WaitsForKeyPolicy reports whether the copy waits for statements to be
// added to its key's policy: the screen offers to add them (PutKeyPolicy,
// after a y/n showing the policy before and after).
func (c *Copy) WaitsForKeyPolicy() bool {
	return !c.Phase.Done() && c.Cross.Step == CrossKeyPolicy && c.Cross.PolicyLacking
}

// cleanupFirst turns the end of a copy into another account into its
// cleanup step when a share or an intermediate copy is left to remove:
// the copy ends (outcome) once they are. It reports whether it did.
func (c *Copy) cleanupFirst(outcome Phase, message string, now time.Time) bool {
	x := c.Cross
	if !x.Active() || x.Step == CrossCleanup || x.Step == CrossDone {
		return false
	}
	c.Cross.Step = CrossCleanup
	c.Cross.Outcome, c.Cross.OutcomeMessage = outcome, message
	c.Phase = PhaseRunning
	c.Note = "cleaning up in the source account"
	c.UpdatedAt = now
	return true
}

// Unshared records that the share snapcopy added is removed.
func (c *Copy) Unshared(now time.Time) {
	c.Cross.Unshared = true
	c.UpdatedAt = now
}

// IntermediateDeleted records that the intermediate copy is deleted.
func (c *Copy) IntermediateDeleted(now time.Time) {
	c.Cross.IntermediateDeleted = true
	c.UpdatedAt = now
}

// CleanedUp ends a copy into another account whose cleanup is done, as the
// copy itself ended.
func (c *Copy) CleanedUp(now time.Time) {
	c.Cross.Step = CrossDone
	c.Note = ""
	c.UpdatedAt = now
	switch c.Cross.Outcome {
	case PhaseCompleted:
		c.Phase = PhaseCompleted
		c.Progress = 100
		c.DoneAt = now
	case PhaseCancelled:
		c.Cancelled("", now)
		c.StateMessage = c.Cross.OutcomeMessage
	default:
		c.Fail(c.Cross.OutcomeMessage, now)
	}
}

// CleanupWanted says what the cleanup of a copy into another account has
// still to do: remove the share snapcopy added, delete the intermediate
// copy (both unless KeepShare).
func (x CrossAccount) CleanupWanted() (unshare, deleteIntermediate bool) {
	if x.KeepShare {
		return false, false
	}
	return x.ShareAdded && !x.Unshared, x.IntermediateSnapshotID != "" && !x.IntermediateDeleted
}

// CleanupRefused ends a copy into another account whose cleanup AWS
// refused for good (the share or the intermediate copy is left behind), as
// the copy itself ended, saying what is left and why.
func (c *Copy) CleanupRefused(why string, now time.Time) {
	left := "left behind in the source account: " + why
	if c.Cross.OutcomeMessage != "" {
		left = c.Cross.OutcomeMessage + "; " + left
	}
	c.Cross.OutcomeMessage = left
	c.CleanedUp(now)
	c.StateMessage = left
}
