package ec2sim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// kmsError is a KMS (JSON protocol) error answer.
type kmsError struct {
	status int
	typ    string
	msg    string
}

// kmsFault maps an EC2-worded fault to its KMS equivalent for who.
func kmsFault(e *apiError, who caller, action string) *kmsError {
	switch e.code {
	case "RequestLimitExceeded":
		return &kmsError{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"}
	case "InternalError":
		return &kmsError{http.StatusInternalServerError, "KMSInternalException", "An internal error has occurred"}
	case "RequestExpired":
		return &kmsError{http.StatusBadRequest, "ExpiredTokenException", "The security token included in the request is expired"}
	case "UnauthorizedOperation":
		return &kmsError{http.StatusBadRequest, "AccessDeniedException", "User: " + who.arn + " is not authorized to perform: kms:" + action + " because no identity-based policy allows the kms:" + action + " action"}
	case "AuthFailure":
		return &kmsError{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."}
	case "SignatureDoesNotMatch":
		return &kmsError{http.StatusBadRequest, "InvalidSignatureException", e.msg}
	}
	return &kmsError{e.status, e.code, e.msg}
}

func writeKMSError(w http.ResponseWriter, e *kmsError, requestID string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-RequestId", requestID)
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.typ, "message": e.msg})
}

// jsonFront is front for the JSON protocols (KMS, Service Quotas), which
// refuse a request signed too far from AWS's clock with
// InvalidSignatureException: nil when the request is done with.
func (s *Server) jsonFront(w http.ResponseWriter, r *http.Request, rq *request) *answerWriter {
	aw := s.front(w, r, rq)
	if aw == nil {
		return nil
	}
	if k, skewed := requestSkew(r, rq.offset); skewed {
		writeKMSError(aw, &kmsError{http.StatusBadRequest, "InvalidSignatureException", k.message()}, rq.id)
		aw.finish()
		return nil
	}
	return aw
}

// serveKMS answers TrentService.ListAliases, DescribeKey, GetKeyPolicy and
// PutKeyPolicy, each in the caller's account.
func (s *Server) serveKMS(w http.ResponseWriter, r *http.Request, target string) {
	action := strings.TrimPrefix(target, "TrentService.")
	rq := &request{action: action, region: regionOf(r), now: s.clock.Now(), id: newRequestID(), caller: s.callerOf(r)}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		writeKMSError(w, &kmsError{http.StatusBadRequest, "SerializationException", "The request body could not be read"}, rq.id)
		return
	}
	var in map[string]any
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			s.record(rq)
			writeKMSError(w, &kmsError{http.StatusBadRequest, "SerializationException", "Start of structure or map found where not expected."}, rq.id)
			return
		}
	}
	rq.params = url.Values{}
	for k, v := range in {
		rq.params.Set(k, fmt.Sprint(v))
	}
	s.record(rq)
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
		writeKMSError(w, kmsFault(act.err, rq.caller, action), rq.id)
		return
	}
	if act.drop && !act.afterApply {
		dropConnection(w)
		return
	}
	time.Sleep(answerDelay)
	s.mu.RLock()
	reg := s.world[rq.region]
	s.mu.RUnlock()
	if reg == nil || !reg.enabled() {
		writeKMSError(w, kmsFault(errAuth, rq.caller, action), rq.id)
		return
	}
	var out any
	var kerr *kmsError
	switch action {
	case "ListAliases":
		out, kerr = s.listAliases(reg, rq.caller, in, rq.offset)
	case "DescribeKey":
		out, kerr = s.describeKey(reg, rq.caller, in, rq.offset)
	case "GetKeyPolicy":
		out, kerr = s.getKeyPolicy(reg, rq.caller, in)
	case "PutKeyPolicy":
		out, kerr = s.putKeyPolicy(reg, rq, in)
	default:
		kerr = &kmsError{http.StatusBadRequest, "UnknownOperationException", ""}
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

type aliasEntry struct {
	AliasName       string  `json:"AliasName"`
	AliasArn        string  `json:"AliasArn"`
	TargetKeyID     string  `json:"TargetKeyId,omitempty"`
	CreationDate    float64 `json:"CreationDate"`
	LastUpdatedDate float64 `json:"LastUpdatedDate"`
}

func (s *Server) listAliases(r *regionState, who caller, in map[string]any, offset time.Duration) (any, *kmsError) {
	limit := 50
	if v, ok := in["Limit"].(float64); ok {
		if v < 1 || v > 100 {
			return nil, &kmsError{http.StatusBadRequest, "ValidationException", "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value between 1 and 100"}
		}
		limit = int(v)
	}
	start := 0
	if m, ok := in["Marker"].(string); ok && m != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(m, "ec2sim-"))
		if err != nil || !strings.HasPrefix(m, "ec2sim-") || n < 0 {
			return nil, &kmsError{http.StatusBadRequest, "InvalidMarkerException", "Invalid marker: " + m}
		}
		start = n
	}
	keyFilter, _ := in["KeyId"].(string)
	s.mu.RLock()
	defer s.mu.RUnlock()
	var all []aliasEntry
	for _, a := range r.aliases {
		if a.account != who.account || keyFilter != "" && keyFilter != a.keyID && keyFilter != keyArn(r.name, a.account, a.keyID) {
			continue
		}
		created := float64(r.keys[0].created.Add(offset).Unix())
		all = append(all, aliasEntry{AliasName: a.name, AliasArn: a.arn, TargetKeyID: a.keyID, CreationDate: created, LastUpdatedDate: created})
	}
	if start > len(all) {
		start = len(all)
	}
	end := min(start+limit, len(all))
	out := map[string]any{"Aliases": all[start:end], "Truncated": end < len(all)}
	if end < len(all) {
		out["NextMarker"] = "ec2sim-" + strconv.Itoa(end)
	}
	return out, nil
}

