package form

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/clipboard"
	"github.com/snapcopy/snapcopy/ui/status"
)

// cliShown is what ctrl+e shows: each request as the arguments of an
// `aws ec2 copy-snapshot` command (after "aws", not quoted yet), or why
// there is none.
type cliShown struct {
	commands [][]string
	// locks are, beside each command, its copy's lock-snapshot arguments
	// (nil without a lock): lock.go.
	locks [][]string
	// shell is each request as shell lines (model.CopyRequest.CLILines).
	shell []string
	none  string
}

// cliCommands are the form's requests as `aws ec2 copy-snapshot` commands
// (model.CopyRequest.CLIArgs), without snapcopy's request tag: the same
// CopySnapshot, for a change ticket or a script. While an error stands
// there is no request, and it is said instead.
func (m Model) cliCommands() *cliShown {
	res := m.result
	if p, bad := res.FirstError(); bad {
		return &cliShown{none: "No command while the " + string(p.Field) + " is wrong: " + p.Message}
	}
	reqs := m.requests(res)
	if len(reqs) == 0 {
		return &cliShown{none: "No command: no snapshot can be copied to this destination."}
	}
	if p := m.cross.chosen(); p != "" {
		return &cliShown{none: "No single command: a copy into another account is several calls in two accounts (the preview lists them); " +
			"snapcopy copy --to-profile " + p + " makes it from a script."}
	}
	out := &cliShown{}
	for _, r := range reqs {
		r.DryRun = false
		args, lock := cliWithLock(r)
		out.commands = append(out.commands, args)
		out.locks = append(out.locks, lock)
		out.shell = append(out.shell, strings.Join(r.CLILines(), "\n"))
	}
	return out
}

// text is the commands one per line, each quoted as
// model.CopyRequest.CLICommand quotes it: what y puts on the clipboard.
func (c *cliShown) text() string {
	return strings.Join(c.shell, "\n") + "\n"
}

// copiedMsg says whether y put the commands on the clipboard.
type copiedMsg struct{ outcome clipboard.Outcome }

// cliKey answers ctrl+e (show the commands) and, while they are shown, y
// (copy them to the clipboard) and any other key (back to the form);
// handled is false for other keys.
func (m Model) cliKey(msg tea.KeyMsg) (_ Model, cmd tea.Cmd, handled bool) {
	if m.cli != nil {
		if key.Matches(msg, keys.CopyCLI) && len(m.cli.commands) > 0 {
			what := "the command"
			if n := len(m.cli.commands); n > 1 {
				what = "the " + itoa(n) + " commands"
			}
			return m, clipboard.Copy(m.cli.text(), clipboard.Options{Terminal: m.terminal, Name: what}, func(o clipboard.Outcome) tea.Msg {
				return copiedMsg{o}
			}), true
		}
		m.cli = nil
		return m, nil, true
	}
	if !key.Matches(msg, keys.CLI) {
		return m, nil, false
	}
	m.cli = m.cliCommands()
	m.status.Clear()
	return m, nil, true
}

// cliView shows the commands within the screen, broken into lines only
// where the shell and JSON allow it (commandLines), so that the lines,
// selected and pasted, are still the same commands.
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
	for i, args := range m.cli.commands {
		for _, l := range commandLinesWithLock(args, m.cli.locks[i], w) {
			// Only a screen narrower than a few cells cuts a line.
			lines = append(lines, ansi.Truncate(clean(l), w, "…"))
		}
		lines = append(lines, "")
	}
	foot := []string{dimStyle.Render("any key: back to the form")}
	if len(m.cli.commands) > 0 {
		foot[0] = dimStyle.Render(keys.CopyCLI.Help().Key + ": " + keys.CopyCLI.Help().Desc + " · any other key: back to the form")
	}
	if said := m.status.View(w); said != "" {
		foot = append([]string{said}, foot...)
	}
	if len(lines)+len(foot) > h {
		cut := len(lines) + len(foot) + 1 - h
		lines = append(lines[:max(0, len(lines)-cut)], dimStyle.Render(fmt.Sprintf("… %d more lines: make the terminal larger", cut)))
	}
	return strings.Join(append(lines, foot...), "\n")
}

// breakKind says how a line may end after a piece of a command, so that
// the lines pasted into a POSIX shell are still the same command.
type breakKind int

const (
	// noBreak: the next piece follows on the same line.
	noBreak breakKind = iota
	// betweenWords: " \" ends the line, and the next word starts the next
	// one, indented.
	betweenWords
	// betweenTokens: inside the single quotes of a JSON argument, between
	// two of its tokens (never inside a string): the line ends and the
	// next is indented. The argument gains a newline and spaces, which
	// JSON reads as nothing.
	betweenTokens
	// joinQuoted: inside single quotes, where a word is too long for any
	// line and has no other place to break: the quote is closed and "\"
	// ends the line, the next line opens the quote again at its start.
	// The shell joins the two lines (line continuation) and the argument
	// gains nothing.
	joinQuoted
	// joinBare: the same in a word without quotes: "\" ends the line and
	// the word goes on at the start of the next.
	joinBare
)

