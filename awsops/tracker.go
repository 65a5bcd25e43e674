package awsops

import (
	"context"
	"errors"
	"fmt"
	"math"
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

// missingPolls is how many polls in a row a running copy may be absent
// before snapcopy asks AWS for it by id. Once AWS has shown a copy it
// keeps showing it, so one miss is already unusual.
const missingPolls = 3

// startingTimeout is how long a copy AWS accepted may stay invisible
// before snapcopy asks for it by id: far longer than EC2's visibility lag.
const startingTimeout = 10 * time.Minute

// TrackerOptions tune a Tracker. Zero values mean the defaults.
type TrackerOptions struct {
	// Now is the clock (nil: the client's clock, time.Now unless set).
	Now func() time.Time
	// Rand draws the backoff jitter (nil: a randomly seeded source).
	Rand *rand.Rand
	// MaxInFlightPerRegion caps copies sending, starting or running into one
	// destination Region (0: DefaultMaxInFlightPerRegion).
	MaxInFlightPerRegion int
}

// StepResult says what one Step did.
type StepResult struct {
	// Changed lists the request ids of copies whose visible state changed.
	Changed []string
	// Ended lists the request ids of copies that just completed or failed.
	Ended []string
	// Next is how long to wait before the next Step.
	Next time.Duration
	// Status is one line about trouble ("retrying in 12 s: ..."), "" when fine.
	Status string
	// Hint says what the operator can do about Status, if anything.
	Hint string
	// Paused is true while credentials are expired: Step does nothing until Resume.
	Paused bool
}

// Tracker starts the copies of a watch list and follows them to the end,
// keeping the state file current. It is safe for concurrent use: Step runs
// AWS calls without holding the lock that Copies, Add and Remove take.
type Tracker struct {
	client      *Client
	path        string
	now         func() time.Time
	maxInFlight int

	stepMu sync.Mutex // one Step at a time

	mu      sync.Mutex // guards everything below
	list    *model.WatchList
	rnd     *rand.Rand
	backoff model.Backoff
	paused  bool
	pause   StepResult // what a paused Step reports
	missing map[string]int
}

// NewTracker tracks list, saving it to statePath (the file LoadWatchList read).
func NewTracker(c *Client, list *model.WatchList, statePath string, opts TrackerOptions) *Tracker {
	if list == nil {
		list = &model.WatchList{}
	}
	t := &Tracker{
		client:      c,
		path:        statePath,
		now:         opts.Now,
		maxInFlight: opts.MaxInFlightPerRegion,
		list:        list,
		rnd:         opts.Rand,
		missing:     map[string]int{},
	}
	if t.now == nil {
		t.now = c.now
	}
	if t.maxInFlight <= 0 {
		t.maxInFlight = DefaultMaxInFlightPerRegion
	}
	if t.rnd == nil {
		t.rnd = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return t
}

// StatePath is the file the tracker keeps its copies in.
func (t *Tracker) StatePath() string { return t.path }

// Add tracks new copies and writes the state file at once, before any of
// them is sent, so a crash can never leave a copy AWS made that snapcopy
// forgot. When the file cannot be written the copies are not added.
func (t *Tracker) Add(copies ...*model.Copy) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range copies {
		if c == nil || c.RequestID == "" {
			return errors.New("add copies: a copy has no request id")
		}
		if t.list.Find(c.RequestID) != nil {
			return fmt.Errorf("add copies: copy %s is already tracked", c.RequestID)
		}
	}
	n := len(t.list.Copies)
	t.list.Add(copies...)
	if err := t.list.Save(t.path); err != nil {
		t.list.Copies = t.list.Copies[:n]
		return fmt.Errorf("the copies were not started: %w", err)
	}
	return nil
}

// Remove stops tracking a finished copy (the snapshot in AWS is untouched).
func (t *Tracker) Remove(requestID string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := slices.IndexFunc(t.list.Copies, func(c *model.Copy) bool { return c.RequestID == requestID })
	if i < 0 {
		return fmt.Errorf("copy %s is not tracked", requestID)
	}
	c := t.list.Copies[i]
	if !c.Phase.Done() {
		return fmt.Errorf("copy %s is still %s: only completed or failed copies can be removed", requestID, c.Phase)
	}
	t.list.Copies = slices.Delete(t.list.Copies, i, i+1)
	if err := t.list.Save(t.path); err != nil {
		t.list.Copies = slices.Insert(t.list.Copies, i, c)
		return err
	}
	delete(t.missing, requestID)
	return nil
}

// Copies returns the tracked copies as values, safe to render while Step runs.
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
	var saveErr error
	if premarked {
		// The file says "sending" before anything is sent: a new process
		// reading it looks for the copy by its tag before sending again.
		saveErr = t.list.Save(t.path)
	}
	t.mu.Unlock()

	var trouble error
	var credentials *model.APIError
	if saveErr != nil {
		// Without the file on disk a crash could forget a copy AWS made.
		trouble = fmt.Errorf("no copy is started while the state file cannot be written: %w", saveErr)
		for _, j := range jobs {
			j.start = false
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

	t.mu.Lock()
	defer t.mu.Unlock()
	var res StepResult
	changedAny := premarked
	for _, j := range jobs {
		orig := t.list.Find(j.cur.RequestID)
		if orig == nil {
			continue
		}
		*orig = *j.cur
		if visiblyChanged(j.before, *j.cur) {
			res.Changed = append(res.Changed, j.cur.RequestID)
			changedAny = true
		}
		if !j.before.Phase.Done() && j.cur.Phase.Done() {
			res.Ended = append(res.Ended, j.cur.RequestID)
			delete(t.missing, j.cur.RequestID)
		}
	}
	if changedAny {
		if err := t.list.Save(t.path); err != nil && trouble == nil {
			trouble = err
		}
	}

	switch {
	case credentials != nil:
		t.paused = true
		res.Paused = true
		res.Status = "paused: " + credentials.Error()
		res.Hint = t.renewHint()
		t.pause = StepResult{Paused: true, Status: res.Status, Hint: res.Hint}
	case trouble != nil && ctx.Err() == nil:
		wait := t.backoff.Next(t.rnd)
		res.Next = wait
		res.Status = fmt.Sprintf("retrying in %d s: %s", int(math.Ceil(wait.Seconds())), trouble.Error())
		if ae, ok := model.AsAPIError(trouble); ok {
			res.Hint = ae.Hint()
		}
	default:
		t.backoff.Reset()
		res.Next = model.NextPoll(t.list.Copies, now)
	}
	return res
}

// plan picks the unfinished copies and marks the ones to start this round
// (sending ones always: they only look for their copy first). Queued ones
// start in list order while their Region is under the in-flight limit;
// they are marked "sending" in the list, so the file saved before any send
// never says "queued" for a copy that may be in flight. Called with t.mu held.
func (t *Tracker) plan(now time.Time) (jobs []*work, premarked bool) {
	inFlight := map[string]int{}
	for _, c := range t.list.Copies {
		switch c.Phase {
		case model.PhaseSending, model.PhaseStarting, model.PhaseRunning:
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
			if now.Sub(c.AttemptedAt) >= t.client.settle {
				// StartCopy may send again after its tag look-up: the file
				// gets the new attempt's time first, so a process started
				// after a crash waits for that copy to show before sending.
				c.AttemptedAt = now
				premarked = true
			}
		case model.PhaseQueued:
			if inFlight[region] >= t.maxInFlight {
				cur.Note = fmt.Sprintf("waiting: %d copies in flight to %s (at most %d at once)", inFlight[region], region, t.maxInFlight)
				break
			}
			inFlight[region]++
			j.start = true
			c.Phase = model.PhaseSending
			c.AttemptedAt = now
			c.Note = "sending CopySnapshot"
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
				j.cur.Note = why // still the copy as planned: queued, not sent
			}
			continue
		}
		if ctx.Err() != nil {
			continue
		}
		err := t.client.StartCopy(ctx, j.cur)
		if err == nil {
			continue
		}
		ae, ok := model.AsAPIError(err)
		if !ok {
			continue // canceled: StartCopy recorded it
		}
		if regionRefused(ae, t.client.Region()) {
			// Other Regions' copies go on: this one is not usable (yet).
			blocked[region] = "waiting: " + regionRefusedNote(ae)
			j.cur.Note = blocked[region]
			if trouble == nil {
				trouble = ae
			}
			continue
		}
		switch ae.Kind {
		case model.ErrCredentials:
			return ae, trouble
		case model.ErrLimit:
			blocked[region] = "waiting: " + short(ae)
		case model.ErrThrottled, model.ErrTransient, model.ErrUnreachable:
			blocked[region] = "waiting: " + short(ae)
			if trouble == nil {
				trouble = ae
			}
		}
		// Other refusals failed this copy only (StartCopy recorded why).
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
		found, err := t.client.PollCopies(ctx, region, ids)
		if err != nil {
			if ae, ok := model.AsAPIError(err); ok && ae.Kind == model.ErrCredentials && !regionRefused(ae, t.client.Region()) {
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
				j.cur.Observe(s, now)
				continue
			}
			// A starting copy AWS does not show yet is in its visibility
			// lag, not lost. A running copy that vanished, or a starting one
			// that never showed, is asked for by id: only AWS's "does not
			// exist" fails it, so a passing glitch never loses a copy.
			misses := t.setMissing(j.cur.RequestID, 1)
			overdue := j.cur.Phase == model.PhaseRunning && misses >= missingPolls ||
				j.cur.Phase == model.PhaseStarting && now.Sub(j.cur.SentAt) >= startingTimeout
			if !overdue {
				continue
			}
			gone, err := t.client.SnapshotGone(ctx, region, j.cur.SnapshotID)
			switch {
			case err != nil:
				j.cur.Note = "not seen in the last polls; asking AWS for it failed: " + short(err)
			case gone:
				j.cur.Fail(fmt.Sprintf("AWS says the copy %s does not exist in %s: it was deleted outside snapcopy, or the credentials in use belong to another account than the one that started it", j.cur.SnapshotID, region), now)
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

// regionRefused reports AuthFailure from a Region other than the home one:
// AWS answers so in a Region the account has not enabled, while the same
// credentials work elsewhere. It blocks that Region, not the whole tracker.
func regionRefused(ae *model.APIError, home string) bool {
	return ae.Code == "AuthFailure" && ae.Region != "" && ae.Region != home
}

func regionRefusedNote(ae *model.APIError) string {
	return fmt.Sprintf("AWS refused the credentials in %s (AuthFailure): enable the Region for this account, or check the credentials", ae.Region)
}

// renewHint says how to get fresh credentials.
func (t *Tracker) renewHint() string {
	if p := t.client.Profile(); p != "" {
		return "credentials expired: run `aws sso login --profile " + p + "` (or renew them another way)"
	}
	return "credentials expired or invalid: renew your credentials"
}

// visiblyChanged reports whether anything a user sees of a copy differs.
func visiblyChanged(a, b model.Copy) bool {
	return a.Phase != b.Phase || a.Progress != b.Progress || a.SnapshotID != b.SnapshotID ||
		a.StateMessage != b.StateMessage || a.Note != b.Note
}
