package validate

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

func TestDescription(t *testing.T) {
	for _, good := range []string{"", "nightly", strings.Repeat("x", 255), strings.Repeat("é", 255), "über-backup 2026"} {
		if ps := Description(good); ps != nil {
			t.Errorf("%.20q: %s", good, dump(ps))
		}
	}
	tests := []struct {
		name, s string
		words   []string
	}{
		{"too long", strings.Repeat("x", 256), []string{"Description", "at most 255 characters", "256"}},
		{"too long in characters", strings.Repeat("é", 256), []string{"at most 255"}},
		{"line break", "a\nb", []string{"Description", "control characters"}},
		{"tab", "a\tb", []string{"control characters"}},
		{"escape", "a\x1b[31mb", []string{"control characters"}},
		{"not UTF-8", "a\xffb", []string{"Description", "not valid text"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, Description(tc.s), FieldDescription, Error, tc.words...)
		})
	}
}

func TestKmsKey(t *testing.T) {
	for _, good := range []string{
		"",
		"1234abcd-12ab-34cd-56ef-1234567890ab",
		"mrk-1234abcd12ab34cd56ef1234567890ab",
		"alias/backup",
		"alias/aws/ebs",
		"alias/team_a/key-1",
		"alias/" + strings.Repeat("a", 250),
		"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
		"arn:aws:kms:us-east-1:111122223333:alias/backup",
	} {
		if ps := KmsKey(good, "us-east-1"); ps != nil {
			t.Errorf("%.60q: %s", good, dump(ps))
		}
	}
	if ps := KmsKey("arn:aws-cn:kms:cn-north-1:111122223333:alias/backup", "cn-north-1"); ps != nil {
		t.Errorf("China ARN: %s", dump(ps))
	}
	for region, partition := range map[string]string{"us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b", "eusc-de-east-1": "aws-eusc"} {
		if ps := KmsKey("arn:"+partition+":kms:"+region+":111122223333:alias/backup", region); ps != nil {
			t.Errorf("%s ARN: %s", partition, dump(ps))
		}
	}
	wantProblem(t, KmsKey("arn:aws:kms:us-iso-east-1:111122223333:alias/backup", "us-iso-east-1"), FieldKmsKey, Error, "us-iso-east-1 is not in partition aws")
	tests := []struct {
		name, key string
		words     []string
	}{
		{"not a key", "backup", []string{"KMS key", "must be a key id", "alias/NAME"}},
		{"short UUID", "1234abcd-12ab-34cd-56ef", []string{"must be a key id"}},
		{"bad mrk", "mrk-1234", []string{"mrk- followed by 32 hex"}},
		{"alias without name", "alias/", []string{"needs a name after alias/"}},
		{"alias characters", "alias/my key", []string{"only letters, digits, /, _ and -"}},
		{"alias too long", "alias/" + strings.Repeat("a", 251), []string{"at most 256 characters"}},
		{"ARN of another service", "arn:aws:s3:::bucket/key", []string{"KMS key ARN", "must look like arn:aws:kms"}},
		{"ARN partition", "arn:aws-isx:kms:us-east-1:111122223333:alias/backup", []string{"partition", "aws-iso-f or aws-eusc"}},
		{"ARN Region of an iso partition", "arn:aws-iso:kms:us-east-1:111122223333:alias/backup", []string{"us-east-1 is not in partition aws-iso"}},
		{"ARN Region code", "arn:aws:kms:useast1:111122223333:alias/backup", []string{"not a Region code"}},
		{"ARN Region of partition", "arn:aws:kms:cn-north-1:111122223333:alias/backup", []string{"cn-north-1 is not in partition aws"}},
		{"ARN account", "arn:aws:kms:us-east-1:1111:alias/backup", []string{"account", "12 digits"}},
		{"ARN key id", "arn:aws:kms:us-east-1:111122223333:key/xyz", []string{"key id", "UUID", "mrk-"}},
		{"ARN alias", "arn:aws:kms:us-east-1:111122223333:alias/a b", []string{"alias", "only letters"}},
		{"ARN resource", "arn:aws:kms:us-east-1:111122223333:grant/abc", []string{"must end in key/ID or alias/NAME"}},
		{"ARN of another Region", "arn:aws:kms:us-west-2:111122223333:alias/backup", []string{"KMS key is in us-west-2", "copy is made in us-east-1", "destination Region"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, KmsKey(tc.key, "us-east-1"), FieldKmsKey, Error, tc.words...)
		})
	}
	// Before a destination is known, an ARN's Region cannot be wrong.
	if ps := KmsKey("arn:aws:kms:us-west-2:111122223333:alias/backup", ""); ps != nil {
		t.Errorf("no destination yet: %s", dump(ps))
	}
}

