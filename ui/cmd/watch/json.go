package watch

import (
	"encoding/json"
	"io"
	"slices"
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
	// ids, when set, limits the run to these request ids: the other
	// copies of the state file are still stepped, not waited for.
	ids []string
}

// pick keeps the copies the run follows.
func (o lineOutput) pick(cs []model.Copy) []model.Copy {
	if o.ids == nil {
		return cs
	}
	out := cs[:0:0]
	for _, c := range cs {
		if slices.Contains(o.ids, c.RequestID) {
			out = append(out, c)
		}
	}
	return out
}

// textLines prints everything as text lines to w.
func textLines(w io.Writer) lineOutput {
	return lineOutput{copies: w, notes: w, line: plainLine}
}

// CopyLine is one copy as a line of plain output: text, or with json a
// CopyEvent object.
func CopyLine(c *model.Copy, now time.Time, json bool) string {
	if json {
		return jsonLine(c, now)
	}
	return plainLine(c, now)
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
	// SnapLock is the copy's snapshot lock, absent without one (snaplock.go).
	SnapLock *SnapLockEvent `json:"snapshot_lock,omitempty"`
	// DestinationAccount is the account a copy into another account is
	// made in, and Step the step it is on (model.CrossStep); both absent
	// for a copy within the state file's own account.
	DestinationAccount string `json:"destination_account,omitempty"`
	Step               string `json:"step,omitempty"`
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
		Destination:    textsafe.Clean(c.Request.Destination().Short()),
		CopySnapshot:   textsafe.Clean(c.SnapshotID),
		State:          string(c.Phase),
		Progress:       c.Progress,
		Message:        textsafe.Clean(msg),
		RequestID:      textsafe.Clean(c.RequestID),
		SnapLock:       snapLockEvent(c, now),

		DestinationAccount: textsafe.Clean(c.Cross.DestinationAccount),
		Step:               string(c.Cross.Step),
	}
}

func jsonLine(c *model.Copy, now time.Time) string {
	b, _ := json.Marshal(NewCopyEvent(c, now)) // strings, ints and a time: cannot fail
	return string(b)
}
