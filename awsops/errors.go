package awsops

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/snapcopy/snapcopy/model"
)

// kindByCode sorts AWS error codes (spec section 3, Errors).
var kindByCode = map[string]model.ErrorKind{
	"InvalidSnapshot.NotFound":    model.ErrNotFound,
	"InvalidParameterValue":       model.ErrInvalid,
	"InvalidParameterCombination": model.ErrInvalid,
	"InvalidParameter":            model.ErrInvalid,
	"MissingParameter":            model.ErrInvalid,
	"IncorrectState":              model.ErrState,
	"ResourceLimitExceeded":       model.ErrLimit,
	"SnapshotCopyLimitExceeded":   model.ErrLimit,
	"UnauthorizedOperation":       model.ErrPermission,
	"AccessDenied":                model.ErrPermission,
	"AccessDeniedException":       model.ErrPermission,
	"DryRunOperation":             model.ErrDryRunOK,
	"AuthFailure":                 model.ErrCredentials,
	"RequestExpired":              model.ErrCredentials,
	"ExpiredToken":                model.ErrCredentials,
	"ExpiredTokenException":       model.ErrCredentials,
	"InvalidClientTokenId":        model.ErrCredentials,
	"UnrecognizedClientException": model.ErrCredentials,
	"OptInRequired":               model.ErrPermission,
	"RequestLimitExceeded":        model.ErrThrottled,
	"Throttling":                  model.ErrThrottled,
	"ThrottlingException":         model.ErrThrottled,
	"SignatureDoesNotMatch":       model.ErrSignature,
	"InvalidSignatureException":   model.ErrSignature,
	"InternalError":               model.ErrTransient,
	"InternalFailure":             model.ErrTransient,
	"Unavailable":                 model.ErrTransient,
	"ServiceUnavailable":          model.ErrTransient,
	"KMSInternalException":        model.ErrTransient,
}

// apiError turns any error of an SDK call into a *model.APIError naming the
// operation and Region, with credentials redacted from every text it
// carries. Context cancellation is returned unchanged.
func (c *Client) apiError(op, region string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	creds := c.credentialsInUse(isCredentialsError(err))
	ae := &model.APIError{Op: op, Region: region, Err: &redactedError{err: err, text: redact(err.Error(), creds...)}}
	defer func() { ae.Message = redact(ae.Message, creds...) }()
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		ae.Status = re.HTTPStatusCode()
	}
	var notAWS *NotAWSAnswer
	if errors.As(err, &notAWS) {
		ae.Kind, ae.Message, ae.Status = model.ErrNotAWS, notAWS.Error(), notAWS.Status
		return ae
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		ae.Code = api.ErrorCode()
		ae.Message = api.ErrorMessage()
		kind, ok := kindByCode[ae.Code]
		switch {
		case ok:
			ae.Kind = kind
		case ae.Status >= 500:
			ae.Kind = model.ErrTransient
		case ae.Status == 401 || ae.Status == 403:
			ae.Kind = model.ErrPermission
		default:
			ae.Kind = model.ErrInvalid
		}
		if (ae.Kind == model.ErrSignature || ae.Kind == model.ErrCredentials) && re != nil {
			// A wrong local clock is refused as a bad signature or as an
			// expired request (RequestExpired): the answer's Date tells.
			ae.ClockSkew = clockSkew(re, time.Now())
		}
		if ae.Message == "" {
			ae.Message = ae.Code
		}
		return ae
	}
	if msg, ok := undecodable(err, region); ok && ae.Status < 500 {
		ae.Kind, ae.Message = model.ErrUndecodable, msg
		return ae
	}
	ae.Message = plainCause(err)
	if why := c.deadlines.unanswered(err, c.endpointOf(err, region)); why != "" {
		ae.Message = why
	}
	switch {
	case isCredentialsError(err):
		ae.Kind = model.ErrCredentials
	case isDialError(err):
		ae.Kind = model.ErrUnreachable
	default:
		// No answer (timeout, dropped connection, quota of retries spent):
		// the request may or may not have been carried out.
		ae.Kind = model.ErrTransient
	}
	return ae
}

// clockSkew is how far now is ahead of the time in the answer's Date
// header (negative: behind); 0 without a readable header.
func clockSkew(re *smithyhttp.ResponseError, now time.Time) time.Duration {
	if re.Response == nil {
		return 0
	}
	date, err := http.ParseTime(re.Response.Header.Get("Date"))
	if err != nil {
		return 0
	}
	return now.Sub(date)
}

