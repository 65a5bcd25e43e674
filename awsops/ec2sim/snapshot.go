package ec2sim

import "time"

// Tag is one tag of a snapshot, as EC2's tagSet items carry it.
type Tag struct {
	Key   string
	Value string
}

// Snapshot is a snapshot of the simulated world with the fields EC2's
// DescribeSnapshots answers (the SDK's types.Snapshot, by the same names),
// for setting up a world (AddSnapshot) and for looking at it (Snapshot,
// SnapshotByName).
type Snapshot struct {
	ID         string // SnapshotId
	VolumeID   string
	VolumeSize int32 // GiB
	// FullSnapshotSizeInBytes is reported for completed snapshots only.
	FullSnapshotSizeInBytes int64
	State                   string // pending, completed, error
	StateMessage            string
	// Progress is the percentage AWS reports as "42%"; -1 when it reports none.
	Progress                  int
	StartTime                 time.Time
	CompletionTime            time.Time
	Description               string
	Encrypted                 bool
	KmsKeyID                  string
	OwnerID                   string
	OwnerAlias                string
	StorageTier               string // standard, archive
	RestoreExpiryTime         time.Time
	OutpostArn                string
	AvailabilityZone          string // a Local Zone snapshot's zone
	TransferType              string // standard, time-based
	CompletionDurationMinutes int32
	Tags                      []Tag
	// SharedWith are the accounts with createVolumePermission (not a
	// field of DescribeSnapshots: DescribeSnapshotAttribute tells it). For
	// AddSnapshot, another owner's snapshot without any is shared with
	// AccountID.
	SharedWith []string
}

// Tag returns the value of the tag key (case-sensitive), or "".
func (s Snapshot) Tag(key string) string {
	for _, t := range s.Tags {
		if t.Key == key {
			return t.Value
		}
	}
	return ""
}

// public is the snapshot as DescribeSnapshots shows it at now, its times
// on AWS's clock (offset from the simulator's).
func (s *snapshot) public(now time.Time, offset time.Duration) Snapshot {
	v := s.at(now)
	rf := s.r()
	p := Snapshot{
		ID:                        s.id,
		VolumeID:                  s.volumeID,
		VolumeSize:                s.sizeGiB,
		FullSnapshotSizeInBytes:   s.fullBytes,
		State:                     v.state,
		StateMessage:              v.message,
		Progress:                  v.progress,
		StartTime:                 shift(s.start, offset),
		CompletionTime:            shift(v.completion, offset),
		Description:               s.description,
		Encrypted:                 s.encrypted,
		KmsKeyID:                  s.kmsKeyID,
		OwnerID:                   s.ownerID,
		OwnerAlias:                rf.ownerAlias,
		StorageTier:               v.tier,
		RestoreExpiryTime:         shift(rf.restoreExpiry, offset),
		OutpostArn:                rf.outpostArn,
		AvailabilityZone:          rf.az,
		TransferType:              rf.transferType,
		CompletionDurationMinutes: rf.durationMin,
	}
	if len(s.tags) > 0 {
		p.Tags = append([]Tag(nil), s.tags...)
	}
	p.SharedWith = append([]string(nil), rf.sharedWith...)
	return p
}

// fromPublic makes a world snapshot of p (AddSnapshot), its times read on
// AWS's clock (offset from the simulator's). Missing owner, state, tier
// and progress get the usual values of a completed snapshot of AccountID.
func fromPublic(p Snapshot, offset time.Duration) *snapshot {
	s := &snapshot{
		id:           p.ID,
		volumeID:     p.VolumeID,
		description:  p.Description,
		kmsKeyID:     p.KmsKeyID,
		ownerID:      p.OwnerID,
		state:        p.State,
		stateMessage: p.StateMessage,
		tier:         p.StorageTier,
		progress:     int8(p.Progress),
		encrypted:    p.Encrypted,
		sizeGiB:      p.VolumeSize,
		fullBytes:    p.FullSnapshotSizeInBytes,
		start:        shift(p.StartTime, -offset),
		completion:   shift(p.CompletionTime, -offset),
	}
	if s.ownerID == "" {
		s.ownerID = AccountID
	}
	if s.state == "" {
		s.state = stateCompleted
	}
	if s.tier == "" {
		s.tier = tierStandard
	}
	if p.Progress < 0 || p.Progress > 100 {
		s.progress = -1
	}
	if p.Progress == 0 && s.state == stateCompleted {
		s.progress = 100
	}
	if s.volumeID == "" {
		s.volumeID = copyVolumeID
	}
	if len(p.Tags) > 0 {
		s.tags = append([]Tag(nil), p.Tags...)
	}
	shared := p.SharedWith
	if len(shared) == 0 && s.ownerID != AccountID {
		shared = []string{AccountID}
	}
	if p.OwnerAlias != "" || !p.RestoreExpiryTime.IsZero() || p.OutpostArn != "" || p.AvailabilityZone != "" || p.TransferType != "" || p.CompletionDurationMinutes != 0 || len(shared) > 0 {
		s.rare = &rareFields{
			ownerAlias:    p.OwnerAlias,
			restoreExpiry: shift(p.RestoreExpiryTime, -offset),
			outpostArn:    p.OutpostArn,
			az:            p.AvailabilityZone,
			transferType:  p.TransferType,
			durationMin:   p.CompletionDurationMinutes,
			sharedWith:    append([]string(nil), shared...),
		}
	}
	return s
}

// shift moves t by d; the zero time (no such time) stays zero.
func shift(t time.Time, d time.Duration) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Add(d)
}
