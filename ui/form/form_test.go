package form

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/validate"
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
	m, _ = press(m, "tab")
	m = typeText(m, "Name")
	m, _ = press(m, "tab")
	m = typeText(m, "db-dr")
	m, _ = press(m, "tab")
	m = typeText(m, "60")
	m, cmd := press(m, "ctrl+s")
	copies := startedCopies(t, cmd)
	if len(copies) != 1 {
		t.Fatalf("submit handed %d copies to the tracker, want 1 (status %q)", len(copies), m.status.text)
	}
	c := copies[0]
	want := model.CopyRequest{
		DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: plainSrc.ID,
		Description: "Copy of snap-0a1b2c3d4e5f60718: nightly db backup",
		Encrypted:   true, KmsKeyID: "alias/backup",
		Tags:                      []model.Tag{{Key: "Name", Value: "db-dr"}, {Key: model.RequestTagKey, Value: c.RequestID}},
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
	if !strings.HasPrefix(m.status.text, "not sent: fix the tags: Tag key is required") {
		t.Errorf("status %q does not say which field to fix", m.status.text)
	}
}

func TestSubmitRefusedWhenEverySourceIsSkipped(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, pendingSrc))
	m, cmd := press(m, "ctrl+s")
	if len(startedCopies(t, cmd)) != 0 {
		t.Fatal("a pending snapshot was sent")
	}
	if !strings.Contains(m.status.text, "only a completed snapshot can be copied") {
		t.Errorf("status %q does not say why", m.status.text)
	}
}

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

func TestEscGoesBackAndKeepsTheForm(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m = focusField(t, m, fDesc)
	m = typeText(clearField(m), "kept")
	m, cmd := press(m, "esc")
	msgs := msgsOf(cmd)
	if len(msgs) != 1 || msgs[0] != (nav.Back{}) {
		t.Fatalf("esc sent %v, want nav.Back", msgs)
	}
	if m.desc.Value() != "kept" || m.focus != fDesc {
		t.Errorf("after esc the form holds %q on %s", m.desc.Value(), labels[m.focus])
	}
}

func TestCapturing(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	want := map[field]bool{fKind: false, fDest: true, fDesc: true, fEncrypt: false, fKms: true, fTags: true, fDuration: true, fDryRun: false}
	for f := field(0); f < numFields; f++ {
		m = focusField(t, m, f)
		if got := m.Capturing(); got != want[f] {
			t.Errorf("Capturing on %s = %v, want %v", labels[f], got, want[f])
		}
	}
	// q typed into a text field is text, not a command.
	m = focusField(t, m, fDesc)
	m = typeText(clearField(m), "q?")
	if m.desc.Value() != "q?" {
		t.Errorf("description = %q, want q?", m.desc.Value())
	}
}

func TestKeyMapShortHelpIsInFullHelp(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	full := map[string]bool{}
	for _, g := range m.KeyMap().FullHelp() {
		for _, b := range g {
			full[strings.Join(b.Keys(), " ")] = true
		}
	}
	for f := field(0); f < numFields; f++ {
		m = focusField(t, m, f)
		for _, b := range m.KeyMap().ShortHelp() {
			if !full[strings.Join(b.Keys(), " ")] {
				t.Errorf("on %s the help bar shows %q, which the full help lacks", labels[f], b.Help().Key)
			}
		}
	}
	// The keys the form answers are the bindings the help shows.
	if !key.Matches(keyNamed("ctrl+s"), keys.Submit) || !key.Matches(keyNamed("esc"), keys.Back) || !key.Matches(keyNamed("ctrl+t"), keys.SourceTags) {
		t.Error("the bindings do not match the keys the form documents")
	}
}

func TestZeroModelIsInert(t *testing.T) {
	var m Model
	if v := m.View(); v != "" {
		t.Errorf("zero form draws %q", v)
	}
	m2, cmd := m.Update(keyNamed("ctrl+s"))
	if cmd != nil || m2.Capturing() {
		t.Error("zero form answers keys")
	}
	if m.Init() != nil {
		t.Error("zero form loads something")
	}
}