func TestKnownAlias(t *testing.T) {
	fs := facts()
	tests := []struct {
		key, region string
		warn        bool
	}{
		{"alias/backup", "us-east-1", false},
		{"arn:aws:kms:us-east-1:111122223333:alias/backup", "us-east-1", false},
		{"alias/missing", "us-east-1", true},
		{"arn:aws:kms:us-east-1:111122223333:alias/missing", "us-east-1", true},
		{"alias/aws/ebs", "us-east-1", false},                        // created by AWS on first use
		{"alias/missing", "us-west-2", false},                        // aliases of us-west-2 not loaded
		{"1234abcd-12ab-34cd-56ef-1234567890ab", "us-east-1", false}, // only aliases are listed
	}
	for _, tc := range tests {
		ps := KnownAlias(tc.key, tc.region, fs)
		if !tc.warn {
			if ps != nil {
				t.Errorf("%s in %s: %s", tc.key, tc.region, dump(ps))
			}
			continue
		}
		wantProblem(t, ps, FieldKmsKey, Warning, "alias/missing not found in us-east-1", "will fail if the key does not exist there")
	}
	// A known, empty list is still known.
	fs.Aliases["eu-central-1"] = nil
	wantProblem(t, KnownAlias("alias/x", "eu-central-1", fs), FieldKmsKey, Warning, "alias/x not found in eu-central-1")
}

func TestTags(t *testing.T) {
	tags, ps := Tags([]TagInput{{"Name", "db"}, {"", ""}, {"  ", " "}, {"env", ""}, {"Env", "prod"}, {" spaced ", "kept as typed "}})
	if ps != nil {
		t.Fatalf("valid tags: %s", dump(ps))
	}
	want := []model.Tag{{Key: "Name", Value: "db"}, {Key: "env", Value: ""}, {Key: "Env", Value: "prod"}, {Key: " spaced ", Value: "kept as typed "}}
	if !slices.Equal(tags, want) {
		t.Errorf("tags = %v, want %v", tags, want)
	}

	tests := []struct {
		name  string
		rows  []TagInput
		row   int
		words []string
	}{
		{"value without key", []TagInput{{"Name", "db"}, {"", "orphan"}}, 1, []string{"Tag key is required"}},
		{"key too long", []TagInput{{strings.Repeat("k", 128), "v"}}, 0, []string{"Tag key", "at most 127", "128"}},
		{"value too long", []TagInput{{"k", strings.Repeat("v", 257)}}, 0, []string{"Tag value", "at most 256", "257"}},
		{"duplicate key", []TagInput{{"Name", "a"}, {"team", "x"}, {"Name", "b"}}, 2, []string{"Name", "repeats row 1", "unique"}},
		{"aws: prefix", []TagInput{{"aws:backup", "x"}}, 0, []string{"may not begin with aws:"}},
		{"AWS: prefix in any case", []TagInput{{"AwS:Backup", "x"}}, 0, []string{"may not begin with aws:"}},
		{"request tag reserved", []TagInput{{model.RequestTagKey, "x"}}, 0, []string{model.RequestTagKey, "reserved"}},
		{"control character in key", []TagInput{{"a\tb", "x"}}, 0, []string{"Tag key", "control characters"}},
		{"control character in value", []TagInput{{"k", "line\nbreak"}}, 0, []string{"Tag value", "control characters"}},
		{"invalid UTF-8", []TagInput{{"k", "\xff"}}, 0, []string{"Tag value", "not valid text"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := Tags(tc.rows)
			wantProblem(t, ps, FieldTags, Error, tc.words...)
			for _, p := range ps {
				if p.Row != tc.row {
					t.Errorf("problem on row %d, want row %d: %s", p.Row, tc.row, p)
				}
			}
		})
	}

	// 49 tags fit beside the request tag; the 50th row is one too many.
	var rows []TagInput
	for i := range MaxUserTags {
		rows = append(rows, TagInput{fmt.Sprintf("k%d", i), "v"})
	}
	if _, ps := Tags(rows); ps != nil {
		t.Errorf("%d tags: %s", len(rows), dump(ps))
	}
	rows = append(rows, TagInput{}, TagInput{"one-too-many", "v"}, TagInput{"two-too-many", "v"})
	_, ps = Tags(rows)
	wantProblem(t, ps, FieldTags, Error, "at most 46", "AWS allows 50", model.RequestTagKey, model.TagSourceVolume)
	if len(ps) != 1 || ps[0].Row != MaxUserTags+1 {
		t.Errorf("want one problem on row %d (the first row over the limit):\n%s", MaxUserTags+1, dump(ps))
	}
}

