package validate

import "github.com/snapcopy/snapcopy/model"

// Extent is how much of its snapshot the copy moves and stores, for its
// estimate: all of it for a full copy, at most that for an incremental one.
func (k CopyKind) Extent() model.CopyExtent {
	if k.Incremental {
		return model.ExtentIncremental
	}
	return model.ExtentFull
}
