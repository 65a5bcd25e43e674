package ec2sim

import (
	"net/http"
	"time"
)

// stsNamespace is the STS Query protocol's XML namespace.
const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// CallerArn is the identity the simulator's credentials belong to.
const CallerArn = "arn:aws:iam::" + AccountID + ":user/snapcopy"

// serveSTS answers STS GetCallerIdentity (Query protocol, like EC2, but
// with STS's answer and error shapes). It needs no permission on AWS, so a
// denied-permission fault does not apply to it.
func (s *Server) serveSTS(w http.ResponseWriter, r *http.Request, rq *request) {
	if k, skewed := requestSkew(r, rq.offset); skewed {
		writeSTSError(w, &apiError{http.StatusForbidden, "SignatureDoesNotMatch", k.message()}, rq.id)
		return
	}
	act := s.roll(rq.action, rq.params)
	if !act.wait(r) {
		return
	}
	if act.err != nil && act.err.code != "UnauthorizedOperation" {
		writeSTSError(w, act.err, rq.id)
		return
	}
	if act.drop {
		dropConnection(w)
		return
	}
	time.Sleep(answerDelay)
	b := make([]byte, 0, 512)
	b = append(b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<GetCallerIdentityResponse xmlns="`+stsNamespace+`"><GetCallerIdentityResult><Arn>`...)
	b = append(b, CallerArn...)
	b = append(b, "</Arn><UserId>AIDASNAPCOPYSIMULATOR</UserId><Account>"+AccountID+"</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>"...)
	b = append(b, rq.id...)
	b = append(b, "</RequestId></ResponseMetadata></GetCallerIdentityResponse>"...)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", rq.id)
	_, _ = w.Write(b)
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
