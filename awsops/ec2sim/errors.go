package ec2sim

import (
	"fmt"
	"net/http"
)

// apiError is an AWS error answer: its code, message and HTTP status.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.code + ": " + e.msg }

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, msg: fmt.Sprintf(format, args...)}
}

func invalidValue(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, "InvalidParameterValue", format, args...)
}

func invalidCombination(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, "InvalidParameterCombination", format, args...)
}

func missingParameter(name string) *apiError {
	return errorf(http.StatusBadRequest, "MissingParameter", "The request must contain the parameter %s", name)
}

func snapshotNotFound(id string) *apiError {
	return errorf(http.StatusBadRequest, "InvalidSnapshot.NotFound", "The snapshot '%s' does not exist.", id)
}

func unauthorized() *apiError {
	return errorf(http.StatusForbidden, "UnauthorizedOperation", "You are not authorized to perform this operation. Encoded authorization failure message: %s", encodedAuthFailure)
}

// encodedAuthFailure stands in for the opaque blob AWS appends to an
// UnauthorizedOperation message (decoded with sts decode-authorization-message).
const encodedAuthFailure = "Fw3nRVp6cRR7wQ0bqHN0s_kI3t9dJ1T2Gx5zDkNqL8sOaVbEjw4mP1yHcUfXrZg6KtYi"

// Errors answered by faults and by the request gate, as AWS words them.
var (
	errThrottled = &apiError{http.StatusServiceUnavailable, "RequestLimitExceeded", "Request limit exceeded."}
	errInternal  = &apiError{http.StatusInternalServerError, "InternalError", "An internal error has occurred"}
	errExpired   = &apiError{http.StatusBadRequest, "RequestExpired", "Request has expired."}
	errAuth      = &apiError{http.StatusUnauthorized, "AuthFailure", "AWS was not able to validate the provided access credentials"}
	errDryRun    = &apiError{http.StatusPreconditionFailed, "DryRunOperation", "Request would have succeeded, but DryRun flag is set."}
)

// writeEC2Error writes the EC2 Query error envelope.
func writeEC2Error(w http.ResponseWriter, e *apiError, requestID string) {
	b := make([]byte, 0, 256+len(e.msg))
	b = append(b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Response><Errors><Error><Code>"...)
	b = appendEscaped(b, e.code)
	b = append(b, "</Code><Message>"...)
	b = appendEscaped(b, e.msg)
	b = append(b, "</Message></Error></Errors><RequestID>"...)
	b = append(b, requestID...)
	b = append(b, "</RequestID></Response>"...)
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(e.status)
	_, _ = w.Write(b)
}
