package track

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

var t0 = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

// bench is a tracker on the in-memory AWS, a manual clock and a state
// file in a temporary folder.
type bench struct {
	t     *testing.T
	aws   *fakeAWS
	clock *manualClock
	path  string
	tr    *Tracker
}

func newBench(t *testing.T, opts TrackerOptions) *bench {
	t.Helper()
	b := &bench{t: t, aws: newFake(), clock: &manualClock{t: t0}, path: filepath.Join(t.TempDir(), "copies.json")}
	opts.Now = b.clock.Now
	if opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(1, 2))
	}
	b.tr = NewTracker(b.aws, &model.WatchList{}, b.path, opts)
	return b
}

// add tracks a queued copy into each Region given.
func (b *bench) add(regions ...string) []*model.Copy {
	b.t.Helper()
	var out []*model.Copy
	for i, r := range regions {
		src := model.Snapshot{ID: fmt.Sprintf("snap-0%016x", 0xabc000+i), VolumeSizeGiB: 8}
		out = append(out, model.NewCopy(model.CopyRequest{DestinationRegion: r, SourceRegion: "us-west-2", SourceSnapshotID: src.ID}, src, b.clock.Now()))
	}
	if err := b.tr.Add(out...); err != nil {
		b.t.Fatal(err)
	}
	return out
}

// step runs one Step and moves the clock by what it asked.
func (b *bench) step() StepResult {
	b.t.Helper()
	res := b.tr.Step(context.Background())
	if res.Next <= 0 && !res.Paused {
		b.t.Fatalf("Step asked for no wait: %+v", res)
	}
	b.clock.Advance(res.Next)
	return res
}

func (b *bench) phases() map[model.Phase]int {
	out := map[model.Phase]int{}
	for _, c := range b.tr.Copies() {
		out[c.Phase]++
	}
	return out
}

func (b *bench) copy(requestID string) model.Copy {
	for _, c := range b.tr.Copies() {
		if c.RequestID == requestID {
			return c
		}
	}
	b.t.Fatalf("copy %s is not tracked", requestID)
	return model.Copy{}
}

// accepted reports a phase after AWS answered with the copy's id.
func accepted(p model.Phase) bool { return p == model.PhaseStarting || p == model.PhaseRunning }

func TestKeepsToTheInFlightLimitOfEachRegion(t *testing.T) {
	b := newBench(t, TrackerOptions{MaxInFlightPerRegion: 4})
	b.add("us-east-1", "us-east-1", "us-east-1", "us-east-1", "us-east-1", "us-east-1", "eu-west-1")
	b.step()
	if n := b.aws.count("CopySnapshot", "us-east-1"); n != 4 {
		t.Fatalf("sent %d copies to us-east-1 at once, want the limit 4", n)
	}
	if n := b.aws.count("CopySnapshot", "eu-west-1"); n != 1 {
		t.Fatalf("another Region's copy waited: %d sent", n)
	}
	queued := 0
	for _, c := range b.tr.Copies() {
		if c.Phase == model.PhaseQueued {
			queued++
			if c.Note != "waiting: 4 copies in flight to us-east-1 (at most 4 at once)" {
				t.Errorf("queued note = %q", c.Note)
			}
		}
	}
	if queued != 2 {
		t.Fatalf("%d copies queued, want 2: %v", queued, b.phases())
	}
	// Still four in flight: nothing more is sent.
	b.step()
	if n := b.aws.count("CopySnapshot", "us-east-1"); n != 4 {
		t.Fatalf("sent %d copies to us-east-1 while four were in flight", n)
	}
	// The four end: the last two go.
	b.aws.completeAll()
	b.step()
	b.step()
	if n := b.aws.count("CopySnapshot", "us-east-1"); n != 6 {
		t.Fatalf("sent %d copies to us-east-1 after the first ended, want 6", n)
	}
}