// kmsKeyFor finds the key a KeyId names for who, as KMS reads it: a key id
// or alias name in who's account, an ARN in its own. Another account's key
// is found only when its policy allows who the action.
func (s *Server) kmsKeyFor(r *regionState, who caller, in map[string]any, action string) (*kmsKey, *kmsError) {
	id, _ := in["KeyId"].(string)
	if id == "" {
		return nil, &kmsError{http.StatusBadRequest, "ValidationException", "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null"}
	}
	arn, k, aerr := r.resolveKey(who.account, id)
	switch {
	case aerr != nil:
		return nil, &kmsError{http.StatusBadRequest, "NotFoundException", "Invalid keyId '" + id + "'"}
	case k == nil && strings.Contains(arn, ":alias/"):
		return nil, &kmsError{http.StatusBadRequest, "NotFoundException", "Alias " + arn + " is not found."}
	case k == nil:
		return nil, &kmsError{http.StatusBadRequest, "NotFoundException", "Key '" + arn + "' does not exist"}
	case !k.allows(r.name, keyRequest{who: who, roleArn: roleOfSession(who.arn), action: "kms:" + action}):
		return nil, kmsDenied(who, action, k.arn)
	}
	return k, nil
}

// kmsDenied is KMS's answer when a key policy does not let who act on a
// key. UNCONFIRMED: the wording follows KMS's identity-policy denial.
func kmsDenied(who caller, action, arn string) *kmsError {
	return &kmsError{http.StatusBadRequest, "AccessDeniedException", "User: " + who.arn + " is not authorized to perform: kms:" + action + " on resource: " + arn + " because no resource-based policy allows the kms:" + action + " action"}
}

func (s *Server) describeKey(r *regionState, who caller, in map[string]any, offset time.Duration) (any, *kmsError) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, kerr := s.kmsKeyFor(r, who, in, "DescribeKey")
	if kerr != nil {
		return nil, kerr
	}
	manager := "CUSTOMER"
	if k.managed {
		manager = "AWS"
	}
	return map[string]any{"KeyMetadata": map[string]any{
		"AWSAccountId":          k.account,
		"KeyId":                 k.id,
		"Arn":                   k.arn,
		"CreationDate":          float64(k.created.Add(offset).Unix()),
		"Enabled":               true,
		"Description":           k.description,
		"KeyUsage":              "ENCRYPT_DECRYPT",
		"KeyState":              "Enabled",
		"Origin":                "AWS_KMS",
		"KeyManager":            manager,
		"CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
		"KeySpec":               "SYMMETRIC_DEFAULT",
		"EncryptionAlgorithms":  []string{"SYMMETRIC_DEFAULT"},
		"MultiRegion":           false,
	}}, nil
}
