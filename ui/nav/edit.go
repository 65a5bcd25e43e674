package nav

import "github.com/snapcopy/snapcopy/model"

// EditCopy asks for the copy form filled with a failed copy's request
// (Failed.Edited()), to fix it and send it again as a new copy: the next
// attempt of Failed.
type EditCopy struct {
	Request model.CopyRequest
	Failed  model.Copy
}
