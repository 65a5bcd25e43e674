package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/ui/cmd"
)

// result is one command line run in the process.
type result struct {
	code           int
	stdout, stderr string
	// connected is what the command asked Connect for (nil: never asked).
	connected *cmd.Common
}

// run runs the command line args with a Connect that records what it was
// asked and fails: no test here reaches AWS.
func run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	var r result
	env := cmd.Env{Stdout: &out, Stderr: &errb, Version: "v9.9.9", Connect: func(_ context.Context, c cmd.Common) (cmd.Connection, error) {
		r.connected = &c
		return cmd.Connection{}, errors.New("no AWS in this test")
	}}
	r.code = Run(args, env)
	r.stdout, r.stderr = out.String(), errb.String()
	return r
}

// Each command's --help is its own: its description, its synopsis and its
// flags, on standard output, exit 0; snapcopy's own lists the commands.
func TestEachCommandHasItsOwnHelp(t *testing.T) {
	for _, c := range []struct {
		args    []string
		want    []string
		notWant []string
	}{
		{[]string{"--help"},
			[]string{"snapcopy copies Amazon EBS snapshots", "Usage:\n  snapcopy [flags]\n", "Commands:\n", "snapcopy watch ", "snapcopy copy ", "snapcopy simulate ",
				"snapcopy completion ", "snapcopy version ", "--watch", "--plain", "--no-bell", "--version", "--profile NAME", "--region REGION", "--endpoint-url URL", "--state-file PATH", "--demo"},
			nil},
		{[]string{"watch", "--help"},
			[]string{"snapcopy watch follows the copies", "Usage:\n  snapcopy watch [flags]\n", "--plain", "--output FORMAT", "--discover", "Common flags", "--profile NAME"},
			[]string{"Commands:", "snapcopy copies Amazon EBS snapshots", "--watch "}},
		{[]string{"copy", "--help"},
			[]string{"snapcopy copy copies snapshots", "Usage:\n  snapcopy copy --region SRC --to DEST [flags] SNAPSHOT-ID...\n", "--to REGION", "--tag KEY=VALUE", "--source-tags MODE", "--wait", "--again", "--profile NAME"},
			[]string{"Commands:", "--plain"}},
		{[]string{"simulate", "--help"},
			[]string{"snapcopy simulate serves", "Usage:\n  snapcopy simulate [flags]\n", "Flags:\n", "--listen ADDR", "--faults JSON", "--page-latency D", "--no-wildcards", "--state-file PATH", `"127.0.0.1:4566"`},
			[]string{"Common flags", "--profile NAME", "--region REGION"}},
		{[]string{"completion", "--help"}, []string{"Usage:\n  snapcopy completion bash|zsh|fish\n", "source <(snapcopy completion bash)"}, nil},
		{[]string{"version", "--help"}, []string{"Usage:\n  snapcopy version"}, nil},
		{[]string{"help", "copy"}, []string{"Usage:\n  snapcopy copy --region SRC"}, nil},
		{[]string{"copy", "-h"}, []string{"Usage:\n  snapcopy copy --region SRC"}, nil},
	} {
		r := run(t, c.args...)
		if r.code != 0 || r.stderr != "" || strings.Count(r.stdout, "Usage:") != 1 {
			t.Errorf("%v: exit %d, stderr %q, %d Usage: in stdout", c.args, r.code, r.stderr, strings.Count(r.stdout, "Usage:"))
		}
		for _, w := range c.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%v: the help does not say %q:\n%s", c.args, w, r.stdout)
			}
		}
		for _, w := range c.notWant {
			if strings.Contains(r.stdout, w) {
				t.Errorf("%v: the help says %q, another command's:\n%s", c.args, w, r.stdout)
			}
		}
		if r.connected != nil {
			t.Errorf("%v: --help asked for AWS", c.args)
		}
	}
}

