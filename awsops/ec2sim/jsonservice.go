package ec2sim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The JSON 1.1 services (KMS, Service Quotas, the Price List API): one
// action per X-Amz-Target, a JSON body each way, one front for all.

// jsonHandler answers one action of a JSON service from its decoded body.
type jsonHandler func(s *Server, rq *request, in map[string]any) (any, *kmsError)

// jsonService is one JSON 1.1 service: its X-Amz-Target prefix, its IAM
// action prefix (for AccessDeniedException), its actions, and whether it
// is regional (a Region the account has not enabled refuses it, as KMS's
// endpoints do).
type jsonService struct {
	targetPrefix, iamPrefix string
	actions                 map[string]jsonHandler
	regional                bool
}

// jsonServices are the JSON services, by X-Amz-Target prefix.
var jsonServices = []jsonService{
	{"TrentService.", "kms", kmsActions, true},
	{quotasTargetPrefix, "servicequotas", quotasActions, false},
	{pricingTargetPrefix, "pricing", pricingActions, false},
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
// action, saving the world when it changed.
func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request, js jsonService, target string) {
	action := strings.TrimPrefix(target, js.targetPrefix)
	rq := &request{action: action, region: regionOf(r), now: s.clock.Now(), id: newRequestID(), params: url.Values{}, caller: s.callerOf(r)}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	var in map[string]any
	if err == nil && len(body) > 0 {
		err = json.Unmarshal(body, &in)
	}
	for k, v := range in {
		rq.params.Set(k, fmt.Sprint(v))
	}
	s.record(rq)
	if err != nil {
		writeKMSError(w, &kmsError{http.StatusBadRequest, "SerializationException", "Start of structure or map found where not expected."}, rq.id)
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
	if act.signature {
		w.Header().Set("Date", awsDate(time.Now(), rq.offset+act.skew))
		writeKMSError(w, kmsFault(signatureMismatch(r, body), rq.caller, action), rq.id)
		return
	}
	if act.err != nil {
		if act.skew != 0 {
			w.Header().Set("Date", awsDate(time.Now(), rq.offset+act.skew))
		}
		e := kmsFault(act.err, rq.caller, action)
		if act.err.code == "UnauthorizedOperation" {
			e = &kmsError{http.StatusBadRequest, "AccessDeniedException", "User: " + rq.caller.arn + " is not authorized to perform: " +
				js.iamPrefix + ":" + action + " because no identity-based policy allows the " + js.iamPrefix + ":" + action + " action"}
		}
		writeKMSError(w, e, rq.id)
		return
	}
	if act.drop && !act.afterApply {
		dropConnection(w)
		return
	}
	time.Sleep(answerDelay)
	var out any
	var kerr *kmsError
	if h, ok := js.actions[action]; !ok {
		kerr = &kmsError{http.StatusBadRequest, "UnknownOperationException", ""}
	} else if reg := s.region(rq); js.regional && (reg == nil || !reg.enabled()) {
		kerr = kmsFault(errAuth, rq.caller, action)
	} else {
		out, kerr = h(s, rq, in)
	}
	if rq.changed {
		s.save()
	}
	if act.drop {
		dropConnection(w)
		return
	}
	if kerr != nil {
		writeKMSError(w, kerr, rq.id)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-RequestId", rq.id)
	_ = json.NewEncoder(w).Encode(out)
}
