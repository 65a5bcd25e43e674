package ec2sim

import (
	"net/http"
	"sort"
	"strconv"
	"time"
)

// Snapshot lock, as "Lock an Amazon EBS snapshot", "Snapshot lock
// considerations" and the LockSnapshot, UnlockSnapshot and
// DescribeLockedSnapshots references describe it:
//
//   - a snapshot may be locked while pending or completed; locked while
//     pending, a duration lock starts counting when the snapshot completes
//     (until then LockDurationStartTime and LockExpiresOn are not
//     answered), and the lock is cancelled if the snapshot's creation fails;
//   - governance locks, and compliance locks within their cool-off period,
//     may be changed in any way or removed; a compliance lock past its
//     cool-off may only be extended, and not removed, until it expires;
//   - a locked snapshot (pending or not) cannot be deleted; an expired lock
//     protects nothing;
//   - local snapshots on an Outpost cannot be locked.
//
// The simulator's clock (a manual clock in tests) drives the cool-off and
// the expiry; TimeScale does not shorten them, so the dates answered agree
// with the durations. Changing a lock replaces it: its LockCreatedOn, and
// so its cool-off, start again (UNCONFIRMED).

// Lock modes (LockMode) and states (LockState).
const (
	lockGovernance        = "governance"
	lockCompliance        = "compliance"
	lockComplianceCooloff = "compliance-cooloff"
	lockExpired           = "expired"
)

// LockSnapshot's limits (LockDuration 1-36500 days, CoolOffPeriod 1-72
// hours, from the API reference).
const (
	minLockDays    = 1
	maxLockDays    = 36500
	minCoolOffHour = 1
	maxCoolOffHour = 72
	day            = 24 * time.Hour
)

// The refusals of locking. UNCONFIRMED, all in this one place: AWS
// documents the rules (see above) but not their codes or wording; these
// are the codes EC2 gives a parameter it refuses, a resource in the wrong
// state and an operation a resource does not support, and SnapshotLocked
// for DeleteSnapshot of a locked snapshot.
func errLockParam(format string, args ...any) *apiError { return invalidValue(format, args...) }

func errLockState(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, "IncorrectState", format, args...)
}

func errLockOutpost(id string) *apiError {
	return errorf(http.StatusBadRequest, "UnsupportedOperation", "The snapshot %s is a local snapshot on an Outpost. Local snapshots on Outposts cannot be locked.", id)
}

func errSnapshotLocked(id, state string) *apiError {
	return errorf(http.StatusBadRequest, "SnapshotLocked", "The snapshot %s is locked (%s) and cannot be deleted until its lock expires or is removed.", id, state)
}

// snapshotLock is a snapshot's lock, as LockSnapshot set it.
type snapshotLock struct {
	mode       string
	days       int32     // LockDuration; 0 with an expiry date
	expiration time.Time // ExpirationDate; zero with a duration
	coolOff    int32     // hours, compliance mode only
	created    time.Time
}

// lockView is a lock at one instant.
type lockView struct {
	*snapshotLock
	state       string
	start       time.Time // LockDurationStartTime; zero while pending
	expires     time.Time // LockExpiresOn; zero while unknown
	coolOffEnds time.Time
}

// lockAt is sn's lock at now, nil when it has none or its creation failed.
func (sn *snapshot) lockAt(now time.Time) *lockView {
	l := sn.r().lock
	if l == nil {
		return nil
	}
	v := sn.at(now)
	if v.state == stateError {
		return nil // "the lock is canceled" when creation fails
	}
	lv := &lockView{snapshotLock: l}
	if l.coolOff > 0 {
		lv.coolOffEnds = l.created.Add(time.Duration(l.coolOff) * time.Hour)
	}
	if v.state == stateCompleted {
		lv.start = l.created
		if v.completion.After(l.created) {
			lv.start = v.completion // locked while pending
		}
	}
	switch {
	case !l.expiration.IsZero():
		lv.expires = l.expiration
	case !lv.start.IsZero():
		lv.expires = lv.start.Add(time.Duration(l.days) * day)
	}
	switch {
	case !lv.expires.IsZero() && !now.Before(lv.expires):
		lv.state = lockExpired
	case l.mode == lockCompliance && !lv.coolOffEnds.IsZero() && now.Before(lv.coolOffEnds):
		lv.state = lockComplianceCooloff
	default:
		lv.state = l.mode
	}
	return lv
}

