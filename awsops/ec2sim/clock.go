package ec2sim

import (
	"net/http"
	"sync"
	"time"
)

// Clock tells the simulator what time it is. Copy progress, visibility lag
// and start times are all read from it, so a test can move time by hand.
type Clock interface {
	Now() time.Time
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// ManualClock is a Clock that only moves when told to. Safe for concurrent use.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock standing at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set puts the clock at t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// maxRequestSkew is how far a request's signing time may be from AWS's
// clock: "The request reached the service more than 15 minutes after the
// date stamp on the request ..., or the date stamp on the request is more
// than 15 minutes in the future" (RequestExpired, EC2 API error codes).
const maxRequestSkew = 15 * time.Minute

// sigV4Time is the layout of X-Amz-Date.
const sigV4Time = "20060102T150405Z"

// skewedRequest is a request signed too far from AWS's clock.
type skewedRequest struct {
	signed, awsNow time.Time
}

// requestSkew checks the signing time of r (X-Amz-Date, in the header or
// a presigned query) against the host's clock moved by offset, AWS's clock.
// A request without one is not checked.
func requestSkew(r *http.Request, offset time.Duration) (skewedRequest, bool) {
	v := r.Header.Get("X-Amz-Date")
	if v == "" {
		v = r.URL.Query().Get("X-Amz-Date")
	}
	signed, err := time.Parse(sigV4Time, v)
	if err != nil {
		return skewedRequest{}, false
	}
	now := time.Now().Add(offset).UTC()
	if d := signed.Sub(now); d > maxRequestSkew || d < -maxRequestSkew {
		return skewedRequest{signed: signed, awsNow: now}, true
	}
	return skewedRequest{}, false
}

// message is how SigV4 services word a skewed signature (STS, and the
// JSON protocol services: KMS, Service Quotas). UNCONFIRMED for KMS and
// Service Quotas: the wording is the one AWS's JSON services answer in
// reported cases (aws/aws-sdk-js#254, aws/aws-cli#6676), not documented.
func (k skewedRequest) message() string {
	if k.signed.Before(k.awsNow) {
		return "Signature expired: " + k.signed.Format(sigV4Time) + " is now earlier than " +
			k.awsNow.Add(-maxRequestSkew).Format(sigV4Time) + " (" + k.awsNow.Format(sigV4Time) + " - 15 min.)"
	}
	return "Signature not yet current: " + k.signed.Format(sigV4Time) + " is still later than " +
		k.awsNow.Add(maxRequestSkew).Format(sigV4Time) + " (" + k.awsNow.Format(sigV4Time) + " + 15 min.)"
}

// awsDate is the Date header of an answer: the wall clock (not the
// simulated one, which only paces copies) moved by d, AWS's clock as a
// client sees it.
func awsDate(now time.Time, d time.Duration) string {
	return now.Add(d).UTC().Format(http.TimeFormat)
}
