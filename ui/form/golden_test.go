package form

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/validate"
)

// checkView compares the form's screen with testdata/<test name>.golden
// (go test ./ui/form -update rewrites them), checks it fits its size, and
// that it says each of wants.
func checkView(t *testing.T, m Model, wants ...string) {
	t.Helper()
	v := m.View()
	lines := strings.Split(v, "\n")
	if len(lines) > m.height {
		t.Errorf("view has %d lines, more than the height %d", len(lines), m.height)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > m.width {
			t.Errorf("line %d is %d wide, more than %d: %q", i+1, w, m.width, l)
		}
	}
	// Wrapped lines are read as one text, the way a reader does.
	flat := strings.Join(strings.Fields(v), " ")
	for _, want := range wants {
		if !strings.Contains(flat, strings.Join(strings.Fields(want), " ")) {
			t.Errorf("the screen does not say %q", want)
		}
	}
	golden.RequireEqual(t, []byte(v+"\n"))
}

// A Region destination typed in full, with a key, a tag and a time-based copy.
func TestGoldenRegion(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m, _ = press(m, "tab")
	m = clearField(m)
	m = typeText(m, "us-east-1")
	m, _ = press(m, "tab", "tab", "space", "tab")
	m = typeText(m, "alias/backup")
	m, _ = press(m, "tab", "tab") // through the source tags
	m = typeText(m, "Name")
	m, _ = press(m, "tab")
	m = typeText(m, "db-dr")
	m, _ = press(m, "tab")
	m = typeText(m, "120")
	checkView(t, m,
		"Region us-east-1, request sent to us-east-1",
		"encrypted with alias/backup",
		"needs about 14 MiB/s",
		"› Completion duration")
}

// The Outpost destination: the ARN picked from the known ones, and
// encryption forced on with the reason.
func TestGoldenOutpost(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m, _ = press(m, "right", "tab")
	checkView(t, m,
		"● Outpost",
		"forced on: copies to an Outpost must be encrypted",
		"Outpost "+outpostArn+", request sent to us-west-2")
}

// A Local Zone snapshot offers only its parent Region and the Local Zones
// of its zone group.
func TestGoldenLocalZone(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, lzSrc))
	m, _ = press(m, "right", "tab", "right")
	checkView(t, m,
		"○ Region   ● Local Zone",
		"us-west-2-lax-1b",
		"2 of 2 Local Zones",
		"Local Zone us-west-2-lax-1b, request sent to us-west-2")
	if strings.Contains(m.View(), "Outpost") {
		t.Error("a Local Zone snapshot is offered an Outpost")
	}
}

// A field with an error, and submit refused naming the field to fix.
func TestGoldenFieldError(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m = focusField(t, m, fDuration)
	m = typeText(m, "50")
	m = focusField(t, m, fDryRun)
	m, cmd := press(m, "ctrl+s")
	if cmd != nil {
		t.Errorf("a refused submit returned a command")
	}
	if m.focus != fDuration {
		t.Errorf("focus is on %s, want the field to fix", labels[m.focus])
	}
	checkView(t, m,
		"✗ Completion duration must be a multiple of 15 minutes (15 to 2880)",
		"✗ not sent: fix the completion duration")
}

// A too-short time-based copy is a warning beside the field; it does not block.
func TestGoldenDurationWarning(t *testing.T) {
	big := plainSrc
	big.VolumeSizeGiB = 2000
	m := loadFacts(newForm(t, 100, 40, big))
	m = focusField(t, m, fDuration)
	m = typeText(m, "60")
	checkView(t, m, "! Completion duration of 60 minutes may be too short", "needs about 569 MiB/s")
	if !m.result.OK() {
		t.Errorf("a warning blocks the form: %v", m.result.Problems)
	}
}

// The preview for each row of the encryption table (spec section 2).
func TestGoldenEncryption(t *testing.T) {
	cases := []struct {
		name   string
		src    model.Snapshot
		keys   func(Model) Model
		noFact bool // the destination's encryption default is not loaded
		want   string
	}{
		{"unencrypted_default_off", plainSrc, nil, false, "unencrypted"},
		{"unencrypted_encrypt_on", plainSrc, func(m Model) Model {
			m = focusField(t, m, fEncrypt)
			m, _ = press(m, "space")
			return m
		}, false, "encrypted with the default EBS key alias/aws/ebs"},
		{"unencrypted_encrypt_on_with_key", plainSrc, func(m Model) Model {
			m = focusField(t, m, fEncrypt)
			m, _ = press(m, "space", "tab")
			return typeText(m, "alias/backup")
		}, false, "encrypted with alias/backup"},
		{"unencrypted_destination_encrypts_by_default", plainSrc, func(m Model) Model {
			m, _ = press(m, "tab")
			return typeText(clearField(m), "eu-central-1")
		}, false, "encrypted with the default EBS key alias/aws/ebs (eu-central-1 encrypts by default)"},
		{"encrypted_no_key", encSrc, nil, false, "encrypted with the default EBS key alias/aws/ebs (the source is encrypted)"},
		{"encrypted_with_key", encSrc, func(m Model) Model {
			m = focusField(t, m, fKms)
			return typeText(m, "alias/backup")
		}, false, "encrypted with alias/backup (re-encrypted; source used " + srcKeyArn[:40]},
		{"outpost", plainSrc, func(m Model) Model {
			m, _ = press(m, "right")
			return m
		}, false, "encrypted with the default EBS key alias/aws/ebs (copies to an Outpost must be"},
		{"default_not_loaded", plainSrc, func(m Model) Model {
			m, _ = press(m, "tab")
			return typeText(clearField(m), "us-east-1")
		}, true, "unencrypted unless us-east-1 encrypts by default (encryption default of us-east-1 not loaded yet)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newForm(t, 100, 40, c.src)
			if c.noFact {
				m, _ = m.Update(regionsMsg{regions: testRegions})
				m, _ = m.Update(zonesMsg{region: "us-west-2", zones: testZones})
			} else {
				m = loadFacts(m)
			}
			if c.keys != nil {
				m = c.keys(m)
			}
			checkView(t, m, "Preview", c.want)
		})
	}
}

