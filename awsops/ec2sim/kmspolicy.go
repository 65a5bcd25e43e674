package ec2sim

import (
	"net/http"
	"strings"
)

// KMS GetKeyPolicy and PutKeyPolicy. Both are for the key's own account
// only ("Cross-account use: No" in the KMS API reference); what the
// policies mean is keypolicy.go's.

// maxKeyPolicy is the longest key policy KMS takes (32 KB).
const maxKeyPolicy = 32768

// The KMS answers no document gives the code or wording of, in one place.
// UNCONFIRMED: another account's key (KMS documents only that these
// actions are not cross-account), an alias (they take "the key ID or key
// ARN"), a PolicyName other than "default", and changing an AWS managed
// key's policy.
func errKeyPolicyAlias(id string) *kmsError {
	return &kmsError{http.StatusBadRequest, "NotFoundException", "Invalid keyId '" + id + "': specify the key ID or key ARN of the KMS key, not an alias."}
}

func errKeyPolicyName(name string) *kmsError {
	return &kmsError{http.StatusBadRequest, "NotFoundException", "Key policy '" + name + "' does not exist. The only valid policy name is 'default'."}
}

func errManagedKeyPolicy(who caller, arn string) *kmsError {
	return &kmsError{http.StatusBadRequest, "AccessDeniedException", "User: " + who.arn + " is not authorized to perform: kms:PutKeyPolicy on resource: " + arn + ": the policy of an AWS managed key cannot be changed"}
}

// ownKey finds the key of in's KeyId for a key policy action: who's own.
func (s *Server) ownKey(r *regionState, who caller, in map[string]any, action string) (*kmsKey, *kmsError) {
	if id, _ := in["KeyId"].(string); strings.HasPrefix(id, "alias/") || strings.Contains(id, ":alias/") {
		return nil, errKeyPolicyAlias(id)
	}
	k, kerr := s.kmsKeyFor(r, who, in, action)
	if kerr != nil {
		return nil, kerr
	}
	if k.account != who.account {
		return nil, kmsDenied(who, action, k.arn)
	}
	if name, ok := in["PolicyName"].(string); ok && name != "default" {
		return nil, errKeyPolicyName(name)
	}
	return k, nil
}

func (s *Server) getKeyPolicy(rq *request, in map[string]any) (any, *kmsError) {
	r, who := s.region(rq), rq.caller
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, kerr := s.ownKey(r, who, in, "GetKeyPolicy")
	if kerr != nil {
		return nil, kerr
	}
	return map[string]any{"Policy": k.keyPolicy(r.name), "PolicyName": "default"}, nil
}

// putKeyPolicy replaces a customer managed key's policy with a JSON
// document of statements. A test makes it denied with the denyPermission
// fault (actions ["PutKeyPolicy"]), or with a statement of the key's
// policy that denies kms:PutKeyPolicy.
func (s *Server) putKeyPolicy(rq *request, in map[string]any) (any, *kmsError) {
	r := s.region(rq)
	policy, _ := in["Policy"].(string)
	switch {
	case policy == "":
		return nil, &kmsError{http.StatusBadRequest, "ValidationException", "1 validation error detected: Value null at 'policy' failed to satisfy constraint: Member must not be null"}
	case len(policy) > maxKeyPolicy:
		return nil, &kmsError{http.StatusBadRequest, "ValidationException", "1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 32768"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, kerr := s.ownKey(r, rq.caller, in, "PutKeyPolicy")
	if kerr != nil {
		return nil, kerr
	}
	if k.managed {
		return nil, errManagedKeyPolicy(rq.caller, k.arn)
	}
	if _, problem := parsePolicy(policy); problem != "" {
		return nil, &kmsError{http.StatusBadRequest, "MalformedPolicyDocumentException", problem}
	}
	k.policy = policy
	rq.changed = true
	return map[string]any{}, nil
}
