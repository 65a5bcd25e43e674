package track

import (
	"context"
	"slices"

	"github.com/snapcopy/snapcopy/model"
)

// poll reads every destination Region's accepted copies with one
// DescribeSnapshots call per Region and applies what AWS says.
func (t *Tracker) poll(ctx context.Context, jobs []*work) (credentials *model.APIError, trouble error) {
	byRegion := map[string][]*work{}
	for _, j := range jobs {
		if (j.cur.Phase == model.PhaseStarting || j.cur.Phase == model.PhaseRunning) && j.cur.SnapshotID != "" && j.cur.Cross.Step != model.CrossCleanup {
			r := pollKey(j.cur)
			byRegion[r] = append(byRegion[r], j)
		}
	}
	regions := make([]string, 0, len(byRegion))
	for r := range byRegion {
		regions = append(regions, r)
	}
	slices.Sort(regions)
	for _, key := range regions {
		group := byRegion[key]
		region := group[0].cur.Request.DestinationRegion
		ids := make([]string, len(group))
		for i, j := range group {
			ids[i] = j.cur.SnapshotID
		}
		aws, err := t.pollAWS(ctx, group[0].cur)
		if err != nil {
			for _, j := range group {
				j.cur.Held("waiting: " + err.Error())
			}
			if trouble == nil {
				trouble = err
			}
			continue
		}
		found, err := aws.PollCopies(ctx, region, ids)
		if err != nil {
			if ae, ok := model.AsAPIError(err); ok && react(ae, t.aws.Region()) == pause {
				return ae, trouble
			}
			if ctx.Err() != nil {
				return nil, trouble
			}
			if trouble == nil {
				trouble = err
			}
			continue
		}
		now := t.now()
		for _, j := range group {
			s, ok := found[j.cur.SnapshotID]
			if ok {
				t.setMissing(j.cur.RequestID, 0)
				j.cur.Observed(s, now)
				continue
			}
			// A starting copy AWS does not show yet is in its visibility
			// lag, not lost. An overdue one is asked for by id: only AWS's
			// "does not exist" fails it, so a passing glitch never loses a copy.
			misses := t.setMissing(j.cur.RequestID, 1)
			if !j.cur.Overdue(misses, now) {
				continue
			}
			gone, err := aws.SnapshotGone(ctx, region, j.cur.SnapshotID)
			switch {
			case err != nil:
				j.cur.Held("not seen in the last polls; asking AWS for it failed: " + model.Explain(err, model.Brief()))
			case gone:
				j.cur.Lost(region, now)
			default:
				t.setMissing(j.cur.RequestID, 0)
			}
		}
	}
	return nil, trouble
}

// setMissing adds to (or, with 0, resets) the count of polls a copy was
// absent in a row, and returns it.
func (t *Tracker) setMissing(requestID string, add int) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if add == 0 {
		delete(t.missing, requestID)
		return 0
	}
	t.missing[requestID] += add
	return t.missing[requestID]
}
