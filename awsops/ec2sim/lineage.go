package ec2sim

import (
	"strings"
	"time"
)

// incrementalFraction is the share of a snapshot's data an incremental copy
// moves in the simulator: the blocks changed since the earlier copy. AWS
// does not report it; a tenth makes incremental copies visibly quicker.
const incrementalFraction = 0.1

// lineage is the volume a snapshot belongs to and the Region it was taken
// in: a copy remembers the volume of its origin; without that memory, its
// provenance tag or its "[Copied snap-… from REGION]" description tell.
func (s *snapshot) lineage() (volume, region string) {
	rf := s.r()
	if s.volumeID != copyVolumeID {
		return s.volumeID, ""
	}
	volume, region = rf.fromVolume, rf.fromRegion
	if v, ok := s.tag(tagSourceVolume); ok && volume == "" {
		volume = v
	}
	if r, ok := s.tag(tagSourceRegion); ok && region == "" {
		region = r
	}
	if region == "" {
		if _, after, ok := strings.Cut(s.description, " from "); ok && strings.HasPrefix(s.description, "[Copied ") {
			region = strings.TrimSuffix(after, "]")
		}
	}
	return volume, region
}

// incrementalBase returns the earlier copy in r a copy of src would build
// on, or nil for a full copy ("Copy an Amazon EBS snapshot", Incremental
// snapshot copying): the latest completed copy of a snapshot of the same
// volume, not archived, unencrypted like the new copy or under the same key.
func (r *regionState) incrementalBase(src *snapshot, account, srcRegion string, encrypted bool, keyArn string, now time.Time) *snapshot {
	vol, _ := src.lineage()
	if vol == "" || vol == copyVolumeID || r.name == srcRegion {
		return nil
	}
	var latest *snapshot
	for _, sn := range r.snaps {
		if sn.volumeID != copyVolumeID || sn.ownerID != account {
			continue
		}
		if v, _ := sn.lineage(); v != vol || sn.at(now).state != stateCompleted {
			continue
		}
		if latest == nil || sn.start.After(latest.start) {
			latest = sn
		}
	}
	switch {
	case latest == nil, latest.at(now).tier == tierArchive:
		return nil
	case latest.encrypted != encrypted, encrypted && !strings.EqualFold(latest.kmsKeyID, keyArn):
		return nil
	}
	return latest
}

// movedBytes is the data a copy of src moves: all of it, or the changed
// part for an incremental copy.
func movedBytes(src *snapshot, incremental bool) int64 {
	b := src.fullBytes
	if b <= 0 {
		b = int64(src.sizeGiB) * gib
	}
	if incremental {
		b = int64(float64(b) * incrementalFraction)
	}
	return b
}

// timeBasedLoad is the throughput (MiB/s) account's pending time-based
// copies from srcRegion into r hold of the pair's quota at now. r.copies
// holds only pending copies after pendingCopies.
func (r *regionState) timeBasedLoad(account, srcRegion string, now time.Time) float64 {
	load := 0.0
	for _, cp := range r.copies {
		if c := cp.copy; c != nil && cp.ownerID == account && c.srcRegion == srcRegion && c.rateMiBps > 0 && cp.at(now).state == statePending {
			load += c.rateMiBps
		}
	}
	return load
}
