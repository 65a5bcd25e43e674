package ec2sim

import (
	"net/http"
	"regexp"
	"strconv"
	"time"
)

// stsNamespace is the STS Query protocol's XML namespace.
const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// CallerArn is the identity static credentials belong to.
const CallerArn = "arn:aws:iam::" + AccountID + ":user/snapcopy"

// stsActions are the STS actions the simulator answers; they come on the
// same Query protocol as EC2's.
var stsActions = map[string]bool{"GetCallerIdentity": true, "AssumeRole": true}

// AssumeRole's limits (STS API reference: RoleArn 20-2048 characters,
// RoleSessionName 2-64 of [\w+=,.@-], DurationSeconds from 900 to the
// role's maximum session duration, 1 hour unless the role sets more).
const (
	minSessionSeconds     = 900
	maxSessionSeconds     = 3600
	defaultSessionSeconds = 3600
)

var reSessionName = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

// serveSTS answers STS GetCallerIdentity and AssumeRole (Query protocol,
// like EC2, but with STS's answer and error shapes). GetCallerIdentity
// needs no permission on AWS, so a denied-permission fault does not apply
// to it; AssumeRole's is AccessDenied.
func (s *Server) serveSTS(w http.ResponseWriter, r *http.Request, rq *request) {
	if k, skewed := requestSkew(r, rq.offset); skewed {
		writeSTSError(w, &apiError{http.StatusForbidden, "SignatureDoesNotMatch", k.message()}, rq.id)
		return
	}
	act := s.roll(rq.action, rq.params)
	if !act.wait(r) {
		return
	}
	if act.err != nil {
		switch {
		case act.err.code != "UnauthorizedOperation":
			writeSTSError(w, act.err, rq.id)
			return
		case rq.action == "AssumeRole":
			writeSTSError(w, assumeRoleDenied(rq.caller, rq.params.Get("RoleArn")), rq.id)
			return
		}
	}
	if act.drop && !act.afterApply {
		dropConnection(w)
		return
	}
	time.Sleep(answerDelay)
	var body []byte
	var aerr *apiError
	if rq.action == "AssumeRole" {
		body, aerr = s.assumeRole(rq)
	} else {
		body = stsAnswer(rq, "GetCallerIdentity", func(b []byte) []byte {
			b = stsText(b, "Arn", rq.caller.arn)
			b = stsText(b, "UserId", rq.caller.userID)
			return stsText(b, "Account", rq.caller.account)
		})
	}
	if rq.changed {
		s.save()
	}
	if act.drop {
		dropConnection(w)
		return
	}
	if aerr != nil {
		writeSTSError(w, aerr, rq.id)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", rq.id)
	_, _ = w.Write(body)
}

// assumeRole hands out temporary credentials of the role's account, which
// the simulator remembers (with the world) so that every request signed
// with them acts as that account, as moto does.
func (s *Server) assumeRole(rq *request) ([]byte, *apiError) {
	arn, name := rq.params.Get("RoleArn"), rq.params.Get("RoleSessionName")
	switch {
	case arn == "":
		return nil, stsValidation("Value null at 'roleArn' failed to satisfy constraint: Member must not be null")
	case len(arn) < 20 || len(arn) > 2048:
		return nil, stsValidation("Value '" + arn + "' at 'roleArn' failed to satisfy constraint: Member must have length between 20 and 2048")
	case name == "":
		return nil, stsValidation("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null")
	case !reSessionName.MatchString(name):
		return nil, stsValidation("Value '" + name + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*, and have length between 2 and 64")
	}
	seconds := defaultSessionSeconds
	if v := rq.params.Get("DurationSeconds"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < minSessionSeconds {
			return nil, stsValidation("Value '" + v + "' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900")
		}
		if n > maxSessionSeconds {
			return nil, &apiError{http.StatusBadRequest, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."}
		}
		seconds = n
	}
	ro := s.roles[arn]
	if ro == nil || !contains(ro.trusted, rq.caller.account) {
		return nil, assumeRoleDenied(rq.caller, arn)
	}
	// The SDK compares Expiration with its own (the host's) clock, so it is
	// written on the wall clock as AWS's clock shows it.
	expires := time.Now().Add(rq.offset).Add(time.Duration(seconds) * time.Second).UTC().Truncate(time.Second)
	ss := newSession(ro, name, expires)
	s.mu.Lock()
	s.sessions[ss.accessKey] = ss
	s.mu.Unlock()
	rq.changed = true
	who := ss.caller()
	return stsAnswer(rq, "AssumeRole", func(b []byte) []byte {
		b = append(b, "<Credentials>"...)
		b = stsText(b, "AccessKeyId", ss.accessKey)
		b = stsText(b, "SecretAccessKey", ss.secret)
		b = stsText(b, "SessionToken", ss.token)
		b = stsText(b, "Expiration", expires.Format(time.RFC3339))
		b = append(b, "</Credentials><AssumedRoleUser>"...)
		b = stsText(b, "AssumedRoleId", who.userID)
		b = stsText(b, "Arn", who.arn)
		return append(b, "</AssumedRoleUser>"...)
	}), nil
}

// assumeRoleDenied is STS's answer to a role that does not exist or whose
// trust policy does not name the caller's account: the two look the same.
func assumeRoleDenied(c caller, arn string) *apiError {
	return &apiError{http.StatusForbidden, "AccessDenied", "User: " + c.arn + " is not authorized to perform: sts:AssumeRole on resource: " + arn}
}

// stsValidation is STS's answer to a parameter that breaks its model.
// UNCONFIRMED: the wording follows AWS's JSON services' validation
// messages; STS documents only the code (ValidationError).
func stsValidation(detail string) *apiError {
	return &apiError{http.StatusBadRequest, "ValidationError", "1 validation error detected: " + detail}
}

// stsAnswer wraps the result of action in STS's answer document.
func stsAnswer(rq *request, action string, result func([]byte) []byte) []byte {
	b := make([]byte, 0, 1024)
	b = append(b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<"+action+`Response xmlns="`+stsNamespace+`"><`+action+"Result>"...)
	b = result(b)
	b = append(b, "</"+action+"Result><ResponseMetadata><RequestId>"...)
	b = append(b, rq.id...)
	return append(b, "</RequestId></ResponseMetadata></"+action+"Response>"...)
}

func stsText(b []byte, name, v string) []byte {
	b = append(b, "<"+name+">"...)
	b = appendEscaped(b, v)
	return append(b, "</"+name+">"...)
}

// writeSTSError writes an error in the shape STS (awsquery) answers.
func writeSTSError(w http.ResponseWriter, e *apiError, requestID string) {
	b := make([]byte, 0, 256+len(e.msg))
	b = append(b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<ErrorResponse xmlns="`+stsNamespace+`"><Error><Type>Sender</Type><Code>`...)
	b = appendEscaped(b, e.code)
	b = append(b, "</Code><Message>"...)
	b = appendEscaped(b, e.msg)
	b = append(b, "</Message></Error><RequestId>"...)
	b = append(b, requestID...)
	b = append(b, "</RequestId></ErrorResponse>"...)
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(e.status)
	_, _ = w.Write(b)
}
