package form

import (
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
)

// Copy again: the form remembers the last request sent from each source
// Region (model.SaveLastRequest, beside the state file), offers its
// destination first, and fills it in on keys.Recall. The file is read and
// written only in commands; Update never touches the disk.

// lastRequestMsg answers the reading of the last request for the form numbered form.
type lastRequestMsg struct {
	form int64
	req  model.LastRequest
	ok   bool
	err  error
}

// lastSavedMsg answers the saving of the request a form sent.
type lastSavedMsg struct {
	form int64
	err  error
}

// loadLast is the command that reads the last request sent from the
// form's source Region; nil when the form keeps none.
func (m Model) loadLast() tea.Cmd {
	path, region, id := m.lastPath, m.region, m.id
	if path == "" || region == "" {
		return nil
	}
	return func() tea.Msg {
		req, ok, err := model.LoadLastRequest(path, region)
		return lastRequestMsg{form: id, req: req, ok: ok, err: err}
	}
}

// saveLast is the command that remembers r as the last request from the
// form's source Region.
func (m Model) saveLast(r model.LastRequest) tea.Cmd {
	path, region, id := m.lastPath, m.region, m.id
	if path == "" || region == "" {
		return nil
	}
	return func() tea.Msg {
		return lastSavedMsg{form: id, err: model.SaveLastRequest(path, region, r)}
	}
}

// lastRequestRead takes the last request in; a file that could not be used
// is said in the status line, and the form works on without it.
func (m Model) lastRequestRead(msg lastRequestMsg) (Model, tea.Cmd) {
	if msg.form != m.id {
		return m, nil
	}
	switch {
	case msg.err != nil:
		return m, m.status.Show(status.Info, msg.err.Error())
	case msg.ok:
		r := msg.req
		m.last = &r
		if m.status.Empty() {
			return m, m.status.Show(status.Info, status.KeyName(keys.Recall)+" fills in the last request from "+m.region+": to "+lastWhere(r))
		}
	}
	return m, nil
}

// lastSaved says when the request could not be remembered (the copies
// are started all the same).
func (m Model) lastSaved(msg lastSavedMsg) (Model, tea.Cmd) {
	if msg.form == m.id && msg.err != nil {
		return m, m.status.Show(status.Info, "copies started; the request was not remembered for next time: "+msg.err.Error())
	}
	return m, nil
}

// lastWhere names a remembered destination: "Region us-east-1".
func lastWhere(r model.LastRequest) string {
	return r.Kind.String() + " " + r.Destination
}

// lastRequest is the form as sent, to remember: the typed tags only (not
// the sources'), no description or dry run (they belong to these snapshots).
func (m Model) lastRequest() model.LastRequest {
	f := m.formValue()
	var tags []model.Tag
	for _, t := range f.Tags {
		if strings.TrimSpace(t.Key) == "" && strings.TrimSpace(t.Value) == "" {
			continue
		}
		tags = append(tags, model.Tag{Key: t.Key, Value: t.Value})
	}
	return model.LastRequest{
		Kind: f.Kind, Destination: strings.TrimSpace(f.Destination),
		Encrypt: f.Encrypt, KmsKey: strings.TrimSpace(f.KmsKey), SourceTags: f.SourceTags,
		Tags: tags, Duration: strings.TrimSpace(f.Duration), SentAt: m.now(),
	}
}

// recall fills in the last request sent from the source Region: where,
// encryption and key, source tags, typed tags and duration. The description
// and the dry run stay as they are. The Cmd is the status line's.
func (m *Model) recall() tea.Cmd {
	if m.last == nil {
		return m.status.Show(status.Info, "no request from "+m.region+" remembered yet: one is, once copies are sent")
	}
	l := *m.last
	i := slices.Index(m.kinds, l.Kind)
	if i < 0 {
		return m.status.Show(status.Error, "the last request from "+m.region+" went to "+lastWhere(l)+", where these snapshots cannot be copied")
	}
	m.kindIdx = i
	m.chooseDest(l.Kind, l.Destination)
	m.encrypt = l.Encrypt
	m.kms.SetValue(l.KmsKey)
	m.kms.CursorEnd()
	m.kmsPick = 0
	m.srcTags = l.SourceTags
	m.tags = nil
	for _, t := range l.Tags {
		r := newTagRow()
		r.key.SetValue(t.Key)
		r.key.CursorEnd()
		r.value.SetValue(t.Value)
		r.value.CursorEnd()
		m.tags = append(m.tags, r)
	}
	if len(m.tags) == 0 {
		m.tags = []tagRow{newTagRow()}
	}
	m.tagRow, m.tagCol = 0, 0
	m.duration.SetValue(l.Duration)
	m.duration.CursorEnd()
	sent := ""
	if !l.SentAt.IsZero() {
		sent = ", sent " + l.SentAt.Local().Format("2 Jan 15:04")
	}
	return m.status.Show(status.Info, "filled in the last request from "+m.region+" (to "+lastWhere(l)+sent+")")
}

// lastFirst moves the remembered destination of kind k to the front of
// the options, so the picker offers it first.
func (m Model) lastFirst(k model.DestinationKind, opts []option) []option {
	if m.last == nil || m.last.Kind != k {
		return opts
	}
	i := slices.IndexFunc(opts, func(o option) bool { return o.value == m.last.Destination })
	if i <= 0 {
		return opts
	}
	o := opts[i]
	opts = slices.Delete(opts, i, i+1)
	return slices.Insert(opts, 0, o)
}
