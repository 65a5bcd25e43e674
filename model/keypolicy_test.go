package model

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const dr = "111122223333"

// KMS's default policy of a customer managed key: its own account only.
const ownOnly = `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]}`

func TestMissingKeyStatements(t *testing.T) {
	use := `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + dr + `:root"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}`
	grant := `{"Effect":"Allow","Principal":{"AWS":"` + dr + `"},"Action":["kms:CreateGrant","kms:ListGrants","kms:RevokeGrant"],"Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":"true"}}}`
	grantOtherCond := `{"Effect":"Allow","Principal":{"AWS":"` + dr + `"},"Action":"kms:CreateGrant","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"ec2.us-east-1.amazonaws.com"}}}`
	deny := `{"Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*"}`
	doc := func(sts ...string) string { return `{"Statement":[` + strings.Join(sts, ",") + `]}` }
	tests := []struct {
		name   string
		policy string
		want   []string // Sids
		err    error
	}{
		{"default policy: both", ownOnly, []string{"Allow use of the key by account " + dr, "Allow grants for AWS resources by account " + dr}, nil},
		{"use only: grant missing", doc(use), []string{"Allow grants for AWS resources by account " + dr}, nil},
		{"grant only: use missing", doc(grant), []string{"Allow use of the key by account " + dr}, nil},
		{"both present", doc(use, grant), nil, nil},
		{"kms:* for the account", doc(`{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::` + dr + `:root"]},"Action":"kms:*","Resource":"*"}`), nil, nil},
		{"a single statement, not a list", `{"Statement":` + use + `}`, []string{"Allow grants for AWS resources by account " + dr}, nil},
		{"a condition not read does not count", doc(use, grantOtherCond), []string{"Allow grants for AWS resources by account " + dr}, nil},
		{"another account's statements", strings.ReplaceAll(doc(use, grant), dr, "999999999999"), []string{"Allow use of the key by account " + dr, "Allow grants for AWS resources by account " + dr}, nil},
		{"a deny wins", doc(use, grant, deny), nil, ErrKeyPolicyDenies},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MissingKeyStatements(tt.policy, dr)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err %v, want %v", err, tt.err)
			}
			var sids []string
			for _, s := range got {
				sids = append(sids, s.Sid)
			}
			if strings.Join(sids, "|") != strings.Join(tt.want, "|") {
				t.Errorf("missing %q, want %q", sids, tt.want)
			}
		})
	}
	if _, err := MissingKeyStatements("not json", dr); err == nil {
		t.Error("a policy that is not JSON: no error")
	}
}

// The policy after adding is the policy before plus the statements, every
// other part kept, and it admits the account.
func TestWithKeyStatements(t *testing.T) {
	missing, _ := MissingKeyStatements(ownOnly, dr)
	after, err := WithKeyStatements(ownOnly, missing)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := MissingKeyStatements(after, dr); err != nil || len(again) != 0 {
		t.Errorf("after adding: still missing %v (%v)\n%s", again, err, after)
	}
	var doc struct {
		Version, Id string
		Statement   []map[string]any
	}
	if err := json.Unmarshal([]byte(after), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2012-10-17" || doc.Id != "key-default-1" || len(doc.Statement) != 3 || doc.Statement[0]["Sid"] != "Enable IAM User Permissions" {
		t.Errorf("policy after:\n%s", after)
	}
	if !strings.Contains(after, `"kms:GrantIsForAWSResource": true`) {
		t.Errorf("the grant statement's condition is not a JSON true:\n%s", after)
	}
}
