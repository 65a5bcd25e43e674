package watch

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/ui/cmd"
)

// run reads args with the command's flags and the common ones and runs
// it, with a Connect that only records it was asked (package cli's tests
// drive the whole command line).
func run(t *testing.T, args ...string) (code int, stdout, stderr string, connected bool) {
	t.Helper()
	c := Root()
	var out, errb bytes.Buffer
	env := cmd.Env{Stdout: &out, Stderr: &errb, Version: "v9.9.9", Connect: func(context.Context, cmd.Common) (cmd.Connection, error) {
		connected = true
		return cmd.Connection{}, errors.New("no AWS in this test")
	}}
	code = runCommand(context.Background(), t, c, env, args...)
	return code, out.String(), errb.String(), connected
}

// runCommand reads args as main does for c and runs it with env.
func runCommand(ctx context.Context, t *testing.T, c *Command, env cmd.Env, args ...string) int {
	t.Helper()
	fs := pflag.NewFlagSet(c.Name(), pflag.ContinueOnError)
	env.Common.Define(fs)
	c.Flags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	env.Args = fs.Args()
	return c.Run(ctx, env)
}

// What is wrong on the command line is said, exit 2, before AWS is asked.
func TestRefusedBeforeConnecting(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"extra"}, `snapcopy: unexpected argument "extra" (see snapcopy --help)`},
		{[]string{"--output", "yaml"}, `snapcopy: --output "yaml": must be text or json`},
		{[]string{"--page-latency", "500ms"}, "snapcopy: --page-latency goes with --demo and is a duration such as 500ms"},
		{[]string{"--demo", "--page-latency", "-1s"}, "snapcopy: --page-latency goes with --demo"},
	} {
		code, _, stderr, connected := run(t, c.args...)
		if code != cmd.ExitUsage || !strings.Contains(stderr, c.want) || connected {
			t.Errorf("%v: exit %d, connected %v, stderr %q; want 2 and %q", c.args, code, connected, stderr, c.want)
		}
	}
}

// --version answers without AWS; a connection that fails is said, exit 2.
func TestVersionAndConnectionFailure(t *testing.T) {
	if code, stdout, _, connected := run(t, "--version"); code != 0 || stdout != "snapcopy v9.9.9\n" || connected {
		t.Errorf("--version: exit %d, %q, connected %v", code, stdout, connected)
	}
	if code, _, stderr, _ := run(t); code != cmd.ExitUsage || stderr != "snapcopy: no AWS in this test\n" {
		t.Errorf("connection refused: exit %d, %q", code, stderr)
	}
}
