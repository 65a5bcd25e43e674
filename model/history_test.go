package model

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The history file is appended to, never rewritten; a request id's later
// line is the one read; a link in its place is refused, not followed.
func TestHistoryAppendsAndRefusesALink(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "copies.json")
	a, b := queuedCopy(), queuedCopy()
	a.Fail("bad key", t0)
	if err := AppendHistory(state, []*Copy{a, b}); err != nil {
		t.Fatal(err)
	}
	b.Cancelled("", t0.Add(time.Minute))
	if err := AppendHistory(state, []*Copy{b}); err != nil {
		t.Fatal(err)
	}
	path, _ := HistoryPath(state)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("history file: %v, %v", fi, err)
	}
	data, _ := os.ReadFile(path)
	if n := strings.Count(string(data), "\n"); n != 3 {
		t.Errorf("%d lines, want 3 (appended, not rewritten)", n)
	}
	got, unreadable, err := ReadHistory(state)
	if err != nil || unreadable != 0 || len(got) != 2 || got[0].Phase != PhaseFailed || got[1].Phase != PhaseCancelled {
		t.Errorf("ReadHistory = %v, %d, %v", got, unreadable, err)
	}

	other := filepath.Join(dir, "other.json")
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, other+".history"); err != nil {
		t.Fatal(err)
	}
	if err := AppendHistory(other, []*Copy{a}); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("AppendHistory through a link: %v", err)
	}
	if data, _ := os.ReadFile(victim); string(data) != "mine\n" {
		t.Errorf("the file the link points to was written: %q", data)
	}
}

func TestToHistoryPicksCopiesEndedBeforeTheCutoff(t *testing.T) {
	done, recent, running := queuedCopy(), queuedCopy(), queuedCopy()
	done.Fail("x", t0.Add(-48*time.Hour))
	recent.Fail("x", t0.Add(-time.Hour))
	running.Started("snap-1", t0.Add(-72*time.Hour))
	w := &WatchList{Copies: []*Copy{done, recent, running}}
	if got := w.ToHistory(t0.Add(-HistoryAge)); len(got) != 1 || got[0] != done {
		t.Errorf("ToHistory = %v", got)
	}
}