// piece is text of a command written whole, and how the line may break
// after it.
type piece struct {
	text string
	brk  breakKind
}

// lineEnd and nextStart are what a break of kind k writes at the end of
// the line and the start of the next.
func lineEnd(k breakKind) (end, next string) {
	switch k {
	case betweenWords:
		return " \\", "  "
	case betweenTokens:
		return "", "    "
	case joinQuoted:
		return "'\\", "'"
	}
	return "\\", ""
}

// commandLines lays out one command (its arguments after "aws") in lines
// of at most w cells where it can: each piece goes on the line while it
// fits, else the line breaks after the piece before, as that piece allows.
func commandLines(args []string, w int) []string {
	ps := []piece{{"aws", betweenWords}}
	for i, a := range args {
		json := i > 0 && args[i-1] == "--tag-specifications"
		word := wordPieces(a, json, w)
		word[len(word)-1].brk = betweenWords
		ps = append(ps, word...)
	}
	var lines []string
	line, prev := "", noBreak
	for i, p := range ps {
		reserve := 2 // room for what ends a broken line
		if i == len(ps)-1 {
			reserve = 0
		}
		sep := ""
		if prev == betweenWords {
			sep = " "
		}
		if prev != noBreak && ansi.StringWidth(line+sep+p.text)+reserve > w {
			end, next := lineEnd(prev)
			lines = append(lines, line+end)
			line, sep = next, ""
		}
		line += sep + p.text
		prev = p.brk
	}
	return append(lines, line)
}

// wordPieces is one argument, quoted as model.ShellQuote quotes it, in
// pieces: whole when it fits on a line of w cells; else a JSON argument
// token by token, other text after each space, and what still does not
// fit character by character.
func wordPieces(arg string, json bool, w int) []piece {
	quoted := model.ShellQuote(arg)
	room := w - 6 // an indented line, and what ends it
	if ansi.StringWidth(quoted) <= room {
		return []piece{{quoted, noBreak}}
	}
	if quoted == arg {
		// Plain characters only: anywhere, joined again by the shell.
		return runePieces(arg, joinBare)
	}
	var parts []piece
	if json {
		parts = jsonTokens(arg)
	} else {
		parts = spaceRuns(arg)
	}
	var out []piece
	for _, p := range parts {
		p.text = strings.ReplaceAll(p.text, "'", `'\''`)
		if ansi.StringWidth(p.text) <= room {
			out = append(out, p)
			continue
		}
		// A string longer than any line: joined again by the shell, so the
		// argument is the same.
		rs := runePieces(p.text, joinQuoted)
		rs[len(rs)-1].brk = p.brk
		out = append(out, rs...)
	}
	out[0].text = "'" + out[0].text
	out[len(out)-1].text += "'"
	return out
}

// runePieces is text a character at a time, each followed by brk; a
// quote written '\” stays whole.
func runePieces(text string, brk breakKind) []piece {
	var out []piece
	for len(text) > 0 {
		n := len(string([]rune(text)[0]))
		if strings.HasPrefix(text, `'\''`) {
			n = len(`'\''`)
		}
		out = append(out, piece{text[:n], brk})
		text = text[n:]
	}
	return out
}

// spaceRuns is text cut after each space, each run followed by a break
// that adds nothing to the text.
func spaceRuns(text string) []piece {
	var out []piece
	for text != "" {
		i := strings.IndexByte(text, ' ')
		if i < 0 {
			i = len(text) - 1
		}
		out = append(out, piece{text[:i+1], joinQuoted})
		text = text[i+1:]
	}
	return out
}

// jsonTokens is JSON as encoding/json writes it (no spaces) cut into its
// tokens: a line may break after a comma, a colon or an opening bracket,
// between tokens, never inside a string.
func jsonTokens(js string) []piece {
	var out []piece
	for i := 0; i < len(js); {
		j := i + 1
		switch js[i] {
		case '"':
			for j < len(js) && js[j] != '"' {
				if js[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(js))
		case '[', ']', '{', '}', ',', ':':
		default:
			for j < len(js) && !strings.ContainsRune(`"[]{},:`, rune(js[j])) {
				j++
			}
		}
		brk := noBreak
		if strings.ContainsRune(",:[{", rune(js[i])) {
			brk = betweenTokens
		}
		out = append(out, piece{js[i:j], brk})
		i = j
	}
	return out
}
