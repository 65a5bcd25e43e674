package profiles

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
)

// The demo's AWS config and credentials files, written beside its state
// file at each start (never in ~/.aws): a `demo` profile for the seeded
// account and a `dr` profile that assumes the simulator's dr-copy role in
// its second account, for the profile picker and the form's destination
// account.
const (
	DemoConfigFile      = "demo-aws-config"
	DemoCredentialsFile = "demo-aws-credentials"
)

// demoConfig is the demo's config file; %s is the dr-copy role's ARN.
const demoConfig = `# Written by snapcopy --demo at each start: the profiles of the demo's
# simulator. They reach nothing else: their keys are the simulator's.
[profile demo]
region = us-west-2

[profile dr]
role_arn = %s
source_profile = demo
region = us-east-1
`

// demoCredentials are the demo profile's keys: the simulator takes any
// static keys as its first account's.
const demoCredentials = `# Written by snapcopy --demo at each start.
[demo]
aws_access_key_id = SNAPCOPYDEMO
aws_secret_access_key = snapcopy-demo-secret
`

// WriteDemoFiles writes the demo's config and credentials files into
// dir (the demo's state folder), mode 0600, and returns their paths.
func WriteDemoFiles(dir string) (awsops.ProfileFiles, error) {
	files := awsops.ProfileFiles{Config: filepath.Join(dir, DemoConfigFile), Credentials: filepath.Join(dir, DemoCredentialsFile)}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return files, fmt.Errorf("write the demo's AWS profiles: %w", err)
	}
	for path, text := range map[string]string{
		files.Config:      fmt.Sprintf(demoConfig, ec2sim.DRRoleArn),
		files.Credentials: demoCredentials,
	} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			return files, fmt.Errorf("write the demo's AWS profiles: %w", err)
		}
	}
	return files, nil
}

// UseDemoFiles writes the demo's profiles into dir and has the AWS SDK
// read them, and no other, for the rest of the process: --demo reaches
// nothing but its simulator, and its dr profile is there for the picker,
// the form and the tracker alike.
func UseDemoFiles(dir string) (awsops.ProfileFiles, error) {
	files, err := WriteDemoFiles(dir)
	if err != nil {
		return files, err
	}
	for k, v := range map[string]string{"AWS_CONFIG_FILE": files.Config, "AWS_SHARED_CREDENTIALS_FILE": files.Credentials} {
		if err := os.Setenv(k, v); err != nil {
			return files, fmt.Errorf("use the demo's AWS profiles: %w", err)
		}
	}
	return files, nil
}
