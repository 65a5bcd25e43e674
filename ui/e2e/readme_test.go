package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeWidth is the width the README's screens were taken at, as it says.
const readmeWidth = 120

// readmeScreens are the README's screens: the code blocks without a
// language before its first "## " section, each as its lines.
func readmeScreens(t *testing.T) (intro string, screens [][]string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	intro, _, _ = strings.Cut(string(data), "\n## ")
	rest := intro
	for {
		_, block, found := strings.Cut(rest, "```\n")
		if !found {
			return intro, screens
		}
		block, rest, found = strings.Cut(block, "```")
		if !found {
			t.Fatal("a code block of the README is not closed")
		}
		screens = append(screens, strings.Split(strings.TrimSuffix(block, "\n"), "\n"))
	}
}

// ages are the list's AGE cells ("53m ago" and its padding), which move
// with the clock; compared, they stand for any age.
var ages = regexp.MustCompile(`\b\d+(m|h|d|mo|y) ago +`)

// sameLines reports each line of want that the screen does not show at
// the same place: screen lines are compared trimmed on the right, ages
// as any age, and a line of want with part > 0 only up to that width.
func sameLines(t *testing.T, what string, want []string, screen string, part map[int]int) {
	t.Helper()
	got := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	for i, w := range want {
		g := ""
		if i < len(got) {
			g = strings.TrimRight(got[i], " ")
		}
		if n := part[i]; n > 0 {
			w, g = cutTo(w, n), cutTo(g, n)
		}
		if ages.ReplaceAllString(w, "AGE ") != ages.ReplaceAllString(g, "AGE ") {
			t.Errorf("%s, line %d:\nREADME %q\napp    %q", what, i+1, w, g)
		}
	}
}

// cutTo is s up to n runes.
func cutTo(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// The README's screens are what the demo shows at the width the README
// names: the list as it opens, the copy form with a completion duration
// that is not a multiple of 15, and the progress pane once the copy runs
// (its bar, times and rate move: the row is compared up to its state).
func TestReadmeScreensAreTheDemos(t *testing.T) {
	t.Parallel()
	intro, screens := readmeScreens(t)
	if !strings.Contains(intro, "`make demo` at 120 columns") || len(screens) != 3 {
		t.Fatalf("the README does not say its 3 screens are the demo at %d columns (%d screens)", readmeWidth, len(screens))
	}
	list, form, pane := screens[0], screens[1], screens[2]

	tm := startApp(t, readmeWidth, len(list), newAppEnv(t), "--demo")
	sameLines(t, "the list", list, tm.waitFor(shortWait, "40/40 snapshots", "cannot be copied"), nil)

	tm.resize(readmeWidth, 24)
	tm.keys("Down", "Enter")
	tm.waitFor(shortWait, "(build-cache) from us-west-2")
	tm.waitGone(shortWait, "loading")
	tm.keys("Tab")
	tm.typeText("us-east-1")
	tm.keys("Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab") // to Completion duration (a tag row is two cells), past the destination account
	tm.typeText("17")
	sameLines(t, "the form", form, tm.waitFor(shortWait, `not "17"`, "full copy"), nil)

	tm.keys("BSpace", "BSpace", "C-s")
	tm.waitFor(shortWait, "Copies")
	tm.resize(readmeWidth, len(pane))
	before, _, _ := strings.Cut(pane[2], "running")
	row := len([]rune(before)) + len("running")
	sameLines(t, "the progress pane", pane, tm.waitFor(copyWait, "1 running · 0 done", "running ", "%"), map[int]int{2: row})
	tm.keys("q")
	tm.waitExit()
}
