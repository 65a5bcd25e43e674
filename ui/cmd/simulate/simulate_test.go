package simulate

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/ui/cmd"
)

// runArgs reads args with the command's flags and runs it (package cli's tests
// drive the command line itself: --help, flags it cannot parse).
func runArgs(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := New()
	fs := pflag.NewFlagSet("simulate", pflag.ContinueOnError)
	c.Flags(fs)
	if err := fs.Parse(args); err != nil {
		panic(err)
	}
	return c.Run(ctx, cmd.Env{Stdout: stdout, Stderr: stderr, Args: fs.Args()})
}

// server is one Run of the command in this process.
type server struct {
	url    string
	cancel context.CancelFunc
	done   chan int
	stderr *bytes.Buffer
}

// start runs the command with args on a free loopback port and waits for
// it to say where it listens.
func start(t *testing.T, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	s := &server{cancel: cancel, done: make(chan int, 1), stderr: &bytes.Buffer{}}
	go func() {
		s.done <- runArgs(ctx, append([]string{"--listen", "127.0.0.1:0"}, args...), w, s.stderr)
		w.Close()
	}()
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("no first line: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, r) }()
	u, ok := strings.CutPrefix(strings.TrimSpace(line), "ec2sim listening on ")
	if !ok || !strings.HasPrefix(u, "http://127.0.0.1:") {
		t.Fatalf("first line %q", line)
	}
	s.url = u
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop ends the command through its context and returns its exit code.
func (s *server) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		s.done <- code
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("the command did not end with its context")
		return -1
	}
}

// faults is what GET /_sim/faults says is in force.
func (s *server) faults(t *testing.T) map[string]any {
	t.Helper()
	resp, err := http.Get(s.url + "/_sim/faults")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var f map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&f); err != nil {
		t.Fatal(err)
	}
	return f
}

// describe sends DescribeSnapshots of us-east-1 (the Region of a request
// without a signature) filtered on a snapshot id, and returns the answer.
func (s *server) describe(t *testing.T, id string) string {
	t.Helper()
	form := url.Values{"Action": {"DescribeSnapshots"}, "Version": {"2016-11-15"}, "Owner.1": {"self"},
		"Filter.1.Name": {"snapshot-id"}, "Filter.1.Value.1": {id}}
	resp, err := http.PostForm(s.url, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("DescribeSnapshots: %d %s", resp.StatusCode, b)
	}
	return string(b)
}

// The listing flags are in force from the start, as GET /_sim/faults and
// the answers show.
func TestPageLatencyAndNoWildcardsAreInForce(t *testing.T) {
	s := start(t, "--page-latency", "500ms", "--no-wildcards")
	f := s.faults(t)
	if f["pageLatency"] != "500ms" || f["noWildcards"] != true {
		t.Fatalf("in force: pageLatency %v, noWildcards %v", f["pageLatency"], f["noWildcards"])
	}
	began := time.Now()
	if body := s.describe(t, "snap-0*"); strings.Contains(body, "<snapshotId>") {
		t.Errorf("snap-0* matched snapshots with --no-wildcards:\n%s", body)
	}
	if took := time.Since(began); took < 500*time.Millisecond {
		t.Errorf("DescribeSnapshots answered in %v, under --page-latency 500ms", took)
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("exit %d after its context ended, want 0", code)
	}
}

// --faults and the flags merge; a flag given explicitly wins.
func TestFlagsWinOverFaultsJSON(t *testing.T) {
	s := start(t, "--faults", `{"throttleRate":0.5,"pageLatency":"1s","noWildcards":true,"actions":["CopySnapshot"]}`,
		"--page-latency", "250ms", "--no-wildcards=false")
	f := s.faults(t)
	if f["pageLatency"] != "250ms" || f["noWildcards"] != false || f["throttleRate"] != 0.5 {
		t.Errorf("in force: %v", f)
	}
	// Without the flags, --faults alone is in force, wildcards on by default.
	s = start(t, "--faults", `{"pageLatency":"20ms"}`)
	if f := s.faults(t); f["pageLatency"] != "20ms" || f["noWildcards"] != false {
		t.Errorf("in force: %v", f)
	}
	if body := s.describe(t, "snap-0*"); !strings.Contains(body, "<snapshotId>") {
		t.Errorf("snap-0* matched nothing with wildcards on:\n%s", body)
	}
}

// Values the flags parse but the simulator cannot take are refused, exit
// 2, naming the command; an address it cannot listen on is exit 1.
func TestBadValues(t *testing.T) {
	var out, errOut bytes.Buffer
	for _, args := range [][]string{
		{"--time-scale", "0"},
		{"--page-latency", "-1s"},
		{"--faults", `{"clockSkew":"soon"}`},
		{"--faults", `{"throttleRate":`},
		{"extra"},
	} {
		out.Reset()
		errOut.Reset()
		if code := runArgs(context.Background(), args, &out, &errOut); code != 2 || out.Len() != 0 || !strings.Contains(errOut.String(), "snapcopy simulate") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and a message", args, code, out.String(), errOut.String())
		}
	}
	errOut.Reset()
	if code := runArgs(context.Background(), []string{"--listen", "256.0.0.1:1"}, io.Discard, &errOut); code != 1 || errOut.Len() == 0 {
		t.Errorf("an address that cannot be listened on: exit %d, stderr %q", code, errOut.String())
	}
}

// SIGINT ends the server with exit 0; the manual clock, the state file and
// the faults of the flags are in force meanwhile.
func TestServesUntilSIGINT(t *testing.T) {
	state := filepath.Join(t.TempDir(), "w.json")
	s := start(t, "--manual-clock", "--visibility-lag", "0", "--seed", "3", "--state-file", state,
		"--faults", `{"signatureMismatch":true,"clockSkew":"7m"}`)
	resp, err := http.Post(s.url+"/_sim/advance?d=1m", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("advance on --manual-clock: %d", resp.StatusCode)
	}
	if f := s.faults(t); f["signatureMismatch"] != true || f["clockSkew"] != "7m0s" {
		t.Errorf("--faults: in force %v", f)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-s.done:
		s.done <- code
		if code != 0 {
			t.Errorf("exit %d after SIGINT", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the command did not stop on SIGINT")
	}
	if _, err := os.Stat(state); err != nil {
		t.Errorf("--state-file: %v", err)
	}
}

// Faults of --faults are in force from the start: AWS's clock two hours
// ahead shows in the Date header of the first answer.
func TestFaultsFromTheStart(t *testing.T) {
	s := start(t, "--faults", `{"clockOffset":"2h","hang":"75s","actions":["CopySnapshot"]}`)
	if f := s.faults(t); f["clockOffset"] != "2h0m0s" || f["hang"] != "1m15s" {
		t.Errorf("in force: %v", f)
	}
	resp, err := http.Get(s.url + "/?Action=DescribeRegions&Version=2016-11-15")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if want := time.Now().Add(2 * time.Hour); err != nil || date.Sub(want).Abs() > time.Minute {
		t.Errorf("Date %q, want about %v", resp.Header.Get("Date"), want)
	}
}
