package ec2sim

import "slices"

// deleteSnapshot answers DeleteSnapshot as AWS documents it: the caller's
// own snapshot is deleted and stops being listed; a copy still pending is
// stopped with it and no longer counts against the Region's copy limit. A
// locked snapshot is refused (lock.go).
// An id the caller cannot see (unknown, another account's, or a new copy
// still in its visibility lag) is InvalidSnapshot.NotFound.
func (s *Server) deleteSnapshot(rq *request) ([]byte, *apiError) {
	id := rq.params.Get("SnapshotId")
	if id == "" {
		return nil, missingParameter("SnapshotId")
	}
	if !reSnapshotID.MatchString(id) {
		return nil, invalidValue("Value (%s) for parameter snapshotId is invalid. Expected: 'snap-...'.", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.world[rq.region]
	sn := r.byID[id]
	if sn == nil || !sn.visible(rq.now, s.lag) || !sn.ownedBy(rq.caller.account) {
		return nil, snapshotNotFound(id)
	}
	if lv := sn.lockAt(rq.now); lv.protects() {
		return nil, errSnapshotLocked(id, lv.state)
	}
	delete(r.byID, id)
	r.snaps = slices.DeleteFunc(r.snaps, func(x *snapshot) bool { return x == sn })
	r.copies = slices.DeleteFunc(r.copies, func(x *snapshot) bool { return x == sn })
	rq.changed = true
	w := newXMLWriter(rq, "DeleteSnapshotResponse", 256)
	w.bool("return", true)
	return w.finish("DeleteSnapshotResponse"), nil
}
