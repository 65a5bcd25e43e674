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
	// SourceTags is the source tags choice as the form names it ("each
	// copy's own", "none", "only shared"); "" when not known.
	SourceTags string
	Tags       []Tag  // the tags the operator typed, not the sources'
	Duration   string // completion duration in minutes as typed; "" standard
	SentAt     time.Time
}

// lastRequestsFormat marks the file as snapcopy's, so a foreign file at
// the same path is never taken for ours nor overwritten.
const lastRequestsFormat = "snapcopy-last-requests/1"

// lastRequestsFile is the file as stored: explicit names, apart from the
// in-memory struct, so renaming a Go field never changes the file.
type lastRequestsFile struct {
	Format  string                      `json:"format"`
	Regions map[string]savedLastRequest `json:"regions"` // by source Region
}

type savedLastRequest struct {
	DestinationKind string         `json:"destination_kind"` // Region, Outpost, Local Zone
	Destination     string         `json:"destination"`
	Encrypt         bool           `json:"encrypt"`
	KmsKey          string         `json:"kms_key,omitempty"`
	SourceTags      string         `json:"source_tags,omitempty"`
	Tags            []savedLastTag `json:"tags,omitempty"`
	Duration        string         `json:"duration_minutes,omitempty"`
	SentAt          time.Time      `json:"sent_at"`
}

type savedLastTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func toSavedLastRequest(r LastRequest) savedLastRequest {
	s := savedLastRequest{
		DestinationKind: r.Kind.String(), Destination: r.Destination, Encrypt: r.Encrypt,
		KmsKey: r.KmsKey, SourceTags: r.SourceTags, Duration: r.Duration, SentAt: r.SentAt.UTC(),
	}
	for _, t := range r.Tags {
		//lint:ignore S1016 field by field on purpose: a change to Tag must not silently change the file's schema
		s.Tags = append(s.Tags, savedLastTag{Key: t.Key, Value: t.Value})
	}
	return s
}

// fromSavedLastRequest reads one saved request; ok is false for one this
// version cannot use (a destination kind it does not know).
func fromSavedLastRequest(s savedLastRequest) (LastRequest, bool) {
	r := LastRequest{
		Destination: s.Destination, Encrypt: s.Encrypt, KmsKey: s.KmsKey,
		SourceTags: s.SourceTags, Duration: s.Duration, SentAt: s.SentAt,
	}
	switch s.DestinationKind {
	case ToRegion.String():
		r.Kind = ToRegion
	case ToOutpost.String():
		r.Kind = ToOutpost
	case ToLocalZone.String():
		r.Kind = ToLocalZone
	default:
		return LastRequest{}, false
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
	if f.Format != lastRequestsFormat {
		return nil, &LastRequestsError{Path: path, Problem: "is not snapcopy's file of last requests"}
	}
	return &f, nil
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
		f.Regions = map[string]savedLastRequest{}
	}
	f.Regions[region] = toSavedLastRequest(r)
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("save the last request: %w", err)
	}
	if err := writeFileAtomic(path, append(data, '\n')); err != nil {
		return fmt.Errorf("save the last request: %w", err)
	}
	return nil
}