func TestBacksOffOnThrottlingAndResetsOnSuccess(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.aws.regionErr["us-east-1"] = apiErr("CopySnapshot", "us-east-1", "RequestLimitExceeded", model.ErrThrottled)
	b.add("us-east-1", "us-east-1")
	var waits []time.Duration
	for range 6 {
		res := b.step()
		if !strings.HasPrefix(res.Status, "retrying in ") || !strings.Contains(res.Status, "RequestLimitExceeded") || !strings.Contains(res.Status, "throttling") {
			t.Fatalf("status %q, want a retry on throttling with AWS's code and what snapcopy does", res.Status)
		}
		if want := fmt.Sprintf("retrying in %d s:", int((res.Next+time.Second-1)/time.Second)); !strings.HasPrefix(res.Status, want) {
			t.Errorf("status %q does not say the wait %v", res.Status, res.Next)
		}
		waits = append(waits, res.Next)
	}
	// Capped exponential: the n-th wait is at most 2 s * 2^n.
	for i, w := range waits {
		if ceiling := model.BackoffBase << i; w > ceiling || w < model.BackoffFloor {
			t.Errorf("wait %d = %v, want within [%v, %v]", i, w, model.BackoffFloor, ceiling)
		}
	}
	// The first refusal holds back the Region for the round: one send a Step.
	if n := b.aws.count("CopySnapshot", "us-east-1"); n != 6 {
		t.Errorf("%d CopySnapshot in 6 throttled rounds, want 6", n)
	}
	for _, c := range b.tr.Copies() {
		if c.Phase != model.PhaseQueued || !strings.HasPrefix(c.Note, "waiting: RequestLimitExceeded: ") {
			t.Errorf("copy during throttling: %s %q", c.Phase, c.Note)
		}
	}

	delete(b.aws.regionErr, "us-east-1")
	res := b.step()
	if res.Status != "" || res.Next != model.PollInterval {
		t.Fatalf("after the throttling: %+v, want no status and the normal pace", res)
	}
	// The backoff starts again from its base.
	b.aws.regionErr["us-east-1"] = apiErr("DescribeSnapshots", "us-east-1", "RequestLimitExceeded", model.ErrThrottled)
	if res := b.step(); res.Next > model.BackoffBase || !strings.HasPrefix(res.Status, "retrying in ") {
		t.Errorf("first wait after a reset = %v (%q), want at most %v", res.Next, res.Status, model.BackoffBase)
	}
}

func TestPausesOnExpiredCredentialsUntilResume(t *testing.T) {
	for _, tc := range []struct{ profile, hint string }{
		{"", "aws sso login --profile NAME"},
		{"prod-admin", "aws sso login --profile prod-admin"},
	} {
		t.Run("profile "+tc.profile, func(t *testing.T) {
			b := newBench(t, TrackerOptions{})
			b.aws.profile = tc.profile
			// Expired credentials answer in every Region, the home one too.
			b.aws.regionErr["us-east-1"] = apiErr("CopySnapshot", "us-east-1", "RequestExpired", model.ErrCredentials)
			c := b.add("us-east-1")[0]
			res := b.tr.Step(context.Background())
			if !res.Paused || res.Status != "paused: credentials expired or invalid: renew them (for example `"+tc.hint+"`), then try again — CopySnapshot in us-east-1: RequestExpired: AWS says RequestExpired" {
				t.Fatalf("Step with expired credentials = %+v, want paused with a hint naming %q", res, tc.hint)
			}
			if !b.tr.Paused() {
				t.Error("Paused() = false")
			}
			if got := b.copy(c.RequestID); got.Phase != model.PhaseQueued {
				t.Fatalf("the copy is %s, want queued (nothing was made)", got.Phase)
			}
			b.aws.resetCalls()
			for range 3 {
				if again := b.tr.Step(context.Background()); !again.Paused || again.Status != res.Status {
					t.Fatalf("Step before Resume = %+v", again)
				}
			}
			if calls := b.aws.callList(); len(calls) != 0 {
				t.Fatalf("a paused tracker called AWS: %v", calls)
			}
			delete(b.aws.regionErr, "us-east-1")
			b.tr.Resume()
			if res := b.tr.Step(context.Background()); res.Paused || res.Status != "" || res.Next != model.PollInterval {
				t.Fatalf("after Resume: %+v", res)
			}
			if got := b.copy(c.RequestID); !accepted(got.Phase) {
				t.Errorf("after Resume the copy is %s, want accepted", got.Phase)
			}
		})
	}
}

