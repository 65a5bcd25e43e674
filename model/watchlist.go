package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// WatchList is every copy the app tracks, in the order they were started.
type WatchList struct {
	Copies []*Copy
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

// LoadWatchList reads the state file at path (links followed, see
// ResolveStatePath). A missing file is an empty list. A file that is
// corrupt, foreign or of a newer format is moved aside (never overwritten)
// and an empty list is returned with a *StateFileError saying so. Copies
// that cannot be followed are written to a kept-aside file of their own,
// the state file is saved without them, and the rest are returned together
// with a *StateFileError naming that file. A file of an earlier format is
// read and written in today's format at the next save.
func LoadWatchList(path string, now time.Time) (*WatchList, error) {
	real, err := ResolveStatePath(path)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(real)
	if errors.Is(err, os.ErrNotExist) {
		return &WatchList{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read state file: %w", err)
	}
	d, bad := decodeState(data)
	if bad != nil {
		aside, err := keepAside(real, now)
		if err != nil {
			return nil, fmt.Errorf("state file %s %s and could not be kept aside: %w", path, bad.text, err)
		}
		return &WatchList{}, &StateFileError{Path: path, KeptAs: aside, Problem: bad.text, Newer: bad.newer}
	}
	w := &WatchList{Copies: d.copies}
	if len(d.bad) == 0 {
		return w, nil
	}
	kept, err := json.MarshalIndent(struct {
		Format   string            `json:"format"`
		Problems []string          `json:"problems"`
		Copies   []json.RawMessage `json:"copies"`
	}{d.format, d.problems, d.bad}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("keep copies of state file %s aside: %w", path, err)
	}
	aside, err := writeAside(real, now, append(kept, '\n'))
	if err != nil {
		return nil, fmt.Errorf("state file %s: %s, and those copies could not be kept aside: %w", path, strings.Join(d.problems, "; "), err)
	}
	// Saved now, so the next start does not set the same copies aside again.
	if err := w.Save(real); err != nil {
		return nil, err
	}
	return w, &StateFileError{Path: path, KeptAs: aside, Problem: strings.Join(d.problems, "; "), Copies: len(d.bad)}
}

// Save writes the list to the state file at path, atomically (a temporary
// file in the same folder, synced, then renamed over the file), readable by
// the owner only. A link at path is followed: the file it points to is
// replaced and the link stays.
func (w *WatchList) Save(path string) error {
	real, err := ResolveStatePath(path)
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	data, err := encodeState(w.Copies)
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	if err := writeFileAtomic(real, data); err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	return nil
}
