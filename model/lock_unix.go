//go:build unix

package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// LockStateFile takes an exclusive lock beside the state file for as long
// as the process runs (the kernel drops it if the process dies). Two
// snapcopy processes saving one state file would each overwrite the
// other's copies; the second one is refused instead, with a message naming
// the file and the process that holds it.
//
// The lock is taken beside the file path resolves to (ResolveStatePath),
// so a link to the state file meets the same lock. The state folder must
// be the user's own and closed to others (a folder others can write lets
// them plant the lock file, or the state file, as a link); a new one is
// made 0700. The lock file itself is never followed if it is a link, and
// it is emptied only once the lock is held.
func LockStateFile(path string) (unlock func(), err error) {
	real, err := ResolveStatePath(path)
	if err != nil {
		return nil, fmt.Errorf("lock state file: %w", err)
	}
	dir := filepath.Dir(real)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("lock state file: %w", err)
	}
	if err := checkStateFolder(dir); err != nil {
		return nil, err
	}
	lockPath := real + ".lock"
	// O_NONBLOCK: opening a FIFO planted there must not hang.
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o600)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("lock file %s is a symbolic link; snapcopy does not follow it, so as not to write into the file it points to: remove the link, or use --state-file", lockPath)
	}
	if err != nil {
		return nil, fmt.Errorf("lock state file: %w", err)
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock state file: %w", err)
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		f.Close()
		return nil, fmt.Errorf("lock file %s is not a regular file: remove it, or use --state-file", lockPath)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := readHolder(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			who := "another snapcopy"
			if pid := strings.TrimSpace(holder); pid != "" {
				who += " (pid " + pid + ")"
			}
			where := path
			if abs, _ := filepath.Abs(path); abs != real {
				where = real + ", which " + path + " links to,"
			}
			return nil, fmt.Errorf("%s is already tracking the copies in %s: watch them there, or give this one its own --state-file", who, where)
		}
		return nil, fmt.Errorf("lock state file: %w", err)
	}
	unlock = func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}
	// Held now, so the file is ours to rewrite; unless another name links
	// to the same file, which writing the pid would change too.
	if st.Nlink != 1 {
		unlock()
		return nil, fmt.Errorf("lock file %s has other names (hard links); snapcopy does not write into it: remove it, or use --state-file", lockPath)
	}
	if os.Geteuid() == 0 && st.Uid == 0 {
		giveBack(f, dir)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return unlock, nil
}

// readHolder reads the pid the lock's holder wrote, through the file
// already open (never by its name again, which could be replaced).
func readHolder(f *os.File) (string, error) {
	buf := make([]byte, 32)
	n, err := f.ReadAt(buf, 0)
	if n > 0 {
		err = nil
	}
	return string(buf[:n]), err
}

// checkStateFolder refuses a state folder that belongs to another user or
// that others can write to (see stateFolderProblem).
func checkStateFolder(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("lock state file: %w", err)
	}
	uid, _, _ := ownerOf(dir)
	return stateFolderProblem(dir, fi.Mode().Perm(), uid, os.Geteuid())
}

// stateFolderProblem says why a folder with mode perm owned by uid cannot
// hold the state of user me, or nil. Root may work in an operator's folder
// (Save keeps the files' owner); nobody works in a folder others can write,
// where they could plant the state file or its lock as a link.
func stateFolderProblem(dir string, perm os.FileMode, uid, me int) error {
	if uid != me && me != 0 {
		return fmt.Errorf("state folder %s belongs to another user (uid %d): snapcopy keeps copies only in a folder of your own; use --state-file", dir, uid)
	}
	if perm&0o022 != 0 {
		return fmt.Errorf("state folder %s can be written by other users (mode %04o), who could replace the state file or its lock: make it private (chmod 700 %s), or use --state-file", dir, perm, dir)
	}
	return nil
}

// ownerOf returns the user and group owning the file at path.
func ownerOf(path string) (uid, gid int, ok bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}

// openAppend opens the file at path for appending, made 0600 when it does
// not exist; a link there is not followed, and a FIFO planted there does
// not hang the open.
func openAppend(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o600)
	if errors.Is(err, syscall.ELOOP) {
		return nil, errors.New("it is a symbolic link, which snapcopy does not follow: remove it")
	}
	return f, err
}