// protects reports whether the lock keeps its snapshot from being deleted.
func (lv *lockView) protects() bool { return lv != nil && lv.state != lockExpired }

// parseLock reads a LockSnapshot request into the lock it asks for.
func parseLock(rq *request) (*snapshotLock, *apiError) {
	p := rq.params
	l := &snapshotLock{mode: p.Get("LockMode"), created: rq.now}
	switch l.mode {
	case "":
		return nil, missingParameter("LockMode")
	case lockGovernance, lockCompliance:
	default:
		return nil, errLockParam("Value (%s) for parameter LockMode is invalid. Valid values: governance | compliance.", l.mode)
	}
	hasDays, hasDate := has(p, "LockDuration"), has(p, "ExpirationDate")
	switch {
	case hasDays && hasDate:
		return nil, invalidCombination("Specify either LockDuration or ExpirationDate, not both.")
	case !hasDays && !hasDate:
		return nil, missingParameter("LockDuration or ExpirationDate")
	case hasDays:
		n, err := strconv.Atoi(p.Get("LockDuration"))
		if err != nil || n < minLockDays || n > maxLockDays {
			return nil, errLockParam("Value (%s) for parameter LockDuration is invalid. It must be from %d to %d days.", p.Get("LockDuration"), minLockDays, maxLockDays)
		}
		l.days = int32(n)
	default:
		t, err := time.Parse(time.RFC3339Nano, p.Get("ExpirationDate"))
		if err != nil {
			return nil, errLockParam("Value (%s) for parameter ExpirationDate is invalid. Expected a UTC date and time such as 2027-01-01T00:00:00.000Z.", p.Get("ExpirationDate"))
		}
		t = t.Add(-rq.offset) // read on AWS's clock
		if !t.After(rq.now) || t.Sub(rq.now) > maxLockDays*day {
			return nil, errLockParam("Value (%s) for parameter ExpirationDate is invalid. It must be in the future and at most %d days away.", p.Get("ExpirationDate"), maxLockDays)
		}
		l.expiration = t
	}
	if has(p, "CoolOffPeriod") {
		if l.mode != lockCompliance {
			return nil, invalidCombination("CoolOffPeriod applies to compliance mode only; omit it for governance mode.")
		}
		n, err := strconv.Atoi(p.Get("CoolOffPeriod"))
		if err != nil || n < minCoolOffHour || n > maxCoolOffHour {
			return nil, errLockParam("Value (%s) for parameter CoolOffPeriod is invalid. It must be from %d to %d hours.", p.Get("CoolOffPeriod"), minCoolOffHour, maxCoolOffHour)
		}
		l.coolOff = int32(n)
	}
	return l, nil
}

func (s *Server) lockSnapshot(rq *request) ([]byte, *apiError) {
	l, err := parseLock(rq)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sn, err := s.ownSnapshot(rq, rq.params.Get("SnapshotId"))
	if err != nil {
		return nil, err
	}
	if sn.r().outpostArn != "" {
		return nil, errLockOutpost(sn.id)
	}
	if st := sn.at(rq.now).state; st != statePending && st != stateCompleted {
		return nil, errLockState("Snapshot '%s' is in state '%s'. Only a pending or completed snapshot can be locked.", sn.id, st)
	}
	if old := sn.lockAt(rq.now); old != nil && old.state == lockCompliance {
		if err := extendsCompliance(old, l, rq.now, sn.at(rq.now).completion); err != nil {
			return nil, err
		}
	}
	sn.setRare(func(f *rareFields) { f.lock = l })
	sn.extra = false
	rq.changed = true
	w := newXMLWriter(rq, "LockSnapshotResponse", 512)
	w.text("snapshotId", sn.id)
	writeLock(w, sn.lockAt(rq.now))
	return w.finish("LockSnapshotResponse"), nil
}

// extendsCompliance checks that a new lock only extends a compliance lock
// past its cool-off: same mode, no cool-off, a later expiry.
func extendsCompliance(old *lockView, l *snapshotLock, now, completion time.Time) *apiError {
	switch {
	case l.mode != lockCompliance:
		return errLockState("The snapshot is locked in compliance mode and its cooling-off period has expired: its lock mode cannot be changed.")
	case l.coolOff > 0:
		return errLockParam("The snapshot is locked in compliance mode and its cooling-off period has expired: omit CoolOffPeriod to extend the lock.")
	}
	newEnd := l.expiration
	if newEnd.IsZero() {
		start := now
		if old.start.IsZero() && completion.After(now) {
			start = completion
		}
		newEnd = start.Add(time.Duration(l.days) * day)
	}
	if !old.expires.IsZero() && !newEnd.After(old.expires) {
		return errLockParam("The snapshot is locked in compliance mode until %s; its lock can only be extended.", old.expires.UTC().Format(awsTimeLayout))
	}
	return nil
}

