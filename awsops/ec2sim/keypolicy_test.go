package ec2sim

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

func putPolicy(keyID, policy string) *kms.PutKeyPolicyInput {
	return &kms.PutKeyPolicyInput{KeyId: aws.String(keyID), Policy: aws.String(policy), PolicyName: aws.String("default")}
}

// GetKeyPolicy answers the default policy of a seeded customer key, which
// admits only its own account; PutKeyPolicy replaces it with a JSON
// document of statements, which the next GetKeyPolicy returns and a
// restart keeps.
func TestGetAndPutKeyPolicy(t *testing.T) {
	file := t.TempDir() + "/world.json"
	h := newHarness(t, Options{Seed: 1, StateFile: file})
	c := h.kms("us-west-2")
	arn, _ := h.sim.KMSKeyArn("us-west-2", "alias/backup")
	got, err := c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Statement []struct {
			Effect    string
			Principal struct{ AWS string }
			Action    string
		}
	}
	if err := json.Unmarshal([]byte(*got.Policy), &doc); err != nil || *got.PolicyName != "default" {
		t.Fatalf("policy %q %v", *got.Policy, err)
	}
	if len(doc.Statement) != 1 || doc.Statement[0].Principal.AWS != "arn:aws:iam::"+AccountID+":root" || doc.Statement[0].Action != "kms:*" {
		t.Errorf("default policy %+v", doc)
	}
	policy := sharedKeyPolicy(AccountID, DRAccountID)
	if _, err := c.PutKeyPolicy(ctx, putPolicy("alias/backup", policy)); apiCode(err) != "NotFoundException" {
		t.Errorf("PutKeyPolicy of an alias: %v; KMS takes a key id or ARN", err)
	}
	if _, err := c.PutKeyPolicy(ctx, putPolicy(arn, policy)); err != nil {
		t.Fatal(err)
	}
	h2 := newHarness(t, Options{Seed: 1, StateFile: file})
	again, err := h2.kms("us-west-2").GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(arn)})
	if err != nil || *again.Policy != policy {
		t.Errorf("after PutKeyPolicy and a restart: %v %v", again, err)
	}
}

// What KMS refuses, each with its exception.
func TestKeyPolicyRefusals(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.kms("us-west-2")
	backup, _ := h.sim.KMSKeyArn("us-west-2", "alias/backup")
	managed, _ := h.sim.KMSKeyArn("us-west-2", "alias/aws/ebs")
	dr := h.kmsWith(h.assume("us-west-2", DRRoleArn))
	for _, tc := range []struct {
		name string
		c    *kms.Client
		in   *kms.PutKeyPolicyInput
		code string
	}{
		{"not JSON", c, putPolicy(backup, "{not json"), "MalformedPolicyDocumentException"},
		{"no statement", c, putPolicy(backup, `{"Version":"2012-10-17"}`), "MalformedPolicyDocumentException"},
		{"AWS managed key", c, putPolicy(managed, defaultKeyPolicy(AccountID)), "AccessDeniedException"},
		{"another account's key", dr, putPolicy(backup, defaultKeyPolicy(DRAccountID)), "AccessDeniedException"},
		{"another policy name", c, &kms.PutKeyPolicyInput{KeyId: aws.String(backup), Policy: aws.String(defaultKeyPolicy(AccountID)), PolicyName: aws.String("other")}, "NotFoundException"},
	} {
		_, err := tc.c.PutKeyPolicy(ctx, tc.in)
		if apiCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if _, err := dr.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(backup)}); apiCode(err) != "AccessDeniedException" {
		t.Errorf("GetKeyPolicy of another account's key: %v", err)
	}
	// The denyPermission fault, limited to PutKeyPolicy.
	h.sim.SetFaults(Faults{DenyPermission: true, Actions: []string{"PutKeyPolicy"}})
	if _, err := c.PutKeyPolicy(ctx, putPolicy(backup, defaultKeyPolicy(AccountID))); apiCode(err) != "AccessDeniedException" {
		t.Errorf("denied PutKeyPolicy: %v", err)
	}
	if _, err := c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(backup)}); err != nil {
		t.Errorf("GetKeyPolicy under a fault of PutKeyPolicy: %v", err)
	}
	h.sim.SetFaults(Faults{})
	// A policy that denies the account kms:PutKeyPolicy: the next one is refused.
	locked := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + AccountID + `:root"},"Action":"kms:*"},
		{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:PutKeyPolicy"}]}`
	if _, err := c.PutKeyPolicy(ctx, putPolicy(backup, locked)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutKeyPolicy(ctx, putPolicy(backup, defaultKeyPolicy(AccountID))); apiCode(err) != "AccessDeniedException" {
		t.Errorf("PutKeyPolicy against a Deny statement: %v", err)
	}
}

