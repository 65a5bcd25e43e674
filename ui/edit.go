package ui

import (
	"context"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/form"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// editTimeout bounds the look-up of a failed copy's source before the form
// opens to edit it.
const editTimeout = 30 * time.Second

// editSourceMsg carries a failed copy's request and its source as AWS
// shows it now: the form checks the request against the source's facts.
type editSourceMsg struct {
	req    model.CopyRequest
	failed model.Copy
	source model.Snapshot
	found  bool
	err    error
}

// findSource reads the source of a failed copy's request, in a Cmd.
func (a App) findSource(edit nav.EditCopy) tea.Cmd {
	c, req, failed := a.home, edit.Request, edit.Failed
	return func() tea.Msg {
		if c == nil {
			return editSourceMsg{req: req, failed: failed, err: fmt.Errorf("no AWS client to read snapshot %s", req.SourceSnapshotID)}
		}
		ctx, cancel := context.WithTimeout(context.Background(), editTimeout)
		defer cancel()
		s, ok, err := c.SnapshotByID(ctx, req.SourceRegion, req.SourceSnapshotID)
		return editSourceMsg{req: req, failed: failed, source: s, found: ok, err: err}
	}
}

// openEdit opens a fresh form for the source, filled with the request.
func (a App) openEdit(msg editSourceMsg) (tea.Model, tea.Cmd) {
	switch {
	case msg.err != nil:
		return a, a.status.Show(status.Error, "cannot edit the copy: "+model.Explain(msg.err))
	case !msg.found:
		return a, a.status.Show(status.Error, fmt.Sprintf("cannot edit the copy: its source %s no longer exists in %s",
			textsafe.Clean(msg.req.SourceSnapshotID), textsafe.Clean(msg.req.SourceRegion)))
	}
	req, failed := msg.req, msg.failed
	a.formFor = []model.Snapshot{msg.source}
	a.form = form.New(a.home, a.formFor, a.formOptions(form.Options{Now: a.opts.Now, Outposts: a.list.Outposts(), Prefill: &req, Retrying: &failed, Tracked: a.progress.Copies()}))
	a.form.SetSize(a.width, a.height)
	a.formOpen = true
	a.current = onForm
	return a, a.form.Init()
}
