package progress

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/copytext"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// discoverTimeout bounds one discovery across every Region.
const discoverTimeout = 2 * time.Minute

// FindPending asks AWS for every snapshot being created in the account:
// (*awsops.Client).DiscoverPending.
type FindPending func(ctx context.Context) (awsops.Discovery, error)

// DiscoveryReport is what one discovery found and added to the tracker.
type DiscoveryReport struct {
	Regions int          // enabled Regions asked
	Added   []model.Copy // copies now followed, found rather than started here
	Known   int          // snapshots pending that were already followed
	Refused []awsops.RegionRefusal
}

// Discover finds the snapshots being created in every enabled Region and
// hands the new ones to the tracker as found copies (Tracker.AddFound:
// saved at once), to be followed to the end like snapcopy's own. Those
// already followed (same snapshot or request id) are counted, not added
// again. The look across every Region is bounded by discoverTimeout.
func Discover(ctx context.Context, find FindPending, t Tracker, now time.Time) (DiscoveryReport, error) {
	ctx, cancel := context.WithTimeout(ctx, discoverTimeout)
	defer cancel()
	d, err := find(ctx)
	if err != nil {
		return DiscoveryReport{}, fmt.Errorf("discover copies in flight: %w", err)
	}
	rep := DiscoveryReport{Regions: len(d.Regions), Refused: d.Refused}
	found, err := t.AddFound(d.Pending, now)
	rep.Added, rep.Known = found.Added, found.Known
	return rep, err
}

// Lines says the report in plain sentences: one per copy found, one per
// Region that refused, and a count.
func (r DiscoveryReport) Lines() []string {
	var out []string
	for _, c := range r.Added {
		from := "source unknown"
		if c.Request.SourceSnapshotID != "" {
			from = "from " + c.Request.SourceSnapshotID
			if c.Request.SourceRegion != "" {
				from += " in " + c.Request.SourceRegion
			}
		}
		out = append(out, textsafe.Clean(fmt.Sprintf("found %s in %s (%s, %s), %d%%",
			c.SnapshotID, c.Request.Destination().Short(), c.Origin, from, c.Progress)))
	}
	for _, rf := range r.Refused {
		out = append(out, textsafe.Clean(fmt.Sprintf("skipped %s: %s", rf.Region, model.Explain(rf.Err, model.Brief()))))
	}
	out = append(out, r.Summary())
	return out
}

// Summary is the report in one line.
func (r DiscoveryReport) Summary() string {
	s := fmt.Sprintf("discovery: %d Regions asked, %s found in flight", r.Regions, copytext.Plural(len(r.Added), "new snapshot", "new snapshots"))
	if r.Known > 0 {
		s += fmt.Sprintf(", %d already followed", r.Known)
	}
	if len(r.Refused) > 0 {
		names := make([]string, len(r.Refused))
		for i, rf := range r.Refused {
			names[i] = rf.Region
		}
		s += ", skipped " + strings.Join(names, " ") + " (refused)"
	}
	return s
}

// discoveredMsg is the outcome of D in the pane.
type discoveredMsg struct {
	report DiscoveryReport
	err    error
	copies []model.Copy
}

// discover runs a discovery as a tea.Cmd.
func (m Model) discover() (Model, tea.Cmd) {
	if m.opts.Discover == nil || m.tracker == nil {
		return m, m.status.Show(status.Warning, "discovery is not available here")
	}
	find, t, ctx, now := m.opts.Discover, m.tracker, m.opts.Context, m.opts.Now()
	shown := m.status.Show(status.Info, "discovering copies in flight in every enabled Region…")
	return m, tea.Batch(shown, func() tea.Msg {
		rep, err := Discover(ctx, find, t, now)
		return discoveredMsg{report: rep, err: err, copies: t.Copies()}
	})
}

// discovered shows a discovery's outcome and follows what it found at once.
func (m Model) discovered(msg discoveredMsg) (Model, tea.Cmd) {
	m.setCopies(msg.copies)
	if msg.err != nil {
		return m, m.status.Show(status.Error, textsafe.Clean(model.Explain(msg.err, model.RetryBy("press "+status.KeyName(keys.Discover)))))
	}
	level := status.Info
	if len(msg.report.Refused) > 0 {
		level = status.Warning
	}
	shown := m.status.Show(level, textsafe.Clean(msg.report.Summary()))
	if len(msg.report.Added) == 0 {
		return m, shown
	}
	m.follow.stepNow() // follow what was found at once
	return m, tea.Batch(shown, m.redrawTick())
}

// PendingIn is discovery through c, nil without a client.
func PendingIn(c *awsops.Client) FindPending {
	if c == nil {
		return nil
	}
	return c.DiscoverPending
}
