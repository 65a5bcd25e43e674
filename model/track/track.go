package track

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// DefaultMaxInFlightPerRegion is how many copies snapcopy lets run at once
// into one destination Region. The spec marks AWS's limit (20 concurrent
// copies per destination Region) UNCONFIRMED: this is the one place to change it.
const DefaultMaxInFlightPerRegion = 20

// TrackerOptions tune a Tracker. Zero values mean the defaults.
type TrackerOptions struct {
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Rand draws the backoff jitter (nil: a randomly seeded source).
	Rand *rand.Rand
	// MaxInFlightPerRegion caps copies sending, starting or running into one
	// destination Region (0: DefaultMaxInFlightPerRegion).
	MaxInFlightPerRegion int
	// SettleDelay is how long after an unanswered CopySnapshot the tracker
	// waits before a tag look-up that finds nothing lets it send again
	// (0: model.DefaultSettleDelay).
	SettleDelay time.Duration
	// Accounts reaches the profiles of copies into other accounts
	// (accounts.go); nil: such copies wait, saying so.
	Accounts Accounts
	// AfterCrossStep, when set, hears the name of each step of a copy into
	// another account once its outcome is in the state file (reencrypt-sent,
	// reencrypt, share, key-policy, copy, unshare, cleanup): tests stop it
	// there.
	AfterCrossStep func(step string)
}

// Tracker starts the copies of a watch list and follows them to the end,
// keeping the state file current. It is safe for concurrent use: Step calls
// AWS, and every method writes the state file, without holding the lock
// Copies takes, so Copies never waits on the network or the disk.
type Tracker struct {
	aws         AWS
	heard       *heard // aws, noting what answered in a Step
	path        string
	now         func() time.Time
	maxInFlight int
	starter     Starter
	// write puts a list on disk: (*model.WatchList).Save, or a test's stand-in.
	write func(list *model.WatchList, path string) error
	// appendHistory moves ended copies out: model.AppendHistory, or a
	// test's stand-in.
	appendHistory func(statePath string, copies []*model.Copy) error

	stepMu sync.Mutex // one Step at a time
	// saveMu orders writes of the state file: each takes its picture of the
	// list after acquiring it, so the last write holds the latest list.
	saveMu sync.Mutex

	mu      sync.Mutex // guards everything below; never held across I/O
	list    *model.WatchList
	rnd     *rand.Rand
	backoff model.Backoff
	paused  bool
	pause   StepResult // what a paused Step reports
	missing map[string]int

	accounts Accounts          // TrackerOptions.Accounts
	onStep   func(step string) // TrackerOptions.AfterCrossStep
}

