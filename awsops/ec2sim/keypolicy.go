package ec2sim

import (
	"encoding/json"
	"strings"
)

// Key policies, as "Share the KMS key used to encrypt a shared Amazon EBS
// snapshot" and KMS's "Key policies" pages describe them, evaluated small
// but right for the statements that share a key with another account:
//
//   - a statement applies to a principal when its Principal is "*", or its
//     AWS principal names the principal's account (the account id or
//     arn:aws:iam::ACCOUNT:root: any principal of that account, its IAM
//     policies assumed to allow) or the principal itself (its user ARN, or
//     the role ARN of its assumed-role session);
//   - its Action (a string or a list) matches as IAM matches actions:
//     case-insensitively, with * and ? wildcards (kms:ReEncrypt*);
//   - its Condition is understood for Bool kms:GrantIsForAWSResource
//     (true only for the grants EBS makes for a copy) and
//     StringEquals kms:CallerAccount; a statement with any other condition
//     key or operator does not apply (as if the condition were false);
//   - an explicit Deny wins over any Allow.
//
// Not modelled: NotPrincipal, NotAction, Resource (every statement is read
// as naming the key itself), IAM identity policies, grants, service
// principals, kms:ViaService and every other condition key. The key's own
// account may always use it unless a Deny says otherwise (its IAM policies
// are assumed to allow: the default policy's root statement delegates to
// them). An AWS managed key (alias/aws/...) is usable by its account only.

// ebsKeyActions are the KMS actions EBS performs with the caller's
// permissions to copy a snapshot under a key (spec section 6): without
// every one of them the copy fails with "Given key ID is not accessible".
var ebsKeyActions = []string{
	"kms:DescribeKey", "kms:CreateGrant", "kms:Decrypt", "kms:ReEncryptFrom",
	"kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
}

// defaultKeyPolicy is the policy KMS gives a customer managed key created
// without one: the account's root, so IAM policies of the account decide.
func defaultKeyPolicy(account string) string {
	return `{
  "Version": "2012-10-17",
  "Id": "key-default-1",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::` + account + `:root"},
      "Action": "kms:*",
      "Resource": "*"
    }
  ]
}`
}

// managedKeyPolicy is the policy of an AWS managed EBS key: any principal
// of the account, through EBS only.
func managedKeyPolicy(account, region string) string {
	return `{
  "Version": "2012-10-17",
  "Id": "auto-ebs-2",
  "Statement": [
    {
      "Sid": "Allow access through EBS for all principals in the account that are authorized to use EBS",
      "Effect": "Allow",
      "Principal": {"AWS": "*"},
      "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
      "Resource": "*",
      "Condition": {"StringEquals": {"kms:CallerAccount": "` + account + `", "kms:ViaService": "ec2.` + region + `.amazonaws.com"}}
    },
    {
      "Sid": "Allow direct access to key metadata to the account",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::` + account + `:root"},
      "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
      "Resource": "*"
    }
  ]
}`
}

// keyPolicy is k's policy document, its default when never set.
func (k *kmsKey) keyPolicy(region string) string {
	switch {
	case k.policy != "":
		return k.policy
	case k.managed:
		return managedKeyPolicy(k.account, region)
	}
	return defaultKeyPolicy(k.account)
}

// policyDoc is a key policy as JSON holds it; Statement, Principal.AWS and
// Action may each be one value or a list.
type policyDoc struct {
	Statement oneOrMany[policyStatement]
}

type policyStatement struct {
	Effect    string
	Principal json.RawMessage
	Action    oneOrMany[string]
	Condition map[string]map[string]json.RawMessage
	// Present when set, to leave out what is not modelled.
	NotPrincipal json.RawMessage
	NotAction    json.RawMessage
}

// oneOrMany reads a JSON value that is either one T or a list of them.
type oneOrMany[T any] []T

func (o *oneOrMany[T]) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		var list []T
		err := json.Unmarshal(b, &list)
		*o = list
		return err
	}
	var one T
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*o = oneOrMany[T]{one}
	return nil
}

