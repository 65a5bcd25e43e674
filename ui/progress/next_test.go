package progress

import (
	"bytes"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
)

// failingWorld: one copy that fails on a KMS alias the destination does
// not have, one that runs, in one batch.
func failingWorld(t *testing.T) *world {
	w := newWorld(t, worldOptions{})
	bad := w.CopyOf(w.Source("db-prod-primary", 100), "us-east-1", func(r *model.CopyRequest) {
		r.Encrypted, r.KmsKeyID = true, "alias/retired-key"
	})
	good := w.CopyOf(w.Source("search-index", 4000), "eu-west-1")
	return w.follow(10, bad, good)
}

// R asks on one line, then sends the failed copy's request again as
// attempt 2, shown right under the failed copy.
func TestGoldenRetriedRow(t *testing.T) {
	w := failingWorld(t)
	m := refresh(w.pane(140, 10, &bytes.Buffer{}))
	if c := m.current(); c == nil || c.Phase != model.PhaseFailed {
		t.Fatalf("the first row is not the failed copy: %+v", c)
	}
	m, _ = press(m, "R")
	m.SetSize(200, 10) // the question whole
	if v := m.View(); !strings.Contains(v, "the same KMS key alias/retired-key will fail again (E changes it): retry the copy of snap-000000000005eed01 to us-east-1 as attempt 2 anyway? y/n") {
		t.Fatalf("R on a copy that failed on its KMS key does not ask, saying it will fail again:\n%s", v)
	}
	m.SetSize(140, 10)
	if n := len(w.Sim.Requests("CopySnapshot")); n != 2 {
		t.Fatalf("%d CopySnapshot calls before the answer, want 2", n)
	}
	m, _ = press(m, "y")
	if n := len(w.Sim.Requests("CopySnapshot")); n != 3 {
		t.Fatalf("%d CopySnapshot calls after y, want 3", n)
	}
	w.Run(1)
	m = refresh(m)
	checkView(t, m, "✗ failed", "↳ attempt 2", "retrying as attempt 2")
	lines := strings.Split(m.View(), "\n")
	if !strings.Contains(lines[2], "✗ failed") || !strings.Contains(lines[3], "↳ attempt 2") {
		t.Errorf("attempt 2 is not right under the failed copy:\n%s", m.View())
	}
	m, _ = press(m, "R")
	if v := m.View(); !strings.Contains(v, "only a failed copy can be retried") {
		t.Errorf("R on attempt 2 (not failed) did not say why:\n%s", v)
	}
}

// n answers no: nothing is sent.
func TestRetryAnsweredNoSendsNothing(t *testing.T) {
	w := failingWorld(t)
	m := refresh(w.pane(140, 10, &bytes.Buffer{}))
	m, _ = press(m, "R", "n")
	if n := len(w.Sim.Requests("CopySnapshot")); n != 2 || len(w.Tracker.Copies()) != 2 {
		t.Errorf("after n: %d CopySnapshot calls, %d copies", n, len(w.Tracker.Copies()))
	}
	if m.asking != nil {
		t.Error("the question is still asked")
	}
}

// R on the summary line retries every failed copy of the last batch.
func TestRetryOnTheSummaryLineRetriesTheLastBatch(t *testing.T) {
	w := newWorld(t, worldOptions{})
	var batch []*model.Copy
	for _, name := range []string{"a", "b"} {
		batch = append(batch, w.CopyOf(w.Source(name, 100), "us-east-1", func(r *model.CopyRequest) {
			r.Encrypted, r.KmsKeyID = true, "alias/retired-key"
		}))
	}
	batch = append(batch, w.CopyOf(w.Source("c", 8), "us-east-1"))
	if err := w.Tracker.Add(batch...); err != nil {
		t.Fatal(err)
	}
	w.Run(10)
	m := refresh(w.pane(140, 12, &bytes.Buffer{}))
	m, _ = press(m, "up", "R")
	m.SetSize(200, 12)
	if v := m.View(); !strings.Contains(v, "› Copies") || !strings.Contains(v, "2 of them failed on their KMS key and will fail again with it (E on each changes it): retry the 2 failed copies of the last batch anyway? y/n") {
		t.Fatalf("R on the summary line:\n%s", v)
	}
	m.SetSize(140, 12)
	m, _ = press(m, "y")
	retried := map[string]bool{}
	for _, c := range w.Tracker.Copies() {
		if c.RetryOf != "" {
			retried[c.RetryOf] = true
		}
	}
	if len(retried) != 2 || !retried[batch[0].RequestID] || !retried[batch[1].RequestID] {
		t.Errorf("retried %v, want the two failed copies", retried)
	}
	if v := m.View(); !strings.Contains(v, "retrying 2 copies") {
		t.Errorf("no word of the retry:\n%s", v)
	}
}