// DescribeKey reaches another account's key only by ARN and only when its
// policy admits the caller; aliases are read in the caller's account.
func TestDescribeKeyAcrossAccounts(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	backup, _ := h.sim.KMSKeyArn("us-west-2", "alias/backup")
	dr := h.kmsWith(h.assume("us-west-2", DRRoleArn))
	if _, err := dr.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(backup)}); apiCode(err) != "AccessDeniedException" {
		t.Errorf("a key not shared: %v", err)
	}
	if _, err := dr.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/backup")}); apiCode(err) != "NotFoundException" {
		t.Errorf("another account's alias by name: %v", err)
	}
	if _, err := h.kms("us-west-2").PutKeyPolicy(ctx, putPolicy(backup, sharedKeyPolicy(AccountID, DRAccountID))); err != nil {
		t.Fatal(err)
	}
	out, err := dr.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(backup)})
	if err != nil || *out.KeyMetadata.AWSAccountId != AccountID || *out.KeyMetadata.Arn != backup {
		t.Errorf("a shared key: %+v %v", out, err)
	}
	own, err := dr.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/dr-backup")})
	if err != nil || *own.KeyMetadata.AWSAccountId != DRAccountID || own.KeyMetadata.KeyManager != "CUSTOMER" {
		t.Errorf("its own key: %+v %v", own, err)
	}
}

// The evaluation of a key policy for another account, statement by statement.
func TestKeyPolicyEvaluation(t *testing.T) {
	const other = DRAccountID
	stmt := func(s string) string { return `{"Statement":[` + s + `]}` }
	use := `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + other + `:root"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}`
	grant := `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + other + `:root"},"Action":["kms:CreateGrant","kms:ListGrants","kms:RevokeGrant"],"Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":"true"}}}`
	drSession := caller{account: other, arn: "arn:aws:sts::" + other + ":assumed-role/dr-copy/s", userID: "x:s"}
	for _, tc := range []struct {
		name   string
		policy string
		want   bool
	}{
		{"default policy", defaultKeyPolicy(AccountID), false},
		{"AWS's two statements", stmt(use + "," + grant), true},
		{"use without grants", stmt(use), false},
		{"grants without use", stmt(grant), false},
		{"account id as principal", stmt(strings.ReplaceAll(use, "arn:aws:iam::"+other+":root", other) + "," + grant), true},
		{"the role itself as principal", stmt(strings.ReplaceAll(use, other+":root", other+":role/dr-copy") + "," + strings.ReplaceAll(grant, other+":root", other+":role/dr-copy")), true},
		{"another role of the account", stmt(strings.ReplaceAll(use, other+":root", other+":role/other") + "," + grant), false},
		{"kms:* to everyone", stmt(`{"Effect":"Allow","Principal":"*","Action":"kms:*"}`), true},
		{"actions without wildcards", stmt(strings.ReplaceAll(strings.ReplaceAll(use, `"kms:ReEncrypt*"`, `"kms:ReEncryptFrom"`), `"kms:GenerateDataKey*"`, `"kms:GenerateDataKey"`) + "," + grant), false},
		{"an explicit deny", stmt(use + "," + grant + `,{"Effect":"Deny","Principal":{"AWS":"` + other + `"},"Action":"kms:Decrypt"}`), false},
		{"a condition not modelled", stmt(use + "," + strings.ReplaceAll(grant, "kms:GrantIsForAWSResource", "aws:SourceIp")), false},
		{"grant condition false", stmt(use + "," + strings.ReplaceAll(grant, `"true"`, `"false"`)), false},
		{"case of actions", stmt(strings.ReplaceAll(use, "kms:Decrypt", "KMS:decrypt") + "," + grant), true},
	} {
		k := &kmsKey{account: AccountID, policy: tc.policy}
		if got := k.usableForEBS("us-west-2", drSession); got != tc.want {
			t.Errorf("%s: usable %v, want %v", tc.name, got, tc.want)
		}
	}
	if !(&kmsKey{account: other}).usableForEBS("us-west-2", drSession) {
		t.Error("an account's own key with the default policy is not usable")
	}
	if (&kmsKey{account: AccountID, managed: true}).usableForEBS("us-west-2", drSession) {
		t.Error("another account's AWS managed key is usable")
	}
}
