//go:build !unix

package model

// LockStateFile does nothing where flock is not available.
func LockStateFile(path string) (unlock func(), err error) { return func() {}, nil }

// ownerOf reports no owner where files have no Unix owner.
func ownerOf(path string) (uid, gid int, ok bool) { return 0, 0, false }
