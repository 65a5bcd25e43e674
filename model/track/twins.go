package track

import (
	"context"
	"slices"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// lookForTwins looks, for each copy whose look for twins is due
// (model.Copy.TwinCheckDue), at the copies of its source in its
// destination Region (one CopiesOf per Region), and applies
// model.JudgeTwins: a copy that loses deletes its own snapshot (only when
// it carries its own request tag) and ends cancelled, naming the copy
// kept; one that wins, or has no twin, is looked at no more. A copy AWS
// does not show yet is looked at again at the next step. It reports the
// copies changed and the error met, if any.
func (t *Tracker) lookForTwins(ctx context.Context, now time.Time) (changed, ended []string, trouble error) {
	settle := t.starter.settle()
	t.mu.Lock()
	var due []model.Copy
	for _, c := range t.list.Copies {
		if c.TwinCheckDue(now, settle) {
			due = append(due, clone(c))
		}
	}
	t.mu.Unlock()
	byRegion := map[string][]model.Copy{}
	var regions []string
	for _, c := range due {
		r := c.Request.DestinationRegion
		if byRegion[r] == nil {
			regions = append(regions, r)
		}
		byRegion[r] = append(byRegion[r], c)
	}
	slices.Sort(regions)
	for _, region := range regions {
		group := byRegion[region]
		var sources []string
		for _, c := range group {
			if !slices.Contains(sources, c.Request.SourceSnapshotID) {
				sources = append(sources, c.Request.SourceSnapshotID)
			}
		}
		found, err := t.aws.CopiesOf(ctx, region, sources)
		if err != nil {
			if trouble == nil {
				trouble = err
			}
			continue
		}
		for i := range group {
			c := &group[i]
			twin := model.JudgeTwins(c, found, model.TwinWindow(settle))
			lost := false
			switch {
			case twin.Own.ID == "" && !model.TwinLookGivenUp(c, now, settle):
				continue // not shown yet: look again
			case twin.Own.ID == "":
				// Never shown by its provenance tag (deleted since, or a
				// request without it): nothing to judge by, no end to wait.
			case twin.Lose && c.Owns(twin.Own): // never delete what does not carry its own tag
				if err := t.aws.DeleteSnapshot(ctx, region, c.SnapshotID); err != nil {
					if trouble == nil {
						trouble = err
					}
					continue
				}
				lost = true
				ended = append(ended, c.RequestID)
			}
			changed = append(changed, c.RequestID)
			t.mu.Lock()
			if orig := t.list.Find(c.RequestID); orig != nil {
				if lost {
					orig.Twinned(twin.Kept, t.now())
				} else {
					orig.TwinChecked = true
				}
			}
			t.mu.Unlock()
		}
	}
	return changed, ended, trouble
}
