package model

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestExplain(t *testing.T) {
	denied := &APIError{Op: "DescribeSnapshots", Region: "us-west-2", Code: "UnauthorizedOperation",
		Message: "You are not authorized to perform this operation.", Kind: ErrPermission}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"not from AWS", errors.New("save state: disk full"), "save state: disk full"},
		{"code, hint and AWS's message", denied,
			"DescribeSnapshots in us-west-2: UnauthorizedOperation — your IAM identity lacks permission for DescribeSnapshots: ask for it or switch profile. AWS says: You are not authorized to perform this operation."},
		{"code without hint",
			&APIError{Op: "CopySnapshot", Region: "us-east-1", Code: "InvalidParameterValue", Message: "bad key", Kind: ErrInvalid},
			"CopySnapshot in us-east-1: InvalidParameterValue: bad key"},
		{"no code (network)",
			&APIError{Op: "DescribeSnapshots", Region: "us-west-2", Message: "dial tcp: connection refused", Kind: ErrUnreachable},
			"DescribeSnapshots in us-west-2: the EC2 endpoint cannot be reached: check the network or --endpoint-url, then try again (dial tcp: connection refused)"},
		{"expired credentials",
			&APIError{Op: "CopySnapshot", Region: "us-east-1", Code: "RequestExpired", Message: "Request has expired.", Kind: ErrCredentials},
			"CopySnapshot in us-east-1: RequestExpired — credentials expired or invalid: renew them (for example `aws sso login --profile NAME`), then try again. AWS says: Request has expired."},
		{"no Region", &APIError{Op: "DescribeRegions", Message: "timeout", Kind: ErrInvalid}, "DescribeRegions: timeout"},
		{"wrapped: the context stays in front", fmt.Errorf("the copies were not started: %w", denied),
			"the copies were not started: DescribeSnapshots in us-west-2: UnauthorizedOperation — your IAM identity lacks permission"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Explain(tt.err)
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("Explain =\n%q\nwant (a prefix)\n%q", got, tt.want)
			}
			if tt.err != nil && got == "" {
				t.Error("an error explained as nothing")
			}
		})
	}
}

