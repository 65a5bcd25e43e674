package form

import (
	"reflect"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/status"
)

// startedCopies runs a submit's command and returns the copies it hands
// to the tracker (nil when it hands none).
func startedCopies(t *testing.T, cmd tea.Cmd) []*model.Copy {
	t.Helper()
	for _, msg := range msgsOf(cmd) {
		if sc, ok := msg.(nav.StartCopies); ok {
			return sc.Copies
		}
	}
	return nil
}

func TestSubmitStartsTheCopy(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "us-east-1")
	m, _ = press(m, "tab", "tab", "space", "tab")
	m = typeText(m, "alias/backup")
	m, _ = press(m, "tab", "tab") // through the source tags: each copy's own
	m = typeText(m, "Name")
	m, _ = press(m, "tab")
	m = typeText(m, "db-dr")
	m, _ = press(m, "tab")
	m = typeText(m, "60")
	m, cmd := press(m, "ctrl+s")
	copies := startedCopies(t, cmd)
	if len(copies) != 1 {
		t.Fatalf("submit handed %d copies to the tracker, want 1 (status %q)", len(copies), statusOf(m).Text)
	}
	c := copies[0]
	want := model.CopyRequest{
		DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: plainSrc.ID,
		Description: "Copy of snap-0a1b2c3d4e5f60718: nightly db backup",
		Encrypted:   true, KmsKeyID: "alias/backup",
		// The source's tags (no aws: one), the typed Name winning over the
		// source's, then the copy's provenance.
		Tags: []model.Tag{{Key: "team", Value: "ops"}, {Key: "Name", Value: "db-dr"},
			{Key: "snapcopy:source-snapshot", Value: "snap-0a1b2c3d4e5f60718"}, {Key: "snapcopy:source-volume", Value: "vol-0123456789abcdef0"}, {Key: "snapcopy:source-region", Value: "us-west-2"},
			{Key: model.RequestTagKey, Value: c.RequestID}},
		CompletionDurationMinutes: 60,
	}
	if !reflect.DeepEqual(c.Request, want) {
		t.Errorf("request\n got %+v\nwant %+v", c.Request, want)
	}
	if c.Phase != model.PhaseQueued || !c.CreatedAt.Equal(now) || c.SourceName != "db" || c.SizeGiB != 100 {
		t.Errorf("copy = phase %s, created %s, source %q, %d GiB; want queued, now, db, 100", c.Phase, c.CreatedAt, c.SourceName, c.SizeGiB)
	}
	// Once copies start, a second submit sends nothing more.
	if _, cmd := press(m, "ctrl+s"); len(startedCopies(t, cmd)) != 0 {
		t.Error("a second submit started the copy again")
	}
}

func TestSubmitRefusedWhileAnErrorStands(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m = focusField(t, m, fTags)
	m, _ = press(m, "tab")
	m = typeText(m, "a value without a key")
	m = focusField(t, m, fKind)
	m, cmd := press(m, "ctrl+s")
	if len(startedCopies(t, cmd)) != 0 {
		t.Fatal("a form with an error started a copy")
	}
	if m.focus != fTags || m.tagRow != 0 {
		t.Errorf("focus is on %s row %d; want the tag row to fix", labels[m.focus], m.tagRow)
	}
	if !strings.HasPrefix(statusOf(m).Text, "not sent: fix the tags: Tag key is required") {
		t.Errorf("status %q does not say which field to fix", statusOf(m).Text)
	}
}

func TestSubmitRefusedWhenEverySourceIsSkipped(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, pendingSrc))
	m, cmd := press(m, "ctrl+s")
	if len(startedCopies(t, cmd)) != 0 {
		t.Fatal("a pending snapshot was sent")
	}
	if !strings.Contains(statusOf(m).Text, "only a completed snapshot can be copied") {
		t.Errorf("status %q does not say why", statusOf(m).Text)
	}
}

func TestDryRunAnswers(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc, encSrc))
	m = focusField(t, m, fDryRun)
	m, _ = press(m, "space", "ctrl+s")
	if !m.dryRunning {
		t.Fatal("the dry run did not start")
	}
	// An answer meant for another form is not shown here.
	m, _ = m.Update(dryRunMsg{form: m.id + 1000, answers: []dryRunAnswer{{source: "snap-x", result: dryRunResult(true, "permission granted")}}})
	if !m.dryRunning {
		t.Fatal("another form's answer was taken")
	}
	denied := &model.APIError{Op: "CopySnapshot", Region: "us-west-2", Code: "AuthFailure", Message: "AWS was not able to validate the provided access credentials", Kind: model.ErrCredentials}
	m, _ = m.Update(dryRunMsg{form: m.id, answers: []dryRunAnswer{
		{source: plainSrc.ID, result: dryRunResult(true, "permission granted: the copy would be accepted")},
		{source: encSrc.ID, err: denied},
	}})
	if m.dryRunning || statusOf(m).Level != status.Error {
		t.Fatalf("status after the answers: %+v", statusOf(m))
	}
	for _, want := range []string{"1 copy of 2 not allowed", encSrc.ID, "AuthFailure", "aws sso login"} {
		if !strings.Contains(statusOf(m).Text, want) {
			t.Errorf("status %q does not say %q", statusOf(m).Text, want)
		}
	}
	m, _ = m.Update(dryRunMsg{form: m.id, answers: []dryRunAnswer{
		{source: plainSrc.ID, result: dryRunResult(true, "permission granted")},
		{source: encSrc.ID, result: dryRunResult(true, "permission granted")},
	}})
	if statusOf(m).Level != status.Info || statusOf(m).Text != "dry run: permission granted for all 2 copies; a dry run checks IAM permissions only, not the KMS key" {
		t.Errorf("status %+v", statusOf(m))
	}
}

// An answer to a dry run of a form that changed while AWS answered is not
// shown as if it were about the form now on screen.
func TestDryRunAnswerForAnOlderFormIsDropped(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m = focusField(t, m, fDryRun)
	m, _ = press(m, "space", "ctrl+s")
	if !m.dryRunning {
		t.Fatal("the dry run did not start")
	}
	m = focusField(t, m, fDuration)
	m = typeText(m, "60")
	m, _ = m.Update(dryRunMsg{form: m.id, answers: []dryRunAnswer{{source: plainSrc.ID, result: dryRunResult(true, "permission granted")}}})
	if m.dryRunning || strings.Contains(statusOf(m).Text, "permission granted") || !strings.Contains(statusOf(m).Text, "form changed") {
		t.Errorf("status after an answer about the old form: %+v", statusOf(m))
	}
}
