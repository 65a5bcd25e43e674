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
