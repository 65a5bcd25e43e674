package progress

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// lineOutput is where and how plain mode prints: one line per change of a
// copy to copies, the lines about the whole run (trouble, the summary) to
// notes.
type lineOutput struct {
	copies, notes io.Writer
	line          func(c *model.Copy, now time.Time) string
}

// textLines prints everything as text lines to w.
func textLines(w io.Writer) lineOutput {
	return lineOutput{copies: w, notes: w, line: plainLine}
}

// RunJSON is RunPlain for scripts: one JSON object per line per change of
// a copy on w (see CopyEvent), and the lines about the whole run (trouble,
// the summary) as text on notes, so every line of w parses.
func RunJSON(ctx context.Context, t Tracker, w, notes io.Writer, now func() time.Time) error {
	return runLines(ctx, t, lineOutput{copies: w, notes: notes, line: jsonLine}, now, sleep)
}

// CopyEvent is one line of `--output json`: a copy as it stands after a
// change. Destination is its short name (Region, Local Zone name or
// Outpost id); State is the copy's phase (queued, sending, starting,
// running, completed, failed); Message is AWS's reason for a failure, what
// snapcopy is doing about the copy, or, for a copy found in flight, who
// made it. Text from AWS is sanitized.
type CopyEvent struct {
	Time           time.Time `json:"time"`
	SourceSnapshot string    `json:"source_snapshot"`
	SourceRegion   string    `json:"source_region"`
	Destination    string    `json:"destination"`
	CopySnapshot   string    `json:"copy_snapshot"`
	State          string    `json:"state"`
	Progress       int       `json:"progress"`
	Message        string    `json:"message"`
	RequestID      string    `json:"request_id"`
}

// NewCopyEvent is c as one JSON line's object at now.
func NewCopyEvent(c *model.Copy, now time.Time) CopyEvent {
	msg := c.StateMessage
	if msg == "" {
		msg = c.Note
	}
	if msg == "" && c.Discovered {
		msg = "found in flight: " + c.Origin
	}
	return CopyEvent{
		Time:           now.UTC().Truncate(time.Second),
		SourceSnapshot: textsafe.Clean(c.Request.SourceSnapshotID),
		SourceRegion:   textsafe.Clean(c.Request.SourceRegion),
		Destination:    textsafe.Clean(c.Request.Destination().ShortName()),
		CopySnapshot:   textsafe.Clean(c.SnapshotID),
		State:          string(c.Phase),
		Progress:       c.Progress,
		Message:        textsafe.Clean(msg),
		RequestID:      textsafe.Clean(c.RequestID),
	}
}

func jsonLine(c *model.Copy, now time.Time) string {
	b, _ := json.Marshal(NewCopyEvent(c, now)) // strings, ints and a time: cannot fail
	return string(b)
}
