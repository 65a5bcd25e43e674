// Package nav holds the messages screens send to the app to move between
// screens, so no screen imports another.
package nav

import "github.com/snapcopy/snapcopy/model"

// OpenForm asks for the copy form for these sources (one or a batch).
type OpenForm struct{ Sources []model.Snapshot }

// OpenProgress asks for the progress pane.
type OpenProgress struct{}

// Back asks to return to the previous screen (the list).
type Back struct{}

// Quit asks the app to quit (it may ask the operator first).
type Quit struct{}

// StartCopies hands new queued copies to the tracker and opens the progress pane.
type StartCopies struct{ Copies []*model.Copy }

// ShowHelp opens the full help of the current screen.
type ShowHelp struct{}

// CopiesAdded says the copies of the last StartCopies are recorded in the
// state file: the form they came from is done with.
type CopiesAdded struct{}
