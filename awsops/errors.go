package awsops

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"

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
	"InternalError":               model.ErrTransient,
	"InternalFailure":             model.ErrTransient,
	"Unavailable":                 model.ErrTransient,
	"ServiceUnavailable":          model.ErrTransient,
	"KMSInternalException":        model.ErrTransient,
}

// apiError turns any error of an SDK call into a *model.APIError naming the
// operation and Region. Context cancellation is returned unchanged.
func apiError(op, region string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	ae := &model.APIError{Op: op, Region: region, Err: err}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		ae.Status = re.HTTPStatusCode()
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
		if ae.Message == "" {
			ae.Message = ae.Code
		}
		return ae
	}
	ae.Message = plainCause(err)
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
// no successful answer came back: a 5xx, a timeout or a dropped connection.
// Throttling, refused connections and 4xx answers mean it was not.
func Ambiguous(err error) bool {
	ae, ok := model.AsAPIError(err)
	if !ok {
		return false
	}
	return ae.Kind == model.ErrTransient
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