func (s *Server) unlockSnapshot(rq *request) ([]byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sn, err := s.ownSnapshot(rq, rq.params.Get("SnapshotId"))
	if err != nil {
		return nil, err
	}
	lv := sn.lockAt(rq.now)
	switch {
	case lv == nil:
		return nil, errLockState("The snapshot %s is not locked.", sn.id)
	case lv.state == lockCompliance:
		return nil, errLockState("The snapshot %s is locked in compliance mode and its cooling-off period has expired: it cannot be unlocked until %s.", sn.id, lv.expires.UTC().Format(awsTimeLayout))
	}
	sn.setRare(func(f *rareFields) { f.lock = nil })
	rq.changed = true
	w := newXMLWriter(rq, "UnlockSnapshotResponse", 256)
	w.text("snapshotId", sn.id)
	return w.finish("UnlockSnapshotResponse"), nil
}

// describeLockedSnapshots lists the caller's locked snapshots of the
// Region (expired locks too), by id, lock-state filter and page.
func (s *Server) describeLockedSnapshots(rq *request) ([]byte, *apiError) {
	ids := listParam(rq.params, "SnapshotId")
	filters := parseFilters(rq.params)
	for _, f := range filters {
		if f.name != "lock-state" {
			return nil, invalidValue("The filter '%s' is invalid", f.name)
		}
	}
	q, err := parsePage(rq, len(ids) > 0)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	reg := s.world[rq.region]
	var candidates []*snapshot
	if len(ids) > 0 {
		for _, id := range ids {
			if !reSnapshotID.MatchString(id) {
				return nil, invalidValue("Value (%s) for parameter snapshotId is invalid. Expected: 'snap-...'.", id)
			}
			sn := reg.byID[id]
			if sn == nil || !sn.visible(rq.now, s.lag) || !sn.restorableBy(rq.caller.account) {
				return nil, snapshotNotFound(id)
			}
			candidates = append(candidates, sn)
		}
		sort.Slice(candidates, func(i, j int) bool { return candidates[i].id < candidates[j].id })
	} else {
		candidates = reg.snaps
	}
	w := newXMLWriter(rq, "DescribeLockedSnapshotsResponse", 1024)
	w.open("snapshotSet")
	n, last, more := 0, "", false
	for _, sn := range candidates {
		if q.after != "" && sn.id <= q.after || !sn.ownedBy(rq.caller.account) || !sn.visible(rq.now, s.lag) {
			continue
		}
		lv := sn.lockAt(rq.now)
		if lv == nil {
			continue
		}
		if !lockStateMatches(filters, lv.state) {
			continue
		}
		if q.max > 0 && n == q.max {
			more = true
			break
		}
		w.open("item")
		w.text("ownerId", sn.ownerID)
		w.text("snapshotId", sn.id)
		writeLock(w, lv)
		w.close("item")
		n, last = n+1, sn.id
	}
	w.close("snapshotSet")
	if more {
		w.text("nextToken", encodeToken(rq.region, last))
	}
	return w.finish("DescribeLockedSnapshotsResponse"), nil
}

// lockStateMatches applies the lock-state filters (ANDed, values ORed).
func lockStateMatches(filters []filter, state string) bool {
	for _, f := range filters {
		if !anyGlob(f.values, state) {
			return false
		}
	}
	return true
}

// writeLock writes a lock's members as LockSnapshot and
// DescribeLockedSnapshots answer them; the times unknown yet are left out.
func writeLock(w *xmlWriter, lv *lockView) {
	w.text("lockState", lv.state)
	if lv.days > 0 {
		w.int("lockDuration", int64(lv.days))
	}
	if lv.coolOff > 0 {
		w.int("coolOffPeriod", int64(lv.coolOff))
		w.time("coolOffPeriodExpiresOn", lv.coolOffEnds)
	}
	w.time("lockCreatedOn", lv.created)
	w.time("lockDurationStartTime", lv.start)
	w.time("lockExpiresOn", lv.expires)
}
