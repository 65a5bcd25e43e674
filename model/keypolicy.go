package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
)

// Key policies of a shared snapshot's key ("Share the KMS key used to
// encrypt a shared Amazon EBS snapshot", spec section 6): the destination
// account needs one statement for the key's use and one for grants limited
// to AWS resources. The functions below read a policy document as KMS
// holds it and say which of the two the account lacks, reading:
// Allow statements whose Principal is "*" or names the account (its id or
// arn:aws:iam::ACCOUNT:root), Action with IAM's wildcards, and the
// conditions Bool kms:GrantIsForAWSResource and StringEquals
// kms:CallerAccount (a statement under any other condition does not count:
// it may not hold). A Deny naming the account and one of the actions is
// reported as ErrKeyPolicyDenies: adding statements cannot help. Not read:
// NotPrincipal, NotAction, IAM policies and grants of the account, which
// can also allow the use (UNCONFIRMED that EBS's copy needs nothing
// beyond these statements; the actions are spec section 6's).

// keyUseActions are the actions of the key-use statement (spec section 6).
var keyUseActions = []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"}

// keyGrantActions are the actions of the grant statement.
var keyGrantActions = []string{"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"}

// ebsCopyUseActions are the key actions EBS performs for a copy besides
// CreateGrant: each must be allowed by the key-use statement or another.
var ebsCopyUseActions = []string{"kms:DescribeKey", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"}

// KeyStatement is one statement of a key policy, as snapcopy adds it.
type KeyStatement struct {
	Sid       string                     `json:"Sid"`
	Effect    string                     `json:"Effect"`
	Principal map[string]string          `json:"Principal"`
	Action    []string                   `json:"Action"`
	Resource  string                     `json:"Resource"`
	Condition map[string]map[string]bool `json:"Condition,omitempty"`
}

// JSON is the statement as a policy document holds it, indented.
func (s KeyStatement) JSON() string {
	b, _ := json.MarshalIndent(s, "", "  ")
	return string(b)
}

// KeyUseStatement lets account use the key (encrypt, decrypt, re-encrypt,
// make data keys, describe it).
func KeyUseStatement(account string) KeyStatement {
	return KeyStatement{
		Sid:       "Allow use of the key by account " + account,
		Effect:    "Allow",
		Principal: map[string]string{"AWS": "arn:aws:iam::" + account + ":root"},
		Action:    append([]string(nil), keyUseActions...),
		Resource:  "*",
	}
}

// KeyGrantStatement lets account make grants of the key for AWS resources
// only (the grant EBS makes for a copy).
func KeyGrantStatement(account string) KeyStatement {
	return KeyStatement{
		Sid:       "Allow grants for AWS resources by account " + account,
		Effect:    "Allow",
		Principal: map[string]string{"AWS": "arn:aws:iam::" + account + ":root"},
		Action:    append([]string(nil), keyGrantActions...),
		Resource:  "*",
		Condition: map[string]map[string]bool{"Bool": {"kms:GrantIsForAWSResource": true}},
	}
}

// ErrKeyPolicyDenies: a Deny statement of the policy names the account and
// an action EBS needs; no statement added can undo it.
var ErrKeyPolicyDenies = errors.New("a Deny statement of the key policy stops the account from using the key for the copy: remove or narrow it")

// readStatement is a statement as a policy may hold it: Principal,
// Action and Condition values as one value or a list.
type readStatement struct {
	Effect       string
	Principal    json.RawMessage
	Action       json.RawMessage
	NotPrincipal json.RawMessage
	NotAction    json.RawMessage
	Condition    map[string]map[string]json.RawMessage
}

// oneOrList reads a JSON string or list of strings.
func oneOrList(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(raw, &many)
	return many
}

// statementsOf reads the statements of a policy document.
func statementsOf(policy string) ([]readStatement, error) {
	var doc struct{ Statement json.RawMessage }
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return nil, fmt.Errorf("read the key policy: %w", err)
	}
	var list []readStatement
	if err := json.Unmarshal(doc.Statement, &list); err != nil {
		var one readStatement
		if err := json.Unmarshal(doc.Statement, &one); err != nil {
			return nil, fmt.Errorf("read the key policy's statements: %w", err)
		}
		list = []readStatement{one}
	}
	return list, nil
}

