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

// LastRequest is the copy form as the operator last sent it from one source
// Region, so "copy again" can fill it in: where to, how encrypted, which
// tags, how fast. The description and the dry run are not kept: they
// belong to the snapshots of that copy.
type LastRequest struct {
	Kind        DestinationKind
	Destination string // Region name, Local Zone name or Outpost ARN
	Encrypt     bool   // the Encrypt toggle as set (not a forced outcome)
	KmsKey      string
	SourceTags  SourceTags // which of its source's tags each copy carried
	Tags        []Tag      // the tags the operator typed, not the sources'
	Duration    string     // completion duration in minutes as typed; "" standard
	SentAt      time.Time
}

// The file's formats: version 2 spells the destination kind and the
// source tags choice with fixed tokens (MarshalText); version 1 saved the
// words the form showed, and is read once and rewritten as version 2.
const (
	lastRequestsFormat   = "snapcopy-last-requests/2"
	lastRequestsFormatV1 = "snapcopy-last-requests/1"
)

// lastRequestsFile is the file as stored: explicit names, apart from the
// in-memory struct, so renaming a Go field never changes the file. Each
// Region's entry is decoded on its own, so one this version cannot read
// (a destination kind of a later one) spoils neither the others nor
// itself: a save keeps it as it was.
type lastRequestsFile struct {
	Format  string                     `json:"format"`
	Regions map[string]json.RawMessage `json:"regions"` // by source Region
}

type savedLastRequest struct {
	DestinationKind DestinationKind `json:"destination_kind"`
	Destination     string          `json:"destination"`
	Encrypt         bool            `json:"encrypt"`
	KmsKey          string          `json:"kms_key,omitzero"`
	SourceTags      SourceTags      `json:"source_tags"`
	Tags            []savedLastTag  `json:"tags,omitzero"`
	Duration        string          `json:"duration_minutes,omitzero"`
	SentAt          time.Time       `json:"sent_at"`
}

type savedLastTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// savedLastRequestV1 is an entry of version 1, with the form's words.
type savedLastRequestV1 struct {
	DestinationKind string         `json:"destination_kind"`
	Destination     string         `json:"destination"`
	Encrypt         bool           `json:"encrypt"`
	KmsKey          string         `json:"kms_key,omitempty"`
	SourceTags      string         `json:"source_tags,omitempty"`
	Tags            []savedLastTag `json:"tags,omitempty"`
	Duration        string         `json:"duration_minutes,omitempty"`
	SentAt          time.Time      `json:"sent_at"`
}

// The words version 1 wrote, fixed here: the form's labels may change.
var (
	v1DestinationKinds = map[string]DestinationKind{"Region": ToRegion, "Outpost": ToOutpost, "Local Zone": ToLocalZone}
	v1SourceTags       = map[string]SourceTags{"": SourceTagsOwn, "each copy's own": SourceTagsOwn, "none": SourceTagsNone, "only shared": SourceTagsShared}
)

// upgrade is a version 1 entry as version 2; false for one version 1
// could not have written.
func (v savedLastRequestV1) upgrade() (savedLastRequest, bool) {
	kind, ok := v1DestinationKinds[v.DestinationKind]
	tags, tagsOK := v1SourceTags[v.SourceTags]
	return savedLastRequest{
		DestinationKind: kind, Destination: v.Destination, Encrypt: v.Encrypt, KmsKey: v.KmsKey,
		SourceTags: tags, Tags: v.Tags, Duration: v.Duration, SentAt: v.SentAt,
	}, ok && tagsOK
}

func toSavedLastRequest(r LastRequest) savedLastRequest {
	s := savedLastRequest{
		DestinationKind: r.Kind, Destination: r.Destination, Encrypt: r.Encrypt,
		KmsKey: r.KmsKey, SourceTags: r.SourceTags, Duration: r.Duration, SentAt: r.SentAt.UTC(),
	}
	for _, t := range r.Tags {
		//lint:ignore S1016 field by field on purpose: a change to Tag must not silently change the file's schema
		s.Tags = append(s.Tags, savedLastTag{Key: t.Key, Value: t.Value})
	}
	return s
}

