package track

import (
	"fmt"
	"math"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// The operator's words about the tracker's trouble: one status line per
// Step, and the notes of copies held back. AWS's errors are worded by
// model.Explain, here as everywhere.

// statusLine is the status line of a Step that met trouble, with how the
// front end asks again (model.RetryBy): paused until Resume on expired
// credentials, what to do first since nothing moves until it is done; or
// retrying after wait.
func statusLine(trouble error, paused bool, wait time.Duration, profile, retry string) string {
	if trouble == nil {
		return ""
	}
	how := []model.Wording{model.ForProfile(profile), model.RetryBy(retry)}
	if paused {
		return "paused: " + model.Explain(trouble, append(how, model.AdviceFirst())...)
	}
	return fmt.Sprintf("retrying in %d s: %s", int(math.Ceil(wait.Seconds())), model.Explain(trouble, append(how, model.Retrying())...))
}

// inFlightNote is the note of a copy held back by the in-flight limit.
func inFlightNote(n int, region string, limit int) string {
	return fmt.Sprintf("waiting: %d copies in flight to %s (at most %d at once)", n, region, limit)
}

// regionRefusedNote is the note of a copy held back because its Region
// refused the credentials, or the request's signature.
func regionRefusedNote(ae *model.APIError) string {
	if ae.Kind == model.ErrSignature {
		return "waiting: " + model.Explain(ae)
	}
	return fmt.Sprintf("waiting: AWS refused the credentials in %s (AuthFailure): enable the Region for this account, or check the credentials", ae.Region)
}

// reaction is what the tracker does about an AWS error met in one Region.
type reaction int

const (
	// carryOn: the error concerned one copy, which recorded it.
	carryOn reaction = iota
	// holdRegion: no more copies go to that Region this round, and nothing
	// is wrong (AWS's limit of copies in flight).
	holdRegion
	// holdRegionAndBackOff: no more copies go to that Region this round,
	// and the next Step waits a backoff (throttling, faults, a Region that
	// refuses the credentials).
	holdRegionAndBackOff
	// pause: the credentials expired; nothing is called until Resume.
	pause
)

// react decides what an AWS error from a Region means for the tracker;
// home is the Region of the credentials.
func react(ae *model.APIError, home string) reaction {
	if regionRefused(ae, home) {
		return holdRegionAndBackOff
	}
	switch ae.Kind {
	case model.ErrCredentials:
		return pause
	case model.ErrLimit:
		return holdRegion
	case model.ErrThrottled, model.ErrTransient, model.ErrUnreachable, model.ErrNotAWS:
		return holdRegionAndBackOff
	}
	return carryOn
}

// regionRefused reports AuthFailure from a Region other than the home one:
// AWS answers so in a Region the account has not enabled, while the same
// credentials work elsewhere. It holds back that Region, not the tracker.
// So does a refused signature (a clock off, a proxy), in any Region.
func regionRefused(ae *model.APIError, home string) bool {
	return ae.Kind == model.ErrSignature || ae.Code == "AuthFailure" && ae.Region != "" && ae.Region != home
}
