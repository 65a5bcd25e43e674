package awsops_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
)

// Every call has a deadline: against a hung endpoint each attempt ends at
// its first-byte bound, the retry says so, and the call ends by its own
// bound as a fault without an answer (ambiguous for a send); an answer
// trickling in ends at the whole-answer bound.
func TestEveryCallHasADeadline(t *testing.T) {
	srv, url := newSim(t, ec2sim.Options{Seed: 1})
	c := newClient(t, url, "us-west-2", func(o *awsops.Options) {
		o.Deadlines = awsops.Deadlines{FirstByte: time.Second, WholeAnswer: 2 * time.Second, Operation: 5 * time.Second}
	})
	var mu sync.Mutex
	var notices []string
	c.OnNotice(func(text string) { mu.Lock(); notices = append(notices, text); mu.Unlock() })
	host := strings.TrimPrefix(url, "http://")

	srv.SetFaults(ec2sim.Faults{Hang: ec2sim.Duration(24 * time.Hour)})
	start := time.Now()
	_, err := c.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
	took := time.Since(start)
	ae, ok := model.AsAPIError(err)
	if !ok || ae.Kind != model.ErrTransient || ae.Status != 0 || !model.Unanswered(err) ||
		ae.Message != "no answer from ec2.us-west-2 ("+host+") for 1 s" {
		t.Errorf("hung DescribeSnapshots: %v (%+v)", err, ae)
	}
	if took > 10*time.Second { // a bound on a hang, not a speed check
		t.Errorf("the call took %v, past its 5 s bound", took)
	}
	mu.Lock()
	if len(notices) != 2 || notices[0] != "no answer from ec2.us-west-2 ("+host+") for 1 s, retrying (DescribeSnapshots)" {
		t.Errorf("notices = %q, want one per retry", notices)
	}
	mu.Unlock()

	_, err = c.CopySnapshot(context.Background(), model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0123456789abcdef0"})
	if model.JudgeSend(err) != model.SendUnanswered || !strings.Contains(err.Error(), "no answer from ec2.us-east-1 ("+host+") for 1 s") {
		t.Errorf("hung CopySnapshot: %v, judged %v", err, model.JudgeSend(err))
	}

	srv.SetFaults(ec2sim.Faults{TrickleRate: 100})
	_, err = c.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
	if !model.Unanswered(err) || !strings.Contains(err.Error(), "the answer from ec2.us-west-2 ("+host+") did not come whole") {
		t.Errorf("trickled DescribeSnapshots: %v", err)
	}
}
