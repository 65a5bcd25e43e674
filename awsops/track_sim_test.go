package awsops_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
)

// trackT0 is where the simulator's manual clock starts in tracker tests.
var trackT0 = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

// The whole path of a copy: the tracker of model/track driving the real
// awsops client against the EC2 simulator over HTTP. The tracker's logic
// alone is unit-tested in model/track against an in-memory fake.

// Every awsops client can serve the tracker.
var _ track.AWS = (*awsops.Client)(nil)

// rig is the simulator with a manual clock, the real client on it and a
// state file in a temporary folder.
type rig struct {
	t      *testing.T
	sim    *ec2sim.Server
	clock  *ec2sim.ManualClock
	client *awsops.Client
	path   string
	// seq numbers the source snapshots the test adds.
	seq int
}

type trackSetup struct {
	sim     ec2sim.Options
	handler func(http.Handler) http.Handler // wraps the simulator, e.g. to watch requests
	client  func(*awsops.Options)
}

func newTrack(t *testing.T, setup trackSetup) *rig {
	t.Helper()
	clock := ec2sim.NewManualClock(trackT0)
	o := setup.sim
	o.Clock = clock
	o.NoSeedWorld = true
	if o.Seed == 0 {
		o.Seed = 42
	}
	s := simtest.Start(t, simtest.Setup{Sim: o, Wrap: setup.handler, Client: func(co *awsops.Options) {
		// Every fault must reach the tracker, whose own backoff is under test.
		co.RetryMaxAttempts = 1
		if setup.client != nil {
			setup.client(co)
		}
	}})
	return &rig{t: t, sim: s.Server, clock: clock, client: s.Client, path: filepath.Join(t.TempDir(), "copies.json")}
}

// source adds a completed snapshot of sizeGiB to us-west-2 and returns it.
func (k *rig) source(sizeGiB int32) model.Snapshot {
	k.seq++
	s := model.Snapshot{
		ID:            fmt.Sprintf("snap-0%016x", 0xabc000+k.seq),
		VolumeSizeGiB: sizeGiB,
		State:         model.StateCompleted,
		Progress:      100,
		StartTime:     trackT0.Add(-time.Hour),
		Tags:          []model.Tag{{Key: "Name", Value: fmt.Sprintf("source-%d", k.seq)}},
	}
	simtest.Add(k.sim, "us-west-2", s)
	got, ok := simtest.Snapshot(k.sim, "us-west-2", s.ID)
	if !ok {
		k.t.Fatalf("the simulator did not keep source %s", s.ID)
	}
	return got
}

// copyTo makes a queued copy of src into region.
func (k *rig) copyTo(src model.Snapshot, region string, edit ...func(*model.CopyRequest)) *model.Copy {
	req := model.CopyRequest{DestinationRegion: region, SourceRegion: "us-west-2", SourceSnapshotID: src.ID}
	for _, e := range edit {
		e(&req)
	}
	return model.NewCopy(req, src, k.clock.Now())
}

func (k *rig) tracker(list *model.WatchList, opts track.TrackerOptions) *track.Tracker {
	if opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(1, 2))
	}
	if opts.Now == nil {
		opts.Now = k.clock.Now
	}
	return track.NewTracker(k.client, list, k.path, opts)
}

// step runs one Step and moves the clock to the next one.
func (k *rig) step(tr *track.Tracker) track.StepResult {
	k.t.Helper()
	res := tr.Step(context.Background())
	if res.Next <= 0 && !res.Paused {
		k.t.Fatalf("Step asked for no wait: %+v", res)
	}
	k.clock.Advance(res.Next)
	return res
}

// untilDone follows the copies (track.Follow, the clock moved by each
// wait) until every one is completed or failed, at most max steps.
func (k *rig) untilDone(tr *track.Tracker, max int, each func(track.StepResult)) {
	k.t.Helper()
	steps := 0
	err := track.Follow(context.Background(), tr, track.FollowOptions{
		Until: func(copies []model.Copy) bool { return steps == max || track.UntilEnded()(copies) },
		OnStep: func(res track.StepResult, _ []model.Copy) error {
			steps++
			if each != nil {
				each(res)
			}
			return nil
		},
		WhenPaused: track.StopWhenPaused,
		After:      k.simAfter,
	})
	if n := unfinished(tr); n > 0 {
		k.t.Fatalf("%d copies still unfinished after %d steps (%v): %s", n, steps, err, phases(tr))
	}
}

