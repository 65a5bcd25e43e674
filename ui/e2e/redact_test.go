package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// Canary credentials of an operator with temporary credentials. AWS's
// SignatureDoesNotMatch answer quotes the request back, session token
// included: none of them may reach the screen, the output or the state
// file (the access key id may keep its first 4 characters).
const (
	e2eKeyID  = "AKIAE2ECANARY0123456"
	e2eSecret = "e2eSecretCanary/Wq7vT3xW9pLm2Nk7Yr4Bd6Hs"
	e2eToken  = "IQoJb3JpZ2luX2VjE2E//////////wEaCXVzLWVzdC0y+E2ETOKENCANARY/9f3a=="
)

// canaryEnv is the environment of that operator.
func canaryEnv() []string {
	return []string{
		"AWS_REGION=us-west-2",
		"AWS_ACCESS_KEY_ID=" + e2eKeyID,
		"AWS_SECRET_ACCESS_KEY=" + e2eSecret,
		"AWS_SESSION_TOKEN=" + e2eToken,
	}
}

// canaryLeaks names the canaries found in text.
func canaryLeaks(text string) []string {
	var found []string
	for name, secret := range map[string]string{
		"access key id": e2eKeyID[4:], "secret key": e2eSecret, "session token": e2eToken, "token canary": "E2ETOKENCANARY",
	} {
		if strings.Contains(text, secret) {
			found = append(found, name)
		}
	}
	return found
}

// queuedCopyState writes a state file holding one queued copy of the
// seeded kafka-broker-1 snapshot to us-east-1.
func queuedCopyState(t *testing.T, sim *simProc) string {
	t.Helper()
	src, ok := sim.snapshotNamed("us-west-2", "kafka-broker-1")
	if !ok {
		t.Fatal("the seeded world has no kafka-broker-1 snapshot")
	}
	state := filepath.Join(t.TempDir(), "copies.json")
	list := &model.WatchList{}
	list.Add(model.NewCopy(model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID}, src, time.Now()))
	if err := list.Save(state); err != nil {
		t.Fatal(err)
	}
	return state
}

// syncBuffer is an output written by a process and read while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// `snapcopy watch --plain` with temporary credentials against an endpoint
// that answers SignatureDoesNotMatch (with AWS's clock 7 minutes ahead):
// the copy waits with the clock named, and no credential is printed or stored.
func TestSignatureMismatchRedactedInWatchPlain(t *testing.T) {
	sim := startSim(t, simOptions{timeScale: 1})
	state := queuedCopyState(t, sim)
	sim.setFaults(`{"signatureMismatch":true,"clockSkew":"7m"}`)

	cmd := exec.Command(binary(t), "watch", "--plain", "--endpoint-url", sim.url, "--state-file", state)
	cmd.Env = bareEnv(t, canaryEnv()...)
	var out, errOut syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	defer func() {
		_ = cmd.Process.Kill()
		<-done
	}()
	deadline := time.Now().Add(shortWait)
	for !strings.Contains(out.String(), "the local clock is 7 min behind AWS's: fix the clock (NTP)") {
		select {
		case <-done:
			t.Fatalf("watch ended; stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the clock was never named; stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(shortWait):
		t.Fatal("watch did not stop on SIGTERM")
	}

	if !strings.Contains(out.String(), "SignatureDoesNotMatch") {
		t.Errorf("AWS's code is not shown:\n%s", out.String())
	}
	stored, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	if got := watchList(t, state); len(got) != 1 || got[0].Phase != model.PhaseQueued {
		t.Errorf("the copy is %+v, want it still queued", got)
	}
	for what, text := range map[string]string{"stdout": out.String(), "stderr": errOut.String(), "the state file": string(stored)} {
		if found := canaryLeaks(text); len(found) > 0 {
			t.Errorf("%s holds the %v:\n%s", what, found, text)
		}
	}
}

// The TUI with the same operator and endpoint: the list's error and the
// progress pane show no credential, nor does the state file.
func TestSignatureMismatchRedactedOnScreen(t *testing.T) {
	sim := startSim(t, simOptions{timeScale: 1})
	state := queuedCopyState(t, sim)
	sim.setFaults(`{"signatureMismatch":true,"clockSkew":"7m"}`)

	env := newAppEnv(t, canaryEnv()...)
	tm := startApp(t, 250, 50, env, "--endpoint-url", sim.url, "--state-file", state)
	var screens []string
	screens = append(screens, tm.waitFor(shortWait, "SignatureDoesNotMatch"))
	tm.keys("p")
	screens = append(screens, tm.waitFor(shortWait, "7 min behind"))
	screens = append(screens, tm.screenWithAttributes())
	tm.keys("q")
	time.Sleep(500 * time.Millisecond)
	screens = append(screens, tm.screen())

	stored, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	for what, text := range map[string]string{"the screen": strings.Join(screens, "\n"), "the state file": string(stored)} {
		if found := canaryLeaks(text); len(found) > 0 {
			t.Errorf("%s holds the %v:\n%s", what, found, text)
		}
	}
}