// A command line that is wrong is one line on standard error naming the
// flag with two dashes and the command's --help, exit 2, and nothing runs.
func TestBadCommandLines(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--no-such-flag"}, "snapcopy: unknown flag: --no-such-flag (see snapcopy --help)\n"},
		{[]string{"copy", "--nope", "snap-1"}, "snapcopy copy: unknown flag: --nope (see snapcopy copy --help)\n"},
		{[]string{"watch", "--region"}, "snapcopy watch: flag needs an argument: --region (see snapcopy watch --help)\n"},
		{[]string{"-region", "us-west-2"}, "snapcopy: -region: a flag takes two dashes: --region (see snapcopy --help)\n"},
		{[]string{"copy", "-to=us-east-1"}, "snapcopy copy: -to=us-east-1: a flag takes two dashes: --to (see snapcopy copy --help)\n"},
		{[]string{"copy", "--tag", "novalue", "snap-1"}, `snapcopy copy: invalid argument "novalue" for "--tag" flag: must be KEY=VALUE (got "novalue") (see snapcopy copy --help)` + "\n"},
		{[]string{"watch", "--page-latency", "soon"}, `snapcopy watch: invalid argument "soon" for "--page-latency" flag`},
		{[]string{"simulate", "--time-scale", "x"}, `snapcopy simulate: invalid argument "x" for "--time-scale" flag`},
		{[]string{"simulate", "--profile", "ops"}, "snapcopy simulate: unknown flag: --profile (see snapcopy simulate --help)\n"},
		{[]string{"wacth"}, `snapcopy: unknown command "wacth" (did you mean watch?) (see snapcopy --help)` + "\n"},
		{[]string{"completion", "csh"}, "snapcopy completion: name one shell: bash, zsh or fish (see snapcopy completion --help)\n"},
		{[]string{"completion"}, "snapcopy completion: name one shell: bash, zsh or fish"},
		{[]string{"--output", "yaml", "watch"}, `snapcopy: --output "yaml": must be text or json`},
	} {
		r := run(t, c.args...)
		if r.code != cmd.ExitUsage || !strings.HasPrefix(r.stderr, c.want) || r.stdout != "" || r.connected != nil {
			t.Errorf("%v: exit %d, stderr %q, stdout %q, connected %v; want exit 2 and %q", c.args, r.code, r.stderr, r.stdout, r.connected != nil, c.want)
		}
		if strings.Contains(r.stderr, "Usage:") || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: want one line, not the usage: %q", c.args, r.stderr)
		}
	}
}

// Flags go before or after the command's name, and between its
// arguments: each command line here reaches AWS with the same request.
func TestFlagsBeforeOrAfterTheCommand(t *testing.T) {
	want := cmd.Common{Profile: "ops", Region: "eu-west-1", StateFile: "/tmp/copies.json"}
	for _, args := range [][]string{
		{"--output", "json", "watch", "--plain", "--profile", "ops", "--region", "eu-west-1", "--state-file", "/tmp/copies.json"},
		{"--profile", "ops", "--region=eu-west-1", "watch", "--output=json", "--state-file", "/tmp/copies.json", "--plain"},
		{"--profile", "ops", "--state-file", "/tmp/copies.json", "copy", "--to", "us-east-1", "snap-1", "--region", "eu-west-1"},
		{"copy", "snap-1", "--to", "us-east-1", "--profile", "ops", "snap-2", "--region", "eu-west-1", "--state-file", "/tmp/copies.json"},
		{"--region", "eu-west-1", "--profile", "ops", "--state-file", "/tmp/copies.json", "--plain"},
	} {
		r := run(t, args...)
		if r.connected == nil || *r.connected != want {
			t.Errorf("%v: connected with %+v, want %+v (exit %d, stderr %q)", args, r.connected, want, r.code, r.stderr)
		}
		// The fake Connect's refusal is said as a real one would be.
		if r.code != cmd.ExitUsage || !strings.Contains(r.stderr, "no AWS in this test") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

// --version and version print the stamped version, before or after a
// command's flags, without AWS.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}, {"--output", "json", "watch", "--version"}} {
		r := run(t, args...)
		if r.code != 0 || r.stdout != "snapcopy v9.9.9\n" || r.connected != nil {
			t.Errorf("%v: exit %d, stdout %q, connected %v", args, r.code, r.stdout, r.connected != nil)
		}
	}
	if r := run(t, "version", "extra"); r.code != cmd.ExitUsage {
		t.Errorf("version extra: exit %d", r.code)
	}
}

