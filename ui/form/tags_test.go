package form

import (
	"reflect"
	"strings"
	"testing"

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
	if !strings.Contains(m.status.text, "left out 1 tag") {
		t.Errorf("status %q does not say the aws: tag was left out", m.status.text)
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