// simAfter is a clock for track.Follow that moves the simulator's clock
// by each wait instead of sleeping, and fires at once.
func (k *rig) simAfter(d time.Duration) <-chan time.Time {
	k.clock.Advance(d)
	fired := make(chan time.Time, 1)
	fired <- k.clock.Now()
	return fired
}

func unfinished(tr *track.Tracker) int {
	n := 0
	for _, c := range tr.Copies() {
		if !c.Phase.Done() {
			n++
		}
	}
	return n
}

func phases(tr *track.Tracker) string {
	count := map[model.Phase]int{}
	for _, c := range tr.Copies() {
		count[c.Phase]++
	}
	return fmt.Sprint(count)
}

func byPhase(tr *track.Tracker, p model.Phase) []model.Copy {
	var out []model.Copy
	for _, c := range tr.Copies() {
		if c.Phase == p {
			out = append(out, c)
		}
	}
	return out
}

func TestTrackerPollsEachRegionOncePerRound(t *testing.T) {
	k := newTrack(t, trackSetup{sim: ec2sim.Options{VisibilityLag: 2 * time.Second}})
	regions := []string{"us-east-1", "eu-west-1", "us-west-2"}
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	var copies []*model.Copy
	for i := range 50 {
		copies = append(copies, k.copyTo(k.source(8), regions[i%3]))
	}
	before := map[string]int{}
	for _, r := range regions {
		before[r] = k.sim.SnapshotCount(r)
	}
	if err := tr.Add(copies...); err != nil {
		t.Fatal(err)
	}

	res := k.step(tr)
	if got := sumCounts(k.sim, "CopySnapshot", regions); got != 50 {
		t.Fatalf("first round sent %d CopySnapshot, want 50", got)
	}
	for _, r := range regions {
		if got := k.sim.Count("DescribeSnapshots", r); got != 1 {
			t.Errorf("first round: %d DescribeSnapshots in %s, want 1", got, r)
		}
	}
	if len(res.Changed) != 50 {
		t.Errorf("first round changed %d copies, want 50", len(res.Changed))
	}

	// Every later round: one DescribeSnapshots per Region with copies in
	// flight, and nothing else.
	for round := 1; unfinished(tr) > 0; round++ {
		if round > 100 {
			t.Fatalf("copies never ended: %s", phases(tr))
		}
		active := map[string]bool{}
		for _, c := range tr.Copies() {
			if !c.Phase.Done() {
				active[c.Request.DestinationRegion] = true
			}
		}
		k.sim.ResetCounts()
		k.step(tr)
		want := map[string]int{}
		for r := range active {
			want["DescribeSnapshots "+r] = 1
		}
		if got := k.sim.Counts(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("round %d sent %v, want %v", round, got, want)
		}
		if len(active) != 3 && unfinished(tr) > 0 {
			t.Fatalf("round %d: copies into only %d Regions still move; the same-size copies should end together", round, len(active))
		}
	}
	k.untilDone(tr, 100, nil)
	if got := len(byPhase(tr, model.PhaseCompleted)); got != 50 {
		t.Fatalf("%d copies completed, want 50: %s", got, phases(tr))
	}
	for _, r := range regions {
		want := before[r] + 17
		if r == "us-west-2" {
			want = before[r] + 16
		}
		if got := k.sim.SnapshotCount(r); got != want {
			t.Errorf("%s holds %d snapshots, want %d", r, got, want)
		}
	}
}

func sumCounts(sim *ec2sim.Server, action string, regions []string) int {
	n := 0
	for _, r := range regions {
		n += sim.Count(action, r)
	}
	return n
}