func TestLooksUpOnlyEnabledRegions(t *testing.T) {
	m := newForm(t, 100, 40, plainSrc)
	for _, k := range []lookup{regionsLookup(), zonesOf("us-west-2"), encryptionOf("us-west-2"), aliasesOf("us-west-2")} {
		if !m.loading[k] {
			t.Errorf("a new form does not load %s", k)
		}
	}
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "us-east-1")
	if m.loading[encryptionOf("us-east-1")] {
		t.Error("the form asked us-east-1 before knowing it is an enabled Region")
	}
	m = loadFacts(m)
	m = typeText(clearField(m), "ap-southeast-2")
	if !m.loading[encryptionOf("ap-southeast-2")] && m.facts.Encryption["ap-southeast-2"] == (model.EncryptionDefault{}) {
		t.Error("the form does not load the encryption default of the chosen Region")
	}
	for _, r := range []string{"a", "ap", "ap-", "ap-southeast", "ap-southeast-", "af-south-1"} {
		for _, k := range []lookup{encryptionOf(r), aliasesOf(r)} {
			if m.loading[k] {
				t.Errorf("the form looks up %s", k)
			}
		}
	}
	m = typeText(clearField(m), "af-south-1")
	if m.loading[encryptionOf("af-south-1")] || m.loading[aliasesOf("af-south-1")] {
		t.Error("the form looks up a Region that is not enabled")
	}
}

func TestForcedEncryptionCannotBeTurnedOff(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, encSrc))
	m = focusField(t, m, fEncrypt)
	m, _ = press(m, "space")
	if m.encrypt {
		t.Error("the toggle changed while encryption is forced")
	}
	if m.status.text != "encryption is forced on: the source is encrypted" {
		t.Errorf("status %q", m.status.text)
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
	if m.dryRunning || m.status.kind != statusBad {
		t.Fatalf("status after the answers: %+v", m.status)
	}
	for _, want := range []string{"1 copy of 2 not allowed", encSrc.ID, "AuthFailure", "aws sso login"} {
		if !strings.Contains(m.status.text, want) {
			t.Errorf("status %q does not say %q", m.status.text, want)
		}
	}
	m, _ = m.Update(dryRunMsg{form: m.id, answers: []dryRunAnswer{
		{source: plainSrc.ID, result: dryRunResult(true, "permission granted")},
		{source: encSrc.ID, result: dryRunResult(true, "permission granted")},
	}})
	if m.status.kind != statusGood || m.status.text != "dry run: permission granted for all 2 copies" {
		t.Errorf("status %+v", m.status)
	}
}

func TestLoadErrorIsShownWithWhatToDo(t *testing.T) {
	m := newForm(t, 100, 40, plainSrc)
	err := &model.APIError{Op: "DescribeRegions", Region: "us-west-2", Code: "UnauthorizedOperation", Message: "You are not authorized to perform this operation.", Kind: model.ErrPermission}
	m, _ = m.Update(regionsMsg{err: err})
	v := m.View()
	for _, want := range []string{"✗ could not load the Regions: DescribeRegions in us-west-2: UnauthorizedOperation", "ask for it or switch profile"} {
		if !strings.Contains(strings.Join(strings.Fields(v), " "), want) {
			t.Errorf("the screen does not say %q:\n%s", want, v)
		}
	}
	// The form still works with the Region code alone.
	if !m.result.OK() {
		t.Errorf("without the Region list the form refuses: %v", m.result.Problems)
	}
	m, _ = m.Update(regionsMsg{err: errors.New("ignored")})
	m, _ = m.Update(regionsMsg{regions: testRegions})
	if strings.Contains(m.View(), "could not load") {
		t.Error("the error stays after the Regions loaded")
	}
}

