package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// runBinary runs snapcopy with exactly env (nothing inherited) and returns
// its output and exit code.
func runBinary(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	// A bound on a hang (a retry loop that never ends), not a speed check.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = env
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("snapcopy %v did not end: stdout %q, stderr %q", args, o.String(), e.String())
	}
	if strings.Contains(e.String(), raceReport) {
		t.Fatalf("snapcopy %v met a data race:\n%s", args, e.String())
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

// bareEnv has no AWS configuration at all.
func bareEnv(t *testing.T, extra ...string) []string {
	home := t.TempDir()
	return append([]string{
		"HOME=" + home, "PATH=/usr/bin:/bin",
		"AWS_CONFIG_FILE=" + home + "/none", "AWS_SHARED_CREDENTIALS_FILE=" + home + "/none",
		"AWS_EC2_METADATA_DISABLED=true",
	}, extra...)
}

func TestCommandLineVersionAndHelp(t *testing.T) {
	out, _, code := runBinary(t, bareEnv(t), "--version")
	if code != 0 || !strings.HasPrefix(out, "snapcopy ") {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	out, errOut, code := runBinary(t, bareEnv(t), "--help")
	if code != 0 {
		t.Errorf("--help: exit %d", code)
	}
	if n := strings.Count(out+errOut, "Usage:"); n != 1 || errOut != "" {
		t.Errorf("--help printed its text %d times (stderr %q), want once on stdout", n, errOut)
	}
	for _, want := range []string{"--profile", "--region", "--endpoint-url", "--demo", "--watch", "--plain",
		"--state-file", "--no-bell", "--version", "snapcopy simulate", "snapcopy watch"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help does not mention %s:\n%s", want, out)
		}
	}
	_, errOut, code = runBinary(t, bareEnv(t), "--no-such-flag")
	if code != 2 || !strings.Contains(errOut, "no-such-flag") || !strings.Contains(errOut, "snapcopy --help") || strings.Contains(errOut, "Usage:") {
		t.Errorf("unknown flag: exit %d, %q", code, errOut)
	}
}

// Without --demo, a missing Region or missing credentials is one sentence
// that says what to set, exit code 2, and no stack trace.
func TestCommandLineMissingRegionOrCredentials(t *testing.T) {
	cases := []struct {
		name string
		env  []string
		want []string
	}{
		{"no region", bareEnv(t, "AWS_ACCESS_KEY_ID=AKID", "AWS_SECRET_ACCESS_KEY=secret"), []string{"--region", "AWS_REGION"}},
		{"no credentials", bareEnv(t, "AWS_REGION=us-west-2"), []string{"credentials", "AWS_PROFILE", "--demo"}},
		{"unknown profile", bareEnv(t, "AWS_REGION=us-west-2", "AWS_PROFILE=nosuch"), []string{"nosuch"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runBinary(t, c.env)
			if code != 2 {
				t.Errorf("exit code %d, want 2; stderr %q", code, errOut)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			for _, w := range c.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not say %q", errOut, w)
				}
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Errorf("stderr has a stack trace: %s", errOut)
			}
			if n := strings.Count(strings.TrimSpace(errOut), "\n"); n != 0 {
				t.Errorf("stderr is %d lines, want one sentence: %q", n+1, errOut)
			}
		})
	}
}

// `snapcopy watch --plain` starts and follows the copies of the state file
// with no terminal, one line per change, and its exit code says whether
// every copy completed.
func TestCommandLineWatchPlain(t *testing.T) {
	sim := startSim(t, simOptions{timeScale: 200})
	web, ok := sim.snapshotNamed("us-west-2", "web-frontend-01")
	if !ok {
		t.Fatal("the seeded world has no web-frontend-01 snapshot")
	}
	req := model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: web.ID, Description: "plain watch"}
	bad := req
	bad.Encrypted, bad.KmsKeyID = true, "alias/no-such-key"

	run := func(reqs ...model.CopyRequest) (string, string, int) {
		return runWatch(t, web, []string{"--endpoint-url", sim.url}, nil, reqs...)
	}

	out, errOut, code := run(req)
	if code != 0 {
		t.Fatalf("exit %d; stderr %q; stdout:\n%s", code, errOut, out)
	}
	if !strings.Contains(out, web.ID) || !strings.Contains(out, "us-east-1") || !strings.Contains(out, "completed") {
		t.Errorf("plain output does not follow the copy to completed:\n%s", out)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("plain output has escape sequences:\n%q", out)
	}

	out, errOut, code = run(req, bad)
	if code != 1 || !strings.Contains(errOut, "1 of the copies failed") {
		t.Errorf("with a failing copy: exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "failed: Given key ID is not accessible") {
		t.Errorf("plain output does not show the failure with AWS's message:\n%s", out)
	}
}