// undecodable says why an answer that came back whole could not be
// decoded: its XML (or JSON) is not well-formed. AWS never writes such an
// answer by design, but a character XML 1.0 cannot carry, such as ESC in a
// description, is written as it is by some EC2 endpoints (moto).
func undecodable(err error, region string) (string, bool) {
	var xe *xml.SyntaxError
	var je *json.SyntaxError
	var why string
	switch {
	case errors.As(err, &xe) && xe.Msg == "unexpected EOF":
		return "", false // cut short, as by a lost connection: a fault that passes
	case xe != nil:
		why = xe.Error()
	case errors.As(err, &je):
		why = je.Error()
	default:
		return "", false
	}
	// The body notes the first such byte; encoding/xml stops at it and
	// names the character, but only by line.
	var re *smithyhttp.ResponseError
	if xe != nil && errors.As(err, &re) && re.Response != nil {
		if b, ok := re.Response.Body.(*answerBody); ok && b.bad >= 0 {
			if char := fmt.Sprintf("U+%04X", b.badByte); strings.Contains(xe.Msg, char) {
				why = fmt.Sprintf("invalid XML character %s at byte %d", char, b.bad)
			}
		}
	}
	return fmt.Sprintf("AWS's answer for %s could not be decoded: %s", region, why), true
}

// answerBody is an answer's body that notes where the first byte that XML
// 1.0 cannot carry (a C0 control other than tab, LF and CR) is, so an
// undecodable answer can be explained by its offset; that can be read
// ahead (peek) to judge the answer before the SDK reads it; and that ends
// in an error past maxAnswerBytes.
type answerBody struct {
	io.ReadCloser
	read    int64 // bytes read so far
	bad     int64 // offset of the first invalid byte, -1 while none
	badByte byte
	// ahead holds what peek read and Read has not given yet; aheadErr is
	// the error that came with it.
	ahead    []byte
	aheadErr error
	// tooLarge is the error past maxAnswerBytes, with its endpoint; set
	// when the answer is judged (nil: no bound).
	tooLarge *NotAWSAnswer
}

func newAnswerBody(body io.ReadCloser) *answerBody {
	return &answerBody{ReadCloser: body, bad: -1}
}

// peek reads ahead until it holds n bytes or the body ends, and returns
// what it holds; Read gives those bytes again.
func (b *answerBody) peek(n int) ([]byte, error) {
	for len(b.ahead) < n && b.aheadErr == nil {
		buf := make([]byte, n-len(b.ahead))
		m, err := b.ReadCloser.Read(buf)
		b.ahead = append(b.ahead, buf[:m]...)
		b.aheadErr = err
	}
	return b.ahead, b.aheadErr
}

func (b *answerBody) Read(p []byte) (int, error) {
	var n int
	var err error
	switch {
	case len(b.ahead) > 0:
		n = copy(p, b.ahead)
		b.ahead = b.ahead[n:]
		if len(b.ahead) == 0 {
			err = b.aheadErr
		}
	case b.aheadErr != nil:
		err = b.aheadErr
	default:
		n, err = b.ReadCloser.Read(p)
	}
	if b.bad < 0 {
		for i, c := range p[:n] {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				b.bad, b.badByte = b.read+int64(i), c
				break
			}
		}
	}
	b.read += int64(n)
	if b.tooLarge != nil && b.read > maxAnswerBytes {
		tooLarge := *b.tooLarge
		tooLarge.What = fmt.Sprintf("more than %d MiB, more than any answer of AWS's: not AWS's answer", maxAnswerBytes>>20)
		return n, &tooLarge
	}
	return n, err
}

// isCredentialsError reports a failure of the credential chain (no
// credentials, an SSO token that expired, ...): no request was sent.
func isCredentialsError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "failed to retrieve credentials") ||
		strings.Contains(s, "failed to refresh cached credentials") ||
		strings.Contains(s, "SSO session") || strings.Contains(s, "sso session")
}

// isDialError reports that no connection could be made, so nothing was sent.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns) || errors.Is(err, syscall.ECONNREFUSED)
}

// Ambiguous reports whether the request may have been carried out although
// no successful answer came back: a 5xx, a timeout, a dropped connection,
// a success answer that could not be decoded, or an answer not AWS's. Throttling, refused
// connections and 4xx answers mean it was not.
func Ambiguous(err error) bool {
	ae, ok := model.AsAPIError(err)
	if !ok {
		return false
	}
	return ae.Kind == model.ErrTransient || ae.Kind == model.ErrNotAWS || ae.Kind == model.ErrUndecodable && ae.Status/100 == 2
}

// plainCause is the innermost useful message of a transport error.
func plainCause(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		// A reset (the peer closing with unread data, as proxies and load
		// balancers do) is the same event for the operator as a plain close.
		if errors.Is(ue.Err, io.EOF) || errors.Is(ue.Err, io.ErrUnexpectedEOF) || errors.Is(ue.Err, syscall.ECONNRESET) {
			return "the connection was closed before an answer came"
		}
		return ue.Err.Error()
	}
	var qe *retry.MaxAttemptsError
	if errors.As(err, &qe) && qe.Err != nil {
		return plainCause(qe.Err)
	}
	return err.Error()
}
