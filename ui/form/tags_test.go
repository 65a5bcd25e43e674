package form

import (
	"reflect"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/validate"
)

func TestSourceTags(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m = focusField(t, m, fTags)
	m, _ = press(m, "ctrl+t")
	got := m.formValue().Tags
	want := []validate.TagInput{{Key: "Name", Value: "db"}, {Key: "team", Value: "ops"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tags after ctrl+t = %v, want %v (no aws: key)", got, want)
	}
	if !strings.Contains(statusOf(m).Text, "left out 1 tag") {
		t.Errorf("status %q does not say the aws: tag was left out", statusOf(m).Text)
	}
	m, _ = press(m, "ctrl+t")
	if n := len(m.tags); n != 2 {
		t.Errorf("ctrl+t again made %d rows, want 2", n)
	}

	// A batch offers the tags its copyable sources share.
	b := loadFacts(newForm(t, 100, 40, plainSrc, encSrc, pendingSrc))
	b = focusField(t, b, fTags)
	b, _ = press(b, "ctrl+t")
	if got, want := b.formValue().Tags, []validate.TagInput{{Key: "team", Value: "ops"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("batch tags after ctrl+t = %v, want %v", got, want)
	}
}

func TestTagRows(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m = focusField(t, m, fTags)
	m = typeText(m, "a")
	m, _ = press(m, "ctrl+n")
	m = typeText(m, "b")
	m, _ = press(m, "ctrl+n")
	m = typeText(m, "c")
	m, _ = press(m, "up", "ctrl+d")
	keysOf := func(m Model) string {
		var ks []string
		for _, r := range m.tags {
			ks = append(ks, r.key.Value())
		}
		return strings.Join(ks, ",")
	}
	if got := keysOf(m); got != "a,c" {
		t.Errorf("after deleting the middle row the keys are %q, want a,c", got)
	}
	m, _ = press(m, "ctrl+d", "ctrl+d", "ctrl+d")
	if len(m.tags) != 1 || keysOf(m) != "" {
		t.Errorf("deleting every row leaves %d rows %q, want one empty row", len(m.tags), keysOf(m))
	}
	// tab walks key, value, then the next field.
	m = typeText(m, "k")
	m, _ = press(m, "tab")
	m = typeText(m, "v")
	m, _ = press(m, "tab")
	if m.focus != fDuration {
		t.Errorf("tab from the last tag value went to %s, want the completion duration", labels[m.focus])
	}
	m, _ = press(m, "shift+tab")
	if m.focus != fTags || m.tagCol != 1 {
		t.Errorf("shift+tab back went to %s column %d, want the tag value", labels[m.focus], m.tagCol)
	}
	if got := m.formValue().Tags; !reflect.DeepEqual(got, []validate.TagInput{{Key: "k", Value: "v"}}) {
		t.Errorf("tags = %v", got)
	}
}

// The Source tags field: each copy's own by default (a batch's copies keep
// their own Name), none, or only the tags the batch shares; the typed tags
// win on a clash, and the choice shows what the copies get.
func TestSourceTagsField(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc, encSrc))
	m = focusField(t, m, fTags)
	m = typeText(m, "team")
	m, _ = press(m, "tab")
	m = typeText(m, "dr")
	m = focusField(t, m, fSourceTags)
	tagsOf := func(m Model) map[string][]model.Tag {
		t.Helper()
		if !m.result.OK() {
			t.Fatalf("the form is refused: %v", m.result.Problems)
		}
		out := map[string][]model.Tag{}
		for _, r := range m.requests(m.result) {
			// The provenance every copy carries is tested in validate.
			for _, tg := range r.Tags {
				if !strings.HasPrefix(tg.Key, "snapcopy:") {
					out[r.SourceSnapshotID] = append(out[r.SourceSnapshotID], tg)
				}
			}
		}
		return out
	}
	want := map[string][]model.Tag{
		plainSrc.ID: {{Key: "Name", Value: "db"}, {Key: "team", Value: "dr"}},
		encSrc.ID:   {{Key: "Name", Value: "web"}, {Key: "team", Value: "dr"}},
	}
	if got := tagsOf(m); !reflect.DeepEqual(got, want) {
		t.Errorf("each copy's own: %v, want %v", got, want)
	}
	if v := flat(m); !strings.Contains(v, "› Source tags ● each copy's own ○ none ○ only shared") ||
		!strings.Contains(v, "each copy gets its own source's tags, Name included") {
		t.Errorf("the field does not show its choice and what it gives:\n%s", m.View())
	}

	m, _ = press(m, "right")
	want = map[string][]model.Tag{plainSrc.ID: {{Key: "team", Value: "dr"}}, encSrc.ID: {{Key: "team", Value: "dr"}}}
	if got := tagsOf(m); !reflect.DeepEqual(got, want) {
		t.Errorf("none: %v, want %v", got, want)
	}
	if !strings.Contains(flat(m), "● none") {
		t.Errorf("→ did not choose none:\n%s", m.View())
	}

	m, _ = press(m, "space") // only shared: team=ops, overridden by the typed team=dr
	if got := tagsOf(m); !reflect.DeepEqual(got, want) {
		t.Errorf("only shared: %v, want %v", got, want)
	}
	if v := flat(m); !strings.Contains(v, "every copy gets team=ops; the tags below win") {
		t.Errorf("only shared does not say what is shared:\n%s", m.View())
	}
	m, _ = press(m, "right")
	if m.srcTags != model.SourceTagsOwn {
		t.Errorf("→ from the last choice went to %v, want back to each copy's own", m.srcTags)
	}
	m, _ = press(m, "left")
	if m.srcTags != model.SourceTagsShared {
		t.Errorf("← from the first choice went to %v, want only shared", m.srcTags)
	}
	if m.Capturing() {
		t.Error("the source tags choice captures keys")
	}
}

// The tags left count the source tags the copy will carry: a Name and a
// team tag on the source leave 44 with nothing typed, not 46.
func TestTagsLeftCountTheSourcesTags(t *testing.T) {
	m := loadFacts(newForm(t, 120, 40, plainSrc))
	m = focusField(t, m, fTags)
	if !strings.Contains(flat(m), "44 tags left for yours (besides 2 of the source's and snapcopy's 4)") {
		t.Errorf("the count leaves out the source's Name and team tags:\n%s", m.View())
	}
	m = focusField(t, m, fSourceTags)
	m, _ = press(m, "right") // none
	m = focusField(t, m, fTags)
	if !strings.Contains(flat(m), "46 tags left for yours (besides snapcopy's 4)") {
		t.Errorf("with no source tags:\n%s", m.View())
	}
}

// ctrl+t says what it added in plain words: "added 1 tag from the source",
// not "copied 1 tag of the source's tags".
func TestCtrlTSaysWhatItAdded(t *testing.T) {
	src := plainSrc
	src.Tags = []model.Tag{{Key: "Name", Value: "db"}}
	m := loadFacts(newForm(t, 100, 40, src))
	m = focusField(t, m, fTags)
	m, _ = press(m, "ctrl+t")
	if got := statusOf(m).Text; got != "added 1 tag from the source" {
		t.Errorf("ctrl+t said %q", got)
	}
}
