package form

import (
	"context"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/validate"
)

// maxDuplicateLines bounds the duplicate warnings the form lists; a line
// after them counts the rest.
const maxDuplicateLines = 3

// copiesMsg answers the look-up of the copies of the form's sources that a
// destination Region holds, found by snapcopy's provenance tag.
type copiesMsg struct {
	region string
	copies []model.Snapshot
	err    error
}

// copiesIn is the look-up of the copies of the sources in region.
func copiesIn(region string) lookup { return lookup{fact: factCopies, region: region} }

// loadCopies is the command of a copiesIn look-up: one filtered
// DescribeSnapshots (paged), the one `snapcopy copy` makes before sending.
func (m Model) loadCopies(region string) tea.Cmd {
	c := m.aws
	ids := make([]string, 0, len(m.sources))
	for _, s := range m.sources {
		ids = append(ids, s.ID)
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
		defer cancel()
		found, err := c.CopiesOf(ctx, region, ids)
		return copiesMsg{region: region, copies: found, err: err}
	}
}

// copiesAnswered keeps the copies found in a destination Region.
func (m Model) copiesAnswered(msg copiesMsg) Model {
	m.loaded(copiesIn(msg.region), msg.err)
	if msg.err != nil {
		return m
	}
	tagged := make(map[string][]model.Snapshot, len(m.tagged)+1)
	for k, v := range m.tagged {
		tagged[k] = v
	}
	tagged[msg.region] = slices.Clone(msg.copies)
	m.tagged = tagged
	return m
}

// checking says what is still being looked up that sending waits for:
// the copies a destination Region of reqs holds (the duplicate check), or
// the KMS key typed (whether the copy can use it); false when nothing is.
func (m Model) checking(reqs []model.CopyRequest) (string, bool) {
	for _, r := range reqs {
		if m.loading[copiesIn(r.DestinationRegion)] {
			return "checking " + r.DestinationRegion + " for copies already made", true
		}
	}
	for l := range m.loading {
		if l.fact == factKey {
			return "checking " + l.what(), true
		}
	}
	return "", false
}

// trackedCopies are the tracker's copies as the form received them, as
// model.FindDuplicate reads them.
func trackedCopies(copies []model.Copy) []*model.Copy {
	out := make([]*model.Copy, len(copies))
	for i := range copies {
		c := copies[i]
		out[i] = &c
	}
	return out
}

// duplicates are the copies, in flight or completed, of the form's sources
// to the destination as it stands: from the tracker's copies and from the
// destination Region's provenance tags, as far as they are loaded (a
// failed look-up is told in the status line).
func (m Model) duplicates() []model.Duplicate {
	var out []model.Duplicate
	for _, r := range m.dupRequests() {
		if d, ok := model.FindDuplicate(r, m.trackedInto(), m.tagged[r.DestinationRegion]); ok {
			out = append(out, d)
		}
	}
	return out
}

// dupRequests are the requests duplicates are looked for with: the
// form's, or while an error on another field stands (and validate makes
// none), each source the destination allows, to the destination as
// typed. What is already copied there does not depend on the other
// fields, so the warning stays whatever they say.
func (m Model) dupRequests() []model.CopyRequest {
	if reqs := m.requests(m.result); len(reqs) > 0 {
		return reqs
	}
	d := m.result.Destination
	if d.Region == "" || len(m.result.For(validate.FieldDestination)) > 0 || len(m.result.For(validate.FieldDestKind)) > 0 {
		return nil
	}
	var out []model.CopyRequest
	for _, s := range m.sources {
		if slices.ContainsFunc(m.result.Skipped, func(k validate.Skip) bool { return k.Snapshot.ID == s.ID }) {
			continue
		}
		r := model.CopyRequest{DestinationRegion: d.Region, SourceRegion: s.Region, SourceSnapshotID: s.ID}
		switch d.Kind {
		case model.ToOutpost:
			r.DestinationOutpostArn = d.OutpostArn
		case model.ToLocalZone:
			r.DestinationAvailabilityZone = d.LocalZone
		}
		out = append(out, r)
	}
	return out
}

// duplicateLines warn of each source already copied to the destination,
// naming the copy; above the status line, before anything is sent.
func (m Model) duplicateLines(w int) []string {
	dups := m.duplicates()
	if m.asking != "" && len(dups) == 1 {
		return nil // the question names the copy
	}
	if len(dups) == 0 {
		return nil
	}
	lines := []string{""}
	for i, d := range dups {
		if i == maxDuplicateLines {
			lines = append(lines, warnStyle.Render("  and "+plural(len(dups)-i, "more source")+" already copied there"))
			break
		}
		for j, l := range status.Wrap(clean(d.String()), w-2, 2) {
			prefix := markWarning + " "
			if j > 0 {
				prefix = "  "
			}
			lines = append(lines, warnStyle.Render(prefix+l))
		}
	}
	return lines
}

// duplicateQuestion is the duplicate part of "send anyway?": the copy
// named when one source is already copied, a count when several are; ""
// when none is.
func (m Model) duplicateQuestion() string {
	dups := m.duplicates()
	switch len(dups) {
	case 0:
		return ""
	case 1:
		return dups[0].String()
	}
	return itoa(len(dups)) + " of the " + itoa(len(m.sources)) + " sources are already copied to " + dups[0].Request.Destination().Short() + " (listed above)"
}

// question is what "send anyway?" asks before a copy is sent: a KMS key
// the copy cannot use there (an alias the destination does not list, a key
// not found, disabled or pending deletion), sources already copied there,
// or both;
// "" when nothing needs asking.
func (m Model) question() string {
	var parts []string
	if p, bad := m.keyWarning(); bad {
		parts = append(parts, p.Message)
	}
	if d := m.duplicateQuestion(); d != "" {
		parts = append(parts, d)
	}
	if c := m.complianceQuestion(); c != "" {
		parts = append(parts, c)
	}
	return strings.Join(parts, "; ")
}

// declined is the status when the operator answers no, with what to fix.
func (m Model) declined() (string, field) {
	if _, bad := m.keyWarning(); bad {
		return "not sent: correct the KMS key, or send again and answer " + status.KeyName(keys.Yes), fKms
	}
	if m.duplicateQuestion() == "" && m.complianceQuestion() != "" {
		return "not sent: change the Lock (a governance lock can be removed), or send again and answer " + status.KeyName(keys.Yes), fLock
	}
	return "not sent: choose another destination, or send again and answer " + status.KeyName(keys.Yes) + " to make another copy", fDest
}