// Every wording of one error, full or brief, with a screen's retry or a
// profile, comes from Explain: the table shows what each place prints.
func TestExplainWordings(t *testing.T) {
	expired := &APIError{Op: "DescribeSnapshots", Region: "us-west-2", Code: "RequestExpired", Message: "Request has expired.", Kind: ErrCredentials}
	denied := &APIError{Op: "CopySnapshot", Code: "UnauthorizedOperation", Message: "no", Kind: ErrPermission}
	throttled := &APIError{Op: "CopySnapshot", Region: "us-east-1", Code: "RequestLimitExceeded", Message: "Rate exceeded.", Kind: ErrThrottled}
	refused := &APIError{Op: "DescribeSnapshots", Region: "us-west-2", Message: "dial tcp: connection refused", Kind: ErrUnreachable}
	tests := []struct {
		name string
		err  error
		how  []Wording
		want string
	}{
		{"a screen's key in place of try again", expired, []Wording{RetryBy("press R")},
			"DescribeSnapshots in us-west-2: RequestExpired — credentials expired or invalid: renew them (for example `aws sso login --profile NAME`), then press R. AWS says: Request has expired."},
		{"an empty retry keeps try again", expired, []Wording{RetryBy("")}, Explain(expired)},
		{"a hint that asks for no retry is untouched", denied, []Wording{RetryBy("press r")}, Explain(denied)},
		{"the profile named", expired, []Wording{ForProfile("prod-admin"), RetryBy("press r")},
			"DescribeSnapshots in us-west-2: RequestExpired — credentials expired or invalid: renew them (for example `aws sso login --profile prod-admin`), then press r. AWS says: Request has expired."},
		{"an empty profile keeps the placeholder", expired, []Wording{ForProfile("")}, Explain(expired)},
		{"brief: code and AWS's message", throttled, []Wording{Brief()}, "RequestLimitExceeded: Rate exceeded."},
		{"brief without a code: AWS's message", refused, []Wording{Brief()}, "dial tcp: connection refused"},
		{"brief drops wrapped context", fmt.Errorf("look up tags: %w", throttled), []Wording{Brief()}, "RequestLimitExceeded: Rate exceeded."},
		{"brief of an error not from AWS", errors.New("disk full"), []Wording{Brief()}, "disk full"},
		{"advice first, the key in it", expired, []Wording{AdviceFirst(), RetryBy("press r")},
			"credentials expired or invalid: renew them (for example `aws sso login --profile NAME`), then press r — DescribeSnapshots in us-west-2: RequestExpired: Request has expired."},
		{"advice first without a code", refused, []Wording{AdviceFirst()},
			"the EC2 endpoint cannot be reached: check the network or --endpoint-url, then try again — DescribeSnapshots in us-west-2: dial tcp: connection refused"},
		{"advice first keeps wrapped context in front", fmt.Errorf("the copies were not started: %w", throttled), []Wording{AdviceFirst()},
			"the copies were not started: AWS is throttling requests; wait a moment, then try again — CopySnapshot in us-east-1: RequestLimitExceeded: Rate exceeded."},
		// snapcopy says it retries only where it does: in the tracker.
		{"a passing fault where snapcopy retries", throttled, []Wording{Retrying()},
			"CopySnapshot in us-east-1: RequestLimitExceeded — AWS is throttling requests; snapcopy backs off and retries. AWS says: Rate exceeded."},
		{"a passing fault on a screen that asks again", throttled, []Wording{RetryBy("press r")},
			"CopySnapshot in us-east-1: RequestLimitExceeded — AWS is throttling requests; wait a moment, then press r. AWS says: Rate exceeded."},
		{"advice first without advice is as usual", &APIError{Op: "CopySnapshot", Region: "us-east-1", Code: "InvalidParameterValue", Message: "bad key", Kind: ErrInvalid}, []Wording{AdviceFirst()},
			"CopySnapshot in us-east-1: InvalidParameterValue: bad key"},
		{"brief wins over the other wordings", expired, []Wording{RetryBy("press r"), Brief(), ForProfile("p")}, "RequestExpired: Request has expired."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Explain(tt.err, tt.how...); got != tt.want {
				t.Errorf("Explain =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// A hint written by the model is read in plain mode's logs too, where no
// key can be pressed: no hint names one.
func TestHintsNameNoKey(t *testing.T) {
	for k := ErrInvalid; k <= ErrUnreachable; k++ {
		h := (&APIError{Op: "CopySnapshot", Kind: k}).Hint()
		if strings.Contains(strings.ToLower(h), "press") {
			t.Errorf("kind %d: hint %q asks for a key press", k, h)
		}
	}
}

func TestSignatureHintNamesTheClock(t *testing.T) {
	cases := []struct {
		skew time.Duration
		want string
	}{
		{-7 * time.Minute, "the local clock is 7 min behind AWS's: fix the clock (NTP)"},
		{-7*time.Minute - 20*time.Second, "the local clock is 7 min behind AWS's"},
		{10 * time.Minute, "the local clock is 10 min ahead of AWS's: fix the clock (NTP)"},
		{-3 * time.Hour, "the local clock is 3.0 h behind AWS's"},
		{-5*time.Minute - 40*time.Second, "the local clock is 6 min behind AWS's"},
		{-5*time.Minute - 20*time.Second, "the local clock is 5 min behind AWS's"},
		{-4 * time.Minute, "usually a proxy that changes requests"},
		{0, "usually a proxy that changes requests"},
	}
	for _, tc := range cases {
		e := &APIError{Op: "CopySnapshot", Code: "SignatureDoesNotMatch", Kind: ErrSignature, ClockSkew: tc.skew}
		if got := e.Hint(); !strings.Contains(got, tc.want) {
			t.Errorf("skew %v: hint %q, want %q", tc.skew, got, tc.want)
		}
	}
}

// An expired request from a clock far from AWS's is the clock's fault: the
// advice is to fix it, not to renew credentials that are fine.
func TestExpiredRequestHintNamesTheClock(t *testing.T) {
	for _, tc := range []struct {
		skew time.Duration
		want string
	}{
		{-7 * time.Minute, "the local clock is 7 min behind AWS's: fix the clock (NTP), then try again"},
		{12 * time.Minute, "the local clock is 12 min ahead of AWS's: fix the clock (NTP), then try again"},
		{-2 * time.Minute, "credentials expired or invalid: renew them"},
		{0, "credentials expired or invalid: renew them"},
	} {
		e := &APIError{Op: "DescribeSnapshots", Code: "RequestExpired", Kind: ErrCredentials, ClockSkew: tc.skew}
		if got := e.Hint(); !strings.Contains(got, tc.want) {
			t.Errorf("skew %v: hint %q, want %q", tc.skew, got, tc.want)
		}
	}
	e := &APIError{Op: "DescribeSnapshots", Code: "RequestExpired", Kind: ErrCredentials, ClockSkew: -7 * time.Minute}
	if got := Explain(e, RetryBy("press r")); !strings.Contains(got, "fix the clock (NTP), then press r") {
		t.Errorf("a screen's key is not in the clock advice: %q", got)
	}
}

// A refused signature keeps a copy waiting; an undecodable answer is not
// asked for again.
func TestNewKindsRetryable(t *testing.T) {
	if !(&APIError{Kind: ErrSignature}).Retryable() {
		t.Error("ErrSignature is not retryable: the copy would fail")
	}
	if (&APIError{Kind: ErrUndecodable}).Retryable() {
		t.Error("ErrUndecodable is retryable: the same answer would come back")
	}
	if h := (&APIError{Kind: ErrUndecodable}).Hint(); strings.Contains(h, "temporary") || strings.Contains(h, "retries") {
		t.Errorf("undecodable hint %q", h)
	}
}
