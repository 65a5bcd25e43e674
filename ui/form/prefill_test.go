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