// Whatever the form holds, its screen fits the size it is given.
func TestViewFitsEverySize(t *testing.T) {
	sizes := [][2]int{{30, 8}, {60, 15}, {80, 24}, {100, 40}, {160, 50}}
	states := map[string]func(t *testing.T, m Model) Model{
		"fresh": func(t *testing.T, m Model) Model { return m },
		"tags": func(t *testing.T, m Model) Model {
			m = focusField(t, m, fTags)
			for i := 0; i < 12; i++ {
				m = paste(m, strings.Repeat("k", 60)+string(rune('a'+i)))
				m, _ = press(m, "tab")
				m = paste(m, strings.Repeat("v", 300))
				m, _ = press(m, "ctrl+n")
			}
			return m
		},
		"long description": func(t *testing.T, m Model) Model {
			m = focusField(t, m, fDesc)
			return paste(m, strings.Repeat("日本語", 120))
		},
		"kms": func(t *testing.T, m Model) Model {
			m = focusField(t, m, fKms)
			return typeText(m, "alias/")
		},
	}
	for name, state := range states {
		for _, sz := range sizes {
			m := loadFacts(newForm(t, sz[0], sz[1], plainSrc, encSrc, lzSrc, pendingSrc))
			m = state(t, m)
			lines := strings.Split(m.View(), "\n")
			if len(lines) > sz[1] {
				t.Errorf("%s at %dx%d: %d lines", name, sz[0], sz[1], len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > sz[0] {
					t.Errorf("%s at %dx%d: line %d is %d wide", name, sz[0], sz[1], i+1, w)
				}
			}
			if !strings.Contains(m.View(), "›") && sz[1] >= 15 {
				t.Errorf("%s at %dx%d: the focused field is out of view:\n%s", name, sz[0], sz[1], m.View())
			}
		}
	}
}

// Any sequence of keys leaves a form that draws within its size and never
// holds requests while validate reports an error.
func TestRandomKeysKeepTheFormSound(t *testing.T) {
	names := []string{"tab", "shift+tab", "enter", "left", "right", "up", "down", "backspace",
		"ctrl+n", "ctrl+d", "ctrl+t", "ctrl+f", "ctrl+u", "ctrl+e", "space"}
	texts := []string{"a", "us-east-1", "alias/", "aws:", "60", "50", "\x1b[31m", "arn:aws:kms:us-east-1:123456789012:alias/x", "日本"}
	rng := uint64(42)
	next := func(n int) int { // a fixed sequence, so a failure repeats
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % uint64(n))
	}
	m := loadFacts(newForm(t, 80, 24, plainSrc, encSrc, lzSrc, pendingSrc))
	for i := 0; i < 1500; i++ {
		if next(3) == 0 {
			m = paste(m, texts[next(len(texts))])
		} else {
			n := names[next(len(names))]
			if n == "enter" && m.focus == numFields-1 {
				continue // submitting is tested elsewhere
			}
			m, _ = press(m, n)
		}
		if _, bad := m.result.FirstError(); bad && len(m.result.Requests) > 0 {
			t.Fatalf("step %d: requests while an error stands: %v", i, m.result.Problems)
		}
		lines := strings.Split(m.View(), "\n")
		if len(lines) > 24 {
			t.Fatalf("step %d: %d lines", i, len(lines))
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > 80 || strings.ContainsRune(l, 0x1b) {
				t.Fatalf("step %d: line too wide or carrying an escape: %q", i, l)
			}
		}
	}
}

// ←/→ on a typed destination that matches no offered one move the cursor:
// fixing a typo in an Outpost ARN never replaces it with another Outpost.
func TestArrowsInATypedOutpostArnMoveTheCursor(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m, _ = press(m, "right") // destination type: Outpost
	m = focusField(t, m, fDest)
	m = clearField(m)
	typed := "arn:aws:outposts:us-west-2:123456789012:outpost/op-0fedcba98765432l0"
	m = typeText(m, typed)
	m, _ = press(m, "left", "backspace") // the typo is the l before the last 0
	m = typeText(m, "1")
	want := "arn:aws:outposts:us-west-2:123456789012:outpost/op-0fedcba9876543210"
	if got := m.dest[m.kind()].Value(); got != want {
		t.Errorf("after fixing the typo the ARN is %q, want %q", got, want)
	}
	// Empty, the arrows pick the known Outpost again.
	m = clearField(m)
	m, _ = press(m, "right")
	if got := m.dest[m.kind()].Value(); got != outpostArn {
		t.Errorf("← / → on an empty field picked %q, want %q", got, outpostArn)
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
	if m.dryRunning || strings.Contains(m.status.text, "permission granted") || !strings.Contains(m.status.text, "form changed") {
		t.Errorf("status after an answer about the old form: %+v", m.status)
	}
}
