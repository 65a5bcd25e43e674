package model

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrorKind sorts AWS errors by what the app should do about them.
type ErrorKind int

const (
	// ErrInvalid: the request broke a rule; show the message, do not retry.
	ErrInvalid ErrorKind = iota
	// ErrNotFound: unknown id (or a new copy not yet visible).
	ErrNotFound
	// ErrState: the source is not in a copyable state.
	ErrState
	// ErrLimit: too many copies in flight to one Region; retry later.
	ErrLimit
	// ErrPermission: the caller lacks an IAM permission.
	ErrPermission
	// ErrCredentials: credentials are wrong or expired; renew, then retry.
	ErrCredentials
	// ErrThrottled: RequestLimitExceeded; back off and retry.
	ErrThrottled
	// ErrTransient: 5xx, dropped connection, timeout; retry.
	ErrTransient
	// ErrDryRunOK: a dry run that would have succeeded (DryRunOperation).
	ErrDryRunOK
	// ErrUnreachable: the endpoint cannot be reached at all.
	ErrUnreachable
	// ErrSignature: AWS could not match the request's signature
	// (SignatureDoesNotMatch). Not a refusal of the request: usually the
	// local clock is off or a proxy changed the request. Copies wait.
	ErrSignature
	// ErrUndecodable: AWS's answer could not be decoded (a character XML
	// cannot carry); the same request gets the same answer.
	ErrUndecodable
	// ErrNotAWS: what answered is not AWS (a proxy's sign-in page, a body
	// too large, bytes that only claim to be gzip): never read as data. A
	// request answered so may or may not have reached AWS.
	ErrNotAWS
)

// MaxClockSkew is how far the local clock may be from AWS's before a
// signature AWS refused is blamed on the clock: AWS refuses requests
// signed more than 5 minutes off its own time.
const MaxClockSkew = 5 * time.Minute

// APIError is an AWS error in the app's terms. awsops makes them from the
// SDK's errors; Explain turns one into the operator's text.
type APIError struct {
	Op      string // "CopySnapshot", "DescribeSnapshots", ...
	Region  string
	Code    string // AWS's error code, e.g. "InvalidParameterValue"; "" for network errors
	Message string
	Status  int // HTTP status, 0 when no answer came
	Kind    ErrorKind
	Err     error // the underlying error
	// ClockSkew is how far the local clock is ahead of AWS's (negative:
	// behind), from the answer's Date header; 0 when unknown.
	ClockSkew time.Duration
}

func (e *APIError) Error() string {
	where := e.Op
	if e.Region != "" {
		where += " in " + e.Region
	}
	if e.Code != "" {
		return fmt.Sprintf("%s: %s: %s", where, e.Code, e.Message)
	}
	return fmt.Sprintf("%s: %s", where, e.Message)
}

func (e *APIError) Unwrap() error { return e.Err }

// Retryable reports whether sending the same request later can succeed
// without the operator changing anything in snapcopy. A refused signature
// counts: once the clock or the proxy is put right the same request passes,
// so the copy waits rather than fails.
func (e *APIError) Retryable() bool {
	switch e.Kind {
	case ErrThrottled, ErrTransient, ErrLimit, ErrUnreachable, ErrSignature, ErrNotAWS:
		return true
	}
	return false
}

// thenTryAgain ends a hint whose remedy is outside snapcopy, after which
// the operator asks again; RetryBy puts a screen's own way in its place.
const thenTryAgain = "then try again"

// retriedHere ends the advice on a passing fault where snapcopy itself
// asks again (the tracker); elsewhere (a screen's look-up, the list) it is
// worded as "wait a moment, then try again": snapcopy says it retries only
// where it does.
const retriedHere = "snapcopy backs off and retries"

// anyProfile stands for the profile in the credentials hint when it is not
// known; ForProfile names it.
const anyProfile = "NAME"

// Hint says in one sentence what the operator can do. It names no key:
// plain mode's readers have none to press, and a screen names its own.
// Explain is the operator's text; Hint is the part of it that advises.
func (e *APIError) Hint() string { return e.hint(anyProfile) }

// hint is Hint with the credentials' profile named.
func (e *APIError) hint(profile string) string {
	switch e.Kind {
	case ErrCredentials:
		if e.clockOff() {
			// AWS refuses a request signed too far from its own time as
			// expired, whatever the credentials.
			return fmt.Sprintf("the local clock is %s AWS's: fix the clock (NTP), ", skewWords(e.ClockSkew.Round(time.Minute))) + thenTryAgain
		}
		return "credentials expired or invalid: renew them (for example `aws sso login --profile " + profile + "`), " + thenTryAgain
	case ErrPermission:
		return "your IAM identity lacks permission for " + e.Op + ": ask for it or switch profile"
	case ErrThrottled:
		return "AWS is throttling requests; " + retriedHere
	case ErrTransient:
		return "a temporary AWS or network fault; " + retriedHere
	case ErrUnreachable:
		return "the EC2 endpoint cannot be reached: check the network or --endpoint-url, " + thenTryAgain
	case ErrLimit:
		return "too many copies in flight to this Region; the copy waits and is retried"
	case ErrNotFound:
		return "the snapshot does not exist (a new copy can take a few seconds to appear)"
	case ErrState:
		return "the source snapshot is not in a state that can be copied"
	case ErrSignature:
		if e.clockOff() {
			return fmt.Sprintf("the local clock is %s AWS's: fix the clock (NTP)", skewWords(e.ClockSkew.Round(time.Minute)))
		}
		return "AWS could not verify the request's signature: usually a proxy that changes requests, else a wrong clock or secret key"
	case ErrUndecodable:
		return "a description or tag holds a character XML cannot carry; asking again gets the same answer"
	case ErrNotAWS:
		return "something between snapcopy and AWS answered in its place: sign in to the network's portal or proxy, or check HTTPS_PROXY, NO_PROXY and --endpoint-url, " + thenTryAgain
	}
	return ""
}

