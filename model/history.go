package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// The state file is rewritten whole at every save, so it holds only what
// is followed: copies that ended more than HistoryAge ago move to a
// history file beside it, appended to and never rewritten. A state file of
// 5,000 copies was 7.6 MB written at every save; with its finished copies
// moved out it is the size of the copies in flight.

// HistoryAge is how long a finished copy stays in the state file (and on
// the progress pane) before it moves to the history file.
const HistoryAge = 24 * time.Hour

// historyFormat is the format of each line of the history file: one copy
// as the state file holds it (savedCopy), under its format's name.
const historyFormat = stateFormat

// HistoryPath is the history file of the state file at statePath, links
// followed as for the state file: copies.json.history.
func HistoryPath(statePath string) (string, error) {
	real, err := ResolveStatePath(statePath)
	if err != nil {
		return "", err
	}
	return real + ".history", nil
}

// historyLine is one line of the history file.
type historyLine struct {
	Format string    `json:"format"`
	Copy   savedCopy `json:"copy"`
}

// ToHistory picks the copies of w that ended before cutoff: those that
// move to the history file.
func (w *WatchList) ToHistory(cutoff time.Time) []*Copy {
	var out []*Copy
	for _, c := range w.Copies {
		if !c.Phase.Done() {
			continue
		}
		ended := c.DoneAt
		if ended.IsZero() {
			ended = c.UpdatedAt // a record that never noted its end
		}
		if ended.Before(cutoff) {
			out = append(out, c)
		}
	}
	return out
}

// AppendHistory appends copies to the history file of the state file at
// statePath, one JSON line each, in one write, synced: once it returns nil
// the copies may leave the state file. A crash between the two leaves a
// copy in both (the history's later line of a request id is the one that
// counts); never in neither. The file is made 0600 beside the state file,
// and a link in its place is not followed.
func AppendHistory(statePath string, copies []*Copy) error {
	if len(copies) == 0 {
		return nil
	}
	path, err := HistoryPath(statePath)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	var buf bytes.Buffer
	for _, c := range copies {
		line, err := json.Marshal(historyLine{Format: historyFormat, Copy: toSaved(c)})
		if err != nil {
			return fmt.Errorf("history: %w", err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	f, err := openAppend(path)
	if err != nil {
		return fmt.Errorf("history file %s: %w", path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("history file %s is not a regular file: remove it", path)
	}
	giveBack(f, statePath)
	if _, err := f.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return nil
}

// ReadHistory reads the copies of the history file of the state file at
// statePath, oldest first; a request id's later line wins. Lines it cannot
// read are counted, not returned.
func ReadHistory(statePath string) (copies []*Copy, unreadable int, err error) {
	path, err := HistoryPath(statePath)
	if err != nil {
		return nil, 0, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("history: %w", err)
	}
	at := map[string]int{}
	for _, raw := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		var l historyLine
		if json.Unmarshal(raw, &l) != nil || l.Format != historyFormat || l.Copy.RequestID == "" {
			unreadable++
			continue
		}
		c := fromSaved(l.Copy)
		if i, ok := at[c.RequestID]; ok {
			copies[i] = c
			continue
		}
		at[c.RequestID] = len(copies)
		copies = append(copies, c)
	}
	return copies, unreadable, nil
}
