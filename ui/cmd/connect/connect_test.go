package connect

import (
	"path/filepath"
	"testing"
)

// Each named profile keeps its copies in a file of its own beside
// copies.json, with a name any profile can give.
func TestProfileStatePath(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/state")
	dir := filepath.Join("/state", "snapcopy")
	for profile, want := range map[string]string{
		"":            filepath.Join(dir, "copies.json"),
		"default":     filepath.Join(dir, "copies.json"),
		"prod":        filepath.Join(dir, "copies-prod.json"),
		"team/dba:rw": filepath.Join(dir, "copies-team_dba_rw.json"),
	} {
		if got := profileStatePath(profile); got != want {
			t.Errorf("profile %q: %s, want %s", profile, got, want)
		}
	}
}
