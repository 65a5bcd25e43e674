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
	files := awsops.DefaultProfileFiles()
	if c.Demo {
		var err error
		if files, err = profiles.WriteDemoFiles(filepath.Dir(conn.StatePath)); err != nil {
			return nil, err
		}
		for k, v := range map[string]string{
			"AWS_CONFIG_FILE":             files.Config,
			"AWS_SHARED_CREDENTIALS_FILE": files.Credentials,
		} {
			if err := os.Setenv(k, v); err != nil {
				return nil, fmt.Errorf("use the demo's AWS profiles: %w", err)
			}
		}
	}
	clients := profiles.NewClients(files, profiles.OpenBeside(conn.Client))
	clients.Add(conn.Profile, conn.Client)
	return clients, nil
}
