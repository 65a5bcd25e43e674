package form

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
)

// cliShown is what ctrl+e shows: each request as the words of an
// `aws ec2 copy-snapshot` command, shell-quoted, or why there is none.
type cliShown struct {
	commands [][]string
	none     string
}

// cliCommands are the form's requests as `aws ec2 copy-snapshot` commands
// (model.CopyRequest.CLIArgs, quoted as CLICommand quotes them), without
// snapcopy's request tag: the same CopySnapshot, for a change ticket or a
// script. While an error stands there is no request, and it is said instead.
func (m Model) cliCommands() *cliShown {
	res := m.result
	if p, bad := res.FirstError(); bad {
		return &cliShown{none: "No command while the " + string(p.Field) + " is wrong: " + p.Message}
	}
	reqs := m.requests(res)
	if len(reqs) == 0 {
		return &cliShown{none: "No command: no snapshot can be copied to this destination."}
	}
	out := &cliShown{}
	for _, r := range reqs {
		r.DryRun = false
		words := []string{"aws"}
		for _, a := range r.CLIArgs() {
			words = append(words, model.ShellQuote(a))
		}
		out.commands = append(out.commands, words)
	}
	return out
}

// cliKey answers ctrl+e (show the commands) and, while they are shown, any
// key (back to the form); handled is false for other keys.
func (m Model) cliKey(msg tea.KeyMsg) (_ Model, handled bool) {
	if m.cli != nil {
		m.cli = nil
		return m, true
	}
	if !key.Matches(msg, keys.CLI) {
		return m, false
	}
	m.cli = m.cliCommands()
	return m, true
}

// cliView shows the commands within the screen. A command is broken
// between its words with " \" so that, pasted, it is still one command;
// only a single word wider than the screen is cut across lines.
func (m Model) cliView() string {
	w, h := m.width, m.height
	if w <= 0 {
		w = 100
	}
	if h <= 0 {
		h = 40
	}
	lines := []string{titleStyle.Render(clean("The same request as AWS CLI commands (" + keys.CLI.Help().Key + ")")), ""}
	if m.cli.none != "" {
		lines = append(lines, status.Wrap(clean(m.cli.none), w, h)...)
	}
	for _, words := range m.cli.commands {
		lines = append(lines, commandLines(words, w)...)
		lines = append(lines, "")
	}
	foot := dimStyle.Render("any key: back to the form")
	if len(lines)+1 > h {
		cut := len(lines) + 2 - h
		lines = append(lines[:max(0, len(lines)-cut)], dimStyle.Render(fmt.Sprintf("… %d more lines: make the terminal larger", cut)))
	}
	return strings.Join(append(lines, foot), "\n")
}

// commandLines lays out one command's words in lines of width w, each
// but the last ending in " \", the next indented.
func commandLines(words []string, w int) []string {
	var lines []string
	line := ""
	for _, word := range words {
		word = clean(word)
		switch {
		case line == "":
			line = word
		case ansi.StringWidth(line)+1+ansi.StringWidth(word)+2 <= w:
			line += " " + word
		default:
			lines = append(lines, line+" \\")
			line = "  " + word
		}
	}
	lines = append(lines, line)
	var out []string
	for _, l := range lines {
		if ansi.StringWidth(l) <= w {
			out = append(out, l)
			continue
		}
		out = append(out, strings.Split(ansi.Hardwrap(l, w, true), "\n")...)
	}
	return out
}
