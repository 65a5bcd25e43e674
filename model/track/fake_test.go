package track

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// fakeAWS is an in-memory AWS for the tracker's logic: copies are made at
// once and stay pending until the test ends them. Faults are set per test.
type fakeAWS struct {
	mu      sync.Mutex
	home    string
	profile string
	seq     int
	snaps   map[string]map[string]*model.Snapshot // Region -> id -> copy
	hidden  map[string]bool                       // ids polls and look-ups do not show
	calls   []string                              // "Op Region", in order

	// sendFaults are the errors of the next CopySnapshot calls, in order;
	// made says whether AWS made the copy all the same (a lost answer).
	sendFaults []sendFault
	// regionErr fails every call into a Region.
	regionErr map[string]error
	// gone is SnapshotGone's answer per id.
	gone map[string]bool
	// hideNew hides the copies made from now on (AWS's visibility lag).
	hideNew bool
	// onSend runs before a CopySnapshot is carried out.
	onSend func(model.CopyRequest)
	// hangPolls makes PollCopies wait for its context to end, as a
	// connection that never answers.
	hangPolls bool
	// snapLocks is AWS's side of snapshot locks (snaplock_fake_test.go).
	snapLocks fakeSnapLocks
}

type sendFault struct {
	err  error
	made bool
}

func newFake() *fakeAWS {
	return &fakeAWS{home: "us-west-2", snaps: map[string]map[string]*model.Snapshot{}, hidden: map[string]bool{},
		regionErr: map[string]error{}, gone: map[string]bool{}}
}

func (f *fakeAWS) Region() string  { return f.home }
func (f *fakeAWS) Profile() string { return f.profile }

func (f *fakeAWS) record(op, region string) error {
	f.calls = append(f.calls, op+" "+region)
	return f.regionErr[region]
}

func (f *fakeAWS) CopySnapshot(ctx context.Context, req model.CopyRequest) (string, error) {
	if f.onSend != nil {
		f.onSend(req)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("CopySnapshot", req.DestinationRegion); err != nil {
		return "", err
	}
	var fault sendFault
	if len(f.sendFaults) > 0 {
		fault, f.sendFaults = f.sendFaults[0], f.sendFaults[1:]
	}
	if fault.err != nil && !fault.made {
		return "", fault.err
	}
	f.seq++
	id := fmt.Sprintf("snap-0%016x", f.seq)
	if f.snaps[req.DestinationRegion] == nil {
		f.snaps[req.DestinationRegion] = map[string]*model.Snapshot{}
	}
	f.snaps[req.DestinationRegion][id] = &model.Snapshot{ID: id, Region: req.DestinationRegion, State: model.StatePending,
		Progress: 0, Tags: req.Tags, VolumeSizeGiB: 8}
	f.hidden[id] = f.hideNew
	return id, fault.err
}

func (f *fakeAWS) FindByRequestID(ctx context.Context, region, requestID string) (model.Snapshot, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("FindByRequestID", region); err != nil {
		return model.Snapshot{}, false, err
	}
	for _, s := range f.snaps[region] {
		if s.Tag(model.RequestTagKey) == requestID && !f.hidden[s.ID] {
			return *s, true, nil
		}
	}
	return model.Snapshot{}, false, nil
}

func (f *fakeAWS) PollCopies(ctx context.Context, region string, ids []string) (map[string]model.Snapshot, error) {
	f.mu.Lock()
	if f.hangPolls {
		f.mu.Unlock()
		<-ctx.Done()
		return nil, ctx.Err()
	}
	defer f.mu.Unlock()
	if err := f.record("PollCopies", region); err != nil {
		return nil, err
	}
	out := map[string]model.Snapshot{}
	for _, id := range ids {
		if s, ok := f.snaps[region][id]; ok && !f.hidden[id] {
			out[id] = *s
		}
	}
	return out, nil
}

func (f *fakeAWS) SnapshotGone(ctx context.Context, region, id string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("SnapshotGone", region); err != nil {
		return false, err
	}
	return f.gone[id], nil
}

// set changes the fake under its lock, while a tracker may be calling it.
func (f *fakeAWS) set(change func(f *fakeAWS)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(f)
}

// count is how many calls of op went to region ("" for any Region).
func (f *fakeAWS) count(op, region string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == op+" "+region || region == "" && len(c) > len(op) && c[:len(op)+1] == op+" " {
			n++
		}
	}
	return n
}

func (f *fakeAWS) resetCalls() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = nil
}

// callList is the calls made, sorted, for messages.
func (f *fakeAWS) callList() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := append([]string(nil), f.calls...)
	sort.Strings(out)
	return out
}

// completeAll ends every copy AWS holds.
func (f *fakeAWS) completeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, region := range f.snaps {
		for _, s := range region {
			s.State, s.Progress = model.StateCompleted, 100
		}
	}
}

// made is how many copies AWS holds in region.
func (f *fakeAWS) made(region string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.snaps[region])
}

// apiErr is an AWS error as awsops reports it.
func apiErr(op, region, code string, kind model.ErrorKind) *model.APIError {
	return &model.APIError{Op: op, Region: region, Code: code, Message: "AWS says " + code, Kind: kind}
}

// manualClock is a clock the test moves.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (f *fakeAWS) SnapshotByID(ctx context.Context, region, id string) (model.Snapshot, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("SnapshotByID", region); err != nil {
		return model.Snapshot{}, false, err
	}
	s, ok := f.snaps[region][id]
	if !ok || f.hidden[id] {
		return model.Snapshot{}, false, nil
	}
	return *s, true, nil
}

func (f *fakeAWS) DeleteSnapshot(ctx context.Context, region, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("DeleteSnapshot "+id, region); err != nil {
		return err
	}
	if _, ok := f.snaps[region][id]; !ok {
		return apiErr("DeleteSnapshot", region, "InvalidSnapshot.NotFound", model.ErrNotFound)
	}
	delete(f.snaps[region], id)
	return nil
}

func (f *fakeAWS) CopiesOf(ctx context.Context, region string, sourceIDs []string) ([]model.Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.record("CopiesOf", region); err != nil {
		return nil, err
	}
	var out []model.Snapshot
	for _, s := range f.snaps[region] {
		if !f.hidden[s.ID] && slices.Contains(sourceIDs, s.Tag(model.TagSourceSnapshot)) {
			out = append(out, *s)
		}
	}
	return out, nil
}
