package validate

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/snapcopy/snapcopy/model"
)

// FuzzCheck feeds arbitrary text into every field. Check must not panic,
// must never offer requests while an error stands, and every request it
// offers must keep the rules of spec section 2.
func FuzzCheck(f *testing.F) {
	f.Add(0, "us-east-1", "nightly", "alias/backup", "team", "db", "60", true, false, false)
	f.Add(1, outpostW2, "", "", "", "", "", false, true, true)
	f.Add(2, "us-west-2-lax-1b", "edge", keyARNWest, "aws:x", "", "15", true, false, true)
	f.Add(0, "eu-central-1", strings.Repeat("d", 300), "mrk-1234abcd12ab34cd56ef1234567890ab", "", "v", "2880", false, true, false)
	f.Add(2, "us-west-2-lax-1a", "a\x00b", "arn:aws:kms:us-west-2:111122223333:alias/x", "k\n", "\xff", "-15", true, true, true)
	f.Add(7, "", "", "alias/", " ", " ", "99999999999999999999", false, false, false)
	f.Fuzz(func(t *testing.T, kind int, dest, desc, key, tagKey, tagValue, duration string, encrypt, dryRun, lzSource bool) {
		src := snap()
		if lzSource {
			src = lzSnap()
		}
		form := Form{
			Kind:        model.DestinationKind(kind % 4),
			Destination: dest,
			Description: desc,
			Encrypt:     encrypt,
			KmsKey:      key,
			Tags:        []TagInput{{tagKey, tagValue}, {"Name", tagValue}},
			Duration:    duration,
			DryRun:      dryRun,
		}
		r := Check([]model.Snapshot{src, encSnap()}, facts(), form, now)
		_, bad := r.FirstError()
		if bad && len(r.Requests) > 0 {
			t.Fatalf("requests offered while an error stands:\n%s", dump(r.Problems))
		}
		if r.OK() == bad {
			t.Fatalf("OK=%v with error=%v", r.OK(), bad)
		}
		for _, p := range r.Problems {
			if p.Message == "" || (p.Field == FieldTags) == (p.Row == -1) {
				t.Fatalf("malformed problem %+v", p)
			}
		}
		if len(r.Requests) > 0 && len(r.Outcomes) != len(r.Requests) {
			t.Fatalf("%d outcomes for %d requests", len(r.Outcomes), len(r.Requests))
		}
		for _, req := range r.Requests {
			if err := requestRules(req); err != nil {
				t.Fatalf("request breaks a rule: %v\n%+v", err, req)
			}
		}
	})
}

// requestRules re-checks a built request against spec section 2, apart
// from the code that built it.
func requestRules(r model.CopyRequest) error {
	set := 0
	for _, v := range []bool{r.DestinationOutpostArn != "", r.DestinationAvailabilityZone != "", r.CompletionDurationMinutes != 0} {
		if v {
			set++
		}
	}
	switch {
	case RegionCode(FieldSource, r.SourceRegion) != nil || RegionCode(FieldDestination, r.DestinationRegion) != nil:
		return fmt.Errorf("Region codes")
	case SnapshotID(r.SourceSnapshotID) != nil:
		return fmt.Errorf("snapshot id")
	case !utf8.ValidString(r.Description) || utf8.RuneCountInString(r.Description) > 255 || r.Description != strings.TrimSpace(r.Description):
		return fmt.Errorf("description")
	case r.KmsKeyID != "" && !r.Encrypted:
		return fmt.Errorf("KmsKeyId without Encrypted")
	case KmsKey(r.KmsKeyID, r.DestinationRegion) != nil:
		return fmt.Errorf("KMS key")
	case r.DestinationOutpostArn != "" && !r.Encrypted:
		return fmt.Errorf("Outpost copy not encrypted")
	case set > 1:
		return fmt.Errorf("Outpost, Local Zone and duration are exclusive")
	case r.CompletionDurationMinutes != 0 && (r.CompletionDurationMinutes%15 != 0 || r.CompletionDurationMinutes < 15 || r.CompletionDurationMinutes > 2880):
		return fmt.Errorf("duration")
	case len(r.Tags) > MaxTags-1: // the request tag is added when sending
		return fmt.Errorf("too many tags")
	}
	seen := map[string]bool{}
	for _, t := range r.Tags {
		k := utf8.RuneCountInString(t.Key)
		if k < 1 || k > 127 || utf8.RuneCountInString(t.Value) > 256 || seen[t.Key] ||
			strings.HasPrefix(strings.ToLower(t.Key), "aws:") || t.Key == model.RequestTagKey ||
			plainText(t.Key) != "" || plainText(t.Value) != "" {
			return fmt.Errorf("tag %q=%q", t.Key, t.Value)
		}
		seen[t.Key] = true
	}
	if !seen[model.TagSourceSnapshot] || !seen[model.TagSourceVolume] || !seen[model.TagSourceRegion] {
		return fmt.Errorf("provenance tags missing")
	}
	return nil
}

// BenchmarkCheck runs Check on a 50-snapshot batch, as on every keystroke
// of the form.
func BenchmarkCheck(b *testing.B) {
	srcs := make([]model.Snapshot, 50)
	for i := range srcs {
		s := snap()
		s.ID = fmt.Sprintf("snap-%017x", i)
		s.Encrypted = i%2 == 0
		srcs[i] = s
	}
	fs := facts()
	form := Form{
		Kind: model.ToRegion, Destination: "us-east-1", Description: "nightly database backup",
		Encrypt: true, KmsKey: "arn:aws:kms:us-east-1:111122223333:alias/backup",
		Tags:     []TagInput{{"Name", "db"}, {"team", "storage"}, {"env", "prod"}, {"", ""}},
		Duration: "120",
	}
	b.ReportAllocs()
	for b.Loop() {
		if r := Check(srcs, fs, form, now); !r.OK() || len(r.Requests) != 50 {
			b.Fatalf("OK=%v requests=%d\n%s", r.OK(), len(r.Requests), dump(r.Problems))
		}
	}
}
