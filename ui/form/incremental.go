package form

import (
	"fmt"
	"slices"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/validate"
)

// maxKindLines is how many copies of a batch the preview names one by one
// as incremental or full before "… and N more".
const maxKindLines = 4

// sent are the sources a copy is made of, in order: the sources less the
// skipped ones (a source listed twice is sent once).
func (m Model) sent() []model.Snapshot {
	skips := map[string]int{}
	for _, s := range m.result.Skipped {
		skips[s.Snapshot.ID]++
	}
	count := map[string]int{}
	for _, s := range m.sources {
		count[s.ID]++
	}
	seen := map[string]bool{}
	var out []model.Snapshot
	for _, s := range m.sources {
		if seen[s.ID] || count[s.ID] <= skips[s.ID] {
			continue
		}
		seen[s.ID] = true
		out = append(out, s)
	}
	return out
}

// copyKinds decides, per copy sent, whether it is incremental
// (validate.Incremental) from the destination's earlier copies; ok is false
// for a copy within the source Region (never incremental, nothing to
// say), and while the earlier copies are not known.
func (m Model) copyKinds() (kinds []validate.CopyKind, sources []model.Snapshot, ok bool) {
	d := m.result.Destination
	earlier, known := m.earlier[d.Region]
	if d.Kind != model.ToRegion || d.Region == "" || d.Region == m.region || !known {
		return nil, nil, false
	}
	sources = m.sent()
	if len(sources) != len(m.result.Outcomes) {
		return nil, nil, false
	}
	// A copy described "[Copied snap-… from …]" names only its source
	// snapshot: the sources' own volumes tell which volume that was.
	volumes := map[string]string{}
	for _, s := range m.sources {
		if v := s.SourceVolume(); v != "" {
			volumes[s.ID] = v
		}
	}
	// The tracker's copies in flight there count as AWS's pending ones:
	// not built on, but named (the duplicate warning names them too).
	for _, c := range m.trackedInto() {
		if c.Phase.Done() || c.Request.DestinationRegion != d.Region {
			continue
		}
		id := c.SnapshotID
		if id == "" {
			id = c.RequestID
		}
		earlier = append(slices.Clip(earlier), model.Snapshot{ID: id, Region: d.Region, State: model.StatePending, VolumeID: model.CopyVolumeID, Tags: c.Request.Tags})
	}
	aliases := m.facts.Aliases[d.Region]
	for i, s := range sources {
		kinds = append(kinds, validate.Incremental(s, d.Region, earlier, volumes, m.result.Outcomes[i], aliases))
	}
	return kinds, sources, true
}

// kindLines is the preview's word on each copy: incremental (naming the
// earlier copy it builds on) or a full copy and why; or that the earlier
// copies are being looked for, or could not be.
func (m Model) kindLines() []string {
	d := m.result.Destination
	if d.Kind != model.ToRegion || d.Region == "" || d.Region == m.region {
		return nil
	}
	l := earlierIn(d.Region)
	switch {
	case m.loading[l]:
		return []string{"looking for earlier copies in " + clean(d.Region) + ": incremental or full copy…"}
	case m.loadErrs[l] != nil:
		return []string{"incremental or full copy: unknown, the earlier copies in " + clean(d.Region) + " could not be listed"}
	}
	kinds, sources, ok := m.copyKinds()
	if !ok {
		return nil
	}
	if len(kinds) == 1 {
		return []string{clean(kinds[0].Summary)}
	}
	var lines []string
	for i, k := range kinds {
		if i == maxKindLines {
			lines = append(lines, fmt.Sprintf("… and %d more", len(kinds)-maxKindLines))
			break
		}
		lines = append(lines, clean(sources[i].ID)+": "+clean(k.Summary))
	}
	return lines
}

// anyIncremental reports whether a copy sent will be incremental: its size
// is then unknown to the API, the full size an upper bound.
func (m Model) anyIncremental() bool {
	kinds, _, ok := m.copyKinds()
	if !ok {
		return false
	}
	for _, k := range kinds {
		if k.Incremental {
			return true
		}
	}
	return false
}
