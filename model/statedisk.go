package model

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// ResolveStatePath is the file a state path stands for once every symbolic
// link is followed: of the file itself, or, while it does not exist yet, of
// the nearest folder above it that does. The lock and every save use this
// path, so a link to a state file locks and writes the file it points to,
// and two names for one file cannot hold two locks.
func ResolveStatePath(path string) (string, error) {
	p, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("state file %s: %w", path, err)
	}
	// The kernel gives up after 40 links; so do we.
	for hops := 0; hops <= 40; hops++ {
		dir, err := resolveFolder(filepath.Dir(p))
		if err != nil {
			return "", fmt.Errorf("state file %s: %w", path, err)
		}
		p = filepath.Join(dir, filepath.Base(p))
		fi, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return p, nil
		case err != nil:
			return "", fmt.Errorf("state file %s: %w", path, err)
		case fi.Mode()&fs.ModeSymlink == 0:
			return p, nil
		}
		// A link, possibly to a file not made yet: follow it by hand, since
		// filepath.EvalSymlinks fails on a link whose target is missing.
		target, err := os.Readlink(p)
		if err != nil {
			return "", fmt.Errorf("state file %s: %w", path, err)
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, target)
		}
		p = target
	}
	return "", fmt.Errorf("state file %s: too many levels of symbolic links", path)
}

// resolveFolder is filepath.EvalSymlinks of dir, or of its nearest
// existing parent with the missing rest appended.
func resolveFolder(dir string) (string, error) {
	real, err := filepath.EvalSymlinks(dir)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return real, err
	}
	parent := filepath.Dir(dir)
	if parent == dir {
		return dir, nil
	}
	realParent, err := resolveFolder(parent)
	if err != nil {
		return "", err
	}
	return filepath.Join(realParent, filepath.Base(dir)), nil
}

// asideName is the n-th candidate name for keeping path aside at now. The
// time has nanoseconds and a counter follows on a clash, so two files kept
// aside at one moment get two names.
func asideName(path string, now time.Time, n int) string {
	name := path + ".bad-" + now.UTC().Format("20060102T150405.000000000Z")
	if n > 1 {
		name += "-" + strconv.Itoa(n)
	}
	return name
}

// maxAsideTries bounds the search for a free kept-aside name.
const maxAsideTries = 1000

// keepAside moves the file at path to a kept-aside name that did not
// exist, and returns that name. It never replaces an existing file: the
// new name is made with link(2), which fails on an existing name, or,
// where hard links are not supported, claimed with O_EXCL before the
// rename onto the claim.
func keepAside(path string, now time.Time) (string, error) {
	for n := 1; n <= maxAsideTries; n++ {
		aside := asideName(path, now, n)
		err := os.Link(path, aside)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err == nil {
			if err := os.Remove(path); err != nil {
				return "", err
			}
			return aside, nil
		}
		claim, cerr := os.OpenFile(aside, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(cerr, fs.ErrExist) {
			continue
		}
		if cerr != nil {
			return "", err // the link's error says more
		}
		claim.Close()
		if err := os.Rename(path, aside); err != nil {
			os.Remove(aside)
			return "", err
		}
		return aside, nil
	}
	return "", fmt.Errorf("no free name to keep %s aside", path)
}

// writeAside writes data to a new kept-aside file beside path, under a
// name that did not exist (O_EXCL), and returns that name.
func writeAside(path string, now time.Time, data []byte) (string, error) {
	for n := 1; n <= maxAsideTries; n++ {
		aside := asideName(path, now, n)
		f, err := os.OpenFile(aside, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		giveBack(f, filepath.Dir(path))
		_, err = f.Write(data)
		if serr := f.Sync(); err == nil {
			err = serr
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(aside)
			return "", err
		}
		return aside, nil
	}
	return "", fmt.Errorf("no free name to keep copies of %s aside", path)
}

// giveBack, when snapcopy runs as root, hands a file it just made to the
// owner of the first of owners that exists (the file it replaces, else the
// folder): root working on an operator's state file must not take it over,
// nor leave the operator a file of root's they cannot open.
func giveBack(f *os.File, owners ...string) {
	if os.Geteuid() != 0 {
		return
	}
	for _, o := range owners {
		if uid, gid, ok := ownerOf(o); ok {
			_ = f.Chown(uid, gid)
			return
		}
	}
}