// A Region that answers AuthFailure (not enabled for the account) holds
// back only its own copies; the same answer from the home Region pauses.
func TestHoldsARegionThatRefusesTheCredentials(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.aws.regionErr["af-south-1"] = apiErr("CopySnapshot", "af-south-1", "AuthFailure", model.ErrCredentials)
	cs := b.add("af-south-1", "af-south-1", "us-east-1")
	res := b.step()
	if res.Paused || !strings.HasPrefix(res.Status, "retrying in ") {
		t.Fatalf("Step = %+v, want a retry, not a pause", res)
	}
	for _, c := range cs[:2] {
		got := b.copy(c.RequestID)
		if got.Phase != model.PhaseQueued || got.Note != "waiting: AWS refused the credentials in af-south-1 (AuthFailure): enable the Region for this account, or check the credentials" {
			t.Errorf("af-south-1 copy: %s %q", got.Phase, got.Note)
		}
	}
	if n := b.aws.count("CopySnapshot", "af-south-1"); n != 1 {
		t.Errorf("%d CopySnapshot to the refusing Region in one round, want 1", n)
	}
	if got := b.copy(cs[2].RequestID); !accepted(got.Phase) {
		t.Errorf("us-east-1 copy is %s, want accepted", got.Phase)
	}

	home := newBench(t, TrackerOptions{})
	home.aws.regionErr["us-west-2"] = apiErr("CopySnapshot", "us-west-2", "AuthFailure", model.ErrCredentials)
	home.add("us-west-2")
	if res := home.step(); !res.Paused {
		t.Errorf("AuthFailure in the home Region: %+v, want paused", res)
	}
}

func TestReact(t *testing.T) {
	for _, tc := range []struct {
		code   string
		region string
		kind   model.ErrorKind
		want   reaction
	}{
		{"AuthFailure", "af-south-1", model.ErrCredentials, holdRegionAndBackOff},
		{"AuthFailure", "us-west-2", model.ErrCredentials, pause},
		{"AuthFailure", "", model.ErrCredentials, pause},
		{"RequestExpired", "eu-west-1", model.ErrCredentials, pause},
		{"SignatureDoesNotMatch", "us-east-1", model.ErrSignature, holdRegionAndBackOff},
		{"SignatureDoesNotMatch", "us-west-2", model.ErrSignature, holdRegionAndBackOff},
		{"ResourceLimitExceeded", "us-east-1", model.ErrLimit, holdRegion},
		{"RequestLimitExceeded", "us-east-1", model.ErrThrottled, holdRegionAndBackOff},
		{"InternalError", "us-east-1", model.ErrTransient, holdRegionAndBackOff},
		{"", "us-east-1", model.ErrUnreachable, holdRegionAndBackOff},
		{"InvalidParameterValue", "us-east-1", model.ErrInvalid, carryOn},
		{"UnauthorizedOperation", "us-east-1", model.ErrPermission, carryOn},
		{"IncorrectState", "us-east-1", model.ErrState, carryOn},
	} {
		if got := react(apiErr("CopySnapshot", tc.region, tc.code, tc.kind), "us-west-2"); got != tc.want {
			t.Errorf("react(%s in %q) = %v, want %v", tc.code, tc.region, got, tc.want)
		}
	}
}

