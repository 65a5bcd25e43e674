package ec2sim

import (
	"net/url"
	"sort"
)

// What tests read from the simulator and set in it: the requests it
// received and the snapshots of its world.

// record counts the request and keeps it for Requests.
func (s *Server) record(rq *request) {
	action := rq.action
	if action == "" {
		action = "-"
	}
	s.cmu.Lock()
	defer s.cmu.Unlock()
	s.counts[action+" "+rq.region]++
	req := Request{Action: action, Region: rq.region, Params: cloneValues(rq.params), At: rq.now}
	if len(s.log) < maxRecorded {
		s.log = append(s.log, req)
		return
	}
	s.log[s.logPos] = req
	s.logPos = (s.logPos + 1) % maxRecorded
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Count is how many requests of action were made in region, faulted or not.
func (s *Server) Count(action, region string) int {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	return s.counts[action+" "+region]
}

// Counts returns every request count, keyed "Action region".
func (s *Server) Counts() map[string]int {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// ResetCounts sets every count to zero and forgets the recorded requests.
func (s *Server) ResetCounts() {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	s.counts = map[string]int{}
	s.log, s.logPos = nil, 0
}

// Requests returns the recorded requests of action ("" for all), oldest
// first, out of the last 1000 received.
func (s *Server) Requests(action string) []Request {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	var out []Request
	n := len(s.log)
	for i := 0; i < n; i++ {
		r := s.log[(s.logPos+i)%n]
		if action == "" || r.Action == action {
			r.Params = cloneValues(r.Params)
			out = append(out, r)
		}
	}
	return out
}

// AddSnapshot puts snap into region's world (replacing one with the same
// id). Empty fields get the values of a completed snapshot of AccountID.
func (s *Server) AddSnapshot(region string, snap Snapshot) {
	s.mu.Lock()
	r := s.world[region]
	if r != nil {
		r.insert(fromPublic(snap, s.clockOffset()))
	}
	s.mu.Unlock()
	if r != nil {
		s.save()
	}
}

// Snapshot returns a snapshot of region as DescribeSnapshots would show it
// now, ignoring the visibility lag.
func (s *Server) Snapshot(region, id string) (Snapshot, bool) {
	now := s.clock.Now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.world[region]
	if r == nil {
		return Snapshot{}, false
	}
	sn, ok := r.byID[id]
	if !ok {
		return Snapshot{}, false
	}
	return sn.public(now, s.clockOffset()), true
}

// SnapshotByName returns the snapshot of region whose Name tag is name.
func (s *Server) SnapshotByName(region, name string) (Snapshot, bool) {
	now := s.clock.Now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if r := s.world[region]; r != nil {
		for _, sn := range r.snaps {
			if v, ok := sn.tag("Name"); ok && v == name {
				return sn.public(now, s.clockOffset()), true
			}
		}
	}
	return Snapshot{}, false
}

// SnapshotCount is how many snapshots of region AccountID may use (owned,
// shared with it and copies, visible or not); other accounts' snapshots
// are counted by AccountSnapshotCount.
func (s *Server) SnapshotCount(region string) int {
	return s.AccountSnapshotCount(region, AccountID)
}

// AccountSnapshotCount is how many snapshots of region account may use.
func (s *Server) AccountSnapshotCount(region, account string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	if r := s.world[region]; r != nil {
		for _, sn := range r.snaps {
			if sn.restorableBy(account) {
				n++
			}
		}
	}
	return n
}

// Regions lists the names of the world's Regions, sorted.
func (s *Server) Regions() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.world))
	for name := range s.world {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// KMSKeyArn returns the key ARN an alias (alias/backup) of AccountID names
// in region.
func (s *Server) KMSKeyArn(region, alias string) (string, bool) {
	return s.AccountKMSKeyArn(region, AccountID, alias)
}

// AccountKMSKeyArn returns the key ARN an alias of account names in region
// (DRAccountID's alias/dr-backup, say).
func (s *Server) AccountKMSKeyArn(region, account, alias string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if r := s.world[region]; r != nil {
		if a, ok := r.aliasOf(account, alias); ok {
			return keyArn(region, account, a.keyID), true
		}
	}
	return "", false
}
