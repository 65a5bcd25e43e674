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

// kmsFault maps an EC2-worded fault to its KMS equivalent.
func kmsFault(e *apiError, action string) *kmsError {
	switch e.code {
	case "RequestLimitExceeded":
		return &kmsError{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"}
	case "InternalError":
		return &kmsError{http.StatusInternalServerError, "KMSInternalException", "An internal error has occurred"}
	case "RequestExpired":
		return &kmsError{http.StatusBadRequest, "ExpiredTokenException", "The security token included in the request is expired"}
	case "UnauthorizedOperation":
		return &kmsError{http.StatusBadRequest, "AccessDeniedException", "User: arn:aws:iam::" + AccountID + ":user/snapcopy is not authorized to perform: kms:" + action + " because no identity-based policy allows the kms:" + action + " action"}
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

// serveKMS answers TrentService.ListAliases and TrentService.DescribeKey.
func (s *Server) serveKMS(w http.ResponseWriter, r *http.Request, target string) {
	action := strings.TrimPrefix(target, "TrentService.")
	rq := &request{action: action, region: regionOf(r), now: s.clock.Now(), id: newRequestID()}
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
		writeKMSError(w, kmsFault(signatureMismatch(r, body), action), rq.id)
		return
	}
	if act.err != nil {
		if act.skew != 0 {
			w.Header().Set("Date", awsDate(time.Now(), rq.offset+act.skew))
		}
		writeKMSError(w, kmsFault(act.err, action), rq.id)
		return
	}
	if act.drop {
		dropConnection(w) // KMS reads change nothing: applying first makes no difference
		return
	}
	time.Sleep(answerDelay)
	s.mu.RLock()
	reg := s.world[rq.region]
	s.mu.RUnlock()
	if reg == nil || !reg.enabled() {
		writeKMSError(w, kmsFault(errAuth, action), rq.id)
		return
	}
	var out any
	var kerr *kmsError
	switch action {
	case "ListAliases":
		out, kerr = s.listAliases(reg, in, rq.offset)
	case "DescribeKey":
		out, kerr = s.describeKey(reg, in, rq.offset)
	default:
		kerr = &kmsError{http.StatusBadRequest, "UnknownOperationException", ""}
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

func (s *Server) listAliases(r *regionState, in map[string]any, offset time.Duration) (any, *kmsError) {
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
		if keyFilter != "" && keyFilter != a.keyID && keyFilter != keyArn(r.name, a.keyID) {
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

func (s *Server) describeKey(r *regionState, in map[string]any, offset time.Duration) (any, *kmsError) {
	id, _ := in["KeyId"].(string)
	if id == "" {
		return nil, &kmsError{http.StatusBadRequest, "ValidationException", "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null"}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	arn, exists, aerr := r.resolveKey(id)
	if aerr != nil {
		return nil, &kmsError{http.StatusBadRequest, "NotFoundException", "Invalid keyId '" + id + "'"}
	}
	if !exists {
		if strings.Contains(arn, ":alias/") {
			return nil, &kmsError{http.StatusBadRequest, "NotFoundException", "Alias " + arn + " is not found."}
		}
		return nil, &kmsError{http.StatusBadRequest, "NotFoundException", "Key '" + arn + "' does not exist"}
	}
	var k *kmsKey
	for _, kk := range r.keys {
		if strings.EqualFold(kk.arn, arn) {
			k = kk
		}
	}
	if k == nil {
		return nil, &kmsError{http.StatusBadRequest, "NotFoundException", "Key '" + arn + "' does not exist"}
	}
	manager := "CUSTOMER"
	if k.managed {
		manager = "AWS"
	}
	return map[string]any{"KeyMetadata": map[string]any{
		"AWSAccountId":          AccountID,
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
