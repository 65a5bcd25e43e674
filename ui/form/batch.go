package form

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
	"github.com/snapcopy/snapcopy/validate"
)

// BatchDescription is the description field's prefill for a batch. While the
// field holds exactly this text, each copy is described on its own as
// "Copy of <its id>: <its description>", like a single copy's prefill; once
// edited, the typed text (or nothing) applies to every copy of the batch.
const BatchDescription = "Copy of <id>: <source description>"

// prefill is a copy's description from its source's: control characters
// removed (AWS refuses them) and cut to what AWS accepts.
func prefill(s model.Snapshot) string {
	d := "Copy of " + s.ID
	if src := strings.TrimSpace(textsafe.Strip(s.Description)); src != "" {
		d += ": " + src
	}
	if r := []rune(d); len(r) > validate.MaxDescription {
		d = strings.TrimSpace(string(r[:validate.MaxDescription]))
	}
	return d
}

// perSourceDescriptions reports whether each copy of a batch gets its own
// description (the batch prefill is untouched).
func (m Model) perSourceDescriptions() bool {
	return len(m.sources) > 1 && m.desc.Value() == BatchDescription
}

// requests are validate's requests, each described on its own while a
// batch keeps its prefill.
func (m Model) requests(res validate.Result) []model.CopyRequest {
	reqs := slices.Clone(res.Requests)
	if m.perSourceDescriptions() {
		for i := range reqs {
			reqs[i].Description = prefill(m.source(reqs[i].SourceSnapshotID))
		}
	}
	return reqs
}

// source is the snapshot a request copies.
func (m Model) source(id string) model.Snapshot {
	for _, s := range m.sources {
		if s.ID == id {
			return s
		}
	}
	return model.Snapshot{ID: id, Region: m.region}
}

// header names the sources and says what is wrong with them.
func (m Model) header(w int) []string {
	var title string
	if len(m.sources) == 1 {
		s := m.sources[0]
		title = "Copy " + clean(s.ID)
		if n := s.Name(); n != "" {
			title += " (" + clean(n) + ")"
		}
		title += " from " + sourceLocation(s) + " · " + fmt.Sprintf("%d GiB", s.VolumeSizeGiB)
		if s.Encrypted {
			title += " · encrypted"
		} else {
			title += " · unencrypted"
		}
	} else {
		ids := make([]string, len(m.sources))
		for i, s := range m.sources {
			ids[i] = clean(s.ID)
		}
		title = fmt.Sprintf("Copy %d snapshots from %s: %s", len(m.sources), clean(m.region), strings.Join(ids, ", "))
	}
	lines := []string{titleStyle.Render(ansi.Truncate(title, w, "…"))}
	for _, p := range m.result.For(validate.FieldSource) {
		lines = append(lines, problemLines(p, 0, w)...)
	}
	return append(lines, "")
}

// sourceLocation says where a single source lives, for the header.
func sourceLocation(s model.Snapshot) string {
	switch s.Site().Kind {
	case model.ToLocalZone:
		return "Local Zone " + clean(s.AvailabilityZone) + " (" + clean(s.Region) + ")"
	case model.ToOutpost:
		return "Outpost " + clean(s.OutpostArn)
	}
	return clean(s.Region)
}

// maxSkipped is how many skipped sources are listed before "… and N more".
const maxSkipped = 3

// skippedLines lists the sources no copy is made of, with the reason.
func (m Model) skippedLines(w int) []string {
	var lines []string
	skipped := m.result.Skipped
	for i, s := range skipped {
		if i == maxSkipped {
			lines = append(lines, strings.Repeat(" ", 10)+dimStyle.Render(fmt.Sprintf("… and %d more skipped", len(skipped)-maxSkipped)))
			break
		}
		label := strings.Repeat(" ", 10)
		if i == 0 {
			label = warnStyle.Render(fmt.Sprintf("%-10s", "Skipped"))
		}
		name := clean(s.Snapshot.ID)
		if n := s.Snapshot.Name(); n != "" {
			name += " (" + clean(n) + ")"
		}
		for j, l := range status.Wrap(name+": "+clean(s.Reason), w-12, 2) {
			if j == 0 {
				lines = append(lines, label+warnStyle.Render(markWarning+" ")+l)
			} else {
				lines = append(lines, strings.Repeat(" ", 12)+l)
			}
		}
	}
	return lines
}