// parsePolicy checks that a policy is a JSON document with statements, as
// PutKeyPolicy requires; the message says what is wrong.
func parsePolicy(policy string) (*policyDoc, string) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(policy), &raw); err != nil {
		return nil, "The policy is not valid JSON: " + err.Error()
	}
	if _, ok := raw["Statement"]; !ok {
		return nil, "The policy has no Statement."
	}
	var doc policyDoc
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return nil, "The policy's statements are malformed: " + err.Error()
	}
	if len(doc.Statement) == 0 {
		return nil, "The policy has no Statement."
	}
	for _, st := range doc.Statement {
		if st.Effect != "Allow" && st.Effect != "Deny" {
			return nil, "A statement's Effect must be Allow or Deny."
		}
		if len(st.Principal) == 0 && len(st.NotPrincipal) == 0 {
			return nil, "A statement of a key policy must name a Principal."
		}
	}
	return &doc, ""
}

// request is one KMS action a principal asks of a key, with the condition
// keys the evaluation knows.
type keyRequest struct {
	who     caller
	roleArn string // the caller's role, for an assumed-role session
	action  string // kms:Decrypt
	// grantForAWSResource is kms:GrantIsForAWSResource: a grant EBS makes.
	grantForAWSResource bool
}

// allows reports whether the key's policy lets the request through, by the
// rules at the top of this file.
func (k *kmsKey) allows(region string, rq keyRequest) bool {
	owner := rq.who.account == k.account
	if k.managed {
		return owner
	}
	doc, problem := parsePolicy(k.keyPolicy(region))
	if problem != "" {
		return owner
	}
	allowed := false
	for _, st := range doc.Statement {
		if len(st.NotPrincipal) > 0 || len(st.NotAction) > 0 {
			continue
		}
		if !principalMatches(st.Principal, rq) || !actionMatches(st.Action, rq.action) || !conditionHolds(st.Condition, rq) {
			continue
		}
		if st.Effect == "Deny" {
			return false
		}
		allowed = true
	}
	return allowed || owner
}

// usableForEBS reports whether EBS, acting for who, may copy a snapshot
// under the key.
func (k *kmsKey) usableForEBS(region string, who caller) bool {
	for _, a := range ebsKeyActions {
		if !k.allows(region, keyRequest{who: who, roleArn: roleOfSession(who.arn), action: a, grantForAWSResource: a == "kms:CreateGrant"}) {
			return false
		}
	}
	return true
}

// roleOfSession turns arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION into
// the role's ARN; "" for any other identity.
func roleOfSession(arn string) string {
	rest, ok := strings.CutPrefix(arn, "arn:aws:sts::")
	if !ok {
		return ""
	}
	account, path, _ := strings.Cut(rest, ":")
	parts := strings.Split(path, "/")
	if len(parts) != 3 || parts[0] != "assumed-role" {
		return ""
	}
	return "arn:aws:iam::" + account + ":role/" + parts[1]
}

func principalMatches(raw json.RawMessage, rq keyRequest) bool {
	var star string
	if json.Unmarshal(raw, &star) == nil {
		return star == "*"
	}
	var p struct{ AWS oneOrMany[string] }
	if json.Unmarshal(raw, &p) != nil {
		return false
	}
	for _, v := range p.AWS {
		switch v {
		case "*", rq.who.account, "arn:aws:iam::" + rq.who.account + ":root", rq.who.arn:
			return true
		}
		if rq.roleArn != "" && v == rq.roleArn {
			return true
		}
	}
	return false
}

func actionMatches(actions []string, action string) bool {
	for _, a := range actions {
		if a == "*" || glob(strings.ToLower(a), strings.ToLower(action)) {
			return true
		}
	}
	return false
}

// conditionHolds evaluates the condition keys the simulator knows; any
// other makes the statement not apply.
func conditionHolds(cond map[string]map[string]json.RawMessage, rq keyRequest) bool {
	for op, keys := range cond {
		for key, raw := range keys {
			var values oneOrMany[string]
			if json.Unmarshal(raw, &values) != nil {
				var b oneOrMany[bool]
				if json.Unmarshal(raw, &b) != nil {
					return false
				}
				for _, x := range b {
					values = append(values, strings.ToLower(strings.TrimSpace(boolText(x))))
				}
			}
			var actual string
			switch strings.ToLower(key) {
			case "kms:grantisforawsresource":
				if op != "Bool" {
					return false
				}
				actual = boolText(rq.grantForAWSResource)
			case "kms:calleraccount":
				if op != "StringEquals" {
					return false
				}
				actual = rq.who.account
			default:
				return false
			}
			if !containsFold(values, actual) {
				return false
			}
		}
	}
	return true
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}
