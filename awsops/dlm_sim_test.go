package awsops_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dlm"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/validate"
)

// recurringOn checks a recurring copy of a us-west-2 snapshot to
// us-east-1 under alias/backup, its alias resolved on the simulator as the
// panel resolves it (DescribeKey in the destination Region).
func recurringOn(t *testing.T, c *awsops.Client, f validate.RecurringForm) validate.RecurringResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	key, err := c.DescribeKey(ctx, "us-east-1", "alias/backup")
	if err != nil {
		t.Fatalf("DescribeKey: %v", err)
	}
	if !strings.HasPrefix(key.Arn, "arn:aws:kms:us-east-1:123456789012:key/") || key.AWSManaged {
		t.Fatalf("alias/backup resolved to %+v", key)
	}
	account, err := c.Account(ctx)
	if err != nil {
		t.Fatal(err)
	}
	req := model.CopyRequest{SourceRegion: "us-west-2", DestinationRegion: "us-east-1", SourceSnapshotID: "snap-0123456789abcdef0",
		Description: "db nightly", Encrypted: true, KmsKeyID: "alias/backup"}
	res := validate.Recurring([]model.CopyRequest{req}, []model.Snapshot{{ID: req.SourceSnapshotID, Region: "us-west-2"}}, f,
		validate.RecurringFacts{Account: account, Partition: "aws", KeyArn: key.Arn, KeyResolved: true})
	return res
}

func dlmForm() validate.RecurringForm {
	return validate.RecurringForm{TargetTag: "backup=nightly", Schedule: "daily@03:00", Retain: "14", DestRetain: "30d", CopyTags: true}
}

// The policy snapcopy makes is stored as sent: read back, it has the same
// target, encryption, key ARN and retention.
func TestDLMPolicyCreatedAndReadBack(t *testing.T) {
	s := simtest.Start(t, simtest.Setup{})
	res := recurringOn(t, s.Client, dlmForm())
	if !res.OK() {
		t.Fatalf("not valid: %v %q", res.Problems, res.Pending)
	}
	want := res.Copy.SourcePolicy()
	ctx := context.Background()
	id, err := s.Client.CreateDLMPolicy(ctx, "us-west-2", want)
	if err != nil {
		t.Fatalf("CreateDLMPolicy: %s", model.ExplainDLM(err, want.ExecutionRoleArn))
	}
	got, err := s.Client.DLMPolicy(ctx, "us-west-2", id)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != id || got.State != "ENABLED" || !strings.HasSuffix(got.Arn, ":policy/"+id) {
		t.Errorf("read back %+v", got)
	}
	if got.Policy.JSON() != want.JSON() {
		t.Errorf("stored:\n%s\nsent:\n%s", got.Policy.JSON(), want.JSON())
	}
	rule := got.Policy.PolicyDetails.Schedules[0].CrossRegionCopyRules[0]
	if rule.Target != "us-east-1" || !rule.Encrypted || !strings.Contains(rule.CmkArn, ":key/") || rule.RetainRule.Interval != 30 {
		t.Errorf("copy rule read back: %+v", rule)
	}
	if err := s.Client.DeleteDLMPolicy(ctx, "us-west-2", id); err != nil {
		t.Fatal(err)
	}
	if policies(t, s.Client, "us-west-2") != 0 {
		t.Error("policy not deleted")
	}
}

// policies counts the caller's policies of region.
func policies(t *testing.T, c *awsops.Client, region string) int {
	t.Helper()
	out, err := c.DLM(region).GetLifecyclePolicies(context.Background(), &dlm.GetLifecyclePoliciesInput{})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Policies)
}

