package model

// CopyVolumeID is the meaningless volume id AWS gives every copy.
const CopyVolumeID = "vol-ffffffff"

// Provenance tags snapcopy puts on every copy, since a copy's volume id says
// nothing of its origin ("Copy an Amazon EBS snapshot", Incremental snapshot
// copying, recommends tagging copies). They find earlier copies of a volume
// in a destination.
const (
	TagSourceSnapshot = "snapcopy:source-snapshot"
	TagSourceVolume   = "snapcopy:source-volume"
	TagSourceRegion   = "snapcopy:source-region"
)

// SourceVolume is the volume s belongs to: its own volume id, or for a
// copy the volume its provenance tag names ("" when unknown).
func (s Snapshot) SourceVolume() string {
	if s.VolumeID != CopyVolumeID {
		return s.VolumeID
	}
	return s.Tag(TagSourceVolume)
}

// ProvenanceTags are the tags a copy of s carries: the snapshot, its
// volume (through copies of copies) and its Region.
func ProvenanceTags(s Snapshot) []Tag {
	return []Tag{
		{Key: TagSourceSnapshot, Value: s.ID},
		{Key: TagSourceVolume, Value: s.SourceVolume()},
		{Key: TagSourceRegion, Value: s.Region},
	}
}
