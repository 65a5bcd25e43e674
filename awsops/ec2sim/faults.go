package ec2sim

import (
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Faults are failures the simulator injects, switchable at run time. JSON
// names are camelCase (throttleRate); Go names (ThrottleRate) are accepted
// too, as encoding/json matches names without regard to case. Durations
// are written as strings ("250ms") and read from a string or a number of
// nanoseconds.
type Faults struct {
	// ThrottleRate is the fraction of requests answered RequestLimitExceeded (503).
	ThrottleRate float64 `json:"throttleRate"`
	// ServerErrorRate is the fraction answered InternalError (500).
	ServerErrorRate float64 `json:"serverErrorRate"`
	// Latency is added before answering.
	Latency Duration `json:"latency"`
	// DropRate is the fraction of requests whose connection is closed with no answer.
	DropRate float64 `json:"dropRate"`
	// DropNext drops the next N matching requests (deterministic).
	DropNext int `json:"dropNext"`
	// DropAfterApply carries a dropped request out first, then loses the answer.
	DropAfterApply bool `json:"dropAfterApply"`
	// ExpiredCredentials answers every request RequestExpired (400).
	ExpiredCredentials bool `json:"expiredCredentials"`
	// DenyPermission answers UnauthorizedOperation (403) for every action.
	DenyPermission bool `json:"denyPermission"`
	// SignatureMismatch answers every request SignatureDoesNotMatch (403),
	// quoting the canonical request and string-to-sign built from the
	// caller's own headers, session token included, as AWS does.
	SignatureMismatch bool `json:"signatureMismatch"`
	// ClockSkew shifts the Date header of SignatureDoesNotMatch and
	// RequestExpired (ExpiredCredentials) answers from the wall clock:
	// positive means AWS's clock is ahead of the caller's, as when the
	// caller's clock is behind.
	ClockSkew Duration `json:"clockSkew"`
	// RawControlCharacters writes C0 control characters of DescribeSnapshots
	// answers (a description holding ESC) raw, as moto does, instead of the
	// nearest form XML 1.0 allows: the answer is then not well-formed XML.
	RawControlCharacters bool `json:"rawControlCharacters"`
	// Actions, when non-empty, limits the faults to these actions.
	Actions []string `json:"actions,omitempty"`
	// ThrottleNext answers RequestLimitExceeded to the next N matching requests.
	ThrottleNext int `json:"throttleNext"`
	// ThrottleFilter, when set, limits ThrottleRate and ThrottleNext to
	// requests carrying a Filter value equal to it (one shard of a listing:
	// "snap-3*").
	ThrottleFilter string `json:"throttleFilter,omitempty"`

	// PageLatency delays every DescribeSnapshots answer by this much plus a
	// share per snapshot in it (see pageDelay). Not limited by Actions.
	PageLatency Duration `json:"pageLatency"`
	// NoWildcards makes filter values literal: * and ? match only themselves,
	// as a service without wildcard support would read them.
	NoWildcards bool `json:"noWildcards"`

	// What a hostile network does (see front.go). Each is limited by Actions.

	// Hang holds every matching request that arrives within Hang of the
	// moment the faults were set (SetFaults, PUT /_sim/faults, --faults at
	// start): nothing is written until that moment plus Hang, then the
	// request is carried out and answered as usual. A request whose client
	// leaves meanwhile is not carried out. Requests after the window are
	// answered at once: "75s" is an endpoint hung for 75 s that then
	// recovers; "24h" a silent one.
	Hang Duration `json:"hang"`
	// HTMLPage answers every matching request HTTP 200, Content-Type
	// text/html, with a proxy's sign-in page (a captive portal), without
	// carrying it out.
	HTMLPage bool `json:"htmlPage"`
	// OversizedBody, when above 0, answers every matching request HTTP 200,
	// Content-Type text/xml, with a body of exactly that many bytes that is
	// not EC2's document, without carrying it out.
	OversizedBody int64 `json:"oversizedBody"`
	// GzipGarbage answers every matching request HTTP 200 with
	// Content-Encoding gzip and a body that is not gzip, without carrying it
	// out.
	GzipGarbage bool `json:"gzipGarbage"`
	// TrickleRate, when above 0, writes the answer to every matching
	// request (AWS's errors too) at that many bytes per second: the status
	// and headers (with its Content-Length) at once, then the body in
	// pieces every 100 ms (one byte every 1/TrickleRate s below 10 bytes
	// per second).
	TrickleRate int `json:"trickleRate"`

	// ClockOffset runs AWS's clock that far ahead of the host's (behind
	// when negative): every time the simulator writes (a snapshot's start
	// and completion times, a restored snapshot's restore expiry, KMS key
	// dates, the Date header of every answer) is shifted by it, and a
	// request signed (X-Amz-Date) more than 15 minutes away from AWS's
	// clock is refused as AWS refuses it: EC2 RequestExpired (400), STS
	// SignatureDoesNotMatch (403) and KMS and Service Quotas
	// InvalidSignatureException (400), "Signature expired: ..." or
	// "Signature not yet current: ...". Not limited by Actions: there is
	// one clock. ClockSkew, by contrast, moves only the Date header of the
	// SignatureMismatch and ExpiredCredentials answers (added to ClockOffset).
	ClockOffset Duration `json:"clockOffset"`
}

// SetFaults replaces the faults in force. A Hang counts from now.
func (s *Server) SetFaults(f Faults) {
	f.Actions = slices.Clone(f.Actions)
	s.fmu.Lock()
	s.faults = f
	s.faultsSet = time.Now()
	s.fmu.Unlock()
}

// clockOffset is AWS's clock from the simulator's (Faults.ClockOffset).
func (s *Server) clockOffset() time.Duration {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return time.Duration(s.faults.ClockOffset)
}

// Faults returns the faults in force (DropNext counts down as drops happen).
func (s *Server) Faults() Faults {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	f := s.faults
	f.Actions = slices.Clone(f.Actions)
	return f
}

// faultAction is what the faults decided for one request.
type faultAction struct {
	latency    time.Duration
	err        *apiError // answer this instead
	drop       bool
	afterApply bool
	signature  bool          // answer SignatureDoesNotMatch
	skew       time.Duration // of that answer's Date header
}

// roll decides the faults of one request of action. Rates use the seeded
// dice, so a run with the same seed and requests faults the same ones.
func (s *Server) roll(action string, params url.Values) faultAction {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	f := &s.faults
	if len(f.Actions) > 0 && !slices.Contains(f.Actions, action) {
		return faultAction{}
	}
	a := faultAction{latency: time.Duration(f.Latency)}
	throttled := f.ThrottleFilter == "" || hasFilterValue(params, f.ThrottleFilter)
	switch {
	case f.SignatureMismatch:
		a.signature, a.skew = true, time.Duration(f.ClockSkew)
	case f.ExpiredCredentials:
		a.err, a.skew = errExpired, time.Duration(f.ClockSkew)
	case f.ThrottleNext > 0 && throttled:
		f.ThrottleNext--
		a.err = errThrottled
	case f.DropNext > 0:
		f.DropNext--
		a.drop, a.afterApply = true, f.DropAfterApply
	case f.DropRate > 0 && s.dice.Float64() < f.DropRate:
		a.drop, a.afterApply = true, f.DropAfterApply
	case f.ThrottleRate > 0 && throttled && s.dice.Float64() < f.ThrottleRate:
		a.err = errThrottled
	case f.ServerErrorRate > 0 && s.dice.Float64() < f.ServerErrorRate:
		a.err = errInternal
	case f.DenyPermission:
		a.err = unauthorized()
	}
	return a
}

// rawControls reports whether answers to action write control characters raw.
func (s *Server) rawControls(action string) bool {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	f := &s.faults
	return f.RawControlCharacters && (len(f.Actions) == 0 || slices.Contains(f.Actions, action))
}

// wait sleeps the fault's latency; false when the client went away.
func (a faultAction) wait(r *http.Request) bool { return waitFor(r, a.latency) }

// waitFor holds an answer to r back by d; false when the client went away
// meanwhile.
func waitFor(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