func TestTrackerRidesOutAThrottlingStorm(t *testing.T) {
	k := newTrack(t, trackSetup{sim: ec2sim.Options{Seed: 7}})
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	var copies []*model.Copy
	for i := range 12 {
		copies = append(copies, k.copyTo(k.source(20), []string{"us-east-1", "eu-west-1"}[i%2]))
	}
	if err := tr.Add(copies...); err != nil {
		t.Fatal(err)
	}
	east, eu := k.sim.SnapshotCount("us-east-1"), k.sim.SnapshotCount("eu-west-1")

	k.sim.SetFaults(ec2sim.Faults{ThrottleRate: 0.5})
	stormEnds := trackT0.Add(time.Minute)
	var retries []track.StepResult
	for k.clock.Now().Before(stormEnds) {
		res := k.step(tr)
		if res.Status != "" {
			retries = append(retries, res)
		}
	}
	k.sim.SetFaults(ec2sim.Faults{})
	if len(retries) == 0 {
		t.Fatal("no round reported throttling during the storm")
	}
	for _, res := range retries {
		if !strings.HasPrefix(res.Status, "retrying in ") || !strings.Contains(res.Status, "RequestLimitExceeded") {
			t.Fatalf("status during the storm = %q, want \"retrying in N s: ... RequestLimitExceeded ...\"", res.Status)
		}
		if !strings.Contains(res.Status, "throttling") {
			t.Fatalf("status during the storm = %q, want what snapcopy does about it", res.Status)
		}
		if res.Next > model.BackoffCap {
			t.Fatalf("backoff %v beyond the cap", res.Next)
		}
	}

	var after track.StepResult
	k.untilDone(tr, 200, func(r track.StepResult) { after = r })
	if got := len(byPhase(tr, model.PhaseCompleted)); got != 12 {
		t.Fatalf("%d of 12 copies completed after the storm: %s", got, phases(tr))
	}
	if after.Status != "" {
		t.Errorf("status after the storm = %q, want none", after.Status)
	}
	if got := k.sim.SnapshotCount("us-east-1") - east + k.sim.SnapshotCount("eu-west-1") - eu; got != 12 {
		t.Errorf("the storm left %d copies in AWS, want exactly 12", got)
	}
}

func TestTrackerNeverCopiesTwiceAfterADroppedAnswer(t *testing.T) {
	for _, applied := range []bool{true, false} {
		t.Run(fmt.Sprintf("carried out %v", applied), func(t *testing.T) {
			k := newTrack(t, trackSetup{sim: ec2sim.Options{VisibilityLag: 3 * time.Second}})
			tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
			c := k.copyTo(k.source(8), "us-east-1")
			before := k.sim.SnapshotCount("us-east-1")
			if err := tr.Add(c); err != nil {
				t.Fatal(err)
			}
			k.sim.SetFaults(ec2sim.Faults{DropNext: 1, DropAfterApply: applied, Actions: []string{"CopySnapshot"}})

			k.step(tr)
			got := tr.Copies()[0]
			if got.Phase != model.PhaseSending {
				t.Fatalf("after a dropped answer the copy is %s, want sending (note %q)", got.Phase, got.Note)
			}
			k.untilDone(tr, 100, nil)

			got = tr.Copies()[0]
			if got.Phase != model.PhaseCompleted {
				t.Fatalf("copy ended %s: %s", got.Phase, got.StateMessage)
			}
			if n := k.sim.SnapshotCount("us-east-1") - before; n != 1 {
				t.Fatalf("us-east-1 gained %d copies, want exactly 1", n)
			}
			wantSends := 1
			if !applied {
				wantSends = 2 // the first never reached AWS: sent again after the settle delay
			}
			if n := k.sim.Count("CopySnapshot", "us-east-1"); n != wantSends {
				t.Errorf("CopySnapshot sent %d times, want %d", n, wantSends)
			}
			if s, ok := k.sim.Snapshot("us-east-1", got.SnapshotID); !ok || s.Tag(model.RequestTagKey) != got.RequestID {
				t.Errorf("the tracked id %s is not the tagged copy in AWS", got.SnapshotID)
			}
		})
	}
}

func TestTrackerShowsAWSMessageWhenAKMSKeyFails(t *testing.T) {
	k := newTrack(t, trackSetup{})
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	c := k.copyTo(k.source(100), "us-east-1", func(r *model.CopyRequest) {
		r.Encrypted = true
		r.KmsKeyID = "alias/gone-key"
	})
	if err := tr.Add(c); err != nil {
		t.Fatal(err)
	}
	var ended []string
	k.untilDone(tr, 100, func(r track.StepResult) { ended = append(ended, r.Ended...) })
	got := tr.Copies()[0]
	if got.Phase != model.PhaseFailed {
		t.Fatalf("copy with a missing key ended %s", got.Phase)
	}
	if want := "Given key ID is not accessible"; got.StateMessage != want {
		t.Errorf("StateMessage = %q, want AWS's %q", got.StateMessage, want)
	}
	if len(ended) != 1 || ended[0] != c.RequestID {
		t.Errorf("Ended over the run = %v, want the copy once", ended)
	}
}

