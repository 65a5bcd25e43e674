package awsops

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// Every call to AWS has a deadline: a hung endpoint, a silent listener or
// an answer trickling in a byte at a time ends in an error the tracker
// backs off from (and, for CopySnapshot, looks the copy up by its tag),
// never in a wait without end.

// The default deadlines. EC2 answers a call in well under a second, a page
// of 1,000 snapshots in a few; these leave room for a slow link and a busy
// endpoint, and end a call in under a minute, the follow loop's bound of
// one step (track.DefaultStepTimeout).
const (
	DefaultConnectTimeout     = 10 * time.Second
	DefaultFirstByteTimeout   = 20 * time.Second
	DefaultWholeAnswerTimeout = 45 * time.Second
	DefaultOperationTimeout   = 50 * time.Second
)

// Deadlines bound every call to AWS. Zero fields take the defaults.
type Deadlines struct {
	// Connect bounds the TCP connection and the TLS handshake.
	Connect time.Duration
	// FirstByte bounds the wait from the request sent to the answer's
	// status and headers.
	FirstByte time.Duration
	// WholeAnswer bounds one attempt, from connecting to the answer's last
	// byte (a trickle).
	WholeAnswer time.Duration
	// Operation bounds one call: every attempt and the SDK's waits between
	// them.
	Operation time.Duration
}

func (d Deadlines) withDefaults() Deadlines {
	if d.Connect <= 0 {
		d.Connect = DefaultConnectTimeout
	}
	if d.FirstByte <= 0 {
		d.FirstByte = DefaultFirstByteTimeout
	}
	if d.WholeAnswer <= 0 {
		d.WholeAnswer = DefaultWholeAnswerTimeout
	}
	if d.Operation <= 0 {
		d.Operation = DefaultOperationTimeout
	}
	return d
}

// httpClient is the SDK's HTTP client with the connect, first-byte and
// whole-answer deadlines. A buildable client, so AWS_CA_BUNDLE still
// applies.
func (d Deadlines) httpClient() *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().
		WithTimeout(d.WholeAnswer).
		WithDialerOptions(func(dl *net.Dialer) { dl.Timeout = d.Connect }).
		WithTransportOptions(func(tr *http.Transport) {
			tr.TLSHandshakeTimeout = d.Connect
			tr.ResponseHeaderTimeout = d.FirstByte
		})
}

// operationDeadline is a step of every call, outermost: the call, its
// retries and their waits end by d.
func operationDeadline(d time.Duration) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("snapcopyDeadline",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				ctx, cancel := context.WithTimeout(ctx, d)
				defer cancel()
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	}
}

// noticingRetryer is the SDK's retryer, which tells, each time it asks
// again after an attempt without an answer, that it does: "no answer from
// ec2.us-east-1 for 20 s, retrying".
type noticingRetryer struct {
	aws.RetryerV2
	n     *notices
	dl    Deadlines
	clock *awsClock
}

// IsErrorRetryable adds to the SDK's rules a request refused as expired
// (RequestExpired) while AWS's clock is off from the host's: it was signed
// before that was known, and is signed at AWS's time when asked again. The
// SDK retries a refused signature so, but not RequestExpired.
func (r noticingRetryer) IsErrorRetryable(err error) bool {
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "RequestExpired" {
		if _, off := r.clock.ahead(); off {
			return true
		}
	}
	return r.RetryerV2.IsErrorRetryable(err)
}

func (r noticingRetryer) GetRetryToken(ctx context.Context, opErr error) (func(error) error, error) {
	release, err := r.RetryerV2.GetRetryToken(ctx, opErr)
	if err == nil {
		if why := r.dl.unanswered(opErr, endpointName(awsmiddleware.GetServiceID(ctx), awsmiddleware.GetRegion(ctx), requestOf(opErr))); why != "" {
			r.n.tell(why + ", retrying (" + awsmiddleware.GetOperationName(ctx) + ")")
		}
	}
	return release, err
}

// requestOf is the HTTP request a transport error names, for its host.
func requestOf(err error) *http.Request {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			return &http.Request{URL: u}
		}
	}
	return nil
}

// unanswered words an error that means no answer came in time: "no answer
// from ec2.us-east-1 for 20 s"; "" for any other error.
func (d Deadlines) unanswered(err error, endpoint string) string {
	s := err.Error()
	var cut *cutAnswer
	switch {
	case errors.As(err, &cut):
		return cut.Error()
	case strings.Contains(s, "timeout awaiting response headers"), strings.Contains(s, "Client.Timeout exceeded while awaiting headers"):
		return fmt.Sprintf("no answer from %s for %s", endpoint, seconds(d.FirstByte))
	case strings.Contains(s, "Client.Timeout"):
		return fmt.Sprintf("the answer from %s did not come whole within %s", endpoint, seconds(d.WholeAnswer))
	case isDialError(err) && isTimeout(err):
		return fmt.Sprintf("no connection to %s within %s", endpoint, seconds(d.Connect))
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer from %s in the time given to the call", endpoint)
	}
	return ""
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

// endpointOf names the endpoint an SDK error came from: by the request it
// names, else by the endpoint override.
func (c *Client) endpointOf(err error, region string) string {
	service := "EC2"
	var oe *smithy.OperationError
	if errors.As(err, &oe) && oe.ServiceID != "" {
		service = oe.ServiceID
	}
	req := requestOf(err)
	if req == nil && c.endpoint != "" {
		if u, perr := url.Parse(c.endpoint); perr == nil {
			req = &http.Request{URL: u}
		}
	}
	return endpointName(service, region, req)
}

// seconds is a deadline in the operator's words: "20 s".
func seconds(d time.Duration) string {
	return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
}

// noticing is the client's retryer r, telling of its retries after
// attempts without an answer. The retryer itself stays the one the SDK
// resolved from the configuration (AWS_MAX_ATTEMPTS, retry_mode).
func (c *Client) noticing(r aws.Retryer) aws.Retryer {
	if r == nil {
		r = retry.NewStandard()
	}
	v2, ok := r.(aws.RetryerV2)
	if !ok {
		v2 = retryerV1{r}
	}
	return noticingRetryer{RetryerV2: v2, n: c.notices, dl: c.deadlines, clock: c.clock}
}

// retryerV1 is a retryer of the first interface as a RetryerV2, as the
// SDK itself wraps one.
type retryerV1 struct{ aws.Retryer }

func (r retryerV1) GetAttemptToken(context.Context) (func(error) error, error) {
	return r.GetInitialToken(), nil
}