func TestDuration(t *testing.T) {
	good := []struct {
		raw  string
		want int32
	}{{"", 0}, {"  ", 0}, {"15", 15}, {"60", 60}, {" 90 ", 90}, {"2880", 2880}}
	for _, g := range good {
		n, ps := Duration(g.raw, model.ToRegion, model.ToRegion)
		if ps != nil || n != g.want {
			t.Errorf("Duration(%q) = %d, want %d\n%s", g.raw, n, g.want, dump(ps))
		}
	}
	tests := []struct {
		name  string
		raw   string
		kinds []model.DestinationKind
		words []string
	}{
		{"not a multiple of 15", "20", nil, []string{"Completion duration must be a multiple of 15 minutes (15 to 2880)"}},
		{"zero", "0", nil, []string{"Completion duration of 0 minutes is under the minimum of 15"}},
		{"too short", "10", nil, []string{"Completion duration of 10 minutes is under the minimum of 15"}},
		{"over the maximum, a multiple of 15", "2895", nil, []string{"Completion duration of 2895 minutes is over the maximum of 2880"}},
		{"over the maximum, not a multiple", "2890", nil, []string{"Completion duration of 2890 minutes is over the maximum of 2880"}},
		{"over the maximum", "3000", nil, []string{"Completion duration of 3000 minutes is over the maximum of 2880"}},
		{"negative", "-15", nil, []string{"Completion duration of -15 minutes is under the minimum of 15"}},
		{"a fraction", "15.5", nil, []string{`"15.5" is not a whole number of minutes`}},
		{"unit", "60m", nil, []string{`"60m" is not a number of minutes`}},
		{"huge", "99999999999999999999999", nil, []string{"over the maximum of 2880"}},
		{"to a Local Zone, a number out of bounds", "2895", []model.DestinationKind{model.ToLocalZone}, []string{"not available", "Local Zone or an Outpost"}},
		{"to an Outpost, not a multiple", "17", []model.DestinationKind{model.ToOutpost}, []string{"not available"}},
		{"to an Outpost, not a number", "soon", []model.DestinationKind{model.ToOutpost}, []string{"not available"}},
		{"to a Local Zone", "60", []model.DestinationKind{model.ToLocalZone}, []string{"not available", "Local Zone or an Outpost", "leave it empty"}},
		{"to an Outpost", "60", []model.DestinationKind{model.ToOutpost}, []string{"not available"}},
		{"from a Local Zone", "60", []model.DestinationKind{model.ToRegion, model.ToLocalZone}, []string{"not available"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, ps := Duration(tc.raw, tc.kinds...)
			if n != 0 {
				t.Errorf("minutes = %d, want 0 with an error", n)
			}
			wantProblem(t, ps, FieldDuration, Error, tc.words...)
			if len(ps) != 1 {
				t.Errorf("want one problem, the rule broken:\n%s", dump(ps))
			}
			other := strings.Contains(tc.words[0], "maximum") || strings.Contains(tc.words[0], "minimum") || strings.Contains(tc.words[0], "not available")
			if other && len(ps) > 0 && strings.Contains(ps[0].Message, "multiple") {
				t.Errorf("the message speaks of another rule: %s", ps[0].Message)
			}
		})
	}
}