// Two snapcopy processes on one state file would overwrite each other's
// copies: the second is refused with a sentence naming the file.
func TestCommandLineSecondProcessOnOneStateFileIsRefused(t *testing.T) {
	sim := startSim(t, simOptions{})
	env := sim.env(t)
	tm := startApp(t, 120, 30, env, "--endpoint-url", sim.url)
	tm.waitFor(shortWait, "40/40 snapshots")

	_, errOut, code := runBinary(t, env.environ(), "watch", "--plain", "--endpoint-url", sim.url)
	if code != 2 || !strings.Contains(errOut, "already tracking the copies in "+env.statePath()) || !strings.Contains(errOut, "--state-file") {
		t.Errorf("second process: exit %d, stderr %q", code, errOut)
	}
	// With its own state file it runs (nothing to watch: it ends at once).
	_, errOut, code = runBinary(t, env.environ(), "watch", "--plain", "--endpoint-url", sim.url, "--state-file", filepath.Join(t.TempDir(), "other.json"))
	if code != 0 {
		t.Errorf("with its own state file: exit %d, stderr %q", code, errOut)
	}
	tm.keys("q")
	tm.waitExit()
}

// runWatch records reqs (copies of src) in a new state file and runs
// `snapcopy watch --plain` on it with static credentials from the
// environment, more arguments args and more variables vars ("K=V").
func runWatch(t *testing.T, src model.Snapshot, args, vars []string, reqs ...model.CopyRequest) (string, string, int) {
	t.Helper()
	state := filepath.Join(t.TempDir(), "copies.json")
	list := &model.WatchList{}
	for _, r := range reqs {
		list.Add(model.NewCopy(r, src, time.Now()))
	}
	if err := list.Save(state); err != nil {
		t.Fatal(err)
	}
	env := bareEnv(t, append([]string{"AWS_REGION=us-west-2", "AWS_ACCESS_KEY_ID=AKIDPLAIN", "AWS_SECRET_ACCESS_KEY=secret"}, vars...)...)
	return runBinary(t, env, append([]string{"watch", "--plain", "--state-file", state}, args...)...)
}

