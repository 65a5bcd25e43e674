package track

import (
	"fmt"

	"github.com/snapcopy/snapcopy/model"
)

// Retry tracks a new copy for each failed copy named, sending the same
// request again under a new request tag as the next attempt, and writes
// the state file before any is sent (as Add does). A copy that is not
// failed, or was retried already, is refused: retrying twice would make
// two copies. The new copies are returned in the order asked.
func (t *Tracker) Retry(requestIDs ...string) ([]model.Copy, error) {
	if len(requestIDs) == 0 {
		return nil, nil
	}
	t.mu.Lock()
	now := t.now()
	retries := make([]*model.Copy, 0, len(requestIDs))
	for _, id := range requestIDs {
		c := t.list.Find(id)
		if c == nil {
			t.mu.Unlock()
			return nil, fmt.Errorf("copy %s is not tracked", id)
		}
		if !c.Retryable() {
			t.mu.Unlock()
			return nil, fmt.Errorf("copy %s is %s: only a failed copy can be retried", id, c.Phase)
		}
		if r := t.retryOfLocked(id); r != nil {
			t.mu.Unlock()
			return nil, fmt.Errorf("copy %s was retried already, as attempt %d (%s)", id, r.AttemptNumber(), r.RequestID)
		}
		retries = append(retries, model.NewRetry(c, now))
	}
	t.mu.Unlock()
	if err := t.Add(retries...); err != nil {
		return nil, err
	}
	out := make([]model.Copy, len(retries))
	for i, r := range retries {
		out[i] = clone(r)
	}
	return out, nil
}

// retryOfLocked is the copy that retries the copy requestID, or nil.
// Called with t.mu held.
func (t *Tracker) retryOfLocked(requestID string) *model.Copy {
	for _, c := range t.list.Copies {
		if c.RetryOf == requestID {
			return c
		}
	}
	return nil
}
