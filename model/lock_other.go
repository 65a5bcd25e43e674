//go:build !unix

package model

// LockStateFile does nothing where flock is not available.
func LockStateFile(path string) (unlock func(), err error) { return func() {}, nil }
