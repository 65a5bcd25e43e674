package e2e

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startMoto runs moto_server on a free loopback port for this test; a
// missing moto_server skips, or fails where peers are required.
func startMoto(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		if os.Getenv("SNAPCOPY_REQUIRE_PEERS") != "" {
			t.Fatal("moto_server is not on PATH")
		}
		t.Skip("moto_server is not on PATH")
	}
	port := freePort(t)
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	// No default AMIs: moto ignores OwnerIds=self, so their snapshots
	// would show up as the account's own.
	cmd.Env = append(os.Environ(), "MOTO_EC2_LOAD_DEFAULT_AMIS=false")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	u := fmt.Sprintf("http://127.0.0.1:%d", port)
	// A cold Python start on a busy machine: a bound, not a speed check.
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(u + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return u
		}
		if time.Now().After(deadline) {
			t.Fatalf("moto_server did not answer on %s: %v", u, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Against moto: copy --wait makes exactly one copy; the same command again
// is refused naming it; --again makes a second.
func TestCopyCommandAgainstMoto(t *testing.T) {
	needAWSCLI(t)
	u := startMoto(t)
	vol := strings.TrimSpace(awsCLI(t, u, "aws ec2 create-volume --region us-west-2 --availability-zone us-west-2a --size 8 --query VolumeId --output text"))
	snap := strings.TrimSpace(awsCLI(t, u, "aws ec2 create-snapshot --region us-west-2 --volume-id "+vol+" --query SnapshotId --output text"))
	copiesInUSEast1 := func() []string {
		out := awsCLI(t, u, "aws ec2 describe-snapshots --region us-east-1 --owner-ids self --query 'Snapshots[].SnapshotId' --output text")
		return strings.Fields(out)
	}

	env := newAppEnv(t, "AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret")
	args := []string{"copy", "--endpoint-url", u, "--region", "us-west-2", "--to", "us-east-1", "--wait", snap}
	out, errOut, code := runBinary(t, env.environ(), args...)
	if code != 0 || !strings.Contains(out, "completed") {
		t.Fatalf("exit %d; stderr %q; stdout %q", code, errOut, out)
	}
	first := copiesInUSEast1()
	if len(first) != 1 {
		t.Fatalf("copies in us-east-1: %v, want exactly one", first)
	}

	_, errOut, code = runBinary(t, env.environ(), args...)
	if code == 0 || !strings.Contains(errOut, first[0]) || !strings.Contains(errOut, "already copied") {
		t.Errorf("the same copy again: exit %d, stderr %q", code, errOut)
	}
	if got := copiesInUSEast1(); len(got) != 1 {
		t.Errorf("copies in us-east-1 after a refused copy: %v", got)
	}

	out, errOut, code = runBinary(t, env.environ(), append(args[:len(args)-1:len(args)-1], "--again", snap)...)
	if code != 0 || !strings.Contains(out, "completed") {
		t.Fatalf("--again: exit %d; stderr %q; stdout %q", code, errOut, out)
	}
	if got := copiesInUSEast1(); len(got) != 2 {
		t.Errorf("copies in us-east-1 after --again: %v, want two", got)
	}
}
