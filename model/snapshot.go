// Package model is snapcopy's domain: snapshots, destinations, copy requests,
// tracked copies and the watch list kept on disk. It imports nothing of ours
// and nothing of the AWS SDK, so every other package can share it.
package model

import (
	"strings"
	"time"
)

// Snapshot states as EC2 reports them.
const (
	StatePending     = "pending"
	StateCompleted   = "completed"
	StateError       = "error"
	StateRecoverable = "recoverable"
	StateRecovering  = "recovering"
)

// Storage tiers.
const (
	TierStandard = "standard"
	TierArchive  = "archive"
)

// Transfer types of a copy.
const (
	TransferStandard  = "standard"
	TransferTimeBased = "time-based"
)

// RequestTagKey is the tag snapcopy puts on every copy it starts, so that a
// retried CopySnapshot can first look for the copy an earlier attempt made.
const RequestTagKey = "snapcopy:request-id"

// Tag is one key/value pair. Order is kept as AWS returned it.
type Tag struct {
	Key   string
	Value string
}

// Snapshot is an EBS snapshot as snapcopy shows and copies it.
type Snapshot struct {
	ID            string
	Region        string // the Region the snapshot was listed in
	VolumeID      string
	VolumeSizeGiB int32
	// FullSizeBytes is FullSnapshotSizeInBytes; 0 when AWS did not report it.
	FullSizeBytes int64
	State         string
	StateMessage  string
	// Progress is the percentage from AWS's "42%" string; -1 when AWS sent none.
	Progress       int
	StartTime      time.Time
	CompletionTime time.Time
	Description    string
	Encrypted      bool
	KmsKeyID       string
	OwnerID        string
	OwnerAlias     string
	StorageTier    string
	// RestoreExpiry is set while an archived snapshot is temporarily restored.
	RestoreExpiry     time.Time
	OutpostArn        string
	AvailabilityZone  string // set for Local Zone snapshots (IsLocalZone)
	TransferType      string
	CompletionMinutes int32
	Tags              []Tag
}

// Name is the value of the Name tag, or "".
func (s Snapshot) Name() string { return s.Tag("Name") }

// Tag returns the value of the tag with the given key (case-sensitive), or "".
func (s Snapshot) Tag(key string) string {
	for _, t := range s.Tags {
		if t.Key == key {
			return t.Value
		}
	}
	return ""
}

// Site is where the snapshot lives, in the terms of destinations: on an
// Outpost, in a Local Zone of its Region, or in its Region. The one
// answer to where a snapshot lives: validate, the screens and main ask it.
func (s Snapshot) Site() Destination {
	switch {
	case s.OutpostArn != "":
		return Destination{Kind: ToOutpost, Region: s.Region, OutpostArn: s.OutpostArn}
	case IsLocalZone(s.AvailabilityZone):
		return Destination{Kind: ToLocalZone, Region: s.Region, LocalZone: s.AvailabilityZone}
	default:
		return Destination{Kind: ToRegion, Region: s.Region}
	}
}

// Location names where the snapshot lives in a column's width: its
// Outpost's id, its Local Zone, or its Region.
func (s Snapshot) Location() string { return s.Site().Short() }

// Restored reports whether an archived snapshot is temporarily restored at now.
func (s Snapshot) Restored(now time.Time) bool {
	return !s.RestoreExpiry.IsZero() && s.RestoreExpiry.After(now)
}

// ParseProgress turns AWS's "42%" into 42, and "" (or garbage) into -1.
func ParseProgress(p string) int {
	p = strings.TrimSuffix(strings.TrimSpace(p), "%")
	if p == "" {
		return -1
	}
	n := 0
	for _, r := range p {
		if r < '0' || r > '9' {
			return -1
		}
		n = n*10 + int(r-'0')
		if n > 100 {
			return 100
		}
	}
	return n
}
