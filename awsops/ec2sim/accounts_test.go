package ec2sim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func (h *harness) sts(cfg aws.Config) *sts.Client {
	return sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(h.url) })
}

// assume assumes role with the static credentials and returns a
// configuration for region signed with the role's temporary credentials.
func (h *harness) assume(region, role string) aws.Config {
	h.t.Helper()
	out, err := h.sts(h.config(region)).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("test")})
	if err != nil {
		h.t.Fatalf("AssumeRole %s: %v", role, err)
	}
	c := out.Credentials
	cfg := h.config(region)
	cfg.Credentials = credentials.NewStaticCredentialsProvider(*c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken)
	return cfg
}

func (h *harness) ec2With(cfg aws.Config) *ec2.Client {
	return ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(h.url) })
}

func (h *harness) kmsWith(cfg aws.Config) *kms.Client {
	return kms.NewFromConfig(cfg, func(o *kms.Options) { o.BaseEndpoint = aws.String(h.url) })
}

// AssumeRole answers temporary credentials of the role's account; every
// call signed with them acts as that account, as GetCallerIdentity says.
func TestAssumeRoleActsAsTheRolesAccount(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	me, err := h.sts(h.config("us-west-2")).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || *me.Account != AccountID || *me.Arn != CallerArn {
		t.Fatalf("static credentials: %+v %v", me, err)
	}
	out, err := h.sts(h.config("us-west-2")).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(DRRoleArn), RoleSessionName: aws.String("snapcopy-dr"), DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	if !strings.HasPrefix(*c.AccessKeyId, "ASIA") || *c.SecretAccessKey == "" || *c.SessionToken == "" {
		t.Errorf("credentials %+v", c)
	}
	if left := time.Until(*c.Expiration); left < 14*time.Minute || left > 16*time.Minute {
		t.Errorf("expires in %v, want 15 minutes", left)
	}
	wantArn := "arn:aws:sts::" + DRAccountID + ":assumed-role/" + DRRoleName + "/snapcopy-dr"
	if *out.AssumedRoleUser.Arn != wantArn || !strings.HasSuffix(*out.AssumedRoleUser.AssumedRoleId, ":snapcopy-dr") {
		t.Errorf("assumed role user %+v", out.AssumedRoleUser)
	}
	cfg := h.config("us-east-1")
	cfg.Credentials = credentials.NewStaticCredentialsProvider(*c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken)
	who, err := h.sts(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || *who.Account != DRAccountID || *who.Arn != wantArn || *who.UserId != *out.AssumedRoleUser.AssumedRoleId {
		t.Fatalf("GetCallerIdentity with the role's credentials: %+v %v", who, err)
	}
	// The second account's own snapshots, not the first's.
	owned := describe(t, h.ec2With(cfg), &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}})
	if len(owned) != len(drSeeds["us-east-1"]) {
		t.Fatalf("the DR account owns %d snapshots in us-east-1, want %d", len(owned), len(drSeeds["us-east-1"]))
	}
	for _, s := range owned {
		if *s.OwnerId != DRAccountID || !strings.HasPrefix(nameOf(s.Tags), "dr-") {
			t.Errorf("DR account lists %s of %s (%s)", *s.SnapshotId, *s.OwnerId, nameOf(s.Tags))
		}
	}
	// Its keys: its own aliases, and alias/dr-backup encrypts one of them.
	aliases, err := h.kmsWith(cfg).ListAliases(ctx, &kms.ListAliasesInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range aliases.Aliases {
		names = append(names, *a.AliasName)
		if !strings.Contains(*a.AliasArn, ":"+DRAccountID+":") {
			t.Errorf("alias %s of another account", *a.AliasArn)
		}
	}
	if strings.Join(names, ",") != "alias/aws/ebs,alias/dr-backup" {
		t.Errorf("DR aliases %v", names)
	}
}

func nameOf(tags []ec2types.Tag) string {
	for _, t := range tags {
		if *t.Key == "Name" {
			return *t.Value
		}
	}
	return ""
}