// A batch: one form, one request per snapshot; the pending one and, for
// an Outpost, the Local Zone one are skipped with the reason.
func TestGoldenBatchSkipped(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc, encSrc, lzSrc, pendingSrc))
	m, _ = press(m, "right")
	checkView(t, m,
		"Copy 4 snapshots from us-west-2",
		"2 copies to Outpost",
		"Skipped   ! snap-0c0c0c0c0c0c0c0c0 (edge): in Local Zone us-west-2-lax-1a",
		"! snap-0d0d0d0d0d0d0d0d0 (tmp): pending: only a completed snapshot can be copied",
		"each copy gets its own")
	if n := len(m.result.Requests); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// The small terminal: the fields scroll to keep the focused one in view.
func TestGoldenSmall(t *testing.T) {
	m := loadFacts(newForm(t, 80, 24, plainSrc, encSrc, lzSrc, pendingSrc))
	m = focusField(t, m, fTags)
	m, _ = press(m, "ctrl+t")
	m, _ = press(m, "ctrl+n")
	m = typeText(m, "aws:owner")
	checkView(t, m,
		"› Tags",
		"may not begin with aws:",
		"Skipped")
}

// KMS key completion from the destination Region's aliases.
func TestGoldenKmsCompletion(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "us-east-1")
	m = focusField(t, m, fEncrypt)
	m, _ = press(m, "space", "tab")
	m = typeText(m, "back")
	m, _ = press(m, "down")
	checkView(t, m, "  alias/backup", "› alias/backup-archive")
	m, _ = press(m, "right")
	if got := m.kms.Value(); got != "alias/backup-archive" {
		t.Fatalf("after → the key is %q, want the highlighted completion", got)
	}
}

// An alias the destination Region does not have is a warning.
func TestGoldenUnknownAlias(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, encSrc))
	m = focusField(t, m, fKms)
	m = typeText(m, "alias/nope")
	checkView(t, m, "! alias/nope not found in us-west-2: the copy will fail if the key does not exist there")
}

// A Region that is not enabled is marked in the picker and refused.
func TestGoldenRegionNotEnabled(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "af")
	checkView(t, m, "matches: af-south-1 (not enabled)")
	m, _ = press(m, "right")
	if got := m.dest[model.ToRegion].Value(); got != "af-south-1" {
		t.Fatalf("→ picked %q, want the first match af-south-1", got)
	}
	if !strings.Contains(m.View(), "not enabled · ←/→ 1 of 5 Regions") || !strings.Contains(m.View(), "is not enabled for this account") {
		t.Errorf("a Region that is not enabled is not marked and refused:\n%s", m.View())
	}
	if m.loading[encryptionOf("af-south-1")] || m.loading[aliasesOf("af-south-1")] {
		t.Error("the form asks a Region that is not enabled for its facts")
	}
}

// Tag rows: a value without a key is an error on its row.
func TestGoldenTagRowError(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m = focusField(t, m, fTags)
	m = typeText(m, "Name")
	m, _ = press(m, "tab")
	m = typeText(m, "db")
	m, _ = press(m, "ctrl+n", "tab")
	m = typeText(m, "orphan value")
	checkView(t, m, "✗ Tag key is required when a value is given")
}

// The answer of a dry run, in the form.
func TestGoldenDryRunAnswer(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m = focusField(t, m, fDryRun)
	m, _ = press(m, "space")
	m, _ = press(m, "enter")
	if !m.dryRunning {
		t.Fatal("enter on the last field did not start the dry run")
	}
	m, _ = m.Update(dryRunMsg{form: m.id, answers: []dryRunAnswer{{
		source: plainSrc.ID,
		result: dryRunResult(false, "permission missing (UnauthorizedOperation): You are not authorized to perform this operation."),
	}}})
	checkView(t, m, "✗ dry run: permission missing (UnauthorizedOperation): You are not authorized to perform this operation.", "dry run only")
}

// At 80x24 the tag rows scroll to the focused row: with every tag the
// operator may set typed, the next row's cursor and its error are on the
// screen.
func TestGoldenTagRowsScrolled(t *testing.T) {
	m := loadFacts(newForm(t, 80, 24, plainSrc))
	m = focusField(t, m, fTags)
	rows := validate.MaxUserTags + 1
	for i := 1; i <= rows; i++ {
		if i > 1 {
			m, _ = press(m, "ctrl+n")
		}
		m = typeText(m, fmt.Sprintf("k%02d", i))
		m, _ = press(m, "tab")
		m = typeText(m, "v")
	}
	if m.tagRow != rows-1 {
		t.Fatalf("the cursor is on tag row %d, want row %d", m.tagRow+1, rows)
	}
	checkView(t, m,
		fmt.Sprintf("› k%02d", rows),
		fmt.Sprintf("✗ Tags: at most %d per copy", validate.MaxUserTags),
		"lines above")
}
