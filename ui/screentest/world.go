package screentest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
)

// T0 is where a World's clock starts.
var T0 = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

// World is what the pane and plain mode follow in a test: the simulator
// on a manual clock (no seeded world), a client on it without the SDK's
// retries (every fault reaches the tracker), and a tracker over a state
// file in a temporary folder. Its sources and copies have fixed ids, so
// screens and lines are the same on every run.
type World struct {
	Sim     *ec2sim.Server
	Clock   *ec2sim.ManualClock
	Client  *awsops.Client
	Tracker *track.Tracker
	Path    string // the state file

	sources, copies int // made so far
}

// WorldOptions shape a World.
type WorldOptions struct {
	// Lag is the simulator's visibility lag (0: none).
	Lag time.Duration
	// MaxInFlight is the tracker's limit per Region (0: its default).
	MaxInFlight int
	// QuotaMiBps is the simulator's time-based copy quota per Region
	// pair (0: AWS's default).
	QuotaMiBps float64
}

// NewWorld starts a World that ends with the test.
func NewWorld(tb testing.TB, o WorldOptions) *World {
	tb.Helper()
	clock := ec2sim.NewManualClock(T0)
	lag := o.Lag
	if lag == 0 {
		lag = -1
	}
	s := simtest.Start(tb, simtest.Setup{
		Sim:    ec2sim.Options{Seed: 11, NoSeedWorld: true, Clock: clock, VisibilityLag: lag, TimeBasedQuotaMiBps: o.QuotaMiBps},
		Client: func(co *awsops.Options) { co.RetryMaxAttempts = 1 },
	})
	path := filepath.Join(tb.TempDir(), "copies.json")
	tr := track.NewTracker(s.Client, &model.WatchList{}, path, track.TrackerOptions{
		Now: clock.Now, Rand: rand.New(rand.NewPCG(1, 2)), MaxInFlightPerRegion: o.MaxInFlight,
	})
	return &World{Sim: s.Server, Clock: clock, Client: s.Client, Tracker: tr, Path: path}
}

// Source adds a completed snapshot to us-west-2, named name unless "".
func (w *World) Source(name string, sizeGiB int32) model.Snapshot {
	w.sources++
	s := model.Snapshot{
		ID:            fmt.Sprintf("snap-0%016x", 0x5eed00+w.sources),
		VolumeSizeGiB: sizeGiB,
		State:         model.StateCompleted,
		Progress:      100,
		StartTime:     T0.Add(-time.Hour),
	}
	if name != "" {
		s.Tags = []model.Tag{{Key: "Name", Value: name}}
	}
	simtest.Add(w.Sim, "us-west-2", s)
	got, ok := simtest.Snapshot(w.Sim, "us-west-2", s.ID)
	if !ok {
		panic("source not kept")
	}
	return got
}

// CopyOf makes a queued copy of src into region with a fixed request id.
func (w *World) CopyOf(src model.Snapshot, region string, edit ...func(*model.CopyRequest)) *model.Copy {
	req := model.CopyRequest{DestinationRegion: region, SourceRegion: "us-west-2", SourceSnapshotID: src.ID}
	for _, e := range edit {
		e(&req)
	}
	c := model.NewCopy(req, src, w.Clock.Now())
	w.copies++
	c.RequestID = fmt.Sprintf("sc-%016x", 0xc0b1e5000+w.copies)
	c.Request = c.Request.WithTag(model.RequestTagKey, c.RequestID)
	return c
}

// Run follows the copies for n steps, 5 s of simulated time apart.
func (w *World) Run(n int) {
	steps := 0
	_ = track.Follow(context.Background(), w.Tracker, track.FollowOptions{
		Until: func([]model.Copy) bool { return steps == n },
		OnStep: func(track.StepResult, []model.Copy) error {
			steps++
			w.Clock.Advance(5 * time.Second)
			return nil
		},
		After: func(time.Duration) <-chan time.Time { return FiredNow },
	})
}

// SimAfter is a follow loop's clock (track.FollowOptions.After) that moves
// the World's clock by each wait instead of sleeping, and fires at once;
// between, when set, acts before each wait (round counts from 1).
func (w *World) SimAfter(between func(round int)) func(time.Duration) <-chan time.Time {
	round := 0
	return func(d time.Duration) <-chan time.Time {
		round++
		if between != nil {
			between(round)
		}
		w.Clock.Advance(d)
		return FiredNow
	}
}

// FiredNow is a clock's channel that has fired: a wait that is over.
var FiredNow = func() chan time.Time { c := make(chan time.Time); close(c); return c }()