// NewTracker tracks list through aws, saving it to statePath (the file
// LoadWatchList read).
func NewTracker(aws AWS, list *model.WatchList, statePath string, opts TrackerOptions) *Tracker {
	if list == nil {
		list = &model.WatchList{}
	}
	h := &heard{AWS: aws}
	t := &Tracker{
		aws:           h,
		heard:         h,
		path:          statePath,
		now:           opts.Now,
		maxInFlight:   opts.MaxInFlightPerRegion,
		list:          list,
		rnd:           opts.Rand,
		missing:       map[string]int{},
		write:         (*model.WatchList).Save,
		appendHistory: model.AppendHistory,
		accounts:      opts.Accounts,
		onStep:        opts.AfterCrossStep,
	}
	if t.now == nil {
		t.now = time.Now
	}
	if t.maxInFlight <= 0 {
		t.maxInFlight = DefaultMaxInFlightPerRegion
	}
	if t.rnd == nil {
		t.rnd = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	if t.accounts != nil {
		t.accounts = heardAccounts{Accounts: t.accounts, h: h}
	}
	t.starter = Starter{AWS: h, Now: t.now, SettleDelay: opts.SettleDelay, Accounts: t.accounts}
	return t
}

// StatePath is the file the tracker keeps its copies in.
func (t *Tracker) StatePath() string { return t.path }

// Add tracks new copies and writes the state file at once, before any of
// them is sent, so a crash can never leave a copy AWS made that snapcopy
// forgot. When the file cannot be written the copies are not added.
func (t *Tracker) Add(copies ...*model.Copy) error {
	t.saveMu.Lock()
	defer t.saveMu.Unlock()
	t.mu.Lock()
	for _, c := range copies {
		if c == nil || c.RequestID == "" {
			t.mu.Unlock()
			return errors.New("add copies: a copy has no request id")
		}
		if t.list.Find(c.RequestID) != nil {
			t.mu.Unlock()
			return fmt.Errorf("add copies: copy %s is already tracked", c.RequestID)
		}
	}
	next := t.pictureLocked()
	t.mu.Unlock()
	// The copies join the list only once the file holds them: no Step can
	// send one before.
	next.Add(copies...)
	if err := t.write(next, t.path); err != nil {
		return fmt.Errorf("the copies were not started: %w", err)
	}
	t.mu.Lock()
	t.list.Add(copies...)
	t.mu.Unlock()
	return nil
}

// Remove stops tracking a finished copy (the snapshot in AWS is untouched).
func (t *Tracker) Remove(requestID string) error {
	t.saveMu.Lock()
	defer t.saveMu.Unlock()
	t.mu.Lock()
	c := t.list.Find(requestID)
	if c == nil {
		t.mu.Unlock()
		return fmt.Errorf("copy %s is not tracked", requestID)
	}
	if !c.Phase.Done() {
		t.mu.Unlock()
		return fmt.Errorf("copy %s is still %s: only completed or failed copies can be removed", requestID, c.Phase)
	}
	next := t.pictureLocked()
	t.mu.Unlock()
	next.Remove(requestID)
	if err := t.write(next, t.path); err != nil {
		return err
	}
	t.mu.Lock()
	t.list.Remove(requestID)
	delete(t.missing, requestID)
	t.mu.Unlock()
	return nil
}

// Copies returns the tracked copies as values, safe to render while Step
// runs. It never waits on AWS or the disk.
func (t *Tracker) Copies() []model.Copy {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]model.Copy, len(t.list.Copies))
	for i, c := range t.list.Copies {
		out[i] = clone(c)
	}
	return out
}

// Paused reports whether Step waits for Resume (credentials expired).
func (t *Tracker) Paused() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.paused
}

// Resume lets Step call AWS again after the operator renewed credentials,
// and forgets the backoff so the next Step runs at full pace.
func (t *Tracker) Resume() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.paused = false
	t.pause = StepResult{}
	t.backoff.Reset()
}

// clone is a deep copy of c, so the copy Step works on and the ones
// rendered never share slices.
func clone(c *model.Copy) model.Copy {
	v := *c
	v.Samples = slices.Clone(c.Samples)
	v.Request.Tags = slices.Clone(c.Request.Tags)
	return v
}

// pictureLocked is a deep copy of the list, to be written without the
// lock. Called with t.mu held.
func (t *Tracker) pictureLocked() *model.WatchList {
	out := &model.WatchList{Copies: make([]*model.Copy, len(t.list.Copies))}
	for i, c := range t.list.Copies {
		v := clone(c)
		out.Copies[i] = &v
	}
	return out
}

// save writes the list as it is now to the state file, once the copies
// that ended more than model.HistoryAge ago have moved to the history file
// (a save then writes the copies followed, not every copy ever made).
// Called without t.mu.
func (t *Tracker) save() error {
	t.saveMu.Lock()
	defer t.saveMu.Unlock()
	t.mu.Lock()
	old := t.list.ToHistory(t.now().Add(-model.HistoryAge))
	t.mu.Unlock()
	var historyErr error
	if len(old) > 0 {
		// Only copies that ended, which nothing changes any more; kept in
		// the state file when the history cannot be written.
		if historyErr = t.appendHistory(t.path, old); historyErr == nil {
			t.mu.Lock()
			for _, c := range old {
				t.list.Remove(c.RequestID)
				delete(t.missing, c.RequestID)
			}
			t.mu.Unlock()
		}
	}
	t.mu.Lock()
	next := t.pictureLocked()
	t.mu.Unlock()
	if err := t.write(next, t.path); err != nil {
		return err
	}
	if historyErr != nil {
		return fmt.Errorf("the copies that ended more than a day ago stay in the state file: %w", historyErr)
	}
	return nil
}
