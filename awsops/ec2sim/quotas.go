package ec2sim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// quotasTargetPrefix is Service Quotas' X-Amz-Target prefix (JSON 1.1 protocol).
const quotasTargetPrefix = "ServiceQuotasV20190624."

// errQuotaExceeded is the answer to a time-based copy when the Region
// pair's cumulative throughput quota has nothing left. UNCONFIRMED: AWS
// documents that the request fails but not its error code.
func errQuotaExceeded(src, dest string, quota float64) *apiError {
	return errorf(http.StatusBadRequest, "ResourceLimitExceeded",
		"The cumulative throughput of time-based snapshot copies from %s to %s has reached the account's quota of %s MiB/s. Wait for a copy to finish, or request a quota increase (Service Quotas, ebs %s).",
		src, dest, strconv.FormatFloat(quota, 'f', -1, 64), timeBasedQuotaCode)
}

// serveQuotas answers ServiceQuotasV20190624.GetServiceQuota for EBS's
// time-based copy throughput quota.
func (s *Server) serveQuotas(w http.ResponseWriter, r *http.Request, target string) {
	action := strings.TrimPrefix(target, quotasTargetPrefix)
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
			e = &kmsError{http.StatusBadRequest, "AccessDeniedException", "User: " + rq.caller.arn + " is not authorized to perform: servicequotas:" + action}
		}
		writeKMSError(w, e, rq.id)
		return
	}
	if act.drop {
		dropConnection(w)
		return
	}
	time.Sleep(answerDelay)
	if action != "GetServiceQuota" {
		writeKMSError(w, &kmsError{http.StatusBadRequest, "UnknownOperationException", ""}, rq.id)
		return
	}
	service, code := rq.params.Get("ServiceCode"), rq.params.Get("QuotaCode")
	if service != "ebs" || code != timeBasedQuotaCode {
		writeKMSError(w, &kmsError{http.StatusBadRequest, "NoSuchResourceException", "The request failed because the specified quota " + code + " of service " + service + " doesn't exist."}, rq.id)
		return
	}
	out := map[string]any{"Quota": map[string]any{
		"ServiceCode": "ebs",
		"ServiceName": "Amazon Elastic Block Store (Amazon EBS)",
		"QuotaArn":    "arn:aws:servicequotas:" + rq.region + ":" + rq.caller.account + ":ebs/" + timeBasedQuotaCode,
		"QuotaCode":   timeBasedQuotaCode,
		"QuotaName":   "Cumulative throughput for time-based snapshot copies per source and destination Region pair",
		"Value":       s.quota,
		"Unit":        "None",
		"Adjustable":  true,
		"GlobalQuota": false,
	}}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-RequestId", rq.id)
	_ = json.NewEncoder(w).Encode(out)
}
