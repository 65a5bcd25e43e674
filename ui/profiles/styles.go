package profiles

import "github.com/snapcopy/snapcopy/ui/theme"

// Styles of the picker, from the one palette; markers (›, ●, ✗) carry the
// meaning under NO_COLOR.
var (
	titleStyle  = theme.Title
	headerStyle = theme.Header
	cursorStyle = theme.Selected
	dimStyle    = theme.Dim
	errorStyle  = theme.Error
	filterStyle = theme.Key
)
