package watch

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/copytext"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// pausedRetry is how long plain mode waits before trying again after
// credentials expired: nobody can press r, but the operator may renew
// them in another terminal.
const pausedRetry = 30 * time.Second

// Plain is how plain mode prints and what it waits for.
type Plain struct {
	// RequestIDs are the copies waited for (nil: every copy tracked).
	RequestIDs []string
	// JSON prints CopyEvent objects instead of text lines.
	JSON bool
	// Out receives the copy lines; Notes the lines about the whole run
	// (with JSON; in text they go to Out too).
	Out, Notes io.Writer
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// GiveUp, when above 0, ends the following with a *track.GiveUpError
	// once AWS has given no answer at all for that long.
	GiveUp time.Duration
	// AfterStep, when set, is told the copies after each step, once their
	// lines are printed.
	AfterStep func(copies []model.Copy)
	// Notices, when set, tells while a call is under way what the client
	// has to say about it ("no answer from ec2.us-east-1 for 20 s,
	// retrying"): each is a note line, stamped, until Follow returns.
	Notices Notifier
}

// Notifier tells of trouble with AWS while a call is under way:
// *awsops.Client.
type Notifier interface {
	OnNotice(func(text string))
}

// Follow follows the tracker's copies without a screen, for `snapcopy
// watch --plain`, output that is not a terminal and `snapcopy copy
// --wait`: it follows them (track.Follow) until every copy waited for is
// completed or failed (or ctx ends) and prints one line per change of a
// copy, e.g.
//
//	2026-11-25T14:03:05Z snap-src -> us-east-1 snap-copy running 42% (ETA 3m)
//
// It returns nil when every copy is done, ctx's error when it ended first.
func (p Plain) Follow(ctx context.Context, t track.Stepper) error {
	out := textLines(cmd.Synced(p.Out))
	if p.JSON {
		out = lineOutput{copies: cmd.Synced(p.Out), notes: cmd.Synced(p.Notes), line: jsonLine}
	}
	out.ids = p.RequestIDs
	if p.Notices != nil {
		now := p.Now
		if now == nil {
			now = time.Now
		}
		notes := out.notes
		p.Notices.OnNotice(func(text string) {
			fmt.Fprintf(notes, "%s %s %s\n", now().UTC().Format(time.RFC3339), copytext.MarkWarning, textsafe.Clean(text))
		})
		defer p.Notices.OnNotice(nil)
	}
	return runLines(ctx, t, out, p.Now, track.FollowOptions{GiveUp: p.GiveUp, OnStep: func(_ track.StepResult, copies []model.Copy) error {
		if p.AfterStep != nil {
			p.AfterStep(copies)
		}
		return nil
	}})
}

// clock is the follow loop's (track.FollowOptions.After); nil is the real one.
type clock = func(d time.Duration) <-chan time.Time

// runPlain follows in text lines to w.
func runPlain(ctx context.Context, t track.Stepper, w io.Writer, now func() time.Time, after clock) error {
	return runLines(ctx, t, textLines(w), now, track.FollowOptions{After: after})
}

