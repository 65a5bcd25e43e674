package tui

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/profiles"
)

// screenProfiles are the profiles the picker offers and opens: the AWS
// CLI's files, or with --demo the demo's own, which the SDK is then told
// to read (the demo process reaches nothing but its simulator).
func screenProfiles(c cmd.Common, conn cmd.Connection) (*profiles.Clients, error) {
	endpoint, home := conn.Client.Endpoint(), conn.Client.Region()
	files := awsops.DefaultProfileFiles()
	if c.Demo {
		var err error
		if files, err = profiles.WriteDemoFiles(filepath.Dir(conn.StatePath)); err != nil {
			return nil, err
		}
		for k, v := range map[string]string{
			"AWS_CONFIG_FILE":             files.Config,
			"AWS_SHARED_CREDENTIALS_FILE": files.Credentials,
			// The SDK builds the STS client of an assumed role from its
			// own settings, not from the endpoint snapcopy gives EC2.
			"AWS_ENDPOINT_URL_STS": endpoint,
		} {
			if err := os.Setenv(k, v); err != nil {
				return nil, fmt.Errorf("use the demo's AWS profiles: %w", err)
			}
		}
	}
	clients := profiles.NewClients(files, profiles.OpenBehind(endpoint, home))
	clients.Add(conn.Profile, conn.Client)
	return clients, nil
}
