// Command gen writes snapcopy's man pages and shell completion scripts
// from the command line's own definitions (package cli), for make dist:
//
//	go run ./ui/cmd/cli/gen -version v1.2.0 -out dist/share
//
// It writes OUT/man/man1/snapcopy.1 (with the README's commands, keys and
// exit codes), a snapcopy-COMMAND.1 for each command, and
// OUT/completions/snapcopy.bash, _snapcopy and snapcopy.fish. The man page
// generator (cobra/doc and go-md2man) is linked here, never into snapcopy.
// SOURCE_DATE_EPOCH, when set, dates the pages.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cpuguy83/go-md2man/v2/md2man"
	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/cmd/cli"
)

func main() {
	out := flag.String("out", "dist/share", "the folder to write man/ and completions/ in")
	version := flag.String("version", "dev", "the version the pages name")
	readme := flag.String("readme", "README.md", "the README whose keys and exit codes the main page holds")
	flag.Parse()
	if err := generate(*out, *version, *readme); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// completionFiles are the completion scripts' names, as each shell looks
// them up in its folders.
var completionFiles = map[string]string{"bash": "snapcopy.bash", "zsh": "_snapcopy", "fish": "snapcopy.fish"}

// generate writes the man pages and the completions into out.
func generate(out, version, readmePath string) error {
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		return err
	}
	root := cli.New(cmd.Env{Stdout: io.Discard, Stderr: io.Discard, Version: version}, new(int))
	manDir, compDir := filepath.Join(out, "man", "man1"), filepath.Join(out, "completions")
	for _, d := range []string{manDir, compDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	for _, shell := range cli.Shells {
		var b bytes.Buffer
		if err := cli.WriteCompletion(root, shell, &b); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(compDir, completionFiles[shell]), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	extra, err := mainPageSections(root, string(readme))
	if err != nil {
		return err
	}
	for _, c := range append([]*cobra.Command{root}, root.Commands()...) {
		if !c.IsAvailableCommand() || c.IsAdditionalHelpTopicCommand() {
			continue
		}
		page, err := manPage(c, "snapcopy "+version)
		if err != nil {
			return err
		}
		if c == root {
			if page, err = splice(page, extra); err != nil {
				return err
			}
		}
		name := strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
		if err := os.WriteFile(filepath.Join(manDir, name), page, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// manPage is c's page as cobra/doc writes it.
func manPage(c *cobra.Command, source string) ([]byte, error) {
	var b bytes.Buffer
	h := &doc.GenManHeader{Section: "1", Source: source, Manual: "snapcopy manual"}
	if err := doc.GenMan(c, h, &b); err != nil {
		return nil, fmt.Errorf("man page of %s: %w", c.CommandPath(), err)
	}
	return b.Bytes(), nil
}

// sections are roff sections, each put before a section of cobra's page.
type sections struct{ beforeOptions, beforeSeeAlso string }

// splice puts the extra sections into the main page.
func splice(page []byte, s sections) ([]byte, error) {
	p := string(page)
	for _, at := range []struct{ heading, text string }{
		{"\n.SH OPTIONS\n", s.beforeOptions},
		{"\n.SH SEE ALSO\n", s.beforeSeeAlso},
	} {
		i := strings.Index(p, at.heading)
		if i < 0 {
			return nil, fmt.Errorf("the main page has no %q section to put the README's after", strings.TrimSpace(at.heading))
		}
		p = p[:i+1] + at.text + p[i+1:]
	}
	return []byte(p), nil
}

// mainPageSections are the main page's COMMANDS (from the command tree),
// KEYS and EXIT STATUS (from the README), in roff.
func mainPageSections(root *cobra.Command, readme string) (sections, error) {
	var commands strings.Builder
	commands.WriteString("# COMMANDS\n\n")
	for _, c := range root.Commands() {
		if !c.IsAvailableCommand() {
			continue
		}
		fmt.Fprintf(&commands, "**%s**\n: %s; see **%s**(1).\n\n", c.UseLine(), c.Short, strings.ReplaceAll(c.CommandPath(), " ", "-"))
	}
	keys, err := readmeKeys(readme)
	if err != nil {
		return sections{}, err
	}
	exits, err := readmeExitCodes(readme)
	if err != nil {
		return sections{}, err
	}
	return sections{beforeOptions: roff(commands.String()), beforeSeeAlso: roff(keys + exits)}, nil
}

// roff renders Markdown sections ("# NAME" headings) as roff, without the
// page's preamble md2man writes for a whole page.
func roff(markdown string) string {
	// md2man takes a page's first level-1 heading for its title.
	out := string(md2man.Render([]byte("# TITLE\n\n" + markdown)))
	_, body, _ := strings.Cut(out, ".TH TITLE\n")
	return strings.TrimLeft(body, "\n")
}
