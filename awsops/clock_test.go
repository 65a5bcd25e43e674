package awsops_test

import (
	"context"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
)

// With AWS's clock 2 h ahead of the host's, the first call is refused as
// expired, and from then on every client signs at AWS's time, and AWS's
// times are read onto the host's clock: a 15-minute time-based copy has
// 15 minutes left when it starts, not 2h15m.
func TestAWSClockTwoHoursAhead(t *testing.T) {
	k := newTrack(t, trackSetup{sim: ec2sim.Options{Faults: ec2sim.Faults{ClockOffset: ec2sim.Duration(2 * time.Hour)}}})
	ctx := context.Background()
	_, err := k.client.Regions(ctx)
	if ae, ok := model.AsAPIError(err); !ok || ae.Code != "RequestExpired" {
		t.Fatalf("the first call, signed at the host's time: %v", err)
	}
	if d := k.client.AWSClockAhead(); d < 2*time.Hour-10*time.Second || d > 2*time.Hour+10*time.Second {
		t.Fatalf("AWSClockAhead = %v, want about 2h", d)
	}
	if _, err := k.client.Regions(ctx); err != nil {
		t.Fatalf("signed at AWS's time, the next call is refused: %v", err)
	}

	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	c := k.copyTo(k.source(8), "us-east-1", func(r *model.CopyRequest) { r.CompletionDurationMinutes = 15 })
	if err := tr.Add(c); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10 && tr.Copies()[0].Phase != model.PhaseRunning; i++ {
		res := tr.Step(ctx)
		if res.Trouble != nil {
			t.Fatalf("step %d: %v", i+1, res.Status)
		}
		k.clock.Advance(2 * time.Second)
	}
	got := tr.Copies()[0]
	if got.Phase != model.PhaseRunning {
		t.Fatalf("the copy is %s (%s)", got.Phase, got.Note)
	}
	now := k.clock.Now()
	d, ok := got.Deadline(now)
	if !ok || d.Late || d.Left > 15*time.Minute || d.Left < 14*time.Minute {
		t.Errorf("deadline %+v at %v (StartTime %v): want about 15 minutes left", d, now, got.StartTime)
	}
	if left, ok := got.Remaining(now); !ok || left > 15*time.Minute {
		t.Errorf("Remaining = %v, %v", left, ok)
	}
}
