package awsops_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
)

// withoutRequestTag is a CopySnapshot's parameters but the request tag's
// value, which a retry changes on purpose, and the SDK's presigned URL,
// which carries the time and that tag.
func withoutRequestTag(p url.Values) url.Values {
	out := url.Values{}
	for k, v := range p {
		out[k] = v
	}
	out.Del("PresignedUrl")
	for k, v := range p {
		if len(v) == 1 && v[0] == model.RequestTagKey {
			// TagSpecification.1.Tag.N.Key: the value sits beside it.
			out.Del(k[:len(k)-len("Key")] + "Value")
		}
	}
	return out
}

func TestRetryOnTheSimulatorSendsTheSameRequestAgain(t *testing.T) {
	k := newTrack(t, trackSetup{})
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	c := k.copyTo(k.source(100), "us-east-1", func(r *model.CopyRequest) {
		r.Encrypted = true
		r.KmsKeyID = "alias/gone-key"
		r.Tags = []model.Tag{{Key: "team", Value: "dba"}}
	})
	if err := tr.Add(c); err != nil {
		t.Fatal(err)
	}
	k.untilDone(tr, 100, nil)
	retries, err := tr.Retry(c.RequestID)
	if err != nil {
		t.Fatal(err)
	}
	k.untilDone(tr, 100, nil)
	sent := k.sim.Requests("CopySnapshot")
	if len(sent) != 2 {
		t.Fatalf("%d CopySnapshot calls, want 2", len(sent))
	}
	first, second := withoutRequestTag(sent[0].Params), withoutRequestTag(sent[1].Params)
	if tagged := "TagSpecification.1.Tag.2.Value"; sent[0].Params.Get(tagged) == sent[1].Params.Get(tagged) {
		t.Errorf("the retry carries the request tag of the failed copy: %q", sent[1].Params.Get(tagged))
	}
	if first.Encode() != second.Encode() {
		t.Errorf("the retry sent\n%s\nnot the same request as\n%s", second.Encode(), first.Encode())
	}
	r := retries[0]
	for _, got := range tr.Copies() {
		if got.RequestID == r.RequestID && (got.Phase != model.PhaseFailed || got.AttemptNumber() != 2 || got.RetryOf != c.RequestID) {
			t.Errorf("attempt 2 ended %s, attempt %d of %q", got.Phase, got.AttemptNumber(), got.RetryOf)
		}
	}
	if _, ok := k.sim.Snapshot("us-east-1", byPhase(tr, model.PhaseFailed)[1].SnapshotID); !ok {
		t.Error("the simulator does not hold attempt 2")
	}
}

func TestCancelOnTheSimulatorDeletesOnlyThatCopy(t *testing.T) {
	k := newTrack(t, trackSetup{})
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	big := k.source(4000) // stays pending for a long while
	a, b := k.copyTo(big, "us-east-1"), k.copyTo(big, "us-east-1")
	if err := tr.Add(a, b); err != nil {
		t.Fatal(err)
	}
	for len(byPhase(tr, model.PhaseRunning)) < 2 {
		k.step(tr)
	}
	running := byPhase(tr, model.PhaseRunning)
	got, err := tr.Cancel(context.Background(), a.RequestID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Phase != model.PhaseCancelled {
		t.Fatalf("copy is %s, want cancelled", got.Phase)
	}
	if _, ok := k.sim.Snapshot("us-east-1", running[0].SnapshotID); ok {
		t.Error("the cancelled copy is still in the simulator")
	}
	if _, ok := k.sim.Snapshot("us-east-1", running[1].SnapshotID); !ok {
		t.Error("the other copy was deleted")
	}
	if _, ok := k.sim.Snapshot("us-west-2", big.ID); !ok {
		t.Error("the source was deleted")
	}
	dels := k.sim.Requests("DeleteSnapshot")
	if len(dels) != 1 || dels[0].Params.Get("SnapshotId") != running[0].SnapshotID || dels[0].Region != "us-east-1" {
		t.Errorf("DeleteSnapshot calls %+v, want one for %s in us-east-1", dels, running[0].SnapshotID)
	}
	k.step(tr)
	if c := byPhase(tr, model.PhaseCancelled); len(c) != 1 || c[0].RequestID != a.RequestID {
		t.Errorf("after a Step: %s", phases(tr))
	}
}