// clockOff reports whether the local clock is further from AWS's than
// AWS allows a signed request to be.
func (e *APIError) clockOff() bool {
	return e.ClockSkew > MaxClockSkew || e.ClockSkew < -MaxClockSkew
}

// skewWords says how far a clock ahead by skew is from AWS's: "7 min behind".
func skewWords(skew time.Duration) string {
	way := "ahead of"
	if skew < 0 {
		way, skew = "behind", -skew
	}
	if skew >= 2*time.Hour {
		return fmt.Sprintf("%.1f h %s", skew.Hours(), way)
	}
	return fmt.Sprintf("%d min %s", int(skew.Minutes()), way)
}

// AsAPIError returns the APIError inside err, if any.
func AsAPIError(err error) (*APIError, bool) {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae, true
	}
	return nil, false
}

// A Wording changes how Explain words an error for where it is shown.
type Wording func(*wording)

type wording struct {
	retrying    bool
	brief       bool
	adviceFirst bool
	retry       string
	profile     string
}

// Brief words an error for a copy's note, where the row already says which
// copy and where: AWS's code and message only ("RequestLimitExceeded: Rate
// exceeded."), or the message alone when AWS gave no code.
func Brief() Wording { return func(w *wording) { w.brief = true } }

// Retrying is for the tracker, which asks again by itself after a passing
// fault: the advice says so. Without it, the advice on a passing fault is
// to wait and try again.
func Retrying() Wording { return func(w *wording) { w.retrying = true } }

// AdviceFirst puts what to do in front, for a line that waits on the
// operator and may be cut at the terminal's width: "credentials expired
// or invalid: renew them (...), then press r — CopySnapshot in us-east-1:
// RequestExpired: Request has expired." An error without advice is worded
// as usual.
func AdviceFirst() Wording { return func(w *wording) { w.adviceFirst = true } }

// RetryBy is for a front end with its own way to ask again: where the
// advice says "then try again" it says "then " + how ("then press r").
// An empty how keeps "try again".
func RetryBy(how string) Wording { return func(w *wording) { w.retry = how } }

// ForProfile names the credentials' profile in the advice to renew them;
// "" keeps a placeholder.
func ForProfile(profile string) Wording { return func(w *wording) { w.profile = profile } }

// Explain is err as the operator reads it, on every screen, in plain mode
// and in the tracker's status: what failed and where, AWS's code, what to
// do, and AWS's message last (it can be a long encoded authorization
// message that a line cuts):
//
//	DescribeSnapshots in us-west-2: UnauthorizedOperation — your IAM identity
//	lacks permission for DescribeSnapshots: ask for it or switch profile.
//	AWS says: You are not authorized to perform this operation.
//
// Context wrapped around an APIError ("the copies were not started: ...")
// is kept in front. An error that is not an APIError is its own text.
// The text is AWS's as it came: a screen sanitizes it before showing it.
// Wordings shorten it for a copy's note (Brief), lead with the advice
// (AdviceFirst), put a screen's key in the advice (RetryBy) or name the
// profile (ForProfile).
func Explain(err error, how ...Wording) string {
	if err == nil {
		return ""
	}
	ae, ok := AsAPIError(err)
	if !ok {
		return err.Error()
	}
	var w wording
	for _, f := range how {
		f(&w)
	}
	if w.brief {
		if ae.Code == "" {
			return ae.Message
		}
		return ae.Code + ": " + ae.Message
	}
	where := ae.Op
	if ae.Region != "" {
		where += " in " + ae.Region
	}
	var s string
	profile := anyProfile
	if w.profile != "" {
		profile = w.profile
	}
	hint := ae.hint(profile)
	if !w.retrying {
		hint = strings.Replace(hint, retriedHere, "wait a moment, "+thenTryAgain, 1)
	}
	if w.retry != "" {
		hint = strings.Replace(hint, thenTryAgain, "then "+w.retry, 1)
	}
	switch {
	case w.adviceFirst && hint != "":
		s = hint + " — " + where + ": " + Explain(ae, Brief())
		where = ""
	case ae.Code != "" && hint != "":
		s = ae.Code + " — " + hint + ". AWS says: " + ae.Message
	case ae.Code != "":
		s = ae.Code + ": " + ae.Message
	case hint != "" && ae.Message != "":
		s = hint + " (" + ae.Message + ")"
	case hint != "":
		s = hint
	default:
		s = ae.Message
	}
	if where != "" {
		s = where + ": " + s
	}
	// Keep what the caller wrapped around the APIError.
	if full := err.Error(); full != ae.Error() && strings.HasSuffix(full, ae.Error()) {
		s = strings.TrimSuffix(full, ae.Error()) + s
	}
	return s
}
