package screentest

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
)

// Tracker is the screens' tracker over memory (what progress.Tracker asks,
// *track.Tracker in the program). It records every call by name, so a test
// can tell whether Update itself called the tracker (which may wait on its
// lock while a step saves the state file) or left the call to a tea.Cmd.
// It is safe for concurrent use, as the follow loop calls it beside the
// screen.
type Tracker struct {
	// Now dates the retries Retry makes and the cancels (nil: time.Now).
	Now func() time.Time

	mu     sync.Mutex
	copies []model.Copy
	next   track.StepResult
	calls  []string
}

// NewTracker tracks copies, each step reporting next.
func NewTracker(next track.StepResult, copies ...model.Copy) *Tracker {
	return &Tracker{copies: copies, next: next}
}

// SetNext sets what the following steps report.
func (f *Tracker) SetNext(res track.StepResult) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next = res
}

func (f *Tracker) called(name string) {
	f.calls = append(f.calls, name)
}

// Calls are the calls made so far, in order.
func (f *Tracker) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *Tracker) now() time.Time {
	if f.Now == nil {
		return time.Now()
	}
	return f.Now()
}

// Copies returns the copies held.
func (f *Tracker) Copies() []model.Copy {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.called("Copies")
	return slices.Clone(f.copies)
}

// Step reports what SetNext said, and changes nothing.
func (f *Tracker) Step(context.Context) track.StepResult {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.called("Step")
	return f.next
}

// Add holds the copies.
func (f *Tracker) Add(copies ...*model.Copy) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.called("Add")
	for _, c := range copies {
		f.copies = append(f.copies, *c)
	}
	return nil
}

// Remove forgets nothing: it only records the call.
func (f *Tracker) Remove(string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.called("Remove")
	return nil
}

// Resume records the call.
func (f *Tracker) Resume() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.called("Resume")
}

// Retry holds the next attempt of each copy named.
func (f *Tracker) Retry(ids ...string) ([]model.Copy, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.called("Retry")
	var made []model.Copy
	for _, id := range ids {
		for i := range f.copies {
			if f.copies[i].RequestID == id {
				made = append(made, *model.NewRetry(&f.copies[i], f.now()))
			}
		}
	}
	f.copies = append(f.copies, made...)
	return made, nil
}

// Cancel marks the copy cancelled.
func (f *Tracker) Cancel(_ context.Context, id string) (model.Copy, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.called("Cancel")
	for i := range f.copies {
		if f.copies[i].RequestID == id {
			f.copies[i].Cancelled(f.copies[i].SnapshotID, f.now())
			return f.copies[i], nil
		}
	}
	return model.Copy{}, nil
}

// AddFound holds found copies of the snapshots.
func (f *Tracker) AddFound(pending []model.Snapshot, now time.Time) (track.Found, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.called("AddFound")
	var found track.Found
	for _, s := range pending {
		c := *model.DiscoveredCopy(s, now)
		f.copies = append(f.copies, c)
		found.Added = append(found.Added, c)
	}
	return found, nil
}
