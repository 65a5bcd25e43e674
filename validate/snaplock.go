package validate

import (
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// FieldLock is the form's Lock field (and --lock, --lock-cool-off).
const FieldLock Field = "lock"

// SnapLock reads the Lock field and its cool-off into the lock each copy
// gets once AWS has its id (model.ParseSnapLock gives the rules and their
// words). AWS does not lock local snapshots on an Outpost.
func SnapLock(text, coolOff string, kind model.DestinationKind, now time.Time) (model.SnapLockSpec, []Problem) {
	spec, err := model.ParseSnapLock(text, now)
	if err != nil {
		return model.SnapLockSpec{}, []Problem{errorf(FieldLock, "%s", capitalize(err.Error()))}
	}
	hours, err := model.ParseSnapLockCoolOff(coolOff)
	if err != nil {
		return model.SnapLockSpec{}, []Problem{errorf(FieldLock, "%s", capitalize(err.Error()))}
	}
	if !spec.On() {
		if hours > 0 {
			return spec, []Problem{errorf(FieldLock, "Lock cool-off: goes with a compliance lock (as in compliance:365d); the lock is off")}
		}
		return spec, nil
	}
	if spec, err = spec.WithCoolOff(hours); err != nil {
		return model.SnapLockSpec{}, []Problem{errorf(FieldLock, "%s", capitalize(err.Error()))}
	}
	if kind == model.ToOutpost {
		return model.SnapLockSpec{}, []Problem{errorf(FieldLock, "Lock: AWS does not lock local snapshots on an Outpost; turn the lock off, or copy to a Region")}
	}
	return spec, nil
}
