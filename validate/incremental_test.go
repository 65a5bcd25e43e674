package validate

import (
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

const (
	keyA = "1234abcd-12ab-34cd-56ef-1234567890aa"
	keyB = "1234abcd-12ab-34cd-56ef-1234567890bb"
	keyD = "1234abcd-12ab-34cd-56ef-1234567890dd" // the default EBS key
)

var westAliases = []model.KMSAlias{
	{Name: "alias/prod-ebs", Arn: "arn:aws:kms:us-west-2:111122223333:alias/prod-ebs", TargetKeyID: keyA},
	{Name: "alias/backup", Arn: "arn:aws:kms:us-west-2:111122223333:alias/backup", TargetKeyID: keyB},
	{Name: "alias/aws/ebs", Arn: "arn:aws:kms:us-west-2:111122223333:alias/aws/ebs", TargetKeyID: keyD},
}

var eastAliases = []model.KMSAlias{
	{Name: "alias/backup", Arn: "arn:aws:kms:us-east-1:111122223333:alias/backup", TargetKeyID: keyB},
	{Name: "alias/other", Arn: "arn:aws:kms:us-east-1:111122223333:alias/other", TargetKeyID: keyA},
}

// An alias and the key it points to are one key (ListAliases' TargetKeyId):
// naming the source's own key by its alias is no re-encryption; another
// key, or the default key, is, and makes a full copy.
func TestEncryptionResolvesAliases(t *testing.T) {
	src := snap()
	src.Encrypted, src.KmsKeyID = true, "arn:aws:kms:us-west-2:111122223333:key/"+keyA
	west := model.Destination{Kind: model.ToRegion, Region: "us-west-2"}
	east := model.Destination{Kind: model.ToRegion, Region: "us-east-1"}
	def := model.EncryptionDefault{KmsKeyID: "alias/aws/ebs"}
	tests := []struct {
		name  string
		dest  model.Destination
		key   string
		reenc bool
		words []string
	}{
		{"its own key by alias", west, "alias/prod-ebs", false, []string{"encrypted with alias/prod-ebs", "the source's own key"}},
		{"its own key by alias ARN", west, "arn:aws:kms:us-west-2:111122223333:alias/prod-ebs", false, []string{"the source's own key"}},
		{"its own key by id", west, keyA, false, []string{"the source's own key"}},
		{"another customer key", west, "alias/backup", true, []string{"re-encrypted", "source used arn:aws:kms:us-west-2:111122223333:key/" + keyA, "a different key: a full copy"}},
		{"the default key", west, "", true, []string{"the default EBS key alias/aws/ebs", "a different key: a full copy"}},
		{"another Region: keys are per Region", east, "alias/backup", true, []string{"re-encrypted"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			aliases := westAliases
			if tc.dest.Region == "us-east-1" {
				aliases = eastAliases
			}
			o := EncryptionWithAliases(src, tc.dest, def, true, false, tc.key, aliases)
			if o.Reencrypted != tc.reenc {
				t.Errorf("Reencrypted = %v, want %v (%s)", o.Reencrypted, tc.reenc, o.Summary)
			}
			for _, w := range tc.words {
				if !strings.Contains(o.Summary, w) {
					t.Errorf("summary %q lacks %q", o.Summary, w)
				}
			}
			if tc.dest.Region == "us-east-1" && strings.Contains(o.Summary, "full copy") {
				t.Errorf("a cross-Region copy's key says nothing of full or incremental: %q", o.Summary)
			}
		})
	}
}

func TestIncremental(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 3, 0, 0, 0, time.UTC) }
	src := snap()
	src.ID, src.VolumeID, src.StartTime = "snap-0aaaaaaaaaaaaaaa3", "vol-0aaaaaaaaaaaaaaa0", day(29)
	earlier := func(id string, d int, edit func(*model.Snapshot)) model.Snapshot {
		s := model.Snapshot{ID: id, Region: "us-east-1", VolumeID: model.CopyVolumeID, State: model.StateCompleted, StorageTier: model.TierStandard, StartTime: day(d),
			Tags: []model.Tag{{Key: "Name", Value: "orders-dr"}, {Key: model.TagSourceVolume, Value: src.VolumeID}, {Key: model.TagSourceSnapshot, Value: "snap-0aaaaaaaaaaaaaaa1"}}}
		if edit != nil {
			edit(&s)
		}
		return s
	}
	plain := Outcome{}
	underB := Outcome{Encrypted: true, Key: "alias/backup"}
	encB := func(s *model.Snapshot) {
		s.Encrypted, s.KmsKeyID = true, "arn:aws:kms:us-east-1:111122223333:key/"+keyB
	}
	encA := func(s *model.Snapshot) {
		s.Encrypted, s.KmsKeyID = true, "arn:aws:kms:us-east-1:111122223333:key/"+keyA
	}
	byDescription := func(s *model.Snapshot) {
		s.Tags, s.Description = nil, "[Copied snap-0aaaaaaaaaaaaaaa1 from us-west-2]"
	}
	tests := []struct {
		name    string
		dest    string
		earlier []model.Snapshot
		enc     Outcome
		inc     bool
		words   []string
	}{
		{"no earlier copy", "us-east-1", nil, plain, false, []string{"full copy: no earlier copy of vol-0aaaaaaaaaaaaaaa0 in us-east-1"}},
		{"an earlier copy of the volume", "us-east-1", []model.Snapshot{earlier("snap-0eeeeeeeeeeeeeee1", 27, nil)}, plain, true,
			[]string{"incremental", "snap-0eeeeeeeeeeeeeee1 (orders-dr) of 2026-11-27"}},
		{"the latest of several", "us-east-1", []model.Snapshot{earlier("snap-0eeeeeeeeeeeeeee1", 27, nil), earlier("snap-0eeeeeeeeeeeeeee2", 28, nil)}, plain, true,
			[]string{"snap-0eeeeeeeeeeeeeee2"}},
		{"found by the CLI's description", "us-east-1", []model.Snapshot{earlier("snap-0eeeeeeeeeeeeeee1", 27, byDescription)}, plain, true, []string{"snap-0eeeeeeeeeeeeeee1"}},
		{"a copy of another volume", "us-east-1", []model.Snapshot{earlier("snap-0eeeeeeeeeeeeeee1", 27, func(s *model.Snapshot) {
			s.Tags = []model.Tag{{Key: model.TagSourceVolume, Value: "vol-0bbbbbbbbbbbbbbb0"}}
		})}, plain, false,
			[]string{"no earlier copy"}},
		// Not "no earlier copy" right above "already copied there (in
		// flight)": the copy in flight is named, and why it is not built on.
		{"still pending", "us-east-1", []model.Snapshot{earlier("snap-0eeeeeeeeeeeeeee1", 27, func(s *model.Snapshot) { s.State = model.StatePending })}, plain, false,
			[]string{"full copy: no completed copy of vol-0aaaaaaaaaaaaaaa0 in us-east-1 yet to build on (snap-0eeeeeeeeeeeeeee1 is still in flight)"}},
		{"the latest is archived", "us-east-1", []model.Snapshot{earlier("snap-0eeeeeeeeeeeeeee1", 27, nil), earlier("snap-0eeeeeeeeeeeeeee2", 28, func(s *model.Snapshot) { s.StorageTier = model.TierArchive })}, plain, false,
			[]string{"full copy", "snap-0eeeeeeeeeeeeeee2", "archived"}},
		{"same key by alias", "us-east-1", []model.Snapshot{earlier("snap-0eeeeeeeeeeeeeee1", 27, encB)}, underB, true, []string{"incremental"}},
		{"a different KMS key", "us-east-1", []model.Snapshot{earlier("snap-0eeeeeeeeeeeeeee1", 27, encA)}, underB, false,
			[]string{"full copy: a different KMS key from the earlier copy snap-0eeeeeeeeeeeeeee1"}},
		{"earlier unencrypted, now encrypted", "us-east-1", []model.Snapshot{earlier("snap-0eeeeeeeeeeeeeee1", 27, nil)}, underB, false, []string{"full copy", "unencrypted"}},
		{"within the Region", "us-west-2", []model.Snapshot{earlier("snap-0eeeeeeeeeeeeeee1", 27, nil)}, plain, false, []string{"within its Region"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			volumes := map[string]string{"snap-0aaaaaaaaaaaaaaa1": src.VolumeID}
			k := Incremental(src, tc.dest, tc.earlier, volumes, tc.enc, eastAliases)
			if k.Incremental != tc.inc {
				t.Errorf("Incremental = %v, want %v (%s)", k.Incremental, tc.inc, k.Summary)
			}
			for _, w := range tc.words {
				if !strings.Contains(k.Summary, w) {
					t.Errorf("summary %q lacks %q", k.Summary, w)
				}
			}
		})
	}
}
