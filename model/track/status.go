package track

import (
	"fmt"
	"math"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// The operator's words about the tracker's trouble: one status line and
// one hint per Step, and the notes of copies held back.

// retryStatus is the status line while the tracker backs off.
func retryStatus(wait time.Duration, trouble error) string {
	return fmt.Sprintf("retrying in %d s: %s", int(math.Ceil(wait.Seconds())), trouble.Error())
}

// pausedStatus is the status line while the tracker waits for Resume.
func pausedStatus(ae *model.APIError) string { return "paused: " + ae.Error() }

// renewHint says how to get fresh credentials for profile ("" for none).
func renewHint(profile string) string {
	if profile != "" {
		return "credentials expired: run `aws sso login --profile " + profile + "` (or renew them another way)"
	}
	return "credentials expired or invalid: renew your credentials"
}

// inFlightNote is the note of a copy held back by the in-flight limit.
func inFlightNote(n int, region string, limit int) string {
	return fmt.Sprintf("waiting: %d copies in flight to %s (at most %d at once)", n, region, limit)
}

// regionRefusedNote is the note of a copy held back because its Region
// refused the credentials, or the request's signature.
func regionRefusedNote(ae *model.APIError) string {
	if ae.Kind == model.ErrSignature {
		return fmt.Sprintf("waiting: AWS refused the request's signature in %s (%s): %s", ae.Region, ae.Code, ae.Hint())
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
	case model.ErrThrottled, model.ErrTransient, model.ErrUnreachable:
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
