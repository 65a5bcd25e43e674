package form

import (
	"fmt"
	"strings"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/validate"
)

// forced counts the copies whose encryption validate forces on, and says
// why for the first of them.
func (m Model) forced() (n int, reason string) {
	for _, o := range m.result.Outcomes {
		if o.Forced {
			if n == 0 {
				reason = o.ForcedReason
			}
			n++
		}
	}
	return n, reason
}

// forcedForAll reports whether encryption is forced on for every copy, and why.
func (m Model) forcedForAll() (string, bool) {
	n, reason := m.forced()
	if n == 0 || n < len(m.result.Outcomes) {
		return "", false
	}
	return reason, true
}

// encryptText is the toggle, and the reason when encryption is forced on
// (for a batch: for how many copies).
func (m Model) encryptText() string {
	outs := m.result.Outcomes
	forced, reason := m.forced()
	toggle := "[ ] off"
	if m.encrypt {
		toggle = chosenStyle.Render("[x] on")
	}
	switch {
	case forced > 0 && forced == len(outs):
		return chosenStyle.Render("[x] on") + warnStyle.Render("  forced on: "+clean(reason))
	case forced > 0:
		return toggle + warnStyle.Render(fmt.Sprintf("  forced on for %d of %d copies: %s", forced, len(outs), clean(reason)))
	}
	return toggle
}

// preview says what will happen: where the copies go, the Region the
// requests go to, and the encryption outcome, all as validate computed it.
func (m Model) preview(w int) []string {
	res := m.result
	d := res.Destination
	n := len(res.Outcomes)
	if len(res.Requests) > 0 {
		n = len(res.Requests)
	}
	var where string
	switch {
	case d.Region == "":
		where = "no destination yet"
	case d.Kind == model.ToOutpost && d.OutpostArn == "":
		where = "an Outpost in " + clean(d.Region) + " (the ARN is not valid yet)"
	case d.Kind == model.ToOutpost:
		where = "Outpost " + clean(d.OutpostArn)
	case d.Kind == model.ToLocalZone:
		where = "Local Zone " + clean(d.LocalZone)
	default:
		where = "Region " + clean(d.Region)
	}
	text := where
	if d.Region != "" {
		text += ", request sent to " + clean(d.Region)
	}
	if n > 1 || len(m.sources) > 1 {
		text = fmt.Sprintf("%s to %s", plural(n, "copy"), text)
		text = strings.Replace(text, ", request sent", ", requests sent", 1)
	}
	if len(res.Requests) > 0 && res.Requests[0].CompletionDurationMinutes > 0 {
		text += fmt.Sprintf(" · time-based, within %d minutes", res.Requests[0].CompletionDurationMinutes)
	}
	if m.dryRun {
		text += " · dry run only"
	}
	pad := strings.Repeat(" ", 10)
	var lines []string
	for i, l := range status.Wrap(text, w-10, 2) {
		if i == 0 {
			lines = append(lines, previewStyle.Render(fmt.Sprintf("%-10s", "Preview"))+l)
		} else {
			lines = append(lines, pad+l)
		}
	}

	// Outcomes, the same ones grouped, in the order first seen.
	var order []string
	count := map[string]int{}
	for _, o := range res.Outcomes {
		if count[o.Summary] == 0 {
			order = append(order, o.Summary)
		}
		count[o.Summary]++
	}
	for _, s := range order {
		t := clean(s)
		if len(res.Outcomes) > 1 {
			t = fmt.Sprintf("%d × %s", count[s], t)
		}
		// Four lines: room for two key ARNs whole at 80 columns.
		for _, l := range status.Wrap(t, w-10, 4) {
			lines = append(lines, pad+l)
		}
	}
	for _, t := range m.kindLines() {
		for _, l := range status.Wrap(t, w-10, 2) {
			lines = append(lines, pad+l)
		}
	}
	return append(lines, m.lockPreview(w)...)
}

// throughputHint estimates the throughput a time-based copy needs: the
// largest source's size over the duration typed.
func (m Model) throughputHint() string {
	raw := strings.TrimSpace(m.duration.Value())
	minutes := 0
	if _, err := fmt.Sscanf(raw, "%d", &minutes); err != nil || minutes <= 0 || fmt.Sprint(minutes) != raw {
		return ""
	}
	var largest int64
	for _, s := range m.sources {
		b := s.FullSizeBytes
		if b <= 0 {
			b = int64(s.VolumeSizeGiB) << 30
		}
		largest = max(largest, b)
	}
	if largest == 0 {
		return ""
	}
	mibps := float64(largest) / (1 << 20) / float64(minutes*60)
	// Written as the quota's warning writes rates (12,676 MiB/s), so the
	// two lines say one number one way.
	rate := validate.FormatMiBps(mibps)
	if mibps < 10 {
		rate = fmt.Sprintf("%.1f MiB/s", mibps)
	}
	what := "the snapshot"
	if len(m.sources) > 1 {
		what = "the largest snapshot"
	}
	if m.anyIncremental() {
		// The API does not tell how much an incremental copy moves.
		return fmt.Sprintf("needs at most %s: an incremental copy moves less, how much the API does not say; the full size (%s) is the upper bound", rate, model.FormatBytes(largest))
	}
	return fmt.Sprintf("needs about %s to copy %s (%s) in %d minutes", rate, what, model.FormatBytes(largest), minutes)
}
