package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// A link to the state file is the state file: while `watch --plain` tracks
// A/copies.json, a second one started on a link to it is refused, so no
// copy is ever sent by two processes. A lock file planted as a link is
// refused, and the file it points to is left as it was.
func TestStateFileLinksCannotWalkAroundTheLock(t *testing.T) {
	sim := startSim(t, simOptions{timeScale: 1})
	src, ok := sim.snapshotNamed("us-west-2", "kafka-broker-1")
	if !ok {
		t.Fatal("the seeded world has no kafka-broker-1 snapshot")
	}
	env := bareEnv(t, "AWS_REGION=us-west-2", "AWS_ACCESS_KEY_ID=AKIDPLAIN", "AWS_SECRET_ACCESS_KEY=secret")
	root := t.TempDir()

	t.Run("link to the state file", func(t *testing.T) {
		state := filepath.Join(root, "A", "copies.json")
		list := &model.WatchList{}
		list.Add(model.NewCopy(model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID}, src, time.Now()))
		if err := list.Save(state); err != nil {
			t.Fatal(err)
		}
		first := exec.Command(binary(t), "watch", "--plain", "--endpoint-url", sim.url, "--state-file", state)
		first.Env = env
		var errOut bytes.Buffer
		first.Stderr = &errOut
		if err := first.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { _ = first.Wait(); close(exited) }()
		defer func() {
			_ = first.Process.Kill()
			<-exited
		}()
		// The lock is held once the first has written its pid into it.
		pid := strconv.Itoa(first.Process.Pid)
		deadline := time.Now().Add(shortWait)
		for {
			if b, _ := os.ReadFile(state + ".lock"); strings.TrimSpace(string(b)) == pid {
				break
			}
			select {
			case <-exited:
				t.Fatalf("the first watcher ended: %s", errOut.String())
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("the first watcher never took the lock: %s", errOut.String())
			}
			time.Sleep(100 * time.Millisecond)
		}

		link := filepath.Join(root, "L.json")
		if err := os.Symlink(state, link); err != nil {
			t.Fatal(err)
		}
		_, errSecond, code := runBinary(t, env, "watch", "--plain", "--endpoint-url", sim.url, "--state-file", link)
		if code != 2 || !strings.Contains(errSecond, "(pid "+pid+") is already tracking the copies in "+state) {
			t.Errorf("second watcher through the link: exit %d, stderr %q; want a refusal naming %s and pid %s", code, errSecond, state, pid)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link (%v)", link, err)
		}
		if n := sim.counts()["CopySnapshot us-east-1"]; n > 1 {
			t.Errorf("the simulator got %d CopySnapshot calls for one copy", n)
		}
	})

	t.Run("lock file planted as a link", func(t *testing.T) {
		victim := filepath.Join(root, "victim")
		if err := os.WriteFile(victim, []byte("precious\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(root, "B")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		state := filepath.Join(dir, "copies.json")
		if err := os.Symlink(victim, state+".lock"); err != nil {
			t.Fatal(err)
		}
		_, errOut, code := runBinary(t, env, "watch", "--plain", "--endpoint-url", sim.url, "--state-file", state)
		if code != 2 || !strings.Contains(errOut, "lock file "+state+".lock is a symbolic link") {
			t.Errorf("exit %d, stderr %q; want a refusal naming the lock file", code, errOut)
		}
		if got, _ := os.ReadFile(victim); string(got) != "precious\n" {
			t.Errorf("the lock link's target now holds %q", got)
		}
		if _, err := os.Lstat(state); err == nil {
			t.Errorf("a state file was made beside the refused lock")
		}
	})
}
