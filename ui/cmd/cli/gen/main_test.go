package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var readmePath = filepath.Join("..", "..", "..", "..", "README.md")

// generated runs the generator into a folder of the test's and returns it.
func generated(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600") // 2026-01-01
	if err := generate(out, "v1.2.3", readmePath); err != nil {
		t.Fatal(err)
	}
	return out
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A page per command, and the three completion scripts.
func TestGeneratesPagesAndCompletions(t *testing.T) {
	out := generated(t)
	for _, name := range []string{"snapcopy", "snapcopy-watch", "snapcopy-copy", "snapcopy-simulate", "snapcopy-completion", "snapcopy-version"} {
		page := read(t, filepath.Join(out, "man", "man1", name+".1"))
		if !strings.Contains(page, `.TH "`+strings.ToUpper(name)+`" "1" "Jan 2026" "snapcopy v1.2.3"`) {
			t.Errorf("%s.1: no title line for version v1.2.3 dated by SOURCE_DATE_EPOCH:\n%.300s", name, page)
		}
		for _, s := range []string{".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION"} {
			if !strings.Contains(page, s) {
				t.Errorf("%s.1 has no %s", name, s)
			}
		}
	}
	if page := read(t, filepath.Join(out, "man", "man1", "snapcopy-copy.1")); !strings.Contains(page, `\fB--source-tags\fP`) {
		t.Errorf("snapcopy-copy.1 does not describe --source-tags")
	}
	for file, want := range map[string]string{"snapcopy.bash": "__start_snapcopy", "_snapcopy": "#compdef snapcopy", "snapcopy.fish": "complete -c snapcopy"} {
		if s := read(t, filepath.Join(out, "completions", file)); !strings.Contains(s, want) {
			t.Errorf("completions/%s has no %q", file, want)
		}
	}
}

// snapcopy(1) holds the commands, and the README's keys and exit codes:
// every key and every code of the README's tables, in that order.
func TestMainPageHoldsTheREADMEsKeysAndExitCodes(t *testing.T) {
	page := read(t, filepath.Join(generated(t), "man", "man1", "snapcopy.1"))
	var order []string
	for _, h := range []string{".SH DESCRIPTION", ".SH COMMANDS", ".SH OPTIONS", ".SH KEYS", ".SS Everywhere", ".SS Snapshot list",
		".SS Copy form", ".SS Progress pane", ".SH EXIT STATUS", ".SH SEE ALSO"} {
		i := strings.Index(page, h)
		if i < 0 {
			t.Fatalf("snapcopy.1 has no %s:\n%s", h, page)
		}
		order = append(order, h)
		if len(order) > 1 && i < strings.Index(page, order[len(order)-2]) {
			t.Errorf("snapcopy.1: %s comes before %s", h, order[len(order)-2])
		}
	}
	for _, c := range []string{"snapcopy watch", "snapcopy copy", "snapcopy simulate", "snapcopy completion", "snapcopy version"} {
		if !strings.Contains(page, `\fB`+c) {
			t.Errorf("COMMANDS does not name %s", c)
		}
	}
	_, keys, _ := strings.Cut(page, ".SH KEYS")
	keys, _, _ = strings.Cut(keys, ".SH EXIT STATUS")
	readme := read(t, readmePath)
	body, _ := section(readme, "## Keys")
	for _, part := range strings.Split(body, "\n### ")[1:] {
		for _, row := range table(part, "key") {
			for _, k := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(row[0], -1) {
				if !strings.Contains(keys, `\fB`+k[1]+`\fR`) {
					t.Errorf("KEYS does not show the README's key %q", k[1])
				}
			}
		}
	}
	codes := table(readme, "code")
	if len(codes) < 7 {
		t.Fatalf("the README's exit code table: %v", codes)
	}
	_, status, _ := strings.Cut(page, ".SH EXIT STATUS")
	for _, row := range codes {
		if !strings.Contains(status, ".TP\n"+row[0]+"\n") {
			t.Errorf("EXIT STATUS does not give code %s", row[0])
		}
	}
	if strings.Contains(page, "](#") {
		t.Errorf("a Markdown link is left in the page")
	}
}
