package e2e

import (
	"os"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
)

// A proxy in AWS's place (its sign-in page, a buffer of padding, bytes
// that only claim to be gzip) is named, endpoint and all; `snapcopy copy`
// exits 1 and records no copy, and nothing of the SDK's reaches stderr.
func TestCopyNamesAnAnswerThatIsNotEC2s(t *testing.T) {
	cases := []struct {
		name   string
		faults ec2sim.Faults
		want   string
	}{
		{"html", ec2sim.Faults{HTMLPage: true}, "answered with an HTML page: a proxy or a captive portal?"},
		{"oversized", ec2sim.Faults{OversizedBody: 10 << 20}, "answered with a document that is not EC2's (<ProxyBuffer>"},
		{"gzip", ec2sim.Faults{GzipGarbage: true}, "answered with a body that says it is gzip and is not"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sim, u := listenSim(t, ec2sim.Options{Seed: 1})
			web, _ := sim.SnapshotByName("us-west-2", "web-frontend-01")
			sim.SetFaults(c.faults)
			env := newAppEnv(t, "AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret")
			out, errOut, code := runBinary(t, env.environ(), "copy", "--endpoint-url", u, "--region", "us-west-2", "--to", "us-east-1", "--wait", web.ID)
			if code != 1 || out != "" {
				t.Errorf("exit %d, stdout %q; want 1 and nothing", code, out)
			}
			if want := "ec2.us-west-2 (" + strings.TrimPrefix(u, "http://") + ") " + c.want; !strings.Contains(errOut, want) {
				t.Errorf("stderr does not say %q:\n%s", want, errOut)
			}
			noSDKLines(t, "stderr", errOut)
			if _, err := os.Stat(env.statePath()); err == nil {
				if n := len(watchList(t, env.statePath())); n != 0 {
					t.Errorf("%d copies recorded", n)
				}
			}
			if n := len(sim.Requests("CopySnapshot")); n != 0 {
				t.Errorf("%d CopySnapshot sent", n)
			}
		})
	}
}
