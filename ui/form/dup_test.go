package form

import (
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// drCopy is a completed copy of plainSrc in us-east-1, as AWS lists it
// there: carrying snapcopy's provenance tags.
var drCopy = model.Snapshot{
	ID: "snap-0e1e2e3e4e5e6e7e8", Region: "us-east-1", State: model.StateCompleted, Progress: 100, StartTime: now.Add(-24 * time.Hour),
	Tags: []model.Tag{
		{Key: model.TagSourceSnapshot, Value: plainSrc.ID},
		{Key: model.TagSourceVolume, Value: plainSrc.VolumeID},
		{Key: model.TagSourceRegion, Value: "us-west-2"},
		{Key: model.RequestTagKey, Value: "sc-0123456789abcdef"},
	},
}

// toDestination types region as the destination and answers the look-ups
// of the copies made there (the earlier copies too) with found.
func toDestination(t *testing.T, m Model, region string, found ...model.Snapshot) Model {
	t.Helper()
	m = focusField(t, m, fDest)
	m = clearField(m)
	m = typeText(m, region)
	m, _ = m.Update(earlierMsg{region: region, copies: found})
	m, _ = m.Update(copiesMsg{region: region, copies: found})
	return m
}

// Re-opening the form for a source already copied to the destination
// warns before anything is sent, naming the copy found by its tag.
func TestGoldenDuplicateWarning(t *testing.T) {
	m := loadFacts(newForm(t, 100, 30, plainSrc))
	m = toDestination(t, m, "us-east-1", drCopy)
	checkView(t, m, "! "+plainSrc.ID+" is already copied to us-east-1: copy "+drCopy.ID+
		" (completed, found in AWS by its tag snapcopy:source-snapshot)")

	// Another destination has no copy: no warning.
	m = toDestination(t, m, "eu-central-1")
	if strings.Contains(flat(m), "already copied") {
		t.Errorf("eu-central-1 holds no copy, yet the form warns:\n%s", m.View())
	}
}

// The tracker's copies warn too, named by request id while AWS has not
// numbered them; a failed one does not.
func TestDuplicateFromTheTrackersCopies(t *testing.T) {
	req := model.CopyRequest{SourceRegion: "us-west-2", SourceSnapshotID: plainSrc.ID, DestinationRegion: "us-east-1"}
	queued := model.Copy{RequestID: "sc-00000000000000a1", Request: req, Phase: model.PhaseQueued}
	failed := model.Copy{RequestID: "sc-00000000000000a2", Request: req, Phase: model.PhaseFailed, SnapshotID: "snap-0f0f0f0f0f0f0f0f0"}

	m := loadFacts(New(nil, []model.Snapshot{plainSrc}, Options{Now: clock, Tracked: []model.Copy{failed}}))
	m.SetSize(100, 30)
	if m = toDestination(t, m, "us-east-1"); strings.Contains(flat(m), "already copied") {
		t.Errorf("a failed copy is warned of as a duplicate:\n%s", m.View())
	}

	m = loadFacts(New(nil, []model.Snapshot{plainSrc}, Options{Now: clock, Tracked: []model.Copy{failed, queued}}))
	m.SetSize(100, 30)
	m = toDestination(t, m, "us-east-1")
	want := plainSrc.ID + " is already copied to us-east-1: copy not yet numbered (queued, request sc-00000000000000a1 in the state file)"
	if !strings.Contains(flat(m), want) {
		t.Errorf("the form does not say %q:\n%s", want, m.View())
	}
}

// Sending a duplicate asks "send anyway?": n sends nothing and returns to
// the destination, y sends; with an unknown KMS alias too, the one
// question names both; a dry run is not asked.
func TestDuplicateAsksBeforeSending(t *testing.T) {
	m := loadFacts(newForm(t, 100, 30, plainSrc))
	m = toDestination(t, m, "us-east-1", drCopy)
	m, cmd := press(m, "ctrl+s")
	if started(toAny(msgsOf(cmd))) || m.started {
		t.Fatal("the duplicate was sent without asking")
	}
	if !strings.Contains(flat(m), "copy "+drCopy.ID+" (completed, found in AWS by its tag snapcopy:source-snapshot) — send anyway? y/n") {
		t.Errorf("the question does not name the copy:\n%s", m.View())
	}
	if n := strings.Count(flat(m), "already copied"); n != 1 {
		t.Errorf("the screen says the copy %d times while asking, want once:\n%s", n, m.View())
	}
	m, cmd = press(m, "n")
	if started(toAny(msgsOf(cmd))) || m.asking != "" || m.focus != fDest {
		t.Fatalf("n: started %v, asking %q, focus %s", m.started, m.asking, labels[m.focus])
	}
	if !strings.Contains(flat(m), "not sent: choose another destination, or send again and answer y to make another copy") {
		t.Errorf("after n the status does not say nothing was sent:\n%s", m.View())
	}
	m, _ = press(m, "ctrl+s")
	if m, cmd = press(m, "y"); !m.started || !started(toAny(msgsOf(cmd))) {
		t.Fatal("y did not send the copy")
	}

	// Both reasons at once: one question.
	m = loadFacts(newForm(t, 100, 30, plainSrc))
	m = toDestination(t, m, "us-east-1", drCopy)
	m = focusField(t, m, fEncrypt)
	m, _ = press(m, "space")
	m = focusField(t, m, fKms)
	m = typeText(m, "alias/nope")
	m, _ = press(m, "ctrl+s")
	if !strings.Contains(m.asking, "alias/nope not found in us-east-1") || !strings.Contains(m.asking, "is already copied to us-east-1: copy "+drCopy.ID) {
		t.Errorf("the question does not name both reasons: %q", m.asking)
	}
	if m, _ = press(m, "n"); m.focus != fKms {
		t.Errorf("n with an unknown alias returns to %s, want the KMS key", labels[m.focus])
	}

	// A dry run makes no copy: not asked.
	m = loadFacts(newForm(t, 100, 30, plainSrc))
	m = toDestination(t, m, "us-east-1", drCopy)
	m = focusField(t, m, fDryRun)
	m, _ = press(m, "space", "ctrl+s")
	if m.asking != "" || !m.dryRunning {
		t.Errorf("a dry run asked %q, running %v", m.asking, m.dryRunning)
	}
}

// A batch with several sources already copied lists them, and the
// question counts them.
func TestDuplicateBatch(t *testing.T) {
	other := drCopy
	other.ID = "snap-0e2e2e2e2e2e2e2e2"
	other.Tags = []model.Tag{{Key: model.TagSourceSnapshot, Value: encSrc.ID}}
	m := loadFacts(newForm(t, 120, 40, plainSrc, encSrc))
	m = toDestination(t, m, "us-east-1", drCopy, other)
	v := flat(m)
	for _, want := range []string{"copy " + drCopy.ID, "copy " + other.ID} {
		if !strings.Contains(v, want) {
			t.Errorf("the batch's warning does not name %s:\n%s", want, m.View())
		}
	}
	m, _ = press(m, "ctrl+s")
	if !strings.Contains(m.asking, "2 of the 2 sources are already copied to us-east-1 (listed above)") {
		t.Errorf("the batch's question: %q", m.asking)
	}
}

// typeDestination types region as the destination.
func typeDestination(t *testing.T, m Model, region string) Model {
	t.Helper()
	m = focusField(t, m, fDest)
	m = clearField(m)
	return typeText(m, region)
}

// Sending waits for the destination's answer about copies already made (a
// send before it would skip the duplicate check), then sends or asks by
// itself; a key meanwhile calls the send off.
func TestSendWaitsForTheDuplicateCheck(t *testing.T) {
	m := typeDestination(t, factsButCopies(newForm(t, 100, 30, plainSrc)), "us-east-1")
	if !m.loading[copiesIn("us-east-1")] {
		t.Fatal("typing the destination did not look for its copies")
	}
	m, cmd := press(m, "ctrl+s")
	if m.started || started(toAny(msgsOf(cmd))) {
		t.Fatal("sent before the destination said which copies it holds")
	}
	if !strings.Contains(flat(m), "checking us-east-1 for copies already made before sending") {
		t.Errorf("the form does not say what it waits for:\n%s", m.View())
	}
	// The answer names a copy: the form asks by itself, sending nothing.
	m, cmd = m.Update(copiesMsg{region: "us-east-1", copies: []model.Snapshot{drCopy}})
	if m.started || started(toAny(msgsOf(cmd))) || !strings.Contains(m.asking, "already copied to us-east-1") {
		t.Errorf("after the answer the form does not ask about the copy found: started %v, asking %q", m.started, m.asking)
	}

	// No copy there: it sends once the answer is in.
	m = typeDestination(t, factsButCopies(newForm(t, 100, 30, plainSrc)), "us-east-1")
	m, _ = press(m, "ctrl+s")
	m, cmd = m.Update(copiesMsg{region: "us-east-1"})
	if !m.started || !started(toAny(msgsOf(cmd))) {
		t.Errorf("the answer came, but the copy was not sent:\n%s", m.View())
	}

	// A key while waiting: the operator is still at work, nothing is sent.
	m = typeDestination(t, factsButCopies(newForm(t, 100, 30, plainSrc)), "us-east-1")
	m, _ = press(m, "ctrl+s", "tab")
	m, cmd = m.Update(copiesMsg{region: "us-east-1"})
	if m.started || started(toAny(msgsOf(cmd))) {
		t.Error("a key pressed while waiting did not call the send off")
	}
	if strings.Contains(flat(m), "checking us-east-1") {
		t.Errorf("the status still says it waits to send:\n%s", m.View())
	}
}

// The duplicate warning stays under the preview while another field is
// wrong: what is already copied there does not depend on the duration.
func TestGoldenDuplicateWarningWithAFieldError(t *testing.T) {
	m := loadFacts(newForm(t, 100, 30, plainSrc))
	m = toDestination(t, m, "us-east-1", drCopy)
	m = focusField(t, m, fDuration)
	m = typeText(m, "17")
	if _, bad := m.result.FirstError(); !bad {
		t.Fatal("17 minutes is no error")
	}
	checkView(t, m, "✗ Completion duration must be a multiple of 15 minutes", "! "+plainSrc.ID+" is already copied to us-east-1: copy "+drCopy.ID)
}

// A source already copied there, in flight, is not "no earlier copy" in
// the preview right above the warning that it is copied there: the
// preview names the copy in flight as the one not built on yet.
func TestPreviewAgreesWithTheDuplicateInFlight(t *testing.T) {
	req := model.CopyRequest{SourceRegion: "us-west-2", SourceSnapshotID: plainSrc.ID, DestinationRegion: "us-east-1",
		Tags: model.ProvenanceTags(plainSrc)}
	queued := model.Copy{RequestID: "sc-00000000000000a1", Request: req, Phase: model.PhaseRunning, SnapshotID: "snap-0f0f0f0f0f0f0f0f0"}
	m := loadFacts(New(nil, []model.Snapshot{plainSrc}, Options{Now: clock, Tracked: []model.Copy{queued}}))
	m.SetSize(120, 30)
	m = toDestination(t, m, "us-east-1")
	v := flat(m)
	if strings.Contains(v, "no earlier copy") {
		t.Errorf("the preview says there is no earlier copy beside the duplicate in flight:\n%s", m.View())
	}
	for _, want := range []string{"no completed copy of " + plainSrc.VolumeID + " in us-east-1 yet to build on (snap-0f0f0f0f0f0f0f0f0 is still in flight)",
		plainSrc.ID + " is already copied to us-east-1: copy snap-0f0f0f0f0f0f0f0f0 (running"} {
		if !strings.Contains(v, want) {
			t.Errorf("the form does not say %q:\n%s", want, m.View())
		}
	}
}
