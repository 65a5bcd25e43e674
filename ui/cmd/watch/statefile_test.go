package watch

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/ui/cmd"
)

// runOn runs `snapcopy watch` with args against the simulator s, with the
// state file at statePath, and returns its exit code and output.
func runOn(t *testing.T, s *simtest.Sim, statePath string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	c := New()
	var out, errb bytes.Buffer
	env := cmd.Env{Stdout: &out, Stderr: &errb, Connect: func(context.Context, cmd.Common) (cmd.Connection, error) {
		return cmd.Connection{Client: s.Client, StatePath: statePath, Close: func() {}}, nil
	}}
	code = runCommand(context.Background(), t, c, env, args...)
	return code, out.String(), errb.String()
}

// A state file of format 2 whose copy holds its request under format 1's
// names reads as a request with no source and no destination: the copy is
// kept aside with the file's other unusable copies, and nothing is sent.
func TestARecordWithoutItsRequestIsKeptAsideNotSent(t *testing.T) {
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1}})
	web, _ := s.Server.SnapshotByName("us-west-2", "web-frontend-01")
	path := filepath.Join(t.TempDir(), "copies.json")
	content := `{"format":"snapcopy-copies/2","copies":[{"request_id":"sc-0a1b2c3d4e5f6a7b","phase":"queued",
		"request":{"DestinationRegion":"us-east-1","SourceRegion":"us-west-2","SourceSnapshotID":"` + web.ID + `",
		"Tags":[{"Key":"snapcopy:request-id","Value":"sc-0a1b2c3d4e5f6a7b"}]},"created_at":"2026-11-25T10:00:00Z"}]}`
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runOn(t, s, path, "--plain")
	if code != cmd.ExitFailed {
		t.Errorf("exit %d, want 1 (a copy kept aside is not followed)", code)
	}
	for _, want := range []string{"copy sc-0a1b2c3d4e5f6a7b has no source Region, no source snapshot id, no destination Region", "kept aside in " + path + ".bad-"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	if n := len(s.Server.Requests("CopySnapshot")); n != 0 {
		t.Errorf("the simulator received %d CopySnapshot", n)
	}
}