// completions asks the command line what the shell would complete args
// to, as the completion scripts do (the hidden __complete command), and
// returns the values without their descriptions.
func completions(t *testing.T, args ...string) []string {
	t.Helper()
	r := run(t, append([]string{"__complete"}, args...)...)
	if r.code != 0 {
		t.Fatalf("__complete %v: exit %d, %q", args, r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	directive := lines[len(lines)-1]
	var out []string
	for _, l := range lines[:len(lines)-1] {
		v, _, _ := strings.Cut(l, "\t")
		out = append(out, v)
	}
	// 4: ShellCompDirectiveNoFileComp, no file names offered beside them.
	if directive != ":4" {
		t.Errorf("__complete %v: directive %s, want :4 (no files)", args, directive)
	}
	return out
}

// The shell completes --profile to the profiles of the AWS files the
// environment names, --region and --to to the partition's Regions, and
// --output and --source-tags to their words.
func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	config, creds := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	if err := os.WriteFile(config, []byte("[default]\nregion = us-west-2\n[profile dev]\nregion = cn-north-1\n[profile demo-ops]\n[profile ops]\n[sso-session dx]\n[dummy]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(creds, []byte("[dba]\naws_access_key_id = AKID\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", config)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--profile", "d"}, "dba default demo-ops dev"},
		{[]string{"copy", "--profile", "de"}, "default demo-ops dev"},
		{[]string{"--region", "us-west"}, "us-west-1 us-west-2"},
		{[]string{"copy", "--region", "us-gov-west-1", "--to", "us-gov"}, "us-gov-east-1 us-gov-west-1"},
		// The profile's Region gives the partition.
		{[]string{"copy", "--profile", "dev", "--to", ""}, "cn-north-1 cn-northwest-1"},
		{[]string{"watch", "--output", ""}, "text json"},
		{[]string{"copy", "--output", ""}, "text json cli dlm dlm-event"},
		{[]string{"copy", "--source-tags", ""}, "own none shared"},
		{[]string{"completion", ""}, "bash zsh fish"},
		{[]string{"w"}, "watch"},
	} {
		if got := strings.Join(completions(t, c.args...), " "); got != c.want {
			t.Errorf("%v: %q, want %q", c.args, got, c.want)
		}
	}
	// AWS_PROFILE is the profile when --profile is not given.
	t.Setenv("AWS_PROFILE", "dev")
	if got := strings.Join(completions(t, "copy", "--to", "cn-"), " "); got != "cn-north-1 cn-northwest-1" {
		t.Errorf("--to with AWS_PROFILE=dev: %q", got)
	}
}

// `snapcopy completion SHELL` prints the script that shell loads, which
// asks snapcopy itself for the values.
func TestCompletionScripts(t *testing.T) {
	for shell, want := range map[string]string{"bash": "complete -o default -F __start_snapcopy snapcopy", "zsh": "#compdef snapcopy", "fish": "complete -c snapcopy"} {
		r := run(t, "completion", shell)
		if r.code != 0 || !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "__complete") {
			t.Errorf("completion %s: exit %d, no %q or __complete in the script", shell, r.code, want)
		}
	}
}

// A settle delay from the environment that is not a duration of a second
// or more is refused by name before anything reaches AWS.
func TestABadSettleDelayIsRefusedByName(t *testing.T) {
	for _, v := range []string{"soon", "500ms", "-5s"} {
		t.Setenv("SNAPCOPY_SETTLE_DELAY", v)
		r := run(t, "watch", "--plain")
		want := `snapcopy: SNAPCOPY_SETTLE_DELAY="` + v + `": not a duration of 1s or more`
		if r.code != cmd.ExitUsage || !strings.HasPrefix(r.stderr, want) || r.connected != nil {
			t.Errorf("%s: exit %d, stderr %q, connected %v; want exit 2 and %q", v, r.code, r.stderr, r.connected != nil, want)
		}
	}
	t.Setenv("SNAPCOPY_SETTLE_DELAY", "5s")
	if r := run(t, "watch", "--plain"); r.connected == nil {
		t.Errorf("5s: exit %d, %q; want it to go on and connect", r.code, r.stderr)
	}
}
