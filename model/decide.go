package model

import (
	"context"
	"errors"
	"strings"
	"time"
)

// The decisions about a copy, apart from the loop that acts on them (the
// tracker), the way the SDK's waiters keep their retry decision apart from
// their polling loop. Each is pure and table-tested.

// DefaultSettleDelay is how long after an unanswered CopySnapshot the app
// waits before deciding, from a tag look-up that finds nothing, that no copy
// was made. It must be longer than EC2's visibility lag for new snapshots.
const DefaultSettleDelay = 15 * time.Second

// MissingPolls is how many polls in a row a running copy may be absent
// before snapcopy asks AWS for it by id. Once AWS has shown a copy it
// keeps showing it, so one miss is already unusual.
const MissingPolls = 3

// StartingTimeout is how long a copy AWS accepted may stay invisible
// before snapcopy asks for it by id: far longer than EC2's visibility lag.
const StartingTimeout = 10 * time.Minute

// SendOutcome sorts what came back from one CopySnapshot.
type SendOutcome int

const (
	// SendStarted: AWS answered with the new copy's id.
	SendStarted SendOutcome = iota
	// SendUnanswered: the outcome is unknown (a 5xx, a timeout, a dropped
	// connection, a cancellation while the request was out): AWS may have
	// made the copy.
	SendUnanswered
	// SendRefused: AWS refused, or the request never left (no connection,
	// no credentials): no copy was made.
	SendRefused
)

// JudgeSend sorts the error of one CopySnapshot (nil: it was answered).
// An error that is not an AWS error is a cancellation while the request
// was out, which proves nothing either way; so is a success answer that
// could not be decoded, or an answer that is not AWS's (a proxy may have
// sent the request on).
func JudgeSend(err error) SendOutcome {
	if err == nil {
		return SendStarted
	}
	ae, ok := AsAPIError(err)
	if !ok || ae.Kind == ErrTransient || ae.Kind == ErrNotAWS || ae.Kind == ErrUndecodable && ae.Status/100 == 2 {
		return SendUnanswered
	}
	return SendRefused
}

// RefusalWaits reports whether a copy AWS refused should wait in the queue
// and be sent again as it is (throttling, AWS's copy limit, a fault before
// the request left, credentials to renew) rather than fail.
func RefusalWaits(ae *APIError) bool {
	return ae.Retryable() || ae.Kind == ErrCredentials
}

// Settled reports whether an unanswered CopySnapshot of the copy is old
// enough (settle, see DefaultSettleDelay) that a tag look-up finding
// nothing proves no copy was made, so the copy may be sent again.
func (c *Copy) Settled(now time.Time, settle time.Duration) bool {
	return now.Sub(c.AttemptedAt) >= settle
}

// InFlight reports whether the copy counts against its destination
// Region's limit of copies at once: sent, and not yet ended.
func (p Phase) InFlight() bool {
	return p == PhaseSending || p == PhaseStarting || p == PhaseRunning
}

// Overdue reports whether a copy missing from the polls should be asked
// for by id: a running copy absent from misses polls in a row (at least
// MissingPolls), or a starting one still invisible StartingTimeout after
// it was sent. A starting copy missing sooner is in AWS's visibility lag.
func (c *Copy) Overdue(misses int, now time.Time) bool {
	switch c.Phase {
	case PhaseRunning:
		return misses >= MissingPolls
	case PhaseStarting:
		return now.Sub(c.SentAt) >= StartingTimeout
	}
	return false
}

// VisiblyChanged reports whether anything a user sees of a copy differs
// between a and b.
func VisiblyChanged(a, b Copy) bool {
	return a.Phase != b.Phase || a.Progress != b.Progress || a.SnapshotID != b.SnapshotID ||
		a.StateMessage != b.StateMessage || a.Note != b.Note || !a.StartTime.Equal(b.StartTime) ||
		a.Cross.Step != b.Cross.Step
}

// CancelAction is how a copy is cancelled, by the phase it is in.
type CancelAction int

