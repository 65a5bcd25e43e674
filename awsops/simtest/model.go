// Add, Snapshot and ByName move snapshots between the EC2 simulator's world and
// snapcopy's model, for tests that set up a world with model snapshots and
// compare what the client read with what the simulator holds. The
// simulator itself knows nothing of the model (it speaks AWS's names only);
// this is the one place where the two meet.

package simtest

import (
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
)

// Add puts s into region's world of srv (replacing a snapshot with the same
// id). Empty fields get the values of a completed snapshot of the
// simulator's account.
func Add(srv *ec2sim.Server, region string, s model.Snapshot) {
	srv.AddSnapshot(region, FromModel(s))
}

// Snapshot returns the snapshot id of region as DescribeSnapshots would
// show it now, as a model snapshot of that Region.
func Snapshot(srv *ec2sim.Server, region, id string) (model.Snapshot, bool) {
	s, ok := srv.Snapshot(region, id)
	if !ok {
		return model.Snapshot{}, false
	}
	return ToModel(s, region), true
}

// ByName returns the snapshot of region whose Name tag is name.
func ByName(srv *ec2sim.Server, region, name string) (model.Snapshot, bool) {
	s, ok := srv.SnapshotByName(region, name)
	if !ok {
		return model.Snapshot{}, false
	}
	return ToModel(s, region), true
}

// ToModel is s as the model holds it once listed in region.
func ToModel(s ec2sim.Snapshot, region string) model.Snapshot {
	m := model.Snapshot{
		ID:                s.ID,
		Region:            region,
		VolumeID:          s.VolumeID,
		VolumeSizeGiB:     s.VolumeSize,
		FullSizeBytes:     s.FullSnapshotSizeInBytes,
		State:             s.State,
		StateMessage:      s.StateMessage,
		Progress:          s.Progress,
		StartTime:         s.StartTime,
		CompletionTime:    s.CompletionTime,
		Description:       s.Description,
		Encrypted:         s.Encrypted,
		KmsKeyID:          s.KmsKeyID,
		OwnerID:           s.OwnerID,
		OwnerAlias:        s.OwnerAlias,
		StorageTier:       s.StorageTier,
		RestoreExpiry:     s.RestoreExpiryTime,
		OutpostArn:        s.OutpostArn,
		AvailabilityZone:  s.AvailabilityZone,
		TransferType:      s.TransferType,
		CompletionMinutes: s.CompletionDurationMinutes,
	}
	for _, t := range s.Tags {
		m.Tags = append(m.Tags, model.Tag{Key: t.Key, Value: t.Value})
	}
	return m
}

// FromModel is m as the simulator's world holds it (its Region aside).
func FromModel(m model.Snapshot) ec2sim.Snapshot {
	s := ec2sim.Snapshot{
		ID:                        m.ID,
		VolumeID:                  m.VolumeID,
		VolumeSize:                m.VolumeSizeGiB,
		FullSnapshotSizeInBytes:   m.FullSizeBytes,
		State:                     m.State,
		StateMessage:              m.StateMessage,
		Progress:                  m.Progress,
		StartTime:                 m.StartTime,
		CompletionTime:            m.CompletionTime,
		Description:               m.Description,
		Encrypted:                 m.Encrypted,
		KmsKeyID:                  m.KmsKeyID,
		OwnerID:                   m.OwnerID,
		OwnerAlias:                m.OwnerAlias,
		StorageTier:               m.StorageTier,
		RestoreExpiryTime:         m.RestoreExpiry,
		OutpostArn:                m.OutpostArn,
		AvailabilityZone:          m.AvailabilityZone,
		TransferType:              m.TransferType,
		CompletionDurationMinutes: m.CompletionMinutes,
	}
	for _, t := range m.Tags {
		s.Tags = append(s.Tags, ec2sim.Tag{Key: t.Key, Value: t.Value})
	}
	return s
}