func TestAWSLimitQueuesWithoutTrouble(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.aws.sendFaults = []sendFault{{}, {err: apiErr("CopySnapshot", "us-east-1", "ResourceLimitExceeded", model.ErrLimit)}}
	b.add("us-east-1", "us-east-1", "us-east-1")
	res := b.step()
	if res.Status != "" {
		t.Errorf("a Region at AWS's copy limit is not trouble; status %q", res.Status)
	}
	if n := b.aws.count("CopySnapshot", "us-east-1"); n != 2 {
		t.Errorf("%d CopySnapshot, want 2: the refusal stops the round's sends there", n)
	}
	if p := b.phases(); p[model.PhaseQueued] != 2 || p[model.PhaseRunning] != 1 {
		t.Errorf("phases %v, want 1 running and 2 queued", p)
	}
	for _, c := range b.tr.Copies() {
		if c.Phase == model.PhaseQueued && !strings.HasPrefix(c.Note, "waiting: ResourceLimitExceeded: ") {
			t.Errorf("queued note %q", c.Note)
		}
	}
}

func TestFailsACopyAWSRefusesForGood(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.aws.sendFaults = []sendFault{{err: apiErr("CopySnapshot", "us-east-1", "InvalidSnapshot.NotFound", model.ErrNotFound)}}
	cs := b.add("us-east-1", "us-east-1")
	res := b.step()
	got := b.copy(cs[0].RequestID)
	if got.Phase != model.PhaseFailed || got.StateMessage != "InvalidSnapshot.NotFound: AWS says InvalidSnapshot.NotFound" {
		t.Fatalf("refused copy: %s %q", got.Phase, got.StateMessage)
	}
	if len(res.Ended) != 1 || res.Ended[0] != cs[0].RequestID || res.Status != "" {
		t.Errorf("Step = %+v, want the copy ended and no trouble", res)
	}
	if other := b.copy(cs[1].RequestID); !accepted(other.Phase) {
		t.Errorf("the other copy is %s, want accepted", other.Phase)
	}
	b.step()
	if n := b.aws.count("CopySnapshot", "us-east-1"); n != 2 {
		t.Errorf("a failed copy was sent again: %d sends", n)
	}
}

// A copy whose CopySnapshot got no answer is looked for by its tag, and
// sent again only once the settle delay has passed with nothing found.
func TestResendsAnUnansweredCopyOnlyAfterTheSettleDelay(t *testing.T) {
	const settle = 20 * time.Second
	for _, made := range []bool{true, false} {
		t.Run(fmt.Sprintf("made %v", made), func(t *testing.T) {
			b := newBench(t, TrackerOptions{SettleDelay: settle})
			b.aws.sendFaults = []sendFault{{err: apiErr("CopySnapshot", "us-east-1", "", model.ErrTransient), made: made}}
			c := b.add("us-east-1")[0]
			b.aws.hideNew = true // the copy AWS made is not visible yet
			b.tr.Step(context.Background())
			got := b.copy(c.RequestID)
			if got.Phase != model.PhaseSending || got.Note != "no answer from AWS (AWS says ); checking whether the copy was made" || got.Attempts != 1 {
				t.Fatalf("after no answer: %s %q attempts %d", got.Phase, got.Note, got.Attempts)
			}
			// Within the settle delay: look-ups only.
			for range 3 {
				b.clock.Advance(settle / 4)
				b.tr.Step(context.Background())
			}
			if n := b.aws.count("CopySnapshot", "us-east-1"); n != 1 {
				t.Fatalf("sent again within the settle delay: %d sends", n)
			}
			if n := b.aws.count("FindByRequestID", "us-east-1"); n != 3 {
				t.Errorf("%d tag look-ups, want one a Step", n)
			}
			// The note still says why the answer was lost.
			if got := b.copy(c.RequestID); got.Phase != model.PhaseSending || got.Note != "no answer from AWS (AWS says ); checking whether the copy was made" {
				t.Errorf("waiting copy: %s %q", got.Phase, got.Note)
			}
			b.aws.hidden = map[string]bool{} // the lag is over
			b.clock.Advance(settle)
			b.tr.Step(context.Background())
			got = b.copy(c.RequestID)
			wantSends := 2
			if made {
				wantSends = 1
			}
			if n := b.aws.count("CopySnapshot", "us-east-1"); n != wantSends {
				t.Errorf("%d sends, want %d", n, wantSends)
			}
			if !accepted(got.Phase) || got.SnapshotID == "" || b.aws.made("us-east-1") != 1 {
				t.Errorf("copy %s %q; AWS holds %d copies, want exactly 1", got.Phase, got.SnapshotID, b.aws.made("us-east-1"))
			}
		})
	}
}