// fromSavedLastRequest reads one saved entry; ok is false for one this
// version cannot use (a token it does not know).
func fromSavedLastRequest(raw json.RawMessage) (LastRequest, bool) {
	var s savedLastRequest
	if err := json.Unmarshal(raw, &s); err != nil {
		return LastRequest{}, false
	}
	r := LastRequest{
		Kind: s.DestinationKind, Destination: s.Destination, Encrypt: s.Encrypt, KmsKey: s.KmsKey,
		SourceTags: s.SourceTags, Duration: s.Duration, SentAt: s.SentAt,
	}
	for _, t := range s.Tags {
		//lint:ignore S1016 field by field on purpose: a change to Tag must not silently change the file's schema
		r.Tags = append(r.Tags, Tag{Key: t.Key, Value: t.Value})
	}
	return r, true
}

// LastRequestsPath is where the last requests are kept beside a state file:
// copies.json keeps last-requests.json, a profile's copies-NAME.json keeps
// last-requests-NAME.json (each account its own), any other NAME.json keeps
// NAME.last-requests.json.
func LastRequestsPath(statePath string) string {
	dir, base := filepath.Split(statePath)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	if rest, ok := strings.CutPrefix(stem, "copies"); ok {
		return filepath.Join(dir, "last-requests"+rest+".json")
	}
	return filepath.Join(dir, stem+".last-requests.json")
}

// LastRequestsError says the file of last requests could not be used. The
// file is left as it is: never overwritten, since it may not be ours.
type LastRequestsError struct {
	Path    string
	Problem string
}

func (e *LastRequestsError) Error() string {
	return fmt.Sprintf("the last requests in %s are not used: the file %s; it is left as it is (move it away to remember requests again)", e.Path, e.Problem)
}

// LoadLastRequest reads the last request sent from a source Region. A
// missing file, or a Region without one, is ok=false with no error. A
// file that is corrupt or not snapcopy's is ok=false with a
// *LastRequestsError to show as a notice.
func LoadLastRequest(path, region string) (LastRequest, bool, error) {
	f, err := readLastRequests(path)
	if err != nil || f == nil {
		return LastRequest{}, false, err
	}
	s, ok := f.Regions[region]
	if !ok {
		return LastRequest{}, false, nil
	}
	r, ok := fromSavedLastRequest(s)
	return r, ok, nil
}

// readLastRequests reads the file: nil without error when there is none.
// A file of version 1 is rewritten as version 2 at once, so its words are
// read this once; should the rewrite fail, the next read converts again.
func readLastRequests(path string) (*lastRequestsFile, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the last requests: %w", err)
	}
	var f lastRequestsFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, &LastRequestsError{Path: path, Problem: "is not valid JSON (" + err.Error() + ")"}
	}
	switch f.Format {
	case lastRequestsFormat:
		return &f, nil
	case lastRequestsFormatV1:
		up, err := upgradeLastRequests(f)
		if err != nil {
			return nil, &LastRequestsError{Path: path, Problem: "is not valid JSON (" + err.Error() + ")"}
		}
		_ = writeLastRequests(path, up) // a failure here leaves version 1, read again next time
		return up, nil
	}
	return nil, &LastRequestsError{Path: path, Problem: "is not snapcopy's file of last requests"}
}

// upgradeLastRequests is a version 1 file as version 2. An entry version 1
// could not have written is left out.
func upgradeLastRequests(f lastRequestsFile) (*lastRequestsFile, error) {
	up := &lastRequestsFile{Format: lastRequestsFormat, Regions: map[string]json.RawMessage{}}
	for region, raw := range f.Regions {
		var v1 savedLastRequestV1
		if err := json.Unmarshal(raw, &v1); err != nil {
			return nil, err
		}
		s, ok := v1.upgrade()
		if !ok {
			continue
		}
		b, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		up.Regions[region] = b
	}
	return up, nil
}

// writeLastRequests writes the file atomically, readable by the owner only.
func writeLastRequests(path string, f *lastRequestsFile) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, append(data, '\n'))
}

// SaveLastRequest records r as the last request sent from region, keeping
// the other Regions' entries. It writes atomically (a temporary file in the
// same folder, synced, renamed over path), readable by the owner only, and
// never replaces a file that is corrupt or not snapcopy's (it returns the
// *LastRequestsError instead).
func SaveLastRequest(path, region string, r LastRequest) error {
	f, err := readLastRequests(path)
	if err != nil {
		return err
	}
	if f == nil {
		f = &lastRequestsFile{Format: lastRequestsFormat}
	}
	if f.Regions == nil {
		f.Regions = map[string]json.RawMessage{}
	}
	entry, err := json.Marshal(toSavedLastRequest(r))
	if err != nil {
		return fmt.Errorf("save the last request: %w", err)
	}
	f.Regions[region] = entry
	if err := writeLastRequests(path, f); err != nil {
		return fmt.Errorf("save the last request: %w", err)
	}
	return nil
}
