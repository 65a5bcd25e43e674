package ec2sim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
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

// kmsActions are the KMS actions the simulator answers (TrentService),
// each in the caller's account and the request's Region.
var kmsActions = map[string]jsonHandler{
	"ListAliases":  func(s *Server, rq *request, in map[string]any) (any, *kmsError) { return s.listAliases(rq, in) },
	"DescribeKey":  func(s *Server, rq *request, in map[string]any) (any, *kmsError) { return s.describeKey(rq, in) },
	"GetKeyPolicy": (*Server).getKeyPolicy,
	"PutKeyPolicy": (*Server).putKeyPolicy,
}

// region is the request's Region of the world; the JSON front has
// checked that it is there and enabled.
func (s *Server) region(rq *request) *regionState {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.world[rq.region]
}

type aliasEntry struct {
	AliasName       string  `json:"AliasName"`
	AliasArn        string  `json:"AliasArn"`
	TargetKeyID     string  `json:"TargetKeyId,omitempty"`
	CreationDate    float64 `json:"CreationDate"`
	LastUpdatedDate float64 `json:"LastUpdatedDate"`
}

func (s *Server) listAliases(rq *request, in map[string]any) (any, *kmsError) {
	r, who, offset := s.region(rq), rq.caller, rq.offset
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

func (s *Server) describeKey(rq *request, in map[string]any) (any, *kmsError) {
	r, who, offset := s.region(rq), rq.caller, rq.offset
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
