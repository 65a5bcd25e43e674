package model

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWatchListSurvivesSaveAndLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "snapcopy", "copies.json")
	w := &WatchList{}
	c := NewCopy(CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0123456789abcdef0",
		Description: "nightly", Encrypted: true, KmsKeyID: "alias/backup", CompletionDurationMinutes: 60}, Snapshot{VolumeSizeGiB: 8}, t0)
	c.Started("snap-0fedcba9876543210", t0)
	w.Add(c)
	if err := w.Save(path); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("state file mode = %v, want 0600", info.Mode().Perm())
	}
	got, err := LoadWatchList(path, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Copies) != 1 {
		t.Fatalf("loaded %d copies", len(got.Copies))
	}
	g := got.Copies[0]
	if g.RequestID != c.RequestID || g.SnapshotID != "snap-0fedcba9876543210" || g.Phase != PhaseStarting ||
		g.Request.KmsKeyID != "alias/backup" || g.Request.CompletionDurationMinutes != 60 || !g.SentAt.Equal(t0) {
		t.Errorf("loaded copy = %+v", g)
	}
	// No temporary file is left beside the state file.
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only copies.json", len(entries))
	}
}

func TestMissingStateFileIsAnEmptyList(t *testing.T) {
	w, err := LoadWatchList(filepath.Join(t.TempDir(), "copies.json"), t0)
	if err != nil || len(w.Copies) != 0 {
		t.Fatalf("LoadWatchList of a missing file = %v, %v", w, err)
	}
}

func TestBadStateFilesAreKeptAsideNeverOverwritten(t *testing.T) {
	cases := map[string]string{
		"corrupt":   `{"format":"snapcopy-copies/1","copies":[{`,
		"foreign":   `{"name":"someone else's settings"}`,
		"not-json":  "copies: yes\n",
		"json-list": `[1,2,3]`,
		"no-list":   `{"format":"snapcopy-copies/2","copies":{"request_id":"sc-1"}}`,
		"format-0":  `{"format":"snapcopy-copies/0","copies":[]}`,
		"format-x":  `{"format":"snapcopy-copies/two","copies":[]}`,
		"format-42": `{"format":42,"copies":[]}`,
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "copies.json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			w, err := LoadWatchList(path, t0)
			var sfe *StateFileError
			if !errors.As(err, &sfe) {
				t.Fatalf("err = %v, want a StateFileError", err)
			}
			if w == nil || len(w.Copies) != 0 {
				t.Errorf("list = %v, want empty", w)
			}
			kept, err := os.ReadFile(sfe.KeptAs)
			if err != nil || string(kept) != content {
				t.Errorf("kept-aside file %s = %q, %v; want the original content", sfe.KeptAs, kept, err)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the bad file is still at %s", path)
			}
			if msg := sfe.Error(); !strings.Contains(msg, sfe.KeptAs) || !strings.Contains(msg, path) {
				t.Errorf("message %q does not name both files", msg)
			}
		})
	}
}

func TestRemoveAndUnfinished(t *testing.T) {
	w := &WatchList{}
	a, b := NewCopy(CopyRequest{}, Snapshot{}, t0), NewCopy(CopyRequest{}, Snapshot{}, t0)
	b.Fail("InvalidParameterValue: bad", t0)
	w.Add(a, b)
	if u := w.Unfinished(); len(u) != 1 || u[0] != a {
		t.Errorf("Unfinished = %v", u)
	}
	if w.Find(b.RequestID) != b || !w.Remove(b.RequestID) || w.Remove(b.RequestID) || len(w.Copies) != 1 {
		t.Error("Find/Remove did not behave")
	}
}

func TestDefaultStatePathFollowsXDG(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/srv/state")
	if got := DefaultStatePath(); got != "/srv/state/snapcopy/copies.json" {
		t.Errorf("DefaultStatePath = %q", got)
	}
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", "/home/op")
	if got := DefaultStatePath(); got != "/home/op/.local/state/snapcopy/copies.json" {
		t.Errorf("DefaultStatePath = %q", got)
	}
}