// A role that does not exist, or does not trust the caller's account, is
// AccessDenied; bad parameters are ValidationError.
func TestAssumeRoleRefusals(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.sts(h.config("us-west-2"))
	for _, tc := range []struct {
		name string
		in   sts.AssumeRoleInput
		code string
	}{
		{"unknown role", sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + DRAccountID + ":role/nope"), RoleSessionName: aws.String("s1")}, "AccessDenied"},
		{"service role, not trusted", sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + AccountID + ":role/" + DLMDefaultRole), RoleSessionName: aws.String("s1")}, "AccessDenied"},
		{"session name with a space", sts.AssumeRoleInput{RoleArn: aws.String(DRRoleArn), RoleSessionName: aws.String("a b")}, "ValidationError"},
		{"beyond the role's maximum session", sts.AssumeRoleInput{RoleArn: aws.String(DRRoleArn), RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(7200)}, "ValidationError"},
	} {
		_, err := c.AssumeRole(ctx, &tc.in)
		if apiCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
		if tc.code == "AccessDenied" && !strings.Contains(err.Error(), "is not authorized to perform: sts:AssumeRole on resource: "+*tc.in.RoleArn) {
			t.Errorf("%s: message %v", tc.name, err)
		}
	}
	// Credentials of the DR role cannot assume it again: it trusts AccountID only.
	dr := h.assume("us-west-2", DRRoleArn)
	if _, err := h.sts(dr).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(DRRoleArn), RoleSessionName: aws.String("again")}); apiCode(err) != "AccessDenied" {
		t.Errorf("role chaining into an untrusting role: %v", err)
	}
	// The denyPermission fault denies AssumeRole, not GetCallerIdentity.
	h.sim.SetFaults(Faults{DenyPermission: true})
	if _, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(DRRoleArn), RoleSessionName: aws.String("s1")}); apiCode(err) != "AccessDenied" {
		t.Errorf("denied AssumeRole: %v", err)
	}
	if _, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Errorf("GetCallerIdentity under denyPermission: %v", err)
	}
}

// The role's credentials survive a restart with the world's state file.
func TestAssumedCredentialsPersist(t *testing.T) {
	file := filepath.Join(t.TempDir(), "world.json")
	h := newHarness(t, Options{Seed: 1, StateFile: file})
	cfg := h.assume("us-west-2", DRRoleArn)
	h2 := newHarness(t, Options{Seed: 1, StateFile: file})
	who, err := h2.sts(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || *who.Account != DRAccountID {
		t.Fatalf("after a restart: %+v %v", who, err)
	}
}

// A client configured as an operator configures one: a profile dr that
// assumes DRRoleArn from the static credentials of profile ops. The SDK
// calls AssumeRole on the simulator and then acts as the second account.
// aws-sdk-go-v2's credential chain (config v1.33) builds its STS client
// before it reads AWS_ENDPOINT_URL, and a profile's endpoint_url does not
// reach it either: the assume-role call needs AWS_ENDPOINT_URL_STS.
func TestProfileWithRoleArnReachesTheSecondAccount(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "config")
	credFile := filepath.Join(dir, "credentials")
	writeFile(t, cfgFile, "[profile ops]\nregion = us-west-2\n\n[profile dr]\nrole_arn = "+DRRoleArn+"\nsource_profile = ops\nrole_session_name = snapcopy\nregion = us-east-1\n")
	writeFile(t, credFile, "[ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = secret\n")
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_ENDPOINT_URL", h.url)
	t.Setenv("AWS_ENDPOINT_URL_STS", h.url)
	cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile("dr"),
		config.WithSharedConfigFiles([]string{cfgFile}), config.WithSharedCredentialsFiles([]string{credFile}))
	if err != nil {
		t.Fatal(err)
	}
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || *who.Account != DRAccountID || !strings.HasSuffix(*who.Arn, "assumed-role/dr-copy/snapcopy") {
		t.Fatalf("profile dr: %+v %v", who, err)
	}
	if h.sim.Count("AssumeRole", "us-east-1") != 1 {
		t.Errorf("AssumeRole counts %v", h.sim.Counts())
	}
	out, err := ec2.NewFromConfig(cfg).DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}})
	if err != nil || len(out.Snapshots) != len(drSeeds["us-east-1"]) {
		t.Fatalf("profile dr lists %d snapshots, %v", len(out.Snapshots), err)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
