package track

import (
	"context"
	"strings"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// Starter sends CopySnapshot for one copy at a time, never making a copy
// twice: CopySnapshot has no client token, so a copy whose request went
// unanswered is looked for by its request tag before it is sent again.
type Starter struct {
	AWS AWS
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// SettleDelay is how long after an unanswered CopySnapshot a tag
	// look-up that finds nothing proves no copy was made (0:
	// model.DefaultSettleDelay).
	SettleDelay time.Duration
	// Accounts reaches the destination profile of a copy into another
	// account (nil: such a copy waits).
	Accounts Accounts
}

func (s Starter) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s Starter) settle() time.Duration {
	if s.SettleDelay <= 0 {
		return model.DefaultSettleDelay
	}
	return s.SettleDelay
}

// checking ends the note of a copy whose CopySnapshot went unanswered.
const checking = "checking whether the copy was made"

// Start moves a copy one step towards running:
//   - queued: CopySnapshot is sent. An answer starts the copy; a refusal
//     that can pass (throttling, AWS's copy limit, expired credentials)
//     leaves it queued, any other fails it; no answer makes it sending.
//   - sending: the copy is looked for by its request tag. Found, it is
//     starting with that id. Not found, it is sent again only once its last
//     send has settled; until then it waits.
//
// Other phases are left alone. The returned error is the AWS error met, if
// any, for the caller's backoff and pauses.
func (s Starter) Start(ctx context.Context, cp *model.Copy) error {
	now := s.now()
	aws, err := s.awsOf(ctx, cp)
	if err != nil {
		cp.Held("waiting: " + err.Error())
		return err
	}
	switch cp.Phase {
	case model.PhaseQueued:
		if lacks := cp.Request.Missing(); len(lacks) > 0 {
			// AWS would refuse it (MissingParameter); the state file's
			// reader sets such records aside, so this is a last guard.
			cp.Fail("not sent: the request has no "+strings.Join(lacks, ", no "), now)
			return nil
		}
	case model.PhaseSending:
		snap, ok, err := aws.FindByRequestID(ctx, cp.Request.DestinationRegion, cp.RequestID)
		if err != nil {
			cp.Held("checking whether the copy was made: " + model.Explain(err, model.Brief()))
			return err
		}
		if ok {
			cp.Found(snap, now)
			return nil
		}
		if !cp.Settled(now, s.settle()) {
			if !strings.HasSuffix(cp.Note, checking) {
				cp.Held("no answer from AWS; " + checking)
			} // else the note still says why the answer was lost
			return nil
		}
	default:
		return nil
	}

	if err := ctx.Err(); err != nil {
		return err // nothing was sent
	}
	cp.Sent(now)
	id, err := aws.CopySnapshot(ctx, cp.Outgoing())
	seen := s.now()
	switch model.JudgeSend(err) {
	case model.SendStarted:
		cp.Started(id, seen)
	case model.SendUnanswered:
		why := "canceled before AWS answered; " + checking
		if ae, ok := model.AsAPIError(err); ok {
			why = "no answer from AWS (" + ae.Message + "); " + checking
			if ae.Kind == model.ErrNotAWS {
				why = ae.Message + "; " + checking
			}
		}
		cp.NoAnswer(why, seen)
	case model.SendRefused:
		ae, _ := model.AsAPIError(err)
		cp.Refused(ae, seen)
	}
	return err
}
