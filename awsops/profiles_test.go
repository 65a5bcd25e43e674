package awsops_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/snapcopy/snapcopy/awsops"
)

// A config and a credentials file with every kind of section the AWS CLI
// and the SDK meet.
const (
	testConfig = `# a comment
; another
[default]
region = us-west-2

[profile dev]
region = eu-west-1 # where dev lives
sso_session = corp

[ profile   dev-admin ]  ; spaces and a comment
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = dev
s3 =
  max_concurrent_requests = 10

[profile demo]
region: ap-southeast-2

[sso-session corp]
sso_region = us-east-1
sso_start_url = https://corp.awsapps.com/start

[services local]
ec2 =
  endpoint_url = http://127.0.0.1:4566

[staging]
region = us-east-2
`
	testCredentials = `[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = secret

[dev]
aws_access_key_id = AKIDDEV
aws_secret_access_key = secret

[ci]
aws_access_key_id = AKIDCI
aws_secret_access_key = secret

[profile prod]
aws_access_key_id = AKIDPROD
aws_secret_access_key = secret
`
)

func writeProfiles(t *testing.T) awsops.ProfileFiles {
	t.Helper()
	dir := t.TempDir()
	f := awsops.ProfileFiles{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	if err := os.WriteFile(f.Config, []byte(testConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.Credentials, []byte(testCredentials), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestListProfiles(t *testing.T) {
	got, err := awsops.ListProfiles(writeProfiles(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []awsops.Profile{
		{Name: "ci", InCredentials: true},
		{Name: "default", Region: "us-west-2", InConfig: true, InCredentials: true},
		{Name: "demo", Region: "ap-southeast-2", InConfig: true},
		{Name: "dev", Region: "eu-west-1", InConfig: true, InCredentials: true},
		{Name: "dev-admin", InConfig: true},
	}
	if len(got) != len(want) {
		t.Fatalf("profiles %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("profile %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// The reader and the SDK agree: every profile listed loads, with the same
// Region, and the sections it leaves out (a config section without
// "profile ", "profile prod" in the credentials file, an sso-session, a
// services section) are no profile to the SDK either.
func TestListProfilesAgreesWithTheSDK(t *testing.T) {
	files := writeProfiles(t)
	load := func(name string) (config.SharedConfig, error) {
		return config.LoadSharedConfigProfile(context.Background(), name, func(o *config.LoadSharedConfigOptions) {
			o.ConfigFiles, o.CredentialsFiles = []string{files.Config}, []string{files.Credentials}
		})
	}
	profiles, err := awsops.ListProfiles(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range profiles {
		sc, err := load(p.Name)
		if err != nil {
			t.Errorf("listed profile %q: the SDK does not load it: %v", p.Name, err)
			continue
		}
		if sc.Region != p.Region {
			t.Errorf("profile %q: region %q, the SDK reads %q", p.Name, p.Region, sc.Region)
		}
	}
	for _, name := range []string{"staging", "prod", "profile prod", "corp", "local"} {
		var missing config.SharedConfigProfileNotExistError
		if _, err := load(name); !errors.As(err, &missing) {
			t.Errorf("%q is not listed, but the SDK loads it (err %v)", name, err)
		}
	}
}

// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name the files, as for
// the AWS CLI; without them, ~/.aws.
func TestDefaultProfileFiles(t *testing.T) {
	t.Setenv("AWS_CONFIG_FILE", "/etc/aws/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/etc/aws/credentials")
	if f := awsops.DefaultProfileFiles(); f.Config != "/etc/aws/config" || f.Credentials != "/etc/aws/credentials" {
		t.Errorf("from the environment: %+v", f)
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "")
	if f := awsops.DefaultProfileFiles(); f.Config != filepath.Join(home, ".aws", "config") || f.Credentials != filepath.Join(home, ".aws", "credentials") {
		t.Errorf("by default: %+v", f)
	}
}

// Files that do not exist define no profile; a file that cannot be read is
// an error naming it.
func TestListProfilesMissingAndUnreadableFiles(t *testing.T) {
	dir := t.TempDir()
	got, err := awsops.ListProfiles(awsops.ProfileFiles{Config: filepath.Join(dir, "none"), Credentials: filepath.Join(dir, "none2")})
	if err != nil || len(got) != 0 {
		t.Errorf("missing files: %+v, %v", got, err)
	}
	// A folder where the file should be: unreadable even as root.
	if _, err := awsops.ListProfiles(awsops.ProfileFiles{Config: dir}); err == nil {
		t.Errorf("a folder as the config file: no error")
	}
}
