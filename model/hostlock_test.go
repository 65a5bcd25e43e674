//go:build unix

package model

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestHostLockHoldsOneCopyAtATime(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "locks")
	req := CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0aaaaaaaaaaaaaaaa"}
	name := HostLockName("123456789012", req)
	unlock, err := LockCopyOnHost(context.Background(), dir, name, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o777 || fi.Mode()&os.ModeSticky == 0 {
		t.Fatalf("the folder made: %v, %v; want sticky and writable by all (1777)", fi.Mode(), err)
	}
	if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("the lock file: %v, %v; want 0644, lockable by every user", fi.Mode(), err)
	}

	// Another process's lock of the same copy waits; of another copy, not.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	waited := false
	if _, err := LockCopyOnHost(ctx, dir, name, func() { waited = true }); err == nil || !waited {
		t.Errorf("a second lock of the same copy: %v, waited %v", err, waited)
	}
	other := req
	other.DestinationRegion = "eu-west-1"
	if HostLockName("123456789012", other) == name || HostLockName("210987654321", req) == name {
		t.Fatal("two copies share a lock name")
	}
	unlockOther, err := LockCopyOnHost(context.Background(), dir, HostLockName("123456789012", other), nil)
	if err != nil {
		t.Fatalf("the lock of another copy: %v", err)
	}
	unlockOther()

	got := make(chan error, 1)
	go func() {
		u, err := LockCopyOnHost(context.Background(), dir, name, nil)
		if err == nil {
			u()
		}
		got <- err
	}()
	time.Sleep(200 * time.Millisecond)
	unlock()
	select {
	case err := <-got:
		if err != nil {
			t.Errorf("the waiting lock, once let go: %v", err)
		}
	case <-time.After(10 * time.Second): // a bound on a hang
		t.Fatal("the waiting lock was never taken")
	}
}

func TestHostLockRefusesLinksAndOpenFolders(t *testing.T) {
	root := t.TempDir()
	victim := filepath.Join(root, "victim")
	if err := os.WriteFile(victim, []byte("mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	linked := filepath.Join(root, "linked")
	if err := os.Symlink(root, linked); err != nil {
		t.Fatal(err)
	}
	if _, err := LockCopyOnHost(context.Background(), linked, "copy-x.lock", nil); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("a folder that is a link: %v", err)
	}
	open := filepath.Join(root, "open")
	if err := os.Mkdir(open, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := LockCopyOnHost(context.Background(), open, "copy-x.lock", nil); err == nil || !strings.Contains(err.Error(), "sticky") {
		t.Errorf("a folder writable by all without the sticky bit: %v", err)
	}
	good := filepath.Join(root, "good")
	if err := os.Mkdir(good, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(good, "copy-x.lock")); err != nil {
		t.Fatal(err)
	}
	if _, err := LockCopyOnHost(context.Background(), good, "copy-x.lock", nil); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("a lock file that is a link: %v", err)
	}
	if data, _ := os.ReadFile(victim); string(data) != "mine\n" {
		t.Errorf("the file the link points to changed: %q", data)
	}
}

func TestHostLockFolderProblem(t *testing.T) {
	cases := []struct {
		mode os.FileMode
		uid  int
		want string
	}{
		{os.ModeDir | os.ModeSticky | 0o777, 1000, ""}, // another user made it, shared as /tmp is
		{os.ModeDir | os.ModeSticky | 0o777, 0, ""},    // root made it
		{os.ModeDir | 0o700, 501, ""},                  // a private folder of one's own
		{os.ModeDir | 0o777, 501, "sticky"},            // anyone may remove a lock
		{os.ModeDir | 0o755, 1000, "not shared"},       // another user's, closed to others
		{os.ModeSymlink | 0o777, 501, "symbolic link"}, // never followed
		{0o644, 501, "not a folder"},
	}
	for _, c := range cases {
		err := hostLockFolderProblem("/var/tmp/snapcopy-locks", c.mode, c.uid, 501)
		if (err == nil) != (c.want == "") || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("mode %v owned by %d: %v, want %q", c.mode, c.uid, err, c.want)
		}
	}
}
