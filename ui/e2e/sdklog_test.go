package e2e

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// sdkLine is how the AWS SDK's own logger begins a line on standard error
// ("SDK 2026/11/25 14:03:05 WARN ..."): none may reach the terminal.
const sdkLine = "SDK "

// noSDKLines fails when out holds a line of the AWS SDK's own logger.
func noSDKLines(t *testing.T, where, out string) {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, sdkLine) || strings.Contains(l, " WARN ") {
			t.Errorf("%s holds a line of the AWS SDK's logger: %q", where, l)
		}
	}
}

// Without credentials on a host whose instance metadata service refuses a
// session token (a proxy answering 404, as in a walk-through), the SDK
// warns that it falls back to IMDSv1: that warning stays inside snapcopy,
// whose one sentence says what to set.
func TestNoCredentialsIsOneSentenceWithoutTheSDKsWarning(t *testing.T) {
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r)
	}))
	t.Cleanup(imds.Close)
	home := t.TempDir()
	env := []string{
		"HOME=" + home, "PATH=/usr/bin:/bin", "AWS_REGION=us-west-2",
		"AWS_CONFIG_FILE=" + home + "/none", "AWS_SHARED_CREDENTIALS_FILE=" + home + "/none",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT=" + imds.URL,
	}
	for _, args := range [][]string{{"watch", "--plain"}, {"copy", "--to", "us-east-1", "snap-0123456789abcdef0"}} {
		out, errOut, code := runBinary(t, env, args...)
		if code != 2 || out != "" {
			t.Errorf("%v: exit %d, stdout %q; want 2 and nothing", args, code, out)
		}
		noSDKLines(t, "stderr", errOut)
		if n := strings.Count(strings.TrimSpace(errOut), "\n"); n != 0 || !strings.Contains(errOut, "no usable AWS credentials") {
			t.Errorf("%v: stderr is %d lines, want snapcopy's one sentence: %q", args, n+1, errOut)
		}
	}
}