// runLines is Follow printing through out: copy lines to out.copies in
// out's format, the lines about the whole run to out.notes. Of base it
// takes the clock (After), GiveUp, and OnStep, told each step after the
// lines are printed.
func runLines(ctx context.Context, t track.Stepper, out lineOutput, now func() time.Time, base track.FollowOptions) error {
	w := out.notes
	if now == nil {
		now = time.Now
	}
	stamp := func() string { return now().UTC().Format(time.RFC3339) }
	copies := out.pick(t.Copies())
	if len(copies) == 0 {
		_, err := fmt.Fprintf(w, "%s no copies to watch\n", stamp())
		return err
	}
	for i := range copies {
		if _, err := fmt.Fprintln(out.copies, out.line(&copies[i], now())); err != nil {
			return err
		}
	}
	// missed holds the copies whose missed deadline was told: once each.
	missed := map[string]bool{}
	tellMissed := func() error {
		for i := range copies {
			c := &copies[i]
			if missed[c.RequestID] {
				continue
			}
			if line := missedLine(c, now()); line != "" {
				missed[c.RequestID] = true
				if _, err := fmt.Fprintln(w, line); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := tellMissed(); err != nil {
		return err
	}
	lastStatus := ""
	err := track.Follow(ctx, t, track.FollowOptions{
		Until: track.UntilEnded(out.ids...),
		// No key to press here: plain mode asks again by itself.
		WhenPaused: track.ResumeAfter(pausedRetry),
		After:      base.After,
		GiveUp:     base.GiveUp,
		Now:        now,
		OnStep: func(res track.StepResult, all []model.Copy) error {
			copies = out.pick(all)
			byID := make(map[string]*model.Copy, len(copies))
			for i := range copies {
				byID[copies[i].RequestID] = &copies[i]
			}
			for _, id := range res.Changed {
				if c := byID[id]; c != nil {
					if _, err := fmt.Fprintln(out.copies, out.line(c, now())); err != nil {
						return err
					}
				}
			}
			if err := tellMissed(); err != nil {
				return err
			}
			status := textsafe.Clean(res.Status)
			if res.Paused {
				status = textsafe.Clean(res.StatusTo(fmt.Sprintf("snapcopy tries again in %d s", int(pausedRetry/time.Second))))
			}
			if status != lastStatus && res.Status != "" {
				mark := copytext.MarkWarning
				if res.Paused {
					mark = copytext.MarkFailed
				}
				if _, err := fmt.Fprintf(w, "%s %s %s\n", stamp(), mark, status); err != nil {
					return err
				}
			}
			lastStatus = status
			if base.OnStep != nil {
				return base.OnStep(res, all)
			}
			return nil
		},
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s every copy has ended: %s\n", stamp(), copytext.Summary(copies))
	return err
}

// missedLine tells that a time-based copy missed its deadline, "" while it
// has not: "2026-11-25T14:27:00Z ! snap-src -> us-east-1 snap-copy missed
// its deadline (15 min, due 14:15 UTC): late by 12m, AWS goes on copying".
func missedLine(c *model.Copy, now time.Time) string {
	d, ok := c.Deadline(now)
	if !ok || !d.Late {
		return ""
	}
	id := "-"
	if c.SnapshotID != "" {
		id = textsafe.Clean(c.SnapshotID)
	}
	what := "late by " + copytext.Coarse(d.LateBy) + ", AWS goes on copying"
	if c.Phase == model.PhaseCompleted {
		what = "completed " + copytext.Coarse(d.LateBy) + " late"
	}
	return fmt.Sprintf("%s %s %s -> %s %s missed its deadline (%d min, due %s): %s", now.UTC().Format(time.RFC3339), copytext.MarkWarning,
		copytext.Source(c), copytext.Dest(c), id, c.Request.CompletionDurationMinutes, d.Due.UTC().Format("15:04 UTC"), what)
}

// plainLine is the line plain mode prints for a copy at now:
// "2026-11-25T14:03:05Z snap-src -> us-east-1 snap-copy running 42% (ETA 3m)".
func plainLine(c *model.Copy, now time.Time) string {
	id := "-"
	if c.SnapshotID != "" {
		id = textsafe.Clean(c.SnapshotID)
	}
	var state string
	switch c.Phase {
	case model.PhaseRunning:
		state = fmt.Sprintf("running %d%%", c.Progress)
		if e := copytext.ETA(c, now); e != "" {
			state += " (ETA " + e + ")"
		}
	case model.PhaseCompleted:
		state = "completed 100% (took " + copytext.Clock(c.Elapsed(now)) + ")"
	case model.PhaseFailed:
		state = "failed: " + copytext.Reason(c)
	case model.PhaseCancelled:
		state = copytext.Reason(c)
	default:
		state = string(c.Phase)
		if n := copytext.Reason(c); n != "" {
			state += " (" + n + ")"
		}
	}
	dest := copytext.Dest(c)
	if c.Request.DestinationOutpostArn != "" {
		dest = textsafe.Clean(c.Request.DestinationOutpostArn)
	}
	dest, state = crossWords(c, dest, state)
	return fmt.Sprintf("%s %s -> %s %s %s", now.UTC().Format(time.RFC3339),
		copytext.Source(c), dest, id, state) + snapLockSuffix(c, now)
}

// crossWords names the account of a copy into another account after its
// destination, and the step it is on before its state while it runs.
func crossWords(c *model.Copy, dest, state string) (string, string) {
	if !c.Cross.Active() {
		return dest, state
	}
	dest += " (account " + textsafe.Clean(c.Cross.DestinationAccount) + ")"
	if !c.Phase.Done() {
		state = "[" + c.Cross.Step.Title() + "] " + state
	}
	return dest, state
}
