package ec2sim

import (
	"net/http"
	"strconv"
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

// quotasActions are the Service Quotas actions the simulator answers.
var quotasActions = map[string]jsonHandler{"GetServiceQuota": (*Server).getServiceQuota}

// getServiceQuota answers EBS's time-based copy throughput quota.
func (s *Server) getServiceQuota(rq *request, _ map[string]any) (any, *kmsError) {
	service, code := rq.params.Get("ServiceCode"), rq.params.Get("QuotaCode")
	if service != "ebs" || code != timeBasedQuotaCode {
		return nil, &kmsError{http.StatusBadRequest, "NoSuchResourceException", "The request failed because the specified quota " + code + " of service " + service + " doesn't exist."}
	}
	return map[string]any{"Quota": map[string]any{
		"ServiceCode": "ebs",
		"ServiceName": "Amazon Elastic Block Store (Amazon EBS)",
		"QuotaArn":    "arn:aws:servicequotas:" + rq.region + ":" + rq.caller.account + ":ebs/" + timeBasedQuotaCode,
		"QuotaCode":   timeBasedQuotaCode,
		"QuotaName":   "Cumulative throughput for time-based snapshot copies per source and destination Region pair",
		"Value":       s.quota,
		"Unit":        "None",
		"Adjustable":  true,
		"GlobalQuota": false,
	}}, nil
}
