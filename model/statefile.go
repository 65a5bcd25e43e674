package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The state file's schema. It is written from the records below, never
// from Copy itself, so renaming a field of the in-memory model cannot
// silently change (or break) every operator's file. A change of meaning
// gets a new format number; older numbers stay readable.
const (
	formatPrefix = "snapcopy-copies/"
	// stateFormat is the format this snapcopy writes.
	stateFormat   = formatPrefix + "2"
	stateVersion  = 2
	stateFormatV1 = formatPrefix + "1"
)

type savedState struct {
	Format string      `json:"format"`
	Copies []savedCopy `json:"copies"`
}

// savedCopy is one tracked copy as the state file holds it. Empty values
// are left out rather than written as zeros ("0001-01-01T00:00:00Z").
type savedCopy struct {
	RequestID    string        `json:"request_id"`
	Request      savedRequest  `json:"request"`
	SourceName   string        `json:"source_name,omitzero"`
	SizeGiB      int32         `json:"size_gib,omitzero"`
	SnapshotID   string        `json:"snapshot_id,omitzero"`
	Phase        string        `json:"phase"`
	Progress     int           `json:"progress,omitzero"`
	StateMessage string        `json:"state_message,omitzero"`
	Note         string        `json:"note,omitzero"`
	CreatedAt    time.Time     `json:"created_at,omitzero"`
	AttemptedAt  time.Time     `json:"attempted_at,omitzero"`
	Attempts     int           `json:"attempts,omitzero"`
	SentAt       time.Time     `json:"sent_at,omitzero"`
	StartTime    time.Time     `json:"start_time,omitzero"`
	UpdatedAt    time.Time     `json:"updated_at,omitzero"`
	DoneAt       time.Time     `json:"done_at,omitzero"`
	Samples      []savedSample `json:"samples,omitzero"`
	RetryOf      string        `json:"retry_of,omitzero"`
	Attempt      int           `json:"attempt,omitzero"`
	Discovered   bool          `json:"discovered,omitzero"`
	Origin       string        `json:"origin,omitzero"`
}

// savedRequest is the CopySnapshot request of a copy. DryRun is not kept:
// a tracked copy is never a dry run.
type savedRequest struct {
	DestinationRegion           string     `json:"destination_region,omitzero"`
	SourceRegion                string     `json:"source_region,omitzero"`
	SourceSnapshotID            string     `json:"source_snapshot_id,omitzero"`
	Description                 string     `json:"description,omitzero"`
	Encrypted                   bool       `json:"encrypted,omitzero"`
	KmsKeyID                    string     `json:"kms_key_id,omitzero"`
	Tags                        []savedTag `json:"tags,omitzero"`
	CompletionDurationMinutes   int32      `json:"completion_duration_minutes,omitzero"`
	DestinationOutpostArn       string     `json:"destination_outpost_arn,omitzero"`
	DestinationAvailabilityZone string     `json:"destination_availability_zone,omitzero"`
}

type savedTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type savedSample struct {
	At       time.Time `json:"at"`
	Progress int       `json:"progress"`
}

func toSaved(c *Copy) savedCopy {
	r := c.Request
	s := savedCopy{
		RequestID: c.RequestID,
		Request: savedRequest{
			DestinationRegion:           r.DestinationRegion,
			SourceRegion:                r.SourceRegion,
			SourceSnapshotID:            r.SourceSnapshotID,
			Description:                 r.Description,
			Encrypted:                   r.Encrypted,
			KmsKeyID:                    r.KmsKeyID,
			CompletionDurationMinutes:   r.CompletionDurationMinutes,
			DestinationOutpostArn:       r.DestinationOutpostArn,
			DestinationAvailabilityZone: r.DestinationAvailabilityZone,
		},
		SourceName:   c.SourceName,
		SizeGiB:      c.SizeGiB,
		SnapshotID:   c.SnapshotID,
		Phase:        string(c.Phase),
		Progress:     c.Progress,
		StateMessage: c.StateMessage,
		Note:         c.Note,
		CreatedAt:    c.CreatedAt,
		AttemptedAt:  c.AttemptedAt,
		Attempts:     c.Attempts,
		SentAt:       c.SentAt,
		StartTime:    c.StartTime,
		UpdatedAt:    c.UpdatedAt,
		DoneAt:       c.DoneAt,
		RetryOf:      c.RetryOf,
		Attempt:      c.Attempt,
		Discovered:   c.Discovered,
		Origin:       c.Origin,
	}
	for _, t := range r.Tags {
		//lint:ignore S1016 field by field on purpose: a change to Tag must not silently change the file's schema
		s.Request.Tags = append(s.Request.Tags, savedTag{Key: t.Key, Value: t.Value})
	}
	for _, sm := range c.Samples {
		//lint:ignore S1016 field by field on purpose: a change to Sample must not silently change the file's schema
		s.Samples = append(s.Samples, savedSample{At: sm.At, Progress: sm.Progress})
	}
	return s
}

