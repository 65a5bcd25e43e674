package track

import (
	"context"
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
}

// StepResult says what one Step did.
type StepResult struct {
	// Changed lists the request ids of copies whose visible state changed.
	Changed []string
	// Ended lists the request ids of copies that just completed or failed.
	Ended []string
	// Next is how long to wait before the next Step.
	Next time.Duration
	// Status is one line about trouble, "" when fine: what failed, AWS's
	// code, what to do and AWS's words (model.Explain), after "retrying in
	// 12 s: " or "paused: ". StatusTo words it for a front end with a key.
	Status string
	// Paused is true while credentials are expired: Step does nothing until Resume.
	Paused bool
	// Trouble is the error Status words, nil when fine; StatusTo words it again.
	Trouble error

	profile string // the credentials' profile, named in the advice to renew them
}

// StatusTo is Status for a front end with its own way to ask again: where
// the advice says "then try again" it says "then " + retry ("then press
// r"), as model.RetryBy. Without Trouble it is Status.
func (r StepResult) StatusTo(retry string) string {
	if r.Trouble == nil {
		return r.Status
	}
	return statusLine(r.Trouble, r.Paused, r.Next, r.profile, retry)
}

// Tracker starts the copies of a watch list and follows them to the end,
// keeping the state file current. It is safe for concurrent use: Step calls
// AWS, and every method writes the state file, without holding the lock
// Copies takes, so Copies never waits on the network or the disk.
type Tracker struct {
	aws         AWS
	path        string
	now         func() time.Time
	maxInFlight int
	starter     Starter
	// write puts a list on disk: (*model.WatchList).Save, or a test's stand-in.
	write func(list *model.WatchList, path string) error

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
}

// NewTracker tracks list through aws, saving it to statePath (the file
// LoadWatchList read).
func NewTracker(aws AWS, list *model.WatchList, statePath string, opts TrackerOptions) *Tracker {
	if list == nil {
		list = &model.WatchList{}
	}
	t := &Tracker{
		aws:         aws,
		path:        statePath,
		now:         opts.Now,
		maxInFlight: opts.MaxInFlightPerRegion,
		list:        list,
		rnd:         opts.Rand,
		missing:     map[string]int{},
		write:       (*model.WatchList).Save,
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
	t.starter = Starter{AWS: aws, Now: t.now, SettleDelay: opts.SettleDelay}
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

// save writes the list as it is now to the state file. Called without t.mu.
func (t *Tracker) save() error {
	t.saveMu.Lock()
	defer t.saveMu.Unlock()
	t.mu.Lock()
	next := t.pictureLocked()
	t.mu.Unlock()
	return t.write(next, t.path)
}

// work is one unfinished copy during a Step: the copy as it was, and the
// private copy the AWS calls update.
type work struct {
	before model.Copy
	cur    *model.Copy
	start  bool // queued or sending and allowed to start this round
}

// Step does one round: it starts queued copies within the per-Region
// in-flight limit, then polls every destination Region once for the
// copies AWS has accepted, and saves the state file if anything changed.
func (t *Tracker) Step(ctx context.Context) StepResult {
	t.stepMu.Lock()
	defer t.stepMu.Unlock()

	t.mu.Lock()
	if t.paused {
		res := t.pause
		t.mu.Unlock()
		return res
	}
	now := t.now()
	jobs, premarked := t.plan(now)
	t.mu.Unlock()

	var trouble error
	var credentials *model.APIError
	if premarked {
		// The file says "sending" before anything is sent: a new process
		// reading it looks for the copy by its tag before sending again.
		if err := t.save(); err != nil {
			// Without the file on disk a crash could forget a copy AWS made.
			trouble = fmt.Errorf("no copy is started while the state file cannot be written: %w", err)
			for _, j := range jobs {
				j.start = false
			}
		}
	}
	if trouble == nil {
		credentials, trouble = t.startCopies(ctx, jobs)
	}
	if credentials == nil && ctx.Err() == nil {
		cred, pollErr := t.poll(ctx, jobs)
		if trouble == nil {
			trouble = pollErr
		}
		credentials = cred
	}

	var res StepResult
	changedAny := premarked
	t.mu.Lock()
	for _, j := range jobs {
		orig := t.list.Find(j.cur.RequestID)
		if orig == nil {
			continue
		}
		*orig = *j.cur
		if model.VisiblyChanged(j.before, *j.cur) {
			res.Changed = append(res.Changed, j.cur.RequestID)
			changedAny = true
		}
		if !j.before.Phase.Done() && j.cur.Phase.Done() {
			res.Ended = append(res.Ended, j.cur.RequestID)
			delete(t.missing, j.cur.RequestID)
		}
	}
	t.mu.Unlock()
	if changedAny {
		if err := t.save(); err != nil && trouble == nil {
			trouble = err
		}
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case credentials != nil:
		t.paused = true
		res.Paused = true
		res.Trouble, res.profile = credentials, t.aws.Profile()
		res.Status = res.StatusTo("")
		t.pause = StepResult{Paused: true, Status: res.Status, Trouble: res.Trouble, profile: res.profile}
	case trouble != nil && ctx.Err() == nil:
		wait := t.backoff.Next(t.rnd)
		res.Next = wait
		res.Trouble, res.profile = trouble, t.aws.Profile()
		res.Status = res.StatusTo("")
	default:
		t.backoff.Reset()
		res.Next = model.NextPoll(t.list.Copies, now)
	}
	return res
}

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

// poll reads every destination Region's accepted copies with one
// DescribeSnapshots call per Region and applies what AWS says.
func (t *Tracker) poll(ctx context.Context, jobs []*work) (credentials *model.APIError, trouble error) {
	byRegion := map[string][]*work{}
	for _, j := range jobs {
		if (j.cur.Phase == model.PhaseStarting || j.cur.Phase == model.PhaseRunning) && j.cur.SnapshotID != "" {
			r := j.cur.Request.DestinationRegion
			byRegion[r] = append(byRegion[r], j)
		}
	}
	regions := make([]string, 0, len(byRegion))
	for r := range byRegion {
		regions = append(regions, r)
	}
	slices.Sort(regions)
	for _, region := range regions {
		group := byRegion[region]
		ids := make([]string, len(group))
		for i, j := range group {
			ids[i] = j.cur.SnapshotID
		}
		found, err := t.aws.PollCopies(ctx, region, ids)
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
			gone, err := t.aws.SnapshotGone(ctx, region, j.cur.SnapshotID)
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