func TestDurationFits(t *testing.T) {
	small := snap() // 100 GiB: 3.4 minutes at 500 MiB/s
	big := snap()
	big.ID, big.VolumeSizeGiB = "snap-0bbbbbbbbbbbbbbb1", 2000 // 68.3 minutes: 75
	measured := snap()
	measured.ID, measured.VolumeSizeGiB, measured.FullSizeBytes = "snap-0ccccccccccccccc1", 16000, 50<<30

	if got := NeededMinutes(small); got != 15 {
		t.Errorf("NeededMinutes(100 GiB) = %d, want 15", got)
	}
	if got := NeededMinutes(big); got != 75 {
		t.Errorf("NeededMinutes(2000 GiB) = %d, want 75", got)
	}
	if ps := DurationFits(15, []model.Snapshot{small, measured}); ps != nil {
		t.Errorf("full snapshot size, not volume size, counts: %s", dump(ps))
	}
	if ps := DurationFits(75, []model.Snapshot{small, big}); ps != nil {
		t.Errorf("75 minutes fit: %s", dump(ps))
	}
	ps := DurationFits(60, []model.Snapshot{small, big})
	wantProblem(t, ps, FieldDuration, Warning, "60 minutes", "snap-0bbbbbbbbbbbbbbb1", "2000 GiB", "at least 75 minutes", "500 MiB/s")
	big2 := big
	big2.ID = "snap-0ddddddddddddddd1"
	wantProblem(t, DurationFits(15, []model.Snapshot{big, small, big2}), FieldDuration, Warning, "2 snapshots are too large")
}

// Characters that do not show or that reorder the text (bidi overrides,
// zero-width ones) are accepted by AWS: a warning names the field and the
// character, and the copy can still be made.
func TestInvisibleCharactersWarn(t *testing.T) {
	tests := []struct {
		name, s string
		words   []string
	}{
		{"right-to-left override", "backup\u202Egpj.exe", []string{"U+202E (right-to-left override)"}},
		{"left-to-right embedding", "a\u202Ab", []string{"U+202A (left-to-right embedding)"}},
		{"pop directional formatting", "a\u202Cb", []string{"U+202C"}},
		{"first strong isolate", "a\u2068b\u2069", []string{"U+2068 (first strong isolate) and 1 more"}},
		{"pop directional isolate", "a\u2069", []string{"U+2069"}},
		{"zero width space", "prod\u200Bdb", []string{"U+200B (zero width space)"}},
		{"zero width joiner", "a\u200Db", []string{"U+200D"}},
		{"right-to-left mark", "a\u200Fb", []string{"U+200F (right-to-left mark)"}},
		{"byte order mark", "\uFEFFnightly", []string{"U+FEFF (zero width no-break space)"}},
		{"word joiner", "a\u2060b", []string{"U+2060"}},
		{"soft hyphen", "night\u00ADly", []string{"U+00AD"}},
		{"line separator", "a\u2028b", []string{"U+2028 (line separator)"}},
		{"tag character without a name", "a\U000E0041b", []string{"U+E0041"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			words := append([]string{"AWS accepts it"}, tc.words...)
			ps := Description(tc.s)
			wantProblem(t, ps, FieldDescription, Warning, append([]string{"Description contains"}, words...)...)
			if hasError(ps) {
				t.Errorf("an error for a character AWS accepts: %s", dump(ps))
			}
			_, ps = Tags([]TagInput{{"Name", "db"}, {"team", tc.s}})
			wantProblem(t, ps, FieldTags, Warning, append([]string{"Tag value contains"}, words...)...)
			_, ps = Tags([]TagInput{{tc.s, "v"}})
			wantProblem(t, ps, FieldTags, Warning, append([]string{"Tag key contains"}, words...)...)
			for _, p := range ps {
				if p.Severity != Warning || p.Row != 0 {
					t.Errorf("want one warning on row 0: %s", dump(ps))
				}
			}
		})
	}
	// Visible text of any script passes without a word.
	for _, plain := range []string{"nightly", "über-backup", "نسخة احتياطية", "バックアップ", "резервная копия", "🙂 ok"} {
		if ps := Description(plain); ps != nil {
			t.Errorf("%q: %s", plain, dump(ps))
		}
	}
	// The warning does not stop the copy.
	r := Check([]model.Snapshot{snap()}, facts(), Form{Kind: model.ToRegion, Destination: "us-east-1", Description: "a\u202Eb"}, now)
	if !r.OK() || len(r.Requests) != 1 || r.Requests[0].Description != "a\u202Eb" {
		t.Errorf("a warned description blocks or changes the copy: %s", dump(r.Problems))
	}
	wantProblem(t, r.Problems, FieldDescription, Warning, "U+202E")
}

// A sign before a whole number is read as the number.
func TestDurationWithASign(t *testing.T) {
	if n, ps := Duration("+30"); n != 30 || ps != nil {
		t.Errorf("+30: %d, %s", n, dump(ps))
	}
}