func TestTrackerDoesNotFailACopyInItsVisibilityLag(t *testing.T) {
	k := newTrack(t, trackSetup{sim: ec2sim.Options{VisibilityLag: 90 * time.Second}})
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	if err := tr.Add(k.copyTo(k.source(50), "eu-west-1")); err != nil {
		t.Fatal(err)
	}
	for i := range 15 { // 75 s of polls that do not see the copy
		res := k.step(tr)
		got := tr.Copies()[0]
		if got.Phase != model.PhaseStarting || got.SnapshotID == "" {
			t.Fatalf("poll %d: copy is %s (id %q) during AWS's visibility lag, want starting", i, got.Phase, got.SnapshotID)
		}
		if len(res.Ended) > 0 || res.Status != "" {
			t.Fatalf("poll %d reported %+v", i, res)
		}
	}
	k.clock.Advance(30 * time.Second)
	k.step(tr)
	if got := tr.Copies()[0]; got.Phase != model.PhaseRunning {
		t.Fatalf("after the lag the copy is %s, want running", got.Phase)
	}
}

func TestTrackerQueuesCopiesAWSRefusesForItsLimit(t *testing.T) {
	k := newTrack(t, trackSetup{})
	// A local limit above AWS's lets AWS's ResourceLimitExceeded happen.
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{MaxInFlightPerRegion: 100})
	var copies []*model.Copy
	for range ec2sim.MaxPendingCopies + 5 {
		copies = append(copies, k.copyTo(k.source(8), "us-east-1"))
	}
	before := k.sim.SnapshotCount("us-east-1")
	if err := tr.Add(copies...); err != nil {
		t.Fatal(err)
	}
	res := k.step(tr)
	queued := byPhase(tr, model.PhaseQueued)
	if len(queued) != 5 {
		t.Fatalf("%d copies queued after AWS's limit, want 5: %s", len(queued), phases(tr))
	}
	for _, c := range queued {
		if !strings.HasPrefix(c.Note, "waiting: ResourceLimitExceeded: ") {
			t.Errorf("queued copy note = %q", c.Note)
		}
	}
	// The first refusal stops sending to that Region for the round.
	if n := k.sim.Count("CopySnapshot", "us-east-1"); n != ec2sim.MaxPendingCopies+1 {
		t.Errorf("first round sent %d CopySnapshot, want %d", n, ec2sim.MaxPendingCopies+1)
	}
	if res.Status != "" {
		t.Errorf("a Region at its copy limit is not trouble; status = %q", res.Status)
	}
	k.untilDone(tr, 300, nil)
	if got := len(byPhase(tr, model.PhaseCompleted)); got != len(copies) {
		t.Fatalf("%d of %d copies completed: %s", got, len(copies), phases(tr))
	}
	if n := k.sim.SnapshotCount("us-east-1") - before; n != len(copies) {
		t.Errorf("us-east-1 gained %d copies, want %d", n, len(copies))
	}
}

func TestTrackerKeepsToItsInFlightLimit(t *testing.T) {
	k := newTrack(t, trackSetup{})
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{MaxInFlightPerRegion: 4})
	var copies []*model.Copy
	for range 10 {
		copies = append(copies, k.copyTo(k.source(8), "us-east-1"))
	}
	copies = append(copies, k.copyTo(k.source(8), "eu-west-1"))
	if err := tr.Add(copies...); err != nil {
		t.Fatal(err)
	}
	k.step(tr)
	if n := k.sim.Count("CopySnapshot", "us-east-1"); n != 4 {
		t.Fatalf("sent %d copies to us-east-1 at once, want the limit 4", n)
	}
	if n := k.sim.Count("CopySnapshot", "eu-west-1"); n != 1 {
		t.Fatalf("another Region's copy waited: %d sent", n)
	}
	for _, c := range byPhase(tr, model.PhaseQueued) {
		if c.Note != "waiting: 4 copies in flight to us-east-1 (at most 4 at once)" {
			t.Errorf("queued note = %q", c.Note)
		}
	}
	maxSeen := 0
	k.untilDone(tr, 300, func(track.StepResult) {
		n := 0
		for _, c := range tr.Copies() {
			if c.Request.DestinationRegion == "us-east-1" && (c.Phase == model.PhaseStarting || c.Phase == model.PhaseRunning || c.Phase == model.PhaseSending) {
				n++
			}
		}
		maxSeen = max(maxSeen, n)
	})
	if maxSeen > 4 {
		t.Errorf("%d copies in flight to us-east-1 at once, limit 4", maxSeen)
	}
	if got := len(byPhase(tr, model.PhaseCompleted)); got != 11 {
		t.Fatalf("%d of 11 completed", got)
	}
}

