package form

import (
	"slices"
	"strconv"
	"strings"

	"github.com/snapcopy/snapcopy/model"
)

// fillFrom fills the form with an earlier request (a failed copy's, to
// fix and send again): its destination, description, encryption, key,
// tags and duration. The tags snapcopy adds by itself are left out of the
// tag rows: its own (snapcopy:...), which the new copy gets afresh, and
// the source's own, which the source tags field adds again.
func (m *Model) fillFrom(r model.CopyRequest) {
	d := r.Destination()
	if i := slices.Index(m.kinds, d.Kind); i >= 0 {
		m.kindIdx = i
	}
	value := r.DestinationRegion
	switch d.Kind {
	case model.ToOutpost:
		value = r.DestinationOutpostArn
	case model.ToLocalZone:
		value = r.DestinationAvailabilityZone
	}
	m.chooseDest(d.Kind, value)
	m.template = r.Description
	m.desc.SetValue(r.Description)
	m.desc.CursorEnd()
	m.encrypt = r.Encrypted
	m.kms.SetValue(r.KmsKeyID)
	m.kms.CursorEnd()
	var rows []tagRow
	for _, t := range r.Tags {
		if strings.HasPrefix(t.Key, "snapcopy:") || m.sourceHas(t) {
			continue
		}
		row := newTagRow()
		row.key.SetValue(t.Key)
		row.value.SetValue(t.Value)
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		rows = []tagRow{newTagRow()}
	}
	m.tags = rows
	if r.CompletionDurationMinutes > 0 {
		m.duration.SetValue(strconv.Itoa(int(r.CompletionDurationMinutes)))
	}
	m.fillLock(r.SnapLock)
}

// sourceHas reports whether the form's one source carries tag t as it is.
func (m *Model) sourceHas(t model.Tag) bool {
	if len(m.sources) != 1 {
		return false
	}
	return slices.Contains(m.sources[0].Tags, t)
}
