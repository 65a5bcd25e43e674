package main

import (
	"fmt"
	"regexp"
	"strings"
)

// readmeKeys is the README's "## Keys" as Markdown for the man page: its
// first paragraph, then each "###" part's key table as a list.
func readmeKeys(readme string) (string, error) {
	body, ok := section(readme, "## Keys")
	if !ok {
		return "", fmt.Errorf("README: no ## Keys section")
	}
	var b strings.Builder
	b.WriteString("# KEYS\n\n")
	intro, _, _ := strings.Cut(strings.TrimSpace(body), "\n\n")
	b.WriteString(intro + "\n\n")
	parts := 0
	for _, part := range strings.Split(body, "\n### ")[1:] {
		title, text, _ := strings.Cut(part, "\n")
		rows := table(text, "key")
		if len(rows) == 0 {
			continue // the filter's words: not keys
		}
		parts++
		fmt.Fprintf(&b, "### %s\n\n%s", strings.TrimSpace(title), definitions(rows))
	}
	if parts == 0 {
		return "", fmt.Errorf("README: ## Keys has no key table")
	}
	return b.String(), nil
}

// readmeExitCodes is the README's exit code table as a man page's EXIT
// STATUS.
func readmeExitCodes(readme string) (string, error) {
	rows := table(readme, "code")
	if len(rows) == 0 {
		return "", fmt.Errorf("README: no exit code table (| code | when |)")
	}
	return "# EXIT STATUS\n\n" + definitions(rows), nil
}

// section is the text under heading (a whole line, such as "## Keys") up
// to the next heading of its level or above.
func section(md, heading string) (string, bool) {
	level := strings.Index(heading, " ")
	lines := strings.Split(md, "\n")
	for i, l := range lines {
		if l != heading {
			continue
		}
		end := len(lines)
		for j := i + 1; j < len(lines); j++ {
			if h := strings.Index(lines[j], " "); h > 0 && h <= level && strings.Trim(lines[j][:h], "#") == "" {
				end = j
				break
			}
		}
		return strings.Join(lines[i+1:end], "\n"), true
	}
	return "", false
}

// table is the rows (two cells each) of the first table in md whose first
// header cell is first, its header and rule left out.
func table(md, first string) [][2]string {
	var rows [][2]string
	in := false
	for _, l := range strings.Split(md, "\n") {
		cells := cellsOf(l)
		switch {
		case !in && len(cells) >= 2 && cells[0] == first:
			in = true
		case in && cells == nil:
			return rows
		case in && strings.HasPrefix(cells[0], "---"):
		case in && len(cells) >= 2:
			rows = append(rows, [2]string{cells[0], cells[1]})
		}
	}
	return rows
}

// cellsOf splits a table row "| a | b |" into its cells (an escaped \| is
// a bar inside a cell); nil for a line that is not a row.
func cellsOf(line string) []string {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") {
		return nil
	}
	line = strings.ReplaceAll(line, `\|`, "\x00")
	parts := strings.Split(strings.Trim(line, "|"), "|")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.TrimSpace(p), "\x00", "|")
	}
	return parts
}

// link is a Markdown link: a page has nowhere to go, its text stays.
var link = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)

// definitions writes rows as a Markdown definition list, which man shows
// as tagged paragraphs, readable at any width (unlike a table).
func definitions(rows [][2]string) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%s\n: %s\n\n", r[0], link.ReplaceAllString(r[1], "$1"))
	}
	return b.String()
}
