package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// stateFormat marks a state file as snapcopy's, so a foreign JSON file at
// the same path is never taken for ours nor overwritten.
const stateFormat = "snapcopy-copies/1"

// WatchList is every copy the app tracks, in the order they were started.
type WatchList struct {
	Copies []*Copy
}

type stateFile struct {
	Format string  `json:"format"`
	Copies []*Copy `json:"copies"`
}

// Add appends copies to the list.
func (w *WatchList) Add(c ...*Copy) { w.Copies = append(w.Copies, c...) }

// Find returns the copy with the given request id.
func (w *WatchList) Find(requestID string) *Copy {
	for _, c := range w.Copies {
		if c.RequestID == requestID {
			return c
		}
	}
	return nil
}

// Remove drops the copy with the given request id and reports whether it was there.
func (w *WatchList) Remove(requestID string) bool {
	for i, c := range w.Copies {
		if c.RequestID == requestID {
			w.Copies = append(w.Copies[:i], w.Copies[i+1:]...)
			return true
		}
	}
	return false
}

// Unfinished returns the copies not yet completed or failed.
func (w *WatchList) Unfinished() []*Copy {
	var out []*Copy
	for _, c := range w.Copies {
		if !c.Phase.Done() {
			out = append(out, c)
		}
	}
	return out
}

// DefaultStatePath is $XDG_STATE_HOME/snapcopy/copies.json, falling back to
// ~/.local/state/snapcopy/copies.json as the XDG spec says.
func DefaultStatePath() string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "snapcopy", "copies.json")
}

// StateFileError says a state file could not be used and where it was put aside.
type StateFileError struct {
	Path    string
	KeptAs  string // where the unreadable file now is
	Problem string
}

func (e *StateFileError) Error() string {
	return fmt.Sprintf("state file %s %s; it was kept aside as %s and a new one is started", e.Path, e.Problem, e.KeptAs)
}

// LoadWatchList reads the state file at path. A missing file is an empty
// list. A corrupt or foreign file is renamed aside (never overwritten) and
// an empty list is returned together with a *StateFileError saying so.
func LoadWatchList(path string, now time.Time) (*WatchList, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &WatchList{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read state file: %w", err)
	}
	var sf stateFile
	problem := ""
	if err := json.Unmarshal(data, &sf); err != nil {
		problem = "is not valid JSON (" + err.Error() + ")"
	} else if sf.Format != stateFormat {
		problem = "is not a snapcopy state file"
	}
	if problem == "" {
		problem = checkCopies(sf.Copies)
	}
	if problem != "" {
		aside := path + ".bad-" + now.UTC().Format("20060102T150405Z")
		if err := os.Rename(path, aside); err != nil {
			return nil, fmt.Errorf("state file %s %s and could not be kept aside: %w", path, problem, err)
		}
		return &WatchList{}, &StateFileError{Path: path, KeptAs: aside, Problem: problem}
	}
	return &WatchList{Copies: sf.Copies}, nil
}

// Save writes the list to path atomically (a temporary file in the same
// folder, synced, then renamed over path), readable by the owner only.
func (w *WatchList) Save(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	copies := w.Copies
	if copies == nil {
		copies = []*Copy{}
	}
	data, err := json.MarshalIndent(stateFile{Format: stateFormat, Copies: copies}, "", "  ")
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".copies-*.tmp")
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("save state: %w", err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("save state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("save state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	// The rename is durable only once the folder itself is synced.
	if dir, err := os.Open(filepath.Dir(path)); err == nil {
		_ = dir.Sync()
		dir.Close()
	}
	return nil
}

// checkCopies says what is wrong with a loaded list of copies, or "": a
// copy the app cannot follow (no request id, a phase it does not know) or
// two entries for one copy would be tracked wrongly or never end.
func checkCopies(copies []*Copy) string {
	seen := map[string]bool{}
	for _, c := range copies {
		switch {
		case c == nil || c.RequestID == "":
			return "holds a copy without a request id"
		case seen[c.RequestID]:
			return "holds copy " + c.RequestID + " twice"
		}
		seen[c.RequestID] = true
		switch c.Phase {
		case PhaseQueued, PhaseSending, PhaseStarting, PhaseRunning, PhaseCompleted, PhaseFailed:
		default:
			return fmt.Sprintf("holds copy %s in an unknown phase %q", c.RequestID, c.Phase)
		}
	}
	return ""
}