// AWS_ENDPOINT_URL_EC2, as the AWS CLI and SDKs read it, points snapcopy
// at another EC2 endpoint without --endpoint-url.
func TestCommandLineEndpointFromEnvironment(t *testing.T) {
	sim := startSim(t, simOptions{timeScale: 200})
	src, ok := sim.snapshotNamed("us-west-2", "web-frontend-02")
	if !ok {
		t.Fatal("the seeded world has no web-frontend-02 snapshot")
	}
	req := model.CopyRequest{DestinationRegion: "eu-west-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID}
	out, errOut, code := runWatch(t, src, nil, []string{"AWS_ENDPOINT_URL_EC2=" + sim.url}, req)
	if code != 0 || !strings.Contains(out, "completed") {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	if n := sim.counts()["CopySnapshot eu-west-1"]; n != 1 {
		t.Errorf("the simulator got %d CopySnapshot calls in eu-west-1, want 1", n)
	}
}

// snapshotNamed finds a snapshot of region by its Name tag.
func (s *simProc) snapshotNamed(region, name string) (model.Snapshot, bool) {
	s.t.Helper()
	for _, sn := range s.snapshots(region) {
		if sn.Name() == name {
			return sn, true
		}
	}
	return model.Snapshot{}, false
}

// Stopped by a signal while copies run, `watch --plain` says so and exits
// 143 (SIGTERM), not 0: a script sees it did not finish, and the copies
// stay recorded.
func TestCommandLineWatchPlainStoppedBySignal(t *testing.T) {
	sim := startSim(t, simOptions{timeScale: 1})
	state := queuedCopyState(t, sim)
	cmd := exec.Command(binary(t), "watch", "--plain", "--endpoint-url", sim.url, "--state-file", state)
	cmd.Env = bareEnv(t, "AWS_REGION=us-west-2", "AWS_ACCESS_KEY_ID=AKIDPLAIN", "AWS_SECRET_ACCESS_KEY=secret")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the copy is started in AWS, then stop the watcher.
	deadline := time.Now().Add(time.Minute)
	for len(sim.copiesMade("us-east-1")) == 0 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the copy never started; stderr %q", errOut.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 143 {
		t.Errorf("exit %v, want 143; stderr %q", err, errOut.String())
	}
	if !strings.Contains(errOut.String(), "stopped by SIGTERM before every copy ended (1 unfinished)") || !strings.Contains(errOut.String(), state) {
		t.Errorf("stderr %q does not say what was left and where", errOut.String())
	}
	if got := watchList(t, state); len(got) != 1 || got[0].SnapshotID == "" {
		t.Errorf("the state file after the stop holds %+v, want the started copy", got)
	}
}

// A named profile keeps its copies in a state file of its own.
func TestCommandLineNamedProfileHasItsOwnStateFile(t *testing.T) {
	sim := startSim(t, simOptions{})
	home := t.TempDir()
	config := filepath.Join(home, "config")
	if err := os.WriteFile(config, []byte("[profile ops]\nregion = us-west-2\naws_access_key_id = AKIDOPS\naws_secret_access_key = secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	state := t.TempDir()
	env := []string{"HOME=" + home, "PATH=/usr/bin:/bin", "AWS_CONFIG_FILE=" + config, "AWS_SHARED_CREDENTIALS_FILE=" + home + "/none",
		"AWS_EC2_METADATA_DISABLED=true", "XDG_STATE_HOME=" + state}
	_, errOut, code := runBinary(t, env, "watch", "--plain", "--profile", "ops", "--endpoint-url", sim.url)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(state, "snapcopy", "copies-ops.json.lock")); err != nil {
		t.Errorf("the ops profile did not use copies-ops.json: %v", err)
	}
	if _, err := os.Stat(filepath.Join(state, "snapcopy", "copies.json.lock")); err == nil {
		t.Errorf("the ops profile used the default state file")
	}
}

// A state file that cannot be used is kept aside; watch --plain then says
// where it went and exits non-zero, since it did not follow those copies.
func TestCommandLineWatchPlainOnACorruptStateFile(t *testing.T) {
	sim := startSim(t, simOptions{})
	state := filepath.Join(t.TempDir(), "copies.json")
	if err := os.WriteFile(state, []byte(`{"format":"snapcopy-copies/2","copies":[{`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := bareEnv(t, "AWS_REGION=us-west-2", "AWS_ACCESS_KEY_ID=AKIDPLAIN", "AWS_SECRET_ACCESS_KEY=secret")
	out, errOut, code := runBinary(t, env, "watch", "--plain", "--state-file", state, "--endpoint-url", sim.url)
	if code == 0 {
		t.Errorf("exit 0 after the state file was kept aside; stderr %q, stdout %q", errOut, out)
	}
	aside, _ := filepath.Glob(state + ".bad-*")
	if len(aside) != 1 {
		t.Fatalf("kept-aside files: %v", aside)
	}
	last := strings.TrimSpace(errOut)
	if i := strings.LastIndex(last, "\n"); i >= 0 {
		last = last[i+1:]
	}
	if !strings.Contains(last, aside[0]) {
		t.Errorf("the last line does not say where the file went (%s):\n%s", aside[0], errOut)
	}
}

// A mistyped --region is named with the closest Region the account has,
// exit 2, instead of being retried as a network fault.
func TestCommandLineMistypedRegion(t *testing.T) {
	sim := startSim(t, simOptions{})
	env := bareEnv(t, "AWS_ACCESS_KEY_ID=AKIDREGION", "AWS_SECRET_ACCESS_KEY=secret")
	for _, args := range [][]string{
		{"watch", "--plain", "--region", "us-wset-2", "--endpoint-url", sim.url},
		{"copy", "--region", "us-wset-2", "--to", "us-east-1", "--endpoint-url", sim.url, "snap-0a1b2c3d4e5f60718"},
	} {
		out, errOut, code := runBinary(t, env, args...)
		if code != 2 || !strings.Contains(errOut, "us-wset-2 is not a Region this account knows (did you mean us-west-2?)") {
			t.Errorf("%v: exit %d, stderr %q, stdout %q", args, code, errOut, out)
		}
		if strings.Contains(errOut, "temporary") || strings.Contains(errOut, "retries") {
			t.Errorf("%v: a mistyped Region is called a passing fault: %q", args, errOut)
		}
	}
}

// The demo's simulator takes --page-latency: pages come late, the header
// counts them as they arrive, and the listing still completes.
func TestDemoPageLatency(t *testing.T) {
	t.Parallel()
	tm := startApp(t, 160, 30, newAppEnv(t), "--demo", "--page-latency", "3s")
	tm.waitFor(shortWait, "pages / 17 shards")
	tm.waitFor(shortWait, "40/40 snapshots")

	_, errOut, code := runBinary(t, bareEnv(t), "--page-latency", "3s")
	if code != 2 || !strings.Contains(errOut, "--page-latency goes with --demo") {
		t.Errorf("--page-latency without --demo: exit %d, %q", code, errOut)
	}
}
