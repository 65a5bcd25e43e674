package form

import (
	"strconv"
	"strings"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
)

// The Lock field: the snapshot lock each copy gets once AWS lists it,
// typed as --lock takes it (governance:30d, compliance:2027-01-31), a
// compliance lock's cool-off after a space (compliance:365d 24h). Empty
// is no lock.

// snapLockNotRecurring says why ctrl+p refuses a copy with a lock, as
// `copy --output dlm` refuses --lock.
const snapLockNotRecurring = "not recurring: DLM makes a policy's copies, which snapcopy cannot lock; clear the Lock field first"

// lockHint is shown beside the Lock field.
const lockHint = "governance:30d · compliance:365d 24h (cool-off) · MODE:2027-01-31"

// lockParts splits the Lock field into the lock and its cool-off.
func lockParts(text string) (lock, coolOff string) {
	f := strings.Fields(text)
	switch len(f) {
	case 0:
		return "", ""
	case 1:
		return f[0], ""
	}
	return f[0], strings.Join(f[1:], " ")
}

// fillLock puts an earlier request's lock in the Lock field, as typed.
func (m *Model) fillLock(spec model.SnapLockSpec) {
	text := spec.Token()
	if spec.CoolOffHours > 0 {
		text += " " + strconv.Itoa(int(spec.CoolOffHours)) + "h"
	}
	m.lock.SetValue(text)
	m.lock.CursorEnd()
}

// lockLines draws the Lock field: its input, and beside it (or under it,
// when narrow) what it takes.
func (m Model) lockLines(focused bool, vw int) []string {
	line := inputView(m.lock, focused, 24, "empty: no lock")
	if !focused {
		return []string{m.row(fLock, true, line)}
	}
	if len(line)+2+len(lockHint) <= vw {
		return []string{m.row(fLock, true, line+dimStyle.Render("  "+lockHint))}
	}
	lines := []string{m.row(fLock, true, line)}
	for _, l := range status.Wrap(lockHint, vw, 2) {
		lines = append(lines, m.row(fLock, false, dimStyle.Render(l)))
	}
	return lines
}

// snapLock is the lock validate read from the form, zero when none (or
// while the form has errors).
func (m Model) snapLock() model.SnapLockSpec {
	if len(m.result.Requests) == 0 {
		return model.SnapLockSpec{}
	}
	return m.result.Requests[0].SnapLock
}

// lockPreview is the preview's line about the lock: what AWS will be
// asked once it lists each copy.
func (m Model) lockPreview(w int) []string {
	spec := m.snapLock()
	if !spec.On() {
		return nil
	}
	text := "locked " + spec.Words() + ", once AWS lists the copy"
	if spec.Mode == model.SnapLockCompliance {
		text += " (asked before sending: it cannot be undone)"
	}
	pad := strings.Repeat(" ", 10)
	var lines []string
	for i, l := range status.Wrap(text, w-10, 2) {
		if i == 0 {
			lines = append(lines, previewStyle.Render("Lock      ")+l)
			continue
		}
		lines = append(lines, pad+l)
	}
	return lines
}

// complianceQuestion is the part of "send anyway?" for a compliance lock,
// in plain words: what nobody can undo. "" for any other lock.
func (m Model) complianceQuestion() string {
	if m.dryRun {
		return ""
	}
	if w := m.snapLock().ComplianceWarning(); w != "" {
		// One clause of the question: "compliance lock: after …".
		return "compliance lock: " + strings.ToLower(w[:1]) + strings.TrimSuffix(w[1:], ".")
	}
	return ""
}

// cliWithLock is r's copy-snapshot arguments and, with a lock, the copy's
// id kept for its lock-snapshot arguments (model.CopyRequest.CLILines).
func cliWithLock(r model.CopyRequest) (args, lock []string) {
	if !r.SnapLock.On() {
		return r.CLIArgs(), nil
	}
	return append(r.CLIArgs(), model.CopyIDArgs...), r.SnapLock.CLIArgs(r.DestinationRegion, "$"+model.CopyIDVar)
}

// commandLinesWithLock is commandLines for a copy, and with a lock the
// copy's id kept around it and the lock-snapshot command after it.
func commandLinesWithLock(args, lock []string, w int) []string {
	if lock == nil {
		return commandLines(args, w)
	}
	open, shut := model.CopyIDVar+"=$(", ") &&"
	lines := commandLines(args, w-len(open)-len(shut))
	lines[0] = open + lines[0]
	lines[len(lines)-1] += shut
	for _, l := range commandLines(lock, w) {
		lines = append(lines, model.ExpandCopyID(l))
	}
	return lines
}
