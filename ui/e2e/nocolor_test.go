package e2e

import (
	"regexp"
	"testing"
)

// colour matches an SGR sequence that sets a foreground or background colour.
var colour = regexp.MustCompile(`\x1b\[[0-9;]*(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m`)

// TestNoColor runs the app with NO_COLOR: the list, the form and the help
// carry no colour at all, and still show their markers; the same screens
// without NO_COLOR are coloured, so the check is not blind.
func TestNoColor(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		vars    []string
		colored bool
	}{
		{"NO_COLOR", []string{"NO_COLOR=1"}, false},
		{"default", nil, true},
	} {
		tm := startApp(t, 160, 30, newAppEnv(t, c.vars...), "--demo")
		tm.waitFor(shortWait, "40/40 snapshots", "›", "⊘")
		screens := []string{tm.screenWithAttributes()}
		tm.keys("Down", "Enter")
		tm.waitFor(shortWait, "› Destination type", "● Region")
		screens = append(screens, tm.screenWithAttributes())
		tm.keys("?")
		tm.waitFor(shortWait, "snapcopy keys")
		screens = append(screens, tm.screenWithAttributes())
		for i, s := range screens {
			if got := colour.MatchString(s); got != c.colored {
				t.Errorf("%s: screen %d coloured %v, want %v; escape sequences: %q", c.name, i, got, c.colored, colour.FindAllString(s, 5))
			}
		}
		tm.keys("Escape")
		tm.waitGone(shortWait, "snapcopy keys")
		tm.keys("Escape")
		tm.waitFor(shortWait, "40/40 snapshots")
		tm.keys("q")
		tm.waitExit()
	}
}
