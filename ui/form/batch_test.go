package form

import (
	"strings"
	"testing"
	"unicode"

	"github.com/snapcopy/snapcopy/validate"
)

func TestBatchDescriptions(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc, encSrc))
	if m.desc.Value() != BatchDescription {
		t.Fatalf("batch prefill %q, want %q", m.desc.Value(), BatchDescription)
	}
	_, cmd := press(m, "ctrl+s")
	copies := startedCopies(t, cmd)
	if len(copies) != 2 {
		t.Fatalf("%d copies, want 2", len(copies))
	}
	wants := []string{"Copy of snap-0a1b2c3d4e5f60718: nightly db backup", "Copy of snap-0fedcba9876543210: web root"}
	for i, c := range copies {
		if c.Request.Description != wants[i] {
			t.Errorf("untouched batch prefill: copy %d described %q, want %q", i, c.Request.Description, wants[i])
		}
	}

	m = focusField(t, m, fDesc)
	m = typeText(clearField(m), "weekly")
	_, cmd = press(m, "ctrl+s")
	for i, c := range startedCopies(t, cmd) {
		if c.Request.Description != "weekly" {
			t.Errorf("edited batch description: copy %d described %q, want weekly", i, c.Request.Description)
		}
	}
}

func TestPrefill(t *testing.T) {
	long := plainSrc
	long.Description = "line one\nline two\x07 " + strings.Repeat("é", 300)
	got := prefill(long)
	if n := len([]rune(got)); n != validate.MaxDescription {
		t.Errorf("prefill of a long description has %d characters, want %d", n, validate.MaxDescription)
	}
	if strings.IndexFunc(got, unicode.IsControl) >= 0 {
		t.Errorf("prefill keeps control characters: %q", got)
	}
	if ps := validate.Description(got); ps != nil {
		t.Errorf("validate refuses the prefill: %v", ps)
	}
	bare := plainSrc
	bare.Description = "  "
	if got := prefill(bare); got != "Copy of "+plainSrc.ID {
		t.Errorf("prefill without a source description = %q", got)
	}
}