// A role that does not exist, and an identity that may not create
// policies, are said in plain words with what to do; nothing is created.
func TestDLMCreateRefusedInPlainWords(t *testing.T) {
	cases := []struct {
		name   string
		role   string
		faults *ec2sim.Faults
		says   []string
	}{
		{name: "no such role", role: "snapcopy-no-such-role",
			says: []string{"CreateLifecyclePolicy in us-west-2: InvalidRequestException", "role arn:aws:iam::123456789012:role/snapcopy-no-such-role does not exist",
				"aws dlm create-default-role --resource-type snapshot"}},
		{name: "denied", faults: &ec2sim.Faults{DenyPermission: true, Actions: []string{"CreateLifecyclePolicy"}},
			says: []string{"AccessDeniedException", "dlm:CreateLifecyclePolicy and iam:PassRole"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := simtest.Start(t, simtest.Setup{})
			f := dlmForm()
			f.Role = c.role
			res := recurringOn(t, s.Client, f)
			if !res.OK() {
				t.Fatalf("not valid: %v", res.Problems)
			}
			if c.faults != nil {
				s.Server.SetFaults(*c.faults)
			}
			p := res.Copy.SourcePolicy()
			_, err := s.Client.CreateDLMPolicy(context.Background(), "us-west-2", p)
			if err == nil {
				t.Fatal("created")
			}
			msg := model.ExplainDLM(err, p.ExecutionRoleArn)
			for _, w := range c.says {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			s.Server.SetFaults(ec2sim.Faults{})
			if n := policies(t, s.Client, "us-west-2"); n != 0 {
				t.Errorf("%d policies created", n)
			}
		})
	}
}

// The cross-account pair: the source account's policy shares, and the
// destination account's event policy, created by that account in the
// source Region, copies; each is accepted by DLM's rules.
func TestDLMCrossAccountPairAccepted(t *testing.T) {
	s := simtest.Start(t, simtest.Setup{})
	ctx := context.Background()
	drKey, err := drClient(t, s).DescribeKey(ctx, "us-east-1", "alias/dr-backup")
	if err != nil {
		t.Fatal(err)
	}
	f := dlmForm()
	f.DestinationAccount = ec2sim.DRAccountID
	req := model.CopyRequest{SourceRegion: "us-west-2", DestinationRegion: "us-east-1", SourceSnapshotID: "snap-0123456789abcdef0",
		Description: "db nightly", Encrypted: true, KmsKeyID: drKey.Arn}
	res := validate.Recurring([]model.CopyRequest{req}, []model.Snapshot{{ID: req.SourceSnapshotID, Region: "us-west-2"}}, f,
		validate.RecurringFacts{Account: ec2sim.AccountID, Partition: "aws"})
	if !res.OK() {
		t.Fatalf("not valid: %v %q", res.Problems, res.Pending)
	}
	srcID, err := s.Client.CreateDLMPolicy(ctx, "us-west-2", res.Copy.SourcePolicy())
	if err != nil {
		t.Fatalf("source policy: %s", model.ExplainDLM(err, ""))
	}
	rc := res.Copy
	rc.SourcePolicyID = srcID
	dr := drClient(t, s)
	evID, err := dr.CreateDLMPolicy(ctx, "us-west-2", rc.EventPolicy())
	if err != nil {
		t.Fatalf("event policy: %s", model.ExplainDLM(err, ""))
	}
	got, err := dr.DLMPolicy(ctx, "us-west-2", evID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Policy.JSON() != rc.EventPolicy().JSON() {
		t.Errorf("event policy stored:\n%s", got.Policy.JSON())
	}
}

// drClient is a client of the simulator's second account, by the role it
// lets the first account assume.
func drClient(t *testing.T, s *simtest.Sim) *awsops.Client {
	t.Helper()
	base := aws.Config{Region: "us-west-2", Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "test-secret", "")}
	out, err := sts.NewFromConfig(base, func(o *sts.Options) { o.BaseEndpoint = aws.String(s.URL) }).AssumeRole(context.Background(),
		&sts.AssumeRoleInput{RoleArn: aws.String(ec2sim.DRRoleArn), RoleSessionName: aws.String("snapcopy-test")})
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	cr := out.Credentials
	creds := credentials.NewStaticCredentialsProvider(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken))
	return simtest.Client(t, s.URL, func(o *awsops.Options) { o.StaticCredentials = &creds })
}
