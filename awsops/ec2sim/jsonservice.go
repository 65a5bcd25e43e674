package ec2sim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The JSON 1.1 services answered beside KMS (Service Quotas, the Price
// List API): one action per X-Amz-Target, a JSON body each way.

// jsonHandler answers one action of a JSON service from its decoded body.
type jsonHandler func(s *Server, rq *request, in map[string]any) (any, *kmsError)

// jsonService is one JSON 1.1 service: its X-Amz-Target prefix, its IAM
// action prefix (for AccessDeniedException) and its actions.
type jsonService struct {
	targetPrefix, iamPrefix string
	actions                 map[string]jsonHandler
}

// jsonServices are the JSON services besides KMS, by X-Amz-Target prefix.
var jsonServices = []jsonService{
	{quotasTargetPrefix, "servicequotas", quotasActions},
	{pricingTargetPrefix, "pricing", pricingActions},
}

// jsonServiceOf finds the service an X-Amz-Target names.
func jsonServiceOf(target string) (jsonService, bool) {
	for _, js := range jsonServices {
		if strings.HasPrefix(target, js.targetPrefix) {
			return js, true
		}
	}
	return jsonService{}, false
}

// serveJSON answers one request of js: the body, the front, the faults
// (a denied permission as the service's AccessDeniedException), then the
// action.
func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request, js jsonService, target string) {
	action := strings.TrimPrefix(target, js.targetPrefix)
	rq := &request{action: action, region: regionOf(r), now: s.clock.Now(), id: newRequestID(), params: url.Values{}, caller: s.callerOf(r)}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	var in map[string]any
	if err == nil && len(body) > 0 {
		err = json.Unmarshal(body, &in)
	}
	for k, v := range in {
		if str, ok := v.(string); ok {
			rq.params.Set(k, str)
		}
	}
	s.record(rq)
	if err != nil {
		writeKMSError(w, &kmsError{http.StatusBadRequest, "SerializationException", "The request body could not be read"}, rq.id)
		return
	}
	aw := s.jsonFront(w, r, rq)
	if aw == nil {
		return
	}
	defer aw.finish()
	w = aw
	act := s.roll(action, nil)
	if !act.wait(r) {
		return
	}
	if act.err != nil {
		e := kmsFault(act.err, rq.caller, action)
		if act.err.code == "UnauthorizedOperation" {
			e = &kmsError{http.StatusBadRequest, "AccessDeniedException", "User: " + rq.caller.arn + " is not authorized to perform: " + js.iamPrefix + ":" + action}
		}
		writeKMSError(w, e, rq.id)
		return
	}
	if act.drop {
		dropConnection(w)
		return
	}
	time.Sleep(answerDelay)
	h, ok := js.actions[action]
	if !ok {
		writeKMSError(w, &kmsError{http.StatusBadRequest, "UnknownOperationException", ""}, rq.id)
		return
	}
	out, kerr := h(s, rq, in)
	if kerr != nil {
		writeKMSError(w, kerr, rq.id)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-RequestId", rq.id)
	_ = json.NewEncoder(w).Encode(out)
}
