// Package version says which snapcopy this is.
package version

import "runtime/debug"

// Of is the version stamped by the Makefile (-ldflags -X
// main.version=...), else what the Go toolchain recorded in the binary: the
// module version for `go install …@v1.2.3`, else the VCS revision (and
// "-dirty") for a `go build` in a checkout, else "dev".
func Of(stamped string, info func() (*debug.BuildInfo, bool)) string {
	if stamped != "" && stamped != "dev" {
		return stamped
	}
	bi, ok := info()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	return rev + dirty
}

// String is Of with the build information of the running binary.
func String(stamped string) string { return Of(stamped, debug.ReadBuildInfo) }
