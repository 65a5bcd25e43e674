//go:build unix

package model

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A second process cannot take the lock while the first holds it; it can
// once the first lets go. The holder is another process (flock locks are
// per open file, so a second open in this process would also conflict, but
// the point is two snapcopy processes).
func TestLockStateFileRefusesASecondProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snapcopy", "copies.json")
	unlock, err := LockStateFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// flock from the util-linux package is not guaranteed; use this test
	// binary as the second process.
	second := func() (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run", "TestLockHelperProcess")
		cmd.Env = append(os.Environ(), "SNAPCOPY_LOCK_PATH="+path)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := second()
	if err == nil || !strings.Contains(out, "already tracking the copies in "+path) || !strings.Contains(out, "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("second process: err %v, output %q; want a refusal naming the file and this pid", err, out)
	}
	unlock()
	if out, err := second(); err != nil {
		t.Errorf("after unlock the second process was refused: %v %s", err, out)
	}
}

func TestLockHelperProcess(t *testing.T) {
	path := os.Getenv("SNAPCOPY_LOCK_PATH")
	if path == "" {
		t.Skip("only run as the second process of TestLockStateFileRefusesASecondProcess")
	}
	if _, err := LockStateFile(path); err != nil {
		t.Fatal(err)
	}
}

// A link to the state file meets the same lock as the file itself, also
// before the file exists and when a folder on the way is a link.
func TestLockStateFileThroughALinkMeetsTheSameLock(t *testing.T) {
	root := t.TempDir()
	real := filepath.Join(root, "A", "copies.json")
	if err := os.Mkdir(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	fileLink := filepath.Join(root, "L.json")
	if err := os.Symlink(real, fileLink); err != nil {
		t.Fatal(err)
	}
	folderLink := filepath.Join(root, "B")
	if err := os.Symlink(filepath.Dir(real), folderLink); err != nil {
		t.Fatal(err)
	}
	try := func(first, second string) {
		t.Helper()
		unlock, err := LockStateFile(first)
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		// flock conflicts between two opens of one file, in one process too.
		if unlock2, err := LockStateFile(second); err == nil {
			unlock2()
			t.Errorf("locked %s while %s was locked", second, first)
		} else if !strings.Contains(err.Error(), "already tracking the copies in "+real) {
			t.Errorf("refusal %q does not name the file %s", err, real)
		}
	}
	try(real, fileLink) // the file does not exist yet
	try(filepath.Join(folderLink, "copies.json"), real)
	if err := os.WriteFile(real, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	try(fileLink, real)
	try(real, fileLink)
	if _, err := os.Lstat(fileLink + ".lock"); err == nil {
		t.Errorf("a lock file was made beside the link")
	}
}

// A lock path that is a link is refused, and the file it points to is not
// touched.
func TestLockFileThatIsALinkIsRefused(t *testing.T) {
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "snapcopy", "copies.json")
	if err := os.Mkdir(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, path+".lock"); err != nil {
		t.Fatal(err)
	}
	unlock, err := LockStateFile(path)
	if err == nil {
		unlock()
		t.Fatal("locked through a lock file that is a link")
	}
	if !strings.Contains(err.Error(), path+".lock is a symbolic link") {
		t.Errorf("message %q does not name the lock file as a link", err)
	}
	if got, _ := os.ReadFile(victim); string(got) != "precious\n" {
		t.Errorf("the link's target now holds %q", got)
	}
}

// A lock file with another name (a hard link) is not written into.
func TestLockFileWithAnotherNameIsNotWritten(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "snapcopy")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("precious\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "copies.json")
	if err := os.Link(victim, path+".lock"); err != nil {
		t.Fatal(err)
	}
	if unlock, err := LockStateFile(path); err == nil {
		unlock()
		t.Error("locked through a lock file with another name")
	} else if !strings.Contains(err.Error(), "hard links") {
		t.Errorf("message %q", err)
	}
	if got, _ := os.ReadFile(victim); string(got) != "precious\n" {
		t.Errorf("the other name now holds %q", got)
	}
}

// A state folder others can write to is refused; a new one is made 0700.
func TestLockRefusesAStateFolderOthersCanWrite(t *testing.T) {
	for _, mode := range []os.FileMode{0o770, 0o707, 0o1777} {
		dir := filepath.Join(t.TempDir(), "snapcopy")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, mode); err != nil {
			t.Fatal(err)
		}
		unlock, err := LockStateFile(filepath.Join(dir, "copies.json"))
		if err == nil {
			unlock()
			t.Errorf("mode %04o: locked", mode)
			continue
		}
		if !strings.Contains(err.Error(), "state folder "+dir+" can be written by other users") || !strings.Contains(err.Error(), "--state-file") {
			t.Errorf("mode %04o: message %q", mode, err)
		}
		if _, err := os.Lstat(filepath.Join(dir, "copies.json.lock")); err == nil {
			t.Errorf("mode %04o: a lock file was made in the open folder", mode)
		}
	}
	path := filepath.Join(t.TempDir(), "new", "snapcopy", "copies.json")
	unlock, err := LockStateFile(path)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	for _, d := range []string{filepath.Dir(path), filepath.Dir(filepath.Dir(path))} {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("made %s with mode %v (%v), want 0700", d, fi.Mode().Perm(), err)
		}
	}
}

// Root may lock an operator's state folder; the lock file it makes is the
// operator's, so their next snapcopy can open it.
func TestLockAsRootInAnotherUsersFolder(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	dir := filepath.Join(t.TempDir(), "snapcopy")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, 4242, 4343); err != nil {
		t.Fatal(err)
	}
	unlock, err := LockStateFile(filepath.Join(dir, "copies.json"))
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	if u, g, _ := ownerOf(filepath.Join(dir, "copies.json.lock")); u != 4242 || g != 4343 {
		t.Errorf("lock file owned by %d:%d, want the folder's 4242:4343", u, g)
	}
}

func TestStateFolderProblem(t *testing.T) {
	cases := []struct {
		perm    os.FileMode
		uid, me int
		want    string // "" when the folder is fine
	}{
		{0o700, 1000, 1000, ""},
		{0o755, 1000, 1000, ""},
		{0o750, 1000, 1000, ""},
		{0o770, 1000, 1000, "can be written by other users (mode 0770)"},
		{0o702, 1000, 1000, "can be written by other users (mode 0702)"},
		{0o700, 0, 1000, "belongs to another user (uid 0)"},
		{0o700, 1001, 1000, "belongs to another user (uid 1001)"},
		{0o700, 1000, 0, ""}, // root on an operator's folder
		{0o777, 1000, 0, "can be written by other users"},
	}
	for _, c := range cases {
		err := stateFolderProblem("/s", c.perm, c.uid, c.me)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%04o owned by %d, run by %d: refused: %v", c.perm, c.uid, c.me, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "--state-file")):
			t.Errorf("%04o owned by %d, run by %d: %v; want %q", c.perm, c.uid, c.me, err, c.want)
		}
	}
}