// E hands the app the failed copy's request, without its request tag.
func TestEditHandsTheFailedRequestToTheForm(t *testing.T) {
	w := failingWorld(t)
	m := refresh(w.pane(140, 10, &bytes.Buffer{}))
	_, out := press(m, "E")
	if len(out) != 1 {
		t.Fatalf("E sent %v", out)
	}
	e, ok := out[0].(nav.EditCopy)
	if !ok || e.Request.KmsKeyID != "alias/retired-key" || e.Request.DestinationRegion != "us-east-1" || e.Failed.RequestID != m.copies[0].RequestID {
		t.Fatalf("E sent %+v", out[0])
	}
	for _, tag := range e.Request.Tags {
		if tag.Key == model.RequestTagKey {
			t.Errorf("the request handed to the form keeps the request tag %s", tag.Value)
		}
	}
}

// C asks, naming the copy and where it goes, then deletes that copy alone.
func TestGoldenCancelledRow(t *testing.T) {
	w := failingWorld(t)
	m := refresh(w.pane(140, 10, &bytes.Buffer{}))
	m, _ = press(m, "down")
	running := *m.current()
	if running.Phase != model.PhaseRunning {
		t.Fatalf("the second row is %s, want running", running.Phase)
	}
	m, _ = press(m, "C")
	want := "cancel the copy of " + running.Request.SourceSnapshotID + " to Region eu-west-1 (" + running.SnapshotID + ", deleted in eu-west-1)? y/n"
	if v := m.View(); !strings.Contains(v, want) {
		t.Fatalf("C does not ask %q:\n%s", want, v)
	}
	m, _ = press(m, "y")
	checkView(t, m, "⊘ cancelled", "cancelled: the copy "+running.SnapshotID+" was deleted in eu-west-1", "1 cancelled")
	if _, ok := w.Sim.Snapshot("eu-west-1", running.SnapshotID); ok {
		t.Error("the cancelled copy is still in the simulator")
	}
	dels := w.Sim.Requests("DeleteSnapshot")
	if len(dels) != 1 || dels[0].Params.Get("SnapshotId") != running.SnapshotID {
		t.Errorf("DeleteSnapshot calls: %+v", dels)
	}
	m, _ = press(m, "C")
	if v := m.View(); !strings.Contains(v, "only a copy in flight can be cancelled") {
		t.Errorf("C on a cancelled copy:\n%s", v)
	}
}

// At 40x10 the details of a failed copy are longer than the screen: the
// arrows scroll them to the last line.
func TestGoldenDetailScrolledAt40x10(t *testing.T) {
	w := mixedWorld(t)
	m := refresh(w.pane(40, 10, &bytes.Buffer{}))
	m, _ = press(m, "down", "enter")
	if strings.Contains(m.View(), "sends") {
		t.Fatal("the details fit the screen: nothing to scroll")
	}
	for range 40 {
		m, _ = press(m, "down")
	}
	checkView(t, m, "Copy of snap-", "sends", "↑/↓ scroll")
	m, _ = press(m, "up")
	if strings.Contains(m.View(), "sends") {
		t.Error("up does not scroll back")
	}
}
