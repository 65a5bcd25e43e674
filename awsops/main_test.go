package awsops_test

import (
	"os"
	"testing"
)

// TestMain keeps the developer's AWS configuration out of the tests (no
// profile, no endpoint override, no config files) and stops moto_server
// when the package's tests are done.
func TestMain(m *testing.M) {
	for _, k := range []string{
		"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_KMS",
		"AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS", "AWS_EC2_METADATA_DISABLED",
	} {
		os.Unsetenv(k)
	}
	os.Setenv("AWS_CONFIG_FILE", os.DevNull)
	os.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	// Without credentials the SDK would otherwise ask the instance metadata service.
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	code := m.Run()
	stopMoto()
	os.Exit(code)
}
