package form

import (
	"reflect"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

// A form filled from a failed copy's request sends that request again,
// under a new request tag, and the operator can fix a field first.
func TestPrefillSendsTheEarlierRequest(t *testing.T) {
	earlier := model.CopyRequest{
		DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: plainSrc.ID,
		Description: "db to dr", Encrypted: true, KmsKeyID: "alias/nope",
		Tags: []model.Tag{{Key: "Name", Value: "db"}, {Key: "team", Value: "dba"},
			{Key: model.TagSourceSnapshot, Value: plainSrc.ID}, {Key: model.RequestTagKey, Value: "sc-0000000000000001"}},
		CompletionDurationMinutes: 60,
	}
	m := New(fakeAWS{}, []model.Snapshot{plainSrc}, Options{Now: clock, Prefill: &earlier, Tick: noTick})
	m.SetSize(100, 40)
	m = loadFacts(m)
	for _, shown := range []string{"us-east-1", "db to dr", "alias/nope", "dba", "60"} {
		if !strings.Contains(m.View(), shown) {
			t.Errorf("the form does not show %q:\n%s", shown, m.View())
		}
	}
	if strings.Contains(m.View(), "sc-0000000000000001") {
		t.Errorf("the form shows the failed copy's request tag:\n%s", m.View())
	}
	m = focusField(t, m, fKms)
	m = typeText(clearField(m), "alias/backup")
	_, cmd := press(m, "ctrl+s")
	copies := startedCopies(t, cmd)
	if len(copies) != 1 {
		t.Fatalf("%d copies sent, want 1 (%s)", len(copies), m.View())
	}
	want := earlier
	want.KmsKeyID = "alias/backup"
	// The operator's tag wins over the source's team=ops; the source's
	// Name and snapcopy's tags are added by the form as for any copy.
	want.Tags = []model.Tag{{Key: "Name", Value: "db"}, {Key: "team", Value: "dba"}}
	want.Tags = append(want.Tags, model.ProvenanceTags(plainSrc)...)
	want.Tags = append(want.Tags, model.Tag{Key: model.RequestTagKey, Value: copies[0].RequestID})
	if got := copies[0].Request; !reflect.DeepEqual(got, want) {
		t.Errorf("sent\n%+v\nwant\n%+v", got, want)
	}
}

// E on a copy that failed on its KMS key opens the form on the KMS key,
// and the copy it sends is the failed copy's next attempt, so the failed
// one counts as retried.
func TestEditOfAKeyFailureOpensOnTheKeyAndSendsTheNextAttempt(t *testing.T) {
	failed := model.Copy{
		RequestID: "sc-00000000000000f1", Phase: model.PhaseFailed, StateMessage: "Given key ID is not accessible",
		Request: model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: plainSrc.ID,
			Encrypted: true, KmsKeyID: "alias/nope"},
	}
	req := failed.Edited()
	m := New(fakeAWS{}, []model.Snapshot{plainSrc}, Options{Now: clock, Prefill: &req, Retrying: &failed, Tick: noTick})
	m.SetSize(100, 40)
	m = loadFacts(m)
	if m.focus != fKms {
		t.Fatalf("the form opens on %s, want the KMS key", labels[m.focus])
	}
	m = typeText(clearField(m), "alias/backup")
	_, cmd := press(m, "ctrl+s")
	copies := startedCopies(t, cmd)
	if len(copies) != 1 || copies[0].RetryOf != failed.RequestID || copies[0].AttemptNumber() != 2 {
		t.Fatalf("sent %+v, want attempt 2 of %s", copies, failed.RequestID)
	}
	if got := model.TallyOf([]model.Copy{failed, *copies[0]}); got.Failed != 0 || got.Queued != 1 {
		t.Errorf("the failed copy still counts: %+v", got)
	}

	// A failure that is not the key's opens on the first field.
	other := failed
	other.StateMessage = "InternalError"
	m = New(fakeAWS{}, []model.Snapshot{plainSrc}, Options{Now: clock, Prefill: &req, Retrying: &other, Tick: noTick})
	if m.focus != fKind {
		t.Errorf("a failure not of the key opens on %s", labels[m.focus])
	}
}
