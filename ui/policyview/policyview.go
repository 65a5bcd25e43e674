// Package policyview shows a KMS key policy before and after adding the
// statements another account lacks, over the whole screen, with the y/n
// question that puts it (PutKeyPolicy): the copy form asks it before
// sending a copy into another account, the progress pane for a copy that
// waits at its key policy's step.
package policyview

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
	"github.com/snapcopy/snapcopy/ui/theme"
)

// Question is a key policy and the statements an account lacks in it.
type Question struct {
	// Region and Key are the key's Region and ARN.
	Region, Key string
	// Account is the account the statements let use the key.
	Account string
	Missing []model.KeyStatement
	// Before is the policy as read; After with Missing added
	// (model.WithKeyStatements).
	Before, After string
	// Offset is the first line shown of the two documents (↑/↓ scroll).
	Offset int
}

// New is the question of adding to the policy before of key in region the
// statements account lacks; ok is false when it lacks none.
func New(region, key, account, before string) (_ Question, ok bool, err error) {
	missing, err := model.MissingKeyStatements(before, account)
	if err != nil || len(missing) == 0 {
		return Question{}, false, err
	}
	after, err := model.WithKeyStatements(before, missing)
	if err != nil {
		return Question{}, false, err
	}
	return Question{Region: region, Key: key, Account: account, Missing: missing, Before: before, After: after}, true, nil
}

// Scroll moves the documents by d lines (never above the first).
func (q *Question) Scroll(d int) { q.Offset = max(0, q.Offset+d) }

// View draws the question in w x h: the key, what is missing, the policy
// before and after side by side (one under the other when narrow), and
// ask, the question's own line.
func (q Question) View(w, h int, ask string) string {
	head := []string{
		theme.Title.Render("Key policy") + " of " + textsafe.Clean(q.Key),
		fmt.Sprintf("Account %s must use this key for the copy: its policy lacks %d statement(s) (%s). Before, and after adding them:",
			textsafe.Clean(q.Account), len(q.Missing), sids(q.Missing)),
		"",
	}
	before, after := indented(q.Before), indented(q.After)
	var body []string
	if col := (w - 3) / 2; col >= 30 {
		body = append(body, padCell(theme.Header.Render("Before"), col)+" │ "+theme.Header.Render("After"))
		for i := range max(len(before), len(after)) {
			l, r := "", ""
			if i < len(before) {
				l = before[i]
			}
			if i < len(after) {
				r = after[i]
			}
			body = append(body, padCell(ansi.Truncate(l, col, "…"), col)+" │ "+r)
		}
	} else {
		body = append(append(body, theme.Header.Render("Before")), before...)
		body = append(append(body, "", theme.Header.Render("After")), after...)
	}
	tail := status.RenderLines(status.LevelMessage{Level: status.Warning, Text: ask}, w, 2)
	room := max(1, h-len(head)-len(tail))
	off := min(q.Offset, max(0, len(body)-room))
	body = body[off:min(len(body), off+room)]
	lines := append(append(head, body...), tail...)
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "…")
	}
	return strings.Join(lines, "\n")
}

// indented is a policy document's lines, indented as JSON (as KMS keeps
// it when it is not), each cleaned for the terminal.
func indented(doc string) []string {
	var b bytes.Buffer
	lines := strings.Split(doc, "\n")
	if err := json.Indent(&b, []byte(doc), "", "  "); err == nil {
		lines = strings.Split(b.String(), "\n")
	}
	for i, l := range lines {
		lines[i] = textsafe.Clean(l)
	}
	return lines
}

// padCell pads s to w cells.
func padCell(s string, w int) string {
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}

// sids names statements by their Sid.
func sids(sts []model.KeyStatement) string {
	names := make([]string, len(sts))
	for i, s := range sts {
		names[i] = strconv.Quote(textsafe.Clean(s.Sid))
	}
	return strings.Join(names, ", ")
}
