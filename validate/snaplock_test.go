package validate

import (
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

// The Lock field's rules stand beside the field, and a valid lock goes
// with every request of the batch.
func TestCheckSnapLock(t *testing.T) {
	base := Form{Kind: model.ToRegion, Destination: "us-east-1"}

	f := base
	f.Lock, f.LockCoolOff = "compliance:365d", "24h"
	r := Check([]model.Snapshot{snap()}, facts(), f, now)
	if !r.OK() {
		t.Fatalf("not OK:\n%s", dump(r.Problems))
	}
	want := model.SnapLockSpec{Mode: model.SnapLockCompliance, Days: 365, CoolOffHours: 24}
	if r.Requests[0].SnapLock != want {
		t.Errorf("request's lock = %+v, want %+v", r.Requests[0].SnapLock, want)
	}

	for _, tc := range []struct{ lock, coolOff, words string }{
		{"governance:0d", "", "the duration must be 1 to 36500 days"},
		{"governance:7d", "24h", "a cool-off period goes with a compliance lock only"},
		{"compliance:7d", "96h", "must be 1 to 72 hours"},
		{"", "24h", "goes with a compliance lock"},
		{"hold:7d", "", "the mode must be governance or compliance"},
	} {
		f := base
		f.Lock, f.LockCoolOff = tc.lock, tc.coolOff
		r := Check([]model.Snapshot{snap()}, facts(), f, now)
		if r.OK() {
			t.Errorf("lock %q cool-off %q accepted", tc.lock, tc.coolOff)
			continue
		}
		wantProblem(t, r.Problems, FieldLock, Error, tc.words)
	}

	if _, ps := SnapLock("governance:7d", "", model.ToOutpost, now); len(ps) != 1 || ps[0].Field != FieldLock {
		t.Errorf("a lock to an Outpost: %v", ps)
	}
}