// stateWatch reads the state file each time CopySnapshot arrives, to see
// what a process killed at that instant would have left on disk.
type stateWatch struct {
	path string
	mu   sync.Mutex
	seen []string // per CopySnapshot: the phase the file gave its copy ("" when absent)
	// attempted is, per CopySnapshot, the file's time of the copy's last attempt.
	attempted []time.Time
}

func (s *stateWatch) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		if form.Get("Action") == "CopySnapshot" {
			rid := ""
			for i := 1; form.Get(fmt.Sprintf("TagSpecification.1.Tag.%d.Key", i)) != ""; i++ {
				if form.Get(fmt.Sprintf("TagSpecification.1.Tag.%d.Key", i)) == model.RequestTagKey {
					rid = form.Get(fmt.Sprintf("TagSpecification.1.Tag.%d.Value", i))
				}
			}
			phase, attempted := "", time.Time{}
			if data, err := os.ReadFile(s.path); err == nil && rid != "" && bytes.Contains(data, []byte(rid)) {
				list, err := model.LoadWatchList(s.path, time.Now())
				if err == nil {
					if c := list.Find(rid); c != nil {
						phase, attempted = string(c.Phase), c.AttemptedAt
					}
				}
			}
			s.mu.Lock()
			s.seen = append(s.seen, phase)
			s.attempted = append(s.attempted, attempted)
			s.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func TestTrackerWritesTheStateFileBeforeSendingAndResumesFromIt(t *testing.T) {
	watch := &stateWatch{}
	k := newTrack(t, trackSetup{handler: watch.wrap})
	watch.path = k.path
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	var copies []*model.Copy
	for range 3 {
		copies = append(copies, k.copyTo(k.source(30), "us-east-1"))
	}
	if err := tr.Add(copies...); err != nil {
		t.Fatal(err)
	}
	// Add alone writes the file: a copy is on disk before anything is sent.
	saved, err := model.LoadWatchList(k.path, k.clock.Now())
	if err != nil || len(saved.Copies) != 3 || saved.Copies[0].Phase != model.PhaseQueued {
		t.Fatalf("after Add the state file holds %v (err %v), want 3 queued copies", saved, err)
	}
	k.step(tr)
	if len(watch.seen) != 3 {
		t.Fatalf("saw %d CopySnapshot, want 3", len(watch.seen))
	}
	for i, p := range watch.seen {
		if p != string(model.PhaseSending) {
			t.Errorf("CopySnapshot %d arrived while the state file gave its copy phase %q, want sending", i, p)
		}
	}
	k.step(tr)
	ids := map[string]string{}
	for _, c := range tr.Copies() {
		ids[c.RequestID] = c.SnapshotID
	}

	// A new process reads the same file and carries on: no copy is sent again.
	list, err := model.LoadWatchList(k.path, k.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	again := k.tracker(list, track.TrackerOptions{})
	k.untilDone(again, 200, nil)
	for _, c := range again.Copies() {
		if c.Phase != model.PhaseCompleted || c.SnapshotID != ids[c.RequestID] {
			t.Errorf("resumed copy %s: %s %s, want completed %s", c.RequestID, c.Phase, c.SnapshotID, ids[c.RequestID])
		}
	}
	if n := k.sim.Count("CopySnapshot", "us-east-1"); n != 3 {
		t.Errorf("CopySnapshot sent %d times over both processes, want 3", n)
	}
}

func TestTrackerRecordsAResendBeforeSendingIt(t *testing.T) {
	watch := &stateWatch{}
	k := newTrack(t, trackSetup{handler: watch.wrap})
	watch.path = k.path
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	if err := tr.Add(k.copyTo(k.source(8), "us-east-1")); err != nil {
		t.Fatal(err)
	}
	// The first CopySnapshot never reaches AWS.
	k.sim.SetFaults(ec2sim.Faults{DropNext: 1, Actions: []string{"CopySnapshot"}})
	for len(watch.seen) < 2 {
		k.step(tr)
		if k.clock.Now().After(trackT0.Add(5 * time.Minute)) {
			t.Fatal("the copy was never sent again")
		}
	}
	resendAt := tr.Copies()[0].AttemptedAt
	if !watch.attempted[1].Equal(resendAt) || watch.seen[1] != string(model.PhaseSending) {
		t.Fatalf("when the resend arrived the file said %s attempted at %v, want sending attempted at %v",
			watch.seen[1], watch.attempted[1], resendAt)
	}
	if !resendAt.After(watch.attempted[0]) {
		t.Fatalf("the resend's time %v is not after the first send's %v", resendAt, watch.attempted[0])
	}
}

func TestTrackerResumesACopyLeftSendingByAnEarlierProcess(t *testing.T) {
	k := newTrack(t, trackSetup{})
	first := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	c := k.copyTo(k.source(8), "ap-southeast-2")
	if err := first.Add(c); err != nil {
		t.Fatal(err)
	}
	before := k.sim.SnapshotCount("ap-southeast-2")
	// AWS makes the copy but the answer is lost, then the process ends.
	k.sim.SetFaults(ec2sim.Faults{DropNext: 1, DropAfterApply: true, Actions: []string{"CopySnapshot"}})
	first.Step(context.Background())
	k.sim.SetFaults(ec2sim.Faults{})

	list, err := model.LoadWatchList(k.path, k.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got := list.Copies[0].Phase; got != model.PhaseSending {
		t.Fatalf("the file says %s, want sending", got)
	}
	second := k.tracker(list, track.TrackerOptions{})
	k.untilDone(second, 100, nil)
	if got := second.Copies()[0]; got.Phase != model.PhaseCompleted {
		t.Fatalf("copy ended %s", got.Phase)
	}
	if n := k.sim.SnapshotCount("ap-southeast-2") - before; n != 1 {
		t.Fatalf("ap-southeast-2 gained %d copies, want 1", n)
	}
}

func TestTrackerStartsAfreshBesideACorruptStateFile(t *testing.T) {
	k := newTrack(t, trackSetup{})
	garbage := []byte("{\"format\": \"snapcopy-copies/1\", \"copies\": [ truncated")
	if err := os.WriteFile(k.path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	list, err := model.LoadWatchList(k.path, k.clock.Now())
	var sfe *model.StateFileError
	if !errors.As(err, &sfe) {
		t.Fatalf("LoadWatchList error = %v, want a StateFileError", err)
	}
	tr := k.tracker(list, track.TrackerOptions{})
	c := k.copyTo(k.source(8), "us-east-1")
	if err := tr.Add(c); err != nil {
		t.Fatal(err)
	}
	kept, err := os.ReadFile(sfe.KeptAs)
	if err != nil || !bytes.Equal(kept, garbage) {
		t.Fatalf("the corrupt file was not kept as it was at %s (err %v)", sfe.KeptAs, err)
	}
	fresh, err := model.LoadWatchList(k.path, k.clock.Now())
	if err != nil || len(fresh.Copies) != 1 || fresh.Copies[0].RequestID != c.RequestID {
		t.Fatalf("the new state file holds %v (err %v), want the new copy", fresh, err)
	}
	k.untilDone(tr, 100, nil)
}

func TestTrackerPausesOnExpiredCredentials(t *testing.T) {
	for _, tc := range []struct {
		profile, hint string
	}{
		{"", "renew them (for example `aws sso login --profile "},
		{"prod-admin", "aws sso login --profile prod-admin"},
	} {
		t.Run("profile "+tc.profile, func(t *testing.T) {
			if tc.profile != "" {
				cfg := filepath.Join(t.TempDir(), "config")
				if err := os.WriteFile(cfg, []byte("[profile "+tc.profile+"]\nregion = us-west-2\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				t.Setenv("AWS_CONFIG_FILE", cfg)
			}
			k := newTrack(t, trackSetup{client: func(o *awsops.Options) { o.Profile = tc.profile }})
			tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
			if err := tr.Add(k.copyTo(k.source(8), "us-east-1")); err != nil {
				t.Fatal(err)
			}
			k.sim.SetFaults(ec2sim.Faults{ExpiredCredentials: true})
			res := tr.Step(context.Background())
			if !res.Paused || !strings.Contains(res.Status, tc.hint) || !strings.Contains(res.Status, "RequestExpired") {
				t.Fatalf("Step with expired credentials = %+v, want paused with a hint naming %q", res, tc.hint)
			}
			if got := tr.Copies()[0]; got.Phase != model.PhaseQueued {
				t.Fatalf("the copy is %s, want queued (nothing was made)", got.Phase)
			}
			k.sim.ResetCounts()
			// Stepped again and again, a paused tracker calls nothing.
			ctx := context.Background()
			for _, res := range []track.StepResult{tr.Step(ctx), tr.Step(ctx), tr.Step(ctx)} {
				if !res.Paused {
					t.Fatal("Step ran before Resume")
				}
			}
			if n := len(k.sim.Counts()); n != 0 {
				t.Fatalf("a paused tracker called AWS: %v", k.sim.Counts())
			}
			k.sim.SetFaults(ec2sim.Faults{})
			tr.Resume()
			if res := tr.Step(context.Background()); res.Paused || res.Status != "" {
				t.Fatalf("after Resume: %+v", res)
			}
			k.clock.Advance(5 * time.Second)
			k.untilDone(tr, 100, nil)
		})
	}
}

func TestTrackerFailsACopyAWSRefuses(t *testing.T) {
	k := newTrack(t, trackSetup{})
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	missing := model.Snapshot{ID: "snap-0123456789abcdef0", VolumeSizeGiB: 8}
	c := k.copyTo(missing, "us-east-1")
	if err := tr.Add(c); err != nil {
		t.Fatal(err)
	}
	res := k.step(tr)
	got := tr.Copies()[0]
	if got.Phase != model.PhaseFailed || !strings.Contains(got.StateMessage, "InvalidSnapshot.NotFound") {
		t.Fatalf("copy of a missing source: %s %q", got.Phase, got.StateMessage)
	}
	if len(res.Ended) != 1 || res.Ended[0] != c.RequestID {
		t.Errorf("Ended = %v, want the copy", res.Ended)
	}
	if res.Status != "" {
		t.Errorf("one refused copy is not trouble for the others; status %q", res.Status)
	}
}

func TestTrackerPollsTimeBasedCopiesSlowly(t *testing.T) {
	k := newTrack(t, trackSetup{})
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	if err := tr.Add(k.copyTo(k.source(8), "us-east-1", func(r *model.CopyRequest) { r.CompletionDurationMinutes = 240 })); err != nil {
		t.Fatal(err)
	}
	k.step(tr) // sent
	res := k.step(tr)
	if got := tr.Copies()[0]; got.Phase != model.PhaseRunning {
		t.Fatalf("copy is %s", got.Phase)
	}
	if res.Next != model.PollIntervalSlow {
		t.Errorf("a 4-hour time-based copy is polled every %v, want %v", res.Next, model.PollIntervalSlow)
	}
}

func TestTrackerAddAndRemove(t *testing.T) {
	k := newTrack(t, trackSetup{})
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	c := k.copyTo(k.source(8), "us-east-1")
	if err := tr.Add(c); err != nil {
		t.Fatal(err)
	}
	if err := tr.Add(c); err == nil {
		t.Error("the same copy was added twice")
	}
	if err := tr.Remove(c.RequestID); err == nil || !strings.Contains(err.Error(), "still queued") {
		t.Errorf("Remove of an unfinished copy = %v, want a refusal", err)
	}
	k.untilDone(tr, 100, nil)
	if err := tr.Remove(c.RequestID); err != nil {
		t.Fatal(err)
	}
	if n := len(tr.Copies()); n != 0 {
		t.Errorf("%d copies left after Remove", n)
	}
	saved, err := model.LoadWatchList(k.path, k.clock.Now())
	if err != nil || len(saved.Copies) != 0 {
		t.Errorf("the state file still holds %v (err %v)", saved, err)
	}
	if err := tr.Remove("sc-unknown"); err == nil {
		t.Error("Remove of an unknown copy succeeded")
	}

	// A state file that cannot be written refuses the copies: nothing is sent.
	blocked := track.NewTracker(k.client, &model.WatchList{}, filepath.Join(k.path, "not-a-dir", "copies.json"), track.TrackerOptions{Now: k.clock.Now})
	if err := blocked.Add(k.copyTo(k.source(8), "us-east-1")); err == nil {
		t.Fatal("Add succeeded without a state file")
	}
	if n := len(blocked.Copies()); n != 0 {
		t.Errorf("%d copies tracked although the file was not written", n)
	}
}

func TestTrackerIsSafeForConcurrentUse(t *testing.T) {
	k := newTrack(t, trackSetup{sim: ec2sim.Options{VisibilityLag: time.Second}})
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = track.Follow(ctx, tr, track.FollowOptions{After: k.simAfter})
	}()
	for range 20 {
		if err := tr.Add(k.copyTo(k.source(8), "us-east-1")); err != nil {
			t.Error(err)
		}
		for _, c := range tr.Copies() {
			if c.Phase.Done() {
				_ = tr.Remove(c.RequestID)
			}
		}
	}
	cancel()
	wg.Wait()
}

// A Region that answers AuthFailure (not enabled for the account) holds
// back only its own copies: the tracker does not pause, and copies to
// other Regions complete.
func TestTrackerKeepsOtherRegionsGoingWhenOneRefusesTheCredentials(t *testing.T) {
	k := newTrack(t, trackSetup{})
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	src := k.source(8)
	refused, fine := k.copyTo(src, "af-south-1"), k.copyTo(src, "us-east-1")
	if err := tr.Add(refused, fine); err != nil {
		t.Fatal(err)
	}
	for range 40 {
		res := k.step(tr)
		if res.Paused {
			t.Fatalf("the tracker paused: %+v", res)
		}
		if len(byPhase(tr, model.PhaseCompleted)) == 1 {
			break
		}
	}
	for _, c := range tr.Copies() {
		switch c.Request.DestinationRegion {
		case "us-east-1":
			if c.Phase != model.PhaseCompleted {
				t.Errorf("the us-east-1 copy is %s, want completed", c.Phase)
			}
		case "af-south-1":
			if c.Phase != model.PhaseQueued || !strings.Contains(c.Note, "AuthFailure") || !strings.Contains(c.Note, "enable the Region") {
				t.Errorf("the af-south-1 copy is %s with note %q, want queued and told why", c.Phase, c.Note)
			}
		}
	}
	if n := k.sim.Count("CopySnapshot", "us-east-1"); n != 1 {
		t.Errorf("CopySnapshot sent %d times to us-east-1, want 1", n)
	}
}

// hideCopies answers snapshot-id filtered listings with no snapshots, as
// if the copies had vanished, and, when gone is set, answers a look-up by
// id with InvalidSnapshot.NotFound; everything else reaches the simulator.
type hideCopies struct {
	next       http.Handler
	hide, gone atomic.Bool
}

func (h *hideCopies) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, _ := url.ParseQuery(string(body))
	if form.Get("Action") == "DescribeSnapshots" {
		if h.hide.Load() && form.Get("Filter.1.Name") == "snapshot-id" {
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprint(w, `<DescribeSnapshotsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><snapshotSet/></DescribeSnapshotsResponse>`)
			return
		}
		if h.gone.Load() && form.Get("SnapshotId.1") != "" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `<Response><Errors><Error><Code>InvalidSnapshot.NotFound</Code><Message>The snapshot '%s' does not exist.</Message></Error></Errors><RequestID>r</RequestID></Response>`, form.Get("SnapshotId.1"))
			return
		}
	}
	h.next.ServeHTTP(w, r)
}

// A running copy missing from the listings is failed only when AWS, asked
// for it by id, says it does not exist: a listing glitch loses nothing.
func TestTrackerFailsAVanishedCopyOnlyWhenAWSSaysItIsGone(t *testing.T) {
	var h *hideCopies
	k := newTrack(t, trackSetup{handler: func(next http.Handler) http.Handler {
		h = &hideCopies{next: next}
		return h
	}})
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	if err := tr.Add(k.copyTo(k.source(500), "us-east-1")); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		k.step(tr)
		if len(byPhase(tr, model.PhaseRunning)) == 1 {
			break
		}
	}
	if len(byPhase(tr, model.PhaseRunning)) != 1 {
		t.Fatalf("the copy never ran: %s", phases(tr))
	}

	h.hide.Store(true)
	for i := range 6 {
		k.step(tr)
		if c := tr.Copies()[0]; c.Phase != model.PhaseRunning {
			t.Fatalf("poll %d of a hidden but existing copy: %s %q, want still running", i, c.Phase, c.StateMessage)
		}
	}
	h.hide.Store(false)
	k.step(tr)
	h.hide.Store(true)
	h.gone.Store(true)
	for range 6 {
		k.step(tr)
	}
	c := tr.Copies()[0]
	if c.Phase != model.PhaseFailed || !strings.Contains(c.StateMessage, "does not exist") || !strings.Contains(c.StateMessage, "another account") {
		t.Errorf("a copy AWS says is gone: %s %q, want failed and told why", c.Phase, c.StateMessage)
	}
}
