package track

import (
	"context"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// plan picks the unfinished copies and marks the ones to start this round
// (sending ones always: they only look for their copy first). Queued ones
// start in list order while their Region is under the in-flight limit.
// Each copy that may be sent this round is marked sent in the list, so the
// file saved before any send never says "queued" for a copy that may be in
// flight, and a resend's time is on disk before the resend: a process
// started after a crash waits for that copy to show before sending. The
// jobs work on the copies as they were. Called with t.mu held.
func (t *Tracker) plan(now time.Time) (jobs []*work, premarked bool) {
	inFlight := map[string]int{}
	for _, c := range t.list.Copies {
		if c.Phase.InFlight() {
			inFlight[c.Request.DestinationRegion]++
		}
	}
	for _, c := range t.list.Copies {
		if c.Phase.Done() {
			continue
		}
		j := &work{before: clone(c)}
		cur := clone(c)
		j.cur = &cur
		if crossDue(c) {
			jobs = append(jobs, j) // its own steps first (steps.go)
			continue
		}
		region := c.Request.DestinationRegion
		switch c.Phase {
		case model.PhaseSending:
			j.start = true
			if c.Settled(now, t.starter.settle()) {
				c.Sent(now)
				premarked = true
			}
		case model.PhaseQueued:
			if inFlight[region] >= t.maxInFlight {
				cur.Held(inFlightNote(inFlight[region], region, t.maxInFlight))
				break
			}
			inFlight[region]++
			j.start = true
			c.Sent(now)
			premarked = true
		}
		jobs = append(jobs, j)
	}
	return jobs, premarked
}

// startCopies sends the copies planned to start. Throttling, a transient
// fault or AWS's copy limit in a Region stops further sends there this
// round (the rest stay queued); expired credentials stop everything.
func (t *Tracker) startCopies(ctx context.Context, jobs []*work) (credentials *model.APIError, trouble error) {
	blocked := map[string]string{} // Region -> why no more copies go there this round
	for _, j := range jobs {
		if !j.start {
			continue
		}
		region := j.cur.Request.DestinationRegion
		if why, ok := blocked[region]; ok {
			if j.cur.Phase == model.PhaseQueued {
				j.cur.Held(why) // still the copy as planned: queued, not sent
			}
			continue
		}
		if ctx.Err() != nil {
			continue
		}
		err := t.starter.Start(ctx, j.cur)
		if err == nil {
			continue
		}
		ae, ok := model.AsAPIError(err)
		if !ok {
			continue // canceled: Start recorded it
		}
		switch react(ae, t.aws.Region()) {
		case pause:
			return ae, trouble
		case holdRegion:
			blocked[region] = "waiting: " + model.Explain(ae, model.Brief())
		case holdRegionAndBackOff:
			blocked[region] = "waiting: " + model.Explain(ae, model.Brief())
			if regionRefused(ae, t.aws.Region()) {
				// Other Regions' copies go on: this one is not usable (yet).
				blocked[region] = regionRefusedNote(ae)
				j.cur.Held(blocked[region])
			}
			if trouble == nil {
				trouble = ae
			}
		}
		// carryOn: the refusal failed this copy only (Start recorded why).
	}
	return nil, trouble
}
