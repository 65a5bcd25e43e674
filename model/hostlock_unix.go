//go:build unix

package model

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// LockCopyOnHost takes the host's lock of one copy (see HostLockName) in
// the folder dir, shared by every user's snapcopy on the host, and holds
// it until unlock is called or the process ends (the kernel drops it). It
// waits while another process holds it, calling waiting once, until ctx
// ends.
//
// The folder is made sticky and writable by all (1777), as /tmp is, so
// every user can add locks and none can remove another's. A folder that
// is a link, or that others may write without the sticky bit, is refused;
// so is a lock file that is a link (never followed) or not a regular file.
// A lock file is never written, only locked (flock), so one planted by
// another user can at worst make snapcopy wait; and never removed, since
// removing a lock file under a process waiting on it would let a third
// take a second lock of the same copy.
func LockCopyOnHost(ctx context.Context, dir, name string, waiting func()) (unlock func(), err error) {
	if err := hostLockFolder(dir); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, name)
	f, err := openHostLock(path)
	if err != nil {
		return nil, err
	}
	told := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("host lock %s: %w", path, err)
		}
		if !told && waiting != nil {
			waiting()
			told = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("host lock %s is still held by another snapcopy: %w", path, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// openHostLock opens the lock file at path, made readable by all (0644)
// when this process makes it, without following a link.
func openHostLock(path string) (*os.File, error) {
	const flags = syscall.O_NOFOLLOW | syscall.O_NONBLOCK | syscall.O_CLOEXEC
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE|os.O_EXCL|flags, 0o644)
	switch {
	case err == nil:
		// Made here: readable by every user, whatever the umask.
		_ = f.Chmod(0o644)
	case errors.Is(err, os.ErrExist):
		f, err = os.OpenFile(path, os.O_RDONLY|flags, 0)
	}
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("host lock %s is a symbolic link; snapcopy does not follow it: remove it, or set SNAPCOPY_LOCK_DIR", path)
	}
	if err != nil {
		return nil, fmt.Errorf("host lock %s: %w", path, err)
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("host lock %s is not a regular file: remove it, or set SNAPCOPY_LOCK_DIR", path)
	}
	return f, nil
}

// hostLockFolder makes the folder of the host locks, or checks the one
// there (see hostLockFolderProblem).
func hostLockFolder(dir string) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("host lock folder %s: %w", dir, err)
		} else if err == nil {
			// Made here, private until it is what it must be: then shared.
			if err := os.Chmod(dir, 0o777|os.ModeSticky); err != nil {
				return fmt.Errorf("host lock folder %s: %w", dir, err)
			}
		}
		fi, err = os.Lstat(dir)
	}
	if err != nil {
		return fmt.Errorf("host lock folder %s: %w", dir, err)
	}
	uid, _, _ := ownerOf(dir)
	return hostLockFolderProblem(dir, fi.Mode(), uid, os.Geteuid())
}

// hostLockFolderProblem says why a folder of mode m owned by uid cannot
// hold the host locks of user me, or nil. It must be a folder, not a link
// to one; writable by others only with the sticky bit (which keeps each
// user's files their own); and, when another user owns it, shared so.
func hostLockFolderProblem(dir string, m os.FileMode, uid, me int) error {
	perm := m.Perm()
	switch {
	case m&os.ModeSymlink != 0:
		return fmt.Errorf("host lock folder %s is a symbolic link; snapcopy does not follow it: remove it, or set SNAPCOPY_LOCK_DIR", dir)
	case !m.IsDir():
		return fmt.Errorf("host lock folder %s is not a folder: remove it, or set SNAPCOPY_LOCK_DIR", dir)
	case perm&0o022 != 0 && m&os.ModeSticky == 0:
		return fmt.Errorf("host lock folder %s can be written by others without the sticky bit (mode %04o), so they could remove locks: chmod 1777 %s, or set SNAPCOPY_LOCK_DIR", dir, perm, dir)
	case uid != me && uid != 0 && me != 0 && perm&0o002 == 0:
		return fmt.Errorf("host lock folder %s belongs to another user (uid %d) and is not shared (mode %04o): chmod 1777 %s, or set SNAPCOPY_LOCK_DIR", dir, uid, perm, dir)
	}
	return nil
}