// The state file says "sending" before CopySnapshot leaves: a process
// killed then looks for the copy by its tag instead of sending it again.
func TestSavesTheSendBeforeSending(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	var seen []string
	b.aws.onSend = func(req model.CopyRequest) {
		list, err := model.LoadWatchList(b.path, b.clock.Now())
		if err != nil {
			t.Errorf("read the state file during the send: %v", err)
			return
		}
		for _, c := range list.Copies {
			if c.RequestID == (model.Snapshot{Tags: req.Tags}).Tag(model.RequestTagKey) {
				seen = append(seen, string(c.Phase))
			}
		}
	}
	b.add("us-east-1", "eu-west-1")
	b.step()
	if len(seen) != 2 || seen[0] != "sending" || seen[1] != "sending" {
		t.Errorf("the file gave the copies being sent the phases %v, want sending", seen)
	}
}

func TestStartsNothingWhileTheStateFileCannotBeWritten(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	c := b.add("us-east-1")[0]
	// The folder of the state file becomes a plain file.
	dir := filepath.Dir(b.path)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	res := b.step()
	if n := b.aws.count("CopySnapshot", ""); n != 0 {
		t.Fatalf("%d CopySnapshot sent without a state file", n)
	}
	if !strings.Contains(res.Status, "no copy is started while the state file cannot be written") {
		t.Errorf("status %q", res.Status)
	}
	if got := b.copy(c.RequestID); got.Phase != model.PhaseQueued {
		t.Errorf("the copy is %s, want still queued", got.Phase)
	}
	// Add refuses new copies too.
	src := model.Snapshot{ID: "snap-0123456789abcdef0"}
	if err := b.tr.Add(model.NewCopy(model.CopyRequest{DestinationRegion: "us-east-1", SourceSnapshotID: src.ID}, src, t0)); err == nil {
		t.Error("Add succeeded without a state file")
	}
	if n := len(b.tr.Copies()); n != 1 {
		t.Errorf("%d copies tracked, want the first only", n)
	}
}

// A running copy missing from the polls is asked for by id after a few
// misses, and failed only when AWS says it does not exist.
func TestFailsAMissingCopyOnlyWhenAWSSaysItIsGone(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	c := b.add("us-east-1")[0]
	b.step()
	b.step()
	got := b.copy(c.RequestID)
	if got.Phase != model.PhaseRunning {
		t.Fatalf("copy is %s, want running", got.Phase)
	}
	b.aws.hidden[got.SnapshotID] = true
	for i := range model.MissingPolls - 1 {
		b.step()
		if n := b.aws.count("SnapshotGone", "us-east-1"); n != 0 {
			t.Fatalf("asked by id after %d misses", i+1)
		}
	}
	for range 4 {
		b.step()
		if got := b.copy(c.RequestID); got.Phase != model.PhaseRunning {
			t.Fatalf("a hidden but existing copy: %s %q", got.Phase, got.StateMessage)
		}
	}
	if n := b.aws.count("SnapshotGone", "us-east-1"); n < 1 {
		t.Fatal("never asked for the missing copy by id")
	}
	b.aws.gone[got.SnapshotID] = true
	for range model.MissingPolls {
		b.step()
	}
	got = b.copy(c.RequestID)
	if got.Phase != model.PhaseFailed || !strings.Contains(got.StateMessage, "does not exist in us-east-1") || !strings.Contains(got.StateMessage, "another account") {
		t.Errorf("a copy AWS says is gone: %s %q", got.Phase, got.StateMessage)
	}
}

