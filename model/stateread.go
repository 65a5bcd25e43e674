package model

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// decodedState is what a state file's content yields: the copies to track,
// and the records of copies that cannot be tracked, with why.
type decodedState struct {
	format   string
	copies   []*Copy
	bad      []json.RawMessage
	problems []string
}

// fileProblem says the whole file cannot be used.
type fileProblem struct {
	text  string
	newer bool // written by a later snapcopy
}

// decodeState reads a state file's content. A file that is not snapcopy's,
// or of a format this snapcopy does not know, is a fileProblem; a copy
// that cannot be followed (unreadable, no request id, a phase this
// snapcopy does not know, listed twice) is set apart and the rest kept.
func decodeState(data []byte) (*decodedState, *fileProblem) {
	if !json.Valid(data) {
		var probe any
		err := json.Unmarshal(data, &probe)
		return nil, &fileProblem{text: "is not valid JSON (" + err.Error() + ")"}
	}
	var head struct {
		Format json.RawMessage `json:"format"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, &fileProblem{text: "is not a snapcopy state file"}
	}
	var format string
	if json.Unmarshal(head.Format, &format) != nil || !strings.HasPrefix(format, formatPrefix) {
		return nil, &fileProblem{text: "is not a snapcopy state file"}
	}
	version, err := strconv.Atoi(strings.TrimPrefix(format, formatPrefix))
	switch {
	case err != nil || version < 1:
		return nil, &fileProblem{text: "is not a snapcopy state file (unknown format " + strconv.Quote(format) + ")"}
	case version > stateVersion:
		return nil, &fileProblem{text: "(format " + format + ") was written by a newer snapcopy; upgrade, or use --state-file", newer: true}
	}
	var body struct {
		Copies []json.RawMessage `json:"copies"`
	}
	if err := json.Unmarshal(data, &body); err != nil {
		return nil, &fileProblem{text: "holds no list of copies (" + err.Error() + ")"}
	}
	d := &decodedState{format: format}
	seen := map[string]bool{}
	for i, raw := range body.Copies {
		var s savedCopy
		var err error
		if version == 1 {
			var v v1Copy
			err = json.Unmarshal(raw, &v)
			s = v.toSaved()
		} else {
			err = json.Unmarshal(raw, &s)
		}
		problem := ""
		switch {
		case err != nil:
			name := fmt.Sprint(i + 1)
			var id struct {
				RequestID string `json:"request_id"`
			}
			if json.Unmarshal(raw, &id) == nil && id.RequestID != "" {
				name = id.RequestID
			}
			problem = fmt.Sprintf("copy %s cannot be read (%v)", name, err)
		case s.RequestID == "":
			problem = fmt.Sprintf("copy %d has no request id", i+1)
		case !knownPhase(Phase(s.Phase)):
			problem = fmt.Sprintf("copy %s is in a phase this snapcopy does not know (%q)", s.RequestID, s.Phase)
		case snapLockUnknown(s) != "":
			problem = fmt.Sprintf("copy %s has %s this snapcopy does not know", s.RequestID, snapLockUnknown(s))
		case seen[s.RequestID]:
			problem = fmt.Sprintf("copy %s is listed twice", s.RequestID)
		case s.Cross != nil && !CrossStep(s.Cross.Step).Known():
			problem = fmt.Sprintf("copy %s is at a step into another account this snapcopy does not know (%q)", s.RequestID, s.Cross.Step)
		default:
			if lacks := lacking(s); len(lacks) > 0 {
				problem = fmt.Sprintf("copy %s has no %s (a record of another format?)", s.RequestID, strings.Join(lacks, ", no "))
			}
		}
		if problem != "" {
			d.bad = append(d.bad, raw)
			d.problems = append(d.problems, problem)
			continue
		}
		seen[s.RequestID] = true
		d.copies = append(d.copies, fromSaved(s))
	}
	return d, nil
}

// lacking names what a copy's record lacks to be followed: a copy of
// snapcopy's needs the fields its request cannot go without (it may be
// sent, or sent again); a copy found in flight was never sent, so it needs
// only where it is and its id; a copy AWS has accepted needs its id to be
// polled. Such a record, tracked, would send a request AWS refuses for a
// missing parameter, or be followed forever.
func lacking(s savedCopy) []string {
	var out []string
	if s.Discovered {
		if s.Request.DestinationRegion == "" {
			out = append(out, "destination Region")
		}
	} else {
		out = fromSaved(s).Request.Missing()
	}
	p := Phase(s.Phase)
	if s.SnapshotID == "" && (s.Discovered || p == PhaseStarting || p == PhaseRunning) {
		out = append(out, "snapshot id")
	}
	return out
}

func knownPhase(p Phase) bool {
	switch p {
	case PhaseQueued, PhaseSending, PhaseStarting, PhaseRunning, PhaseCompleted, PhaseFailed, PhaseCancelled:
		return true
	}
	return false
}

// StateFileError says a state file, or some of its copies, could not be
// used, and where they were kept aside.
type StateFileError struct {
	Path    string
	KeptAs  string // where the unusable file (or the unusable copies) now are
	Problem string
	// Copies is how many copies were set apart in KeptAs while the rest of
	// the file is tracked; 0 when the whole file was kept aside.
	Copies int
	// Newer says the file is of a format a later snapcopy writes.
	Newer bool
}

func (e *StateFileError) Error() string {
	if e.Copies > 0 {
		return fmt.Sprintf("state file %s: %s; %s kept aside in %s and the other copies are tracked",
			e.Path, e.Problem, plural(e.Copies, "that copy was", "those copies were"), e.KeptAs)
	}
	if e.Newer {
		return fmt.Sprintf("state file %s %s. It was kept aside, unchanged, as %s and a new one is started", e.Path, e.Problem, e.KeptAs)
	}
	return fmt.Sprintf("state file %s %s; it was kept aside as %s and a new one is started", e.Path, e.Problem, e.KeptAs)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
