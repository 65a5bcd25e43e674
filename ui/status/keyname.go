package status

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// KeyName is how prose names a binding's key ("press r", "esc clears"):
// the first name its help shows ("enter" of "enter/c"). Hints take key
// names from here, never typed in, so a key rebound in its key map is
// named right everywhere.
func KeyName(b key.Binding) string {
	name, _, _ := strings.Cut(b.Help().Key, "/")
	if name == "" {
		if keys := b.Keys(); len(keys) > 0 {
			return keys[0]
		}
	}
	return name
}
