package awsops

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// AWS's clock, from the Date header of its answers. A host whose clock is
// off from AWS's would sign requests AWS refuses (more than 15 minutes
// off), and would read AWS's times (a copy's StartTime, from which a
// time-based copy's deadline counts) against its own clock: a 15-minute
// copy showed 2h15m left with AWS's clock 2 h ahead. The SDK keeps such an
// offset per client, for signing only, once a call was refused; snapcopy
// keeps one for all its clients, from every answer, signs with it and
// moves AWS's times onto the host's clock with it.

// clockSkewFloor is the smallest offset snapcopy corrects: the Date header
// says whole seconds and the network adds its delay, and an offset under a
// minute changes neither a signature AWS accepts nor a time left in
// minutes.
const clockSkewFloor = time.Minute

// awsClock is how far AWS's clock is ahead of the host's (behind when
// negative), as the last answer with a Date header showed.
type awsClock struct {
	offset atomic.Int64 // nanoseconds
	known  atomic.Bool
}

// observe notes the Date header of an answer to a request sent at sent
// and answered at received.
func (k *awsClock) observe(date string, sent, received time.Time) {
	at, err := http.ParseTime(date)
	if err != nil {
		return
	}
	// The header is cut to the second: its middle is half a second on, and
	// the answer was written about halfway between send and receipt.
	mid := sent.Add(received.Sub(sent) / 2)
	k.offset.Store(int64(at.Add(500 * time.Millisecond).Sub(mid)))
	k.known.Store(true)
}

// ahead is AWS's clock minus the host's, when known and at least
// clockSkewFloor either way.
func (k *awsClock) ahead() (time.Duration, bool) {
	if !k.known.Load() {
		return 0, false
	}
	d := time.Duration(k.offset.Load())
	if d < clockSkewFloor && d > -clockSkewFloor {
		return 0, false
	}
	return d, true
}

// toHost moves a time AWS wrote onto the host's clock.
func (k *awsClock) toHost(t time.Time) time.Time {
	if d, ok := k.ahead(); ok && !t.IsZero() {
		return t.Add(-d)
	}
	return t
}

// AWSClockAhead is how far AWS's clock is ahead of the host's (negative:
// behind), as its answers show; 0 when under a minute or not known yet.
// The times the client returns (a snapshot's StartTime) are already on
// the host's clock.
func (c *Client) AWSClockAhead() time.Duration {
	d, _ := c.clock.ahead()
	return d
}

// clockSigner signs requests as the SDK's SigV4 signer does, at the time
// AWS's clock says when it is off from the host's.
type clockSigner struct {
	next  *v4.Signer
	clock *awsClock
}

func (s clockSigner) SignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string, signingTime time.Time, optFns ...func(*v4.SignerOptions)) error {
	if d, ok := s.clock.ahead(); ok {
		signingTime = time.Now().Add(d)
	}
	return s.next.SignHTTP(ctx, creds, r, payloadHash, service, region, signingTime, optFns...)
}
