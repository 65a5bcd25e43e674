package model

import (
	"encoding/json"
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
	OnlyCopy     bool          `json:"only_copy,omitzero"`
	TwinChecked  bool          `json:"twin_checked,omitzero"`
	DuplicateOf  string        `json:"duplicate_of,omitzero"`
	// SnapLock is the copy's snapshot lock step (snaplockfile.go).
	SnapLock *savedSnapLockStatus `json:"snapshot_lock,omitempty"`
	// Cross is a copy into another account (statecross.go).
	Cross *savedCross `json:"cross_account,omitzero"`
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
	// SnapLock is the lock to set on the copy (snaplockfile.go).
	SnapLock *savedSnapLockSpec `json:"snapshot_lock,omitempty"`
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
			SnapLock:                    toSavedSnapLockSpec(r.SnapLock),
		},
		SnapLock:     toSavedSnapLockStatus(c.SnapLock),
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
		OnlyCopy:     c.OnlyCopy,
		TwinChecked:  c.TwinChecked,
		DuplicateOf:  c.DuplicateOf,
		Cross:        toSavedCross(c.Cross),
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
			SnapLock:                    fromSavedSnapLockSpec(r.SnapLock),
		},
		SnapLock:     fromSavedSnapLockStatus(s.SnapLock),
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
		OnlyCopy:     s.OnlyCopy,
		TwinChecked:  s.TwinChecked,
		DuplicateOf:  s.DuplicateOf,
		Cross:        fromSavedCross(s.Cross),
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
