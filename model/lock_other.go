//go:build !unix

package model

import "os"

// LockStateFile does nothing where flock is not available.
func LockStateFile(path string) (unlock func(), err error) { return func() {}, nil }

// ownerOf reports no owner where files have no Unix owner.
func ownerOf(path string) (uid, gid int, ok bool) { return 0, 0, false }

// openAppend opens the file at path for appending, made 0600 when it does
// not exist.
func openAppend(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
}