func TestAStartingCopyInItsVisibilityLagIsNotMissing(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.aws.hideNew = true
	c := b.add("us-east-1")[0]
	b.tr.Step(context.Background())
	for b.clock.Now().Before(t0.Add(model.StartingTimeout - model.PollInterval)) {
		b.step()
	}
	if n := b.aws.count("SnapshotGone", ""); n != 0 || b.copy(c.RequestID).Phase != model.PhaseStarting {
		t.Fatalf("in the lag: %d look-ups by id, copy %s", n, b.copy(c.RequestID).Phase)
	}
	b.clock.Advance(model.PollInterval)
	b.step()
	if n := b.aws.count("SnapshotGone", "us-east-1"); n != 1 {
		t.Errorf("after %v unseen: %d look-ups by id, want 1", model.StartingTimeout, n)
	}
}

// Copies reads the list while a save holds the disk: a screen's Update
// never waits on a state file write.
func TestCopiesDoesNotWaitOnASave(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.add("us-east-1")
	writing, release := make(chan struct{}), make(chan struct{})
	b.tr.write = func(list *model.WatchList, path string) error {
		writing <- struct{}{}
		<-release // the disk is slow
		return list.Save(path)
	}
	stepped := make(chan struct{})
	go func() {
		b.tr.Step(context.Background()) // saves before sending
		close(stepped)
	}()
	<-writing
	done := make(chan int)
	go func() { done <- len(b.tr.Copies()) }()
	select {
	case n := <-done:
		if n != 1 {
			t.Errorf("Copies = %d copies, want 1", n)
		}
	case <-time.After(10 * time.Second):
		t.Error("Copies waited for the save")
	}
	close(release)
	for {
		select {
		case <-writing:
		case <-stepped:
			return
		}
	}
}

func TestAddAndRemove(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	c := b.add("us-east-1")[0]
	if err := b.tr.Add(c); err == nil {
		t.Error("the same copy was added twice")
	}
	if err := b.tr.Remove(c.RequestID); err == nil || !strings.Contains(err.Error(), "still queued") {
		t.Errorf("Remove of an unfinished copy = %v", err)
	}
	b.step()
	b.aws.completeAll()
	res := b.step()
	if len(res.Ended) != 1 {
		t.Fatalf("Step = %+v, want the copy ended", res)
	}
	if err := b.tr.Remove(c.RequestID); err != nil {
		t.Fatal(err)
	}
	saved, err := model.LoadWatchList(b.path, t0)
	if err != nil || len(saved.Copies) != 0 || len(b.tr.Copies()) != 0 {
		t.Errorf("after Remove: file %v (%v), tracker %d copies", saved, err, len(b.tr.Copies()))
	}
	if err := b.tr.Remove("sc-unknown"); err == nil {
		t.Error("Remove of an unknown copy succeeded")
	}
}

// A copy whose request lacks a field CopySnapshot cannot go without is
// failed, saying which, and never sent.
func TestNeverSendsARequestWithoutItsSource(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	c := model.NewCopy(model.CopyRequest{DestinationRegion: "us-east-1"}, model.Snapshot{}, t0)
	if err := b.tr.Add(c); err != nil {
		t.Fatal(err)
	}
	b.step()
	got := b.copy(c.RequestID)
	if got.Phase != model.PhaseFailed || got.StateMessage != "not sent: the request has no source Region, no source snapshot id" {
		t.Errorf("copy is %s %q", got.Phase, got.StateMessage)
	}
	if n := b.aws.count("CopySnapshot", "us-east-1"); n != 0 {
		t.Errorf("%d CopySnapshot sent", n)
	}
}
