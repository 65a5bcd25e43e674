package screentest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/ui/profiles"
)

// Profiles are the demo's profiles (demo, and dr assuming the simulator's
// dr-copy role) plus extra config text, in a temporary folder the SDK is
// told to read, opened beside home (a client of the simulator). It sets the process's
// AWS variables for the test (t.Setenv), so such a test is not parallel.
func Profiles(t *testing.T, home *awsops.Client, extra string) *profiles.Clients {
	t.Helper()
	files, err := profiles.WriteDemoFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if extra != "" {
		f, err := os.OpenFile(files.Config, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.WriteString("\n" + extra)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":             files.Config,
		"AWS_SHARED_CREDENTIALS_FILE": files.Credentials,
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_PROFILE":                 "",
		"AWS_REGION":                  "",
		"AWS_DEFAULT_REGION":          "",
		"AWS_ACCESS_KEY_ID":           "",
		"AWS_SECRET_ACCESS_KEY":       "",
		"HOME":                        filepath.Dir(files.Config),
	} {
		t.Setenv(k, v)
	}
	c := profiles.NewClients(files, profiles.OpenBeside(home))
	t.Cleanup(c.Close)
	return c
}