func fromSaved(s savedCopy) *Copy {
	r := s.Request
	c := &Copy{
		RequestID: s.RequestID,
		Request: CopyRequest{
			DestinationRegion:           r.DestinationRegion,
			SourceRegion:                r.SourceRegion,
			SourceSnapshotID:            r.SourceSnapshotID,
			Description:                 r.Description,
			Encrypted:                   r.Encrypted,
			KmsKeyID:                    r.KmsKeyID,
			CompletionDurationMinutes:   r.CompletionDurationMinutes,
			DestinationOutpostArn:       r.DestinationOutpostArn,
			DestinationAvailabilityZone: r.DestinationAvailabilityZone,
		},
		SourceName:   s.SourceName,
		SizeGiB:      s.SizeGiB,
		SnapshotID:   s.SnapshotID,
		Phase:        Phase(s.Phase),
		Progress:     s.Progress,
		StateMessage: s.StateMessage,
		Note:         s.Note,
		CreatedAt:    s.CreatedAt,
		AttemptedAt:  s.AttemptedAt,
		Attempts:     s.Attempts,
		SentAt:       s.SentAt,
		StartTime:    s.StartTime,
		UpdatedAt:    s.UpdatedAt,
		DoneAt:       s.DoneAt,
		RetryOf:      s.RetryOf,
		Attempt:      s.Attempt,
		Discovered:   s.Discovered,
		Origin:       s.Origin,
	}
	for _, t := range r.Tags {
		//lint:ignore S1016 field by field on purpose: a change to Tag must not silently change the file's schema
		c.Request.Tags = append(c.Request.Tags, Tag{Key: t.Key, Value: t.Value})
	}
	for _, sm := range s.Samples {
		//lint:ignore S1016 field by field on purpose: a change to Sample must not silently change the file's schema
		c.Samples = append(c.Samples, Sample{At: sm.At, Progress: sm.Progress})
	}
	return c
}

// v1Copy is a copy as format snapcopy-copies/1 held it: the in-memory
// structs of that time run through encoding/json, the request's fields
// under their Go names. Kept only to read such files.
type v1Copy struct {
	RequestID string `json:"request_id"`
	Request   struct {
		DestinationRegion           string `json:"DestinationRegion"`
		SourceRegion                string `json:"SourceRegion"`
		SourceSnapshotID            string `json:"SourceSnapshotID"`
		Description                 string `json:"Description"`
		Encrypted                   bool   `json:"Encrypted"`
		KmsKeyID                    string `json:"KmsKeyID"`
		Tags                        []struct{ Key, Value string }
		CompletionDurationMinutes   int32  `json:"CompletionDurationMinutes"`
		DestinationOutpostArn       string `json:"DestinationOutpostArn"`
		DestinationAvailabilityZone string `json:"DestinationAvailabilityZone"`
	} `json:"request"`
	SourceName   string        `json:"source_name"`
	SizeGiB      int32         `json:"size_gib"`
	SnapshotID   string        `json:"snapshot_id"`
	Phase        string        `json:"phase"`
	Progress     int           `json:"progress"`
	StateMessage string        `json:"state_message"`
	Note         string        `json:"note"`
	CreatedAt    time.Time     `json:"created_at"`
	AttemptedAt  time.Time     `json:"attempted_at"`
	Attempts     int           `json:"attempts"`
	SentAt       time.Time     `json:"sent_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
	DoneAt       time.Time     `json:"done_at"`
	Samples      []savedSample `json:"samples"`
}

func (v v1Copy) toSaved() savedCopy {
	r := v.Request
	s := savedCopy{
		RequestID: v.RequestID,
		Request: savedRequest{
			DestinationRegion:           r.DestinationRegion,
			SourceRegion:                r.SourceRegion,
			SourceSnapshotID:            r.SourceSnapshotID,
			Description:                 r.Description,
			Encrypted:                   r.Encrypted,
			KmsKeyID:                    r.KmsKeyID,
			CompletionDurationMinutes:   r.CompletionDurationMinutes,
			DestinationOutpostArn:       r.DestinationOutpostArn,
			DestinationAvailabilityZone: r.DestinationAvailabilityZone,
		},
		SourceName:   v.SourceName,
		SizeGiB:      v.SizeGiB,
		SnapshotID:   v.SnapshotID,
		Phase:        v.Phase,
		Progress:     v.Progress,
		StateMessage: v.StateMessage,
		Note:         v.Note,
		CreatedAt:    v.CreatedAt,
		AttemptedAt:  v.AttemptedAt,
		Attempts:     v.Attempts,
		SentAt:       v.SentAt,
		UpdatedAt:    v.UpdatedAt,
		DoneAt:       v.DoneAt,
		Samples:      v.Samples,
	}
	for _, t := range r.Tags {
		s.Request.Tags = append(s.Request.Tags, savedTag{Key: t.Key, Value: t.Value})
	}
	return s
}

// encodeState is the state file's content for copies.
func encodeState(copies []*Copy) ([]byte, error) {
	st := savedState{Format: stateFormat, Copies: make([]savedCopy, 0, len(copies))}
	for _, c := range copies {
		st.Copies = append(st.Copies, toSaved(c))
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

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
		case seen[s.RequestID]:
			problem = fmt.Sprintf("copy %s is listed twice", s.RequestID)
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