const (
	// CancelNotAllowed: the copy has ended; there is nothing to cancel.
	CancelNotAllowed CancelAction = iota
	// CancelLocally: nothing was sent; the copy is only marked cancelled.
	CancelLocally
	// CancelFindFirst: CopySnapshot went out without a known answer; the
	// copy is looked for by its request tag, then deleted when found.
	CancelFindFirst
	// CancelByDelete: AWS is making the copy; its snapshot is deleted.
	CancelByDelete
)

// HowToCancel decides how to cancel a copy in phase p. UNCONFIRMED: AWS
// documents no call that cancels a snapshot copy; that DeleteSnapshot on a
// pending copy stops it (and frees its place in the Region's copy limit)
// is believed, not documented. This is the one place that assumption is
// made.
func HowToCancel(p Phase) CancelAction {
	switch p {
	case PhaseQueued:
		return CancelLocally
	case PhaseSending:
		return CancelFindFirst
	case PhaseStarting, PhaseRunning:
		return CancelByDelete
	}
	return CancelNotAllowed
}

// Owns reports whether s is the copy c started: it carries snapcopy's
// request tag with c's own request id. Only such a snapshot may be deleted
// to cancel c; any other is left alone.
func (c *Copy) Owns(s Snapshot) bool {
	if c.RequestID == "" {
		return false
	}
	for _, t := range s.Tags {
		if t.Key == RequestTagKey {
			return t.Value == c.RequestID
		}
	}
	return false
}

// Retryable reports whether the operator may send the copy's request again:
// a failed copy snapcopy started here, whose source is known. A copy found
// in flight (Discovered) is someone else's request: snapcopy never sends
// it, whatever its origin says.
func (c *Copy) Retryable() bool {
	return c.Phase == PhaseFailed && !c.Discovered && c.Request.SourceSnapshotID != "" && c.Request.SourceRegion != ""
}

// FailedOnItsKey reports whether a failed copy failed on its KMS key: the
// request named or implied one (encrypted) and AWS's message speaks of a
// key. Sending the same request again fails the same way; the key needs
// changing. UNCONFIRMED: AWS documents no list of a failed copy's
// messages; "Given key ID is not accessible" is the one seen (for a key
// that is missing, disabled or not usable by the account).
func (c *Copy) FailedOnItsKey() bool {
	r := c.Request
	return c.Phase == PhaseFailed && (r.KmsKeyID != "" || r.Encrypted) &&
		strings.Contains(strings.ToLower(c.StateMessage), "key")
}

// Cancellable reports whether the operator may cancel the copy: one
// snapcopy started here that has not ended (HowToCancel). A copy found in
// flight (Discovered) is followed, never cancelled.
func (c *Copy) Cancellable() bool {
	return !c.Discovered && HowToCancel(c.Phase) != CancelNotAllowed
}

// LastBatch returns the request ids of the copies created last together:
// the copies of one submit of the form (or one retry of many) share their
// creation time.
func LastBatch(copies []Copy) []string {
	var latest time.Time
	for i := range copies {
		if copies[i].CreatedAt.After(latest) {
			latest = copies[i].CreatedAt
		}
	}
	var ids []string
	for i := range copies {
		if !latest.IsZero() && copies[i].CreatedAt.Equal(latest) {
			ids = append(ids, copies[i].RequestID)
		}
	}
	return ids
}

// Unanswered reports whether err means that no answer came from AWS: a
// call without an answer in its time (a hung endpoint, a silent listener),
// an endpoint that cannot be reached, or an answer that is not AWS's (a
// proxy in its place). A refusal, throttling or a 5xx is an answer.
func Unanswered(err error) bool {
	if err == nil {
		return false
	}
	ae, ok := AsAPIError(err)
	if !ok {
		return errors.Is(err, context.DeadlineExceeded)
	}
	switch ae.Kind {
	case ErrUnreachable, ErrNotAWS:
		return true
	case ErrTransient:
		// No status: no answer; a success status: its body never came
		// whole. A 5xx is AWS's answer.
		return ae.Status == 0 || ae.Status/100 == 2
	}
	return false
}
