package model

import "time"

// The state file's records of a copy's snapshot lock: the lock asked for
// (in the request) and where the tracker stands with it. Mode and step are
// fixed tokens (AWS's mode names, the step names of SnapLockStep); both
// records are absent for a copy without a lock, so files written before
// snapshot locks read unchanged.

type savedSnapLockSpec struct {
	Mode         string    `json:"mode"`
	Days         int32     `json:"days,omitzero"`
	Expires      time.Time `json:"expires,omitzero"`
	CoolOffHours int32     `json:"cool_off_hours,omitzero"`
}

type savedSnapLockStatus struct {
	Step          string    `json:"step"`
	State         string    `json:"state,omitzero"`
	Days          int32     `json:"days,omitzero"`
	CoolOffHours  int32     `json:"cool_off_hours,omitzero"`
	CreatedOn     time.Time `json:"created_on,omitzero"`
	DurationStart time.Time `json:"duration_start,omitzero"`
	ExpiresOn     time.Time `json:"expires_on,omitzero"`
	CoolOffEnds   time.Time `json:"cool_off_ends,omitzero"`
	Message       string    `json:"message,omitzero"`
	Attempts      int       `json:"attempts,omitzero"`
	SentAt        time.Time `json:"sent_at,omitzero"`
	ReadCompleted bool      `json:"read_completed,omitzero"`
}

func toSavedSnapLockSpec(s SnapLockSpec) *savedSnapLockSpec {
	if !s.On() {
		return nil
	}
	return &savedSnapLockSpec{Mode: string(s.Mode), Days: s.Days, Expires: s.Expires, CoolOffHours: s.CoolOffHours}
}

func fromSavedSnapLockSpec(s *savedSnapLockSpec) SnapLockSpec {
	if s == nil {
		return SnapLockSpec{}
	}
	return SnapLockSpec{Mode: SnapLockMode(s.Mode), Days: s.Days, Expires: s.Expires, CoolOffHours: s.CoolOffHours}
}

func toSavedSnapLockStatus(st SnapLockStatus) *savedSnapLockStatus {
	if st.Step == "" {
		return nil
	}
	l := st.Lock
	return &savedSnapLockStatus{Step: string(st.Step), State: l.State, Days: l.Days, CoolOffHours: l.CoolOffHours,
		CreatedOn: l.CreatedOn, DurationStart: l.DurationStart, ExpiresOn: l.ExpiresOn, CoolOffEnds: l.CoolOffEnds,
		Message: st.Message, Attempts: st.Attempts, SentAt: st.SentAt, ReadCompleted: st.ReadCompleted}
}

func fromSavedSnapLockStatus(s *savedSnapLockStatus) SnapLockStatus {
	if s == nil {
		return SnapLockStatus{}
	}
	return SnapLockStatus{Step: SnapLockStep(s.Step), Message: s.Message, Attempts: s.Attempts, SentAt: s.SentAt, ReadCompleted: s.ReadCompleted,
		Lock: SnapLockInfo{State: s.State, Days: s.Days, CoolOffHours: s.CoolOffHours, CreatedOn: s.CreatedOn,
			DurationStart: s.DurationStart, ExpiresOn: s.ExpiresOn, CoolOffEnds: s.CoolOffEnds}}
}

// snapLockUnknown says what of a saved copy's lock this snapcopy cannot
// follow (a mode or step of a newer one), "" when all is known: such a
// copy is set aside rather than locked the wrong way.
func snapLockUnknown(s savedCopy) string {
	if sp := s.Request.SnapLock; sp != nil {
		switch SnapLockMode(sp.Mode) {
		case SnapLockGovernance, SnapLockCompliance:
		default:
			return "a snapshot lock mode"
		}
	}
	if st := s.SnapLock; st != nil {
		switch SnapLockStep(st.Step) {
		case SnapLockToDo, SnapLockSending, SnapLockLocked, SnapLockFailed, SnapLockCancelled:
		default:
			return "a snapshot lock step"
		}
	}
	return ""
}

// snapLockChanged reports a change of a copy's lock that a user sees.
func snapLockChanged(a, b Copy) bool {
	return a.SnapLock.Step != b.SnapLock.Step || a.SnapLock.Message != b.SnapLock.Message ||
		a.SnapLock.Lock.State != b.SnapLock.Lock.State || !a.SnapLock.Lock.ExpiresOn.Equal(b.SnapLock.Lock.ExpiresOn)
}