func (s readStatement) names(account string) bool {
	if len(s.NotPrincipal) > 0 {
		return false
	}
	for _, p := range oneOrList(s.Principal) {
		if p == "*" {
			return true
		}
	}
	var p struct{ AWS json.RawMessage }
	if json.Unmarshal(s.Principal, &p) != nil {
		return false
	}
	for _, v := range oneOrList(p.AWS) {
		if v == "*" || v == account || v == "arn:aws:iam::"+account+":root" {
			return true
		}
	}
	return false
}

func (s readStatement) covers(action string) bool {
	if len(s.NotAction) > 0 {
		return false
	}
	for _, a := range oneOrList(s.Action) {
		if ok, _ := path.Match(strings.ToLower(a), strings.ToLower(action)); ok || a == "*" {
			return true
		}
	}
	return false
}

// holdsFor reports whether the statement's condition holds for the
// account's action as EBS makes it (grant: a grant for an AWS resource).
func (s readStatement) holdsFor(account string, grant bool) bool {
	for op, keys := range s.Condition {
		for key, raw := range keys {
			values := oneOrList(raw)
			if len(values) == 0 {
				var b []bool
				var one bool
				if json.Unmarshal(raw, &one) == nil {
					b = []bool{one}
				} else if json.Unmarshal(raw, &b) != nil {
					return false
				}
				for _, v := range b {
					values = append(values, fmt.Sprint(v))
				}
			}
			var actual string
			switch {
			case op == "Bool" && strings.EqualFold(key, "kms:GrantIsForAWSResource"):
				actual = fmt.Sprint(grant)
			case op == "StringEquals" && strings.EqualFold(key, "kms:CallerAccount"):
				actual = account
			default:
				return false
			}
			found := false
			for _, v := range values {
				found = found || strings.EqualFold(v, actual)
			}
			if !found {
				return false
			}
		}
	}
	return true
}

// allows evaluates one action of account against the statements.
func allows(sts []readStatement, account, action string, grant bool) (allowed, denied bool) {
	for _, s := range sts {
		if !s.names(account) || !s.covers(action) || !s.holdsFor(account, grant) {
			continue
		}
		if s.Effect == "Deny" {
			return false, true
		}
		if s.Effect == "Allow" {
			allowed = true
		}
	}
	return allowed, false
}

// MissingKeyStatements says which statements a key policy lacks for
// account to copy a snapshot under the key: none, the key-use statement,
// the grant statement, or both. ErrKeyPolicyDenies when a Deny stops it.
func MissingKeyStatements(policy, account string) ([]KeyStatement, error) {
	sts, err := statementsOf(policy)
	if err != nil {
		return nil, err
	}
	var out []KeyStatement
	for _, a := range ebsCopyUseActions {
		ok, denied := allows(sts, account, a, false)
		if denied {
			return nil, ErrKeyPolicyDenies
		}
		if !ok {
			out = append(out, KeyUseStatement(account))
			break
		}
	}
	ok, denied := allows(sts, account, "kms:CreateGrant", true)
	if denied {
		return nil, ErrKeyPolicyDenies
	}
	if !ok {
		out = append(out, KeyGrantStatement(account))
	}
	return out, nil
}

// WithKeyStatements is policy with add appended to its statements, every
// other part of it kept; indented, as the y/n shows it before PutKeyPolicy.
func WithKeyStatements(policy string, add []KeyStatement) (string, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return "", fmt.Errorf("read the key policy: %w", err)
	}
	var list []json.RawMessage
	if raw, ok := doc["Statement"]; ok {
		if err := json.Unmarshal(raw, &list); err != nil {
			list = []json.RawMessage{raw}
		}
	}
	for _, s := range add {
		b, err := json.Marshal(s)
		if err != nil {
			return "", err
		}
		list = append(list, b)
	}
	raw, err := json.Marshal(list)
	if err != nil {
		return "", err
	}
	doc["Statement"] = raw
	flat, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, flat, "", "  "); err != nil {
		return "", err
	}
	return out.String(), nil
}

// StatementsJSON is statements as the JSON list an operator pastes into
// the policy's Statement list.
func StatementsJSON(sts []KeyStatement) string {
	b, _ := json.MarshalIndent(sts, "", "  ")
	return string(b)
}
