package validate

import (
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// What DescribeKey told of a key is said, each state in its own words:
// not found, a key of another Region, disabled, pending deletion, another
// state; an enabled key, a key not asked about yet, say nothing.
func TestKnownKeyStates(t *testing.T) {
	const id = "1234abcd-12ab-34cd-56ef-1234567890ab"
	const arn = "arn:aws:kms:us-east-1:111122223333:key/" + id
	fs := facts()
	fs.Keys = map[string]model.KMSKey{
		model.KeyFact("us-east-1", id):              {},
		model.KeyFact("us-west-2", id):              {Found: true, State: model.KeyEnabled},
		model.KeyFact("us-east-1", arn):             {Found: true, State: model.KeyDisabled},
		model.KeyFact("us-east-1", "alias/backup"):  {Found: true, State: model.KeyPendingDeletion, DeletionDate: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
		model.KeyFact("eu-central-1", "alias/dr"):   {Found: true, State: "PendingImport"},
		model.KeyFact("eu-central-1", id):           {Found: true, State: model.KeyEnabled},
		model.KeyFact("ap-southeast-2", id):         {},
		model.KeyFact("ap-southeast-2", "alias/dr"): {Found: true, State: model.KeyEnabled},
	}
	fs.Aliases["eu-central-1"] = []model.KMSAlias{{Name: "alias/dr"}}
	fs.Aliases["ap-southeast-2"] = []model.KMSAlias{{Name: "alias/dr"}}
	for _, tc := range []struct {
		key, src, dest string
		want           []string // nil: no warning
	}{
		{id, "us-west-2", "us-east-1", []string{"KMS key " + id + " is a key of us-west-2, not of us-east-1: the copy will fail; a copy made in us-east-1 needs a key of us-east-1"}},
		{id, "us-east-1", "us-east-1", []string{"KMS key " + id + " not found in us-east-1: the copy will fail"}},
		{id, "us-east-1", "ap-southeast-2", []string{"not found in ap-southeast-2"}}, // not found in the source Region either
		{arn, "us-west-2", "us-east-1", []string{"KMS key " + arn + " is disabled in us-east-1: the copy will fail unless the key is enabled first"}},
		{"alias/backup", "us-west-2", "us-east-1", []string{"KMS key alias/backup is pending deletion in us-east-1 (to be deleted on 2026-04-01): the copy will fail unless its deletion is cancelled and the key enabled"}},
		{"alias/dr", "us-west-2", "eu-central-1", []string{"KMS key alias/dr is PendingImport in eu-central-1, not enabled: the copy will fail"}},
		{id, "us-west-2", "eu-central-1", nil},
		{"alias/dr", "us-west-2", "ap-southeast-2", nil},
		{"alias/missing", "us-west-2", "us-east-1", []string{"alias/missing not found in us-east-1"}},
		{"5678abcd-12ab-34cd-56ef-1234567890ab", "us-west-2", "us-east-1", nil}, // not asked yet
	} {
		ps := KnownKey(tc.key, tc.src, tc.dest, fs)
		if tc.want == nil {
			if ps != nil {
				t.Errorf("%s %s->%s: %s", tc.key, tc.src, tc.dest, dump(ps))
			}
			continue
		}
		wantProblem(t, ps, FieldKmsKey, Warning, tc.want...)
	}
}

// Which keys are asked about, and where else.
func TestDescribeFirst(t *testing.T) {
	fs := facts()
	for _, tc := range []struct {
		key  string
		want bool
	}{
		{"1234abcd-12ab-34cd-56ef-1234567890ab", true},
		{"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", true},
		{"alias/backup", true},   // listed: its key may be disabled
		{"alias/missing", false}, // KnownAlias says it
		{"alias/aws/ebs", false}, // made by AWS on first use
		{"1234abcd", false},      // not a key yet
		{"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", false}, // another Region: an error already
		{"", false},
	} {
		if got := DescribeFirst(tc.key, "us-east-1", fs); got != tc.want {
			t.Errorf("DescribeFirst(%q) = %v, want %v", tc.key, got, tc.want)
		}
	}
	if got := AlsoDescribeIn("1234abcd-12ab-34cd-56ef-1234567890ab", "us-west-2", "us-east-1"); got != "us-west-2" {
		t.Errorf("a key id is also asked about in the source Region: %q", got)
	}
	for _, key := range []string{"alias/backup", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"} {
		if got := AlsoDescribeIn(key, "us-west-2", "us-east-1"); got != "" {
			t.Errorf("AlsoDescribeIn(%q) = %q", key, got)
		}
	}
}
