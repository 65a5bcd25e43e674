package e2e

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeKeys reads the README's "## Keys" tables: for each "### " section,
// the keys in backticks of the first column, in order.
func readmeKeys(t *testing.T) map[string][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	backticked := regexp.MustCompile("`([^`]+)`")
	out := map[string][]string{}
	inKeys, section := false, ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			inKeys = strings.TrimSpace(line[3:]) == "Keys"
			section = ""
		case inKeys && strings.HasPrefix(line, "### "):
			section = strings.TrimSpace(line[4:])
		case inKeys && section != "" && strings.HasPrefix(line, "|"):
			cells := strings.Split(line, "|")
			if len(cells) < 3 {
				continue
			}
			for _, m := range backticked.FindAllStringSubmatch(cells[1], -1) {
				out[section] = append(out[section], m[1])
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// helpKeys is the set of words on the full help screen: a key is on it
// when one of its words is exactly the key's label.
func helpKeys(screen string) map[string]bool {
	words := map[string]bool{}
	for _, w := range strings.Fields(screen) {
		words[w] = true
	}
	return words
}

// TestHelpMatchesReadme opens ? on the list, the form and the progress pane
// and checks that every key of the README's table for that screen, and of
// "Everywhere", is on it.
func TestHelpMatchesReadme(t *testing.T) {
	t.Parallel()
	want := readmeKeys(t)
	for _, section := range []string{"Everywhere", "Snapshot list", "Copy form", "Progress pane"} {
		if len(want[section]) == 0 {
			t.Fatalf("the README has no keys under ## Keys / ### %s", section)
		}
	}

	tm := startApp(t, 160, 40, newAppEnv(t), "--demo")
	tm.waitFor(shortWait, "40/40 snapshots")

	check := func(section, screen string) {
		t.Helper()
		words := helpKeys(screen)
		for _, k := range append(append([]string{}, want[section]...), want["Everywhere"]...) {
			if !words[k] {
				t.Errorf("%s: the README's key %q is not on the help screen:\n%s", section, k, screen)
			}
		}
	}
	help := func() string {
		t.Helper()
		tm.keys("?")
		s := tm.waitFor(shortWait, "snapcopy keys", "press any key to close")
		// Only the help itself: nothing of the screen behind it.
		_, s, _ = strings.Cut(s, "snapcopy keys")
		s, _, _ = strings.Cut(s, "press any key to close")
		tm.keys("Escape") // any key closes the help
		tm.waitGone(shortWait, "snapcopy keys")
		return s
	}

	check("Snapshot list", help())

	tm.keys("Down", "Enter") // build-cache; the form opens on "Destination type", which takes no typing
	tm.waitFor(shortWait, "› Destination type")
	check("Copy form", help())
	tm.waitFor(shortWait, "› Destination type") // the key that closed the help did nothing else

	tm.keys("Escape")
	tm.waitFor(shortWait, "40/40 snapshots")
	tm.keys("p")
	tm.waitFor(shortWait, "No copies tracked")
	check("Progress pane", help())
	tm.keys("q")
	tm.waitExit()
}
