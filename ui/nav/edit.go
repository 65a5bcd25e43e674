package nav

import "github.com/snapcopy/snapcopy/model"

// EditCopy asks for the copy form filled with an earlier request (a failed
// copy's), to fix it and send it as a new copy.
type EditCopy struct{ Request model.CopyRequest }
