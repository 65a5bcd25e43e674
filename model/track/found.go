package track

import (
	"fmt"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// Found is what AddFound made of the snapshots found being created.
type Found struct {
	// Added are the copies now followed, found rather than started here.
	Added []model.Copy
	// Known counts the snapshots already followed (same snapshot in the
	// same Region, or same request id), not added again.
	Known int
}

// AddFound follows the snapshots found being created in the account
// (a discovery's answer) as found copies (model.DiscoveredCopy), to the
// end like snapcopy's own, and saves them at once. Those already followed
// are counted, not added: the check and the adding hold the save lock
// together, so two discoveries at once cannot add one snapshot twice.
func (t *Tracker) AddFound(pending []model.Snapshot, now time.Time) (Found, error) {
	t.saveMu.Lock()
	defer t.saveMu.Unlock()
	t.mu.Lock()
	known := map[string]bool{}
	for _, c := range t.list.Copies {
		known[c.RequestID] = true
		if c.SnapshotID != "" {
			known[c.Request.DestinationRegion+" "+c.SnapshotID] = true
		}
	}
	var found Found
	var add []*model.Copy
	for _, s := range pending {
		c := model.DiscoveredCopy(s, now)
		if known[c.RequestID] || known[s.Region+" "+s.ID] {
			found.Known++
			continue
		}
		known[c.RequestID] = true
		add = append(add, c)
	}
	if len(add) == 0 {
		t.mu.Unlock()
		return found, nil
	}
	next := t.pictureLocked()
	t.mu.Unlock()
	next.Add(add...)
	if err := t.write(next, t.path); err != nil {
		return Found{Known: found.Known}, fmt.Errorf("the copies found were not followed: %w", err)
	}
	t.mu.Lock()
	t.list.Add(add...)
	t.mu.Unlock()
	for _, c := range add {
		found.Added = append(found.Added, clone(c))
	}
	return found, nil
}
