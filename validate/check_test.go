package validate

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

// The requests Check builds, one test per destination kind: exactly what
// awsops will send.
func TestCheckRequests(t *testing.T) {
	tags := []TagInput{{"Name", "db"}, {"", ""}, {"team", "storage"}}
	wantTags := []model.Tag{{Key: "Name", Value: "db"}, {Key: "team", Value: "storage"}}
	tests := []struct {
		name string
		src  model.Snapshot
		form Form
		want model.CopyRequest
	}{
		{"to another Region, time-based, re-encrypted",
			encSnap(),
			Form{Kind: model.ToRegion, Destination: "us-east-1", Description: "  nightly db  ", KmsKey: " alias/backup ", Tags: tags, Duration: "60"},
			model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0eeeeeeeeeeeeeee1",
				Description: "nightly db", Encrypted: true, KmsKeyID: "alias/backup", Tags: wantTags, CompletionDurationMinutes: 60}},
		{"to the same Region, standard, unencrypted",
			snap(),
			Form{Kind: model.ToRegion, Destination: "us-west-2"},
			model.CopyRequest{DestinationRegion: "us-west-2", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0123456789abcdef0"}},
		{"to a Region that encrypts by default",
			snap(),
			Form{Kind: model.ToRegion, Destination: "eu-central-1", DryRun: true},
			model.CopyRequest{DestinationRegion: "eu-central-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0123456789abcdef0",
				Encrypted: true, DryRun: true}},
		{"to a Region, encrypt on",
			snap(),
			Form{Kind: model.ToRegion, Destination: "us-east-1", Encrypt: true},
			model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0123456789abcdef0", Encrypted: true}},
		{"to an Outpost: encryption forced",
			snap(),
			Form{Kind: model.ToOutpost, Destination: outpostW2, Tags: tags},
			model.CopyRequest{DestinationRegion: "us-west-2", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0123456789abcdef0",
				Encrypted: true, Tags: wantTags, DestinationOutpostArn: outpostW2}},
		{"to a Local Zone of the source Region",
			snap(),
			Form{Kind: model.ToLocalZone, Destination: "us-west-2-lax-1a", Description: "edge"},
			model.CopyRequest{DestinationRegion: "us-west-2", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0123456789abcdef0",
				Description: "edge", DestinationAvailabilityZone: "us-west-2-lax-1a"}},
		{"from a Local Zone to another of its group",
			lzSnap(),
			Form{Kind: model.ToLocalZone, Destination: "us-west-2-lax-1b", Encrypt: true, KmsKey: "alias/edge"},
			model.CopyRequest{DestinationRegion: "us-west-2", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0aaaaaaaaaaaaaaa1",
				Encrypted: true, KmsKeyID: "alias/edge", DestinationAvailabilityZone: "us-west-2-lax-1b"}},
		{"from a Local Zone to the same zone",
			lzSnap(),
			Form{Kind: model.ToLocalZone, Destination: "us-west-2-lax-1a"},
			model.CopyRequest{DestinationRegion: "us-west-2", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0aaaaaaaaaaaaaaa1",
				DestinationAvailabilityZone: "us-west-2-lax-1a"}},
		{"from a Local Zone to its parent Region",
			lzSnap(),
			Form{Kind: model.ToRegion, Destination: "us-west-2"},
			model.CopyRequest{DestinationRegion: "us-west-2", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0aaaaaaaaaaaaaaa1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Check([]model.Snapshot{tc.src}, facts(), tc.form, now)
			if !r.OK() {
				t.Fatalf("not OK:\n%s", dump(r.Problems))
			}
			if len(r.Requests) != 1 || len(r.Outcomes) != 1 || len(r.Skipped) != 0 {
				t.Fatalf("requests %d, outcomes %d, skipped %d; want 1, 1, 0", len(r.Requests), len(r.Outcomes), len(r.Skipped))
			}
			want := tc.want
			want.Tags = append(slices.Clone(want.Tags), provenance(tc.src)...)
			if !reflect.DeepEqual(r.Requests[0], want) {
				t.Errorf("request =\n  %+v\nwant\n  %+v", r.Requests[0], want)
			}
			if got := r.Requests[0].Destination(); got != r.Destination {
				t.Errorf("request goes to %+v, result says %+v", got, r.Destination)
			}
			if r.Outcomes[0].Encrypted != r.Requests[0].Encrypted && !tc.form.Encrypt {
				// Encrypted is left out only when the copy ends up unencrypted.
				t.Errorf("outcome %+v disagrees with request Encrypted=%v", r.Outcomes[0], r.Requests[0].Encrypted)
			}
		})
	}
}

// Each rule, seen through Check: the problem lands on its field and an
// error leaves no request to send.
func TestCheckRules(t *testing.T) {
	archived := snap()
	archived.StorageTier = model.TierArchive
	pending := snap()
	pending.State = model.StatePending
	onOutpost := snap()
	onOutpost.OutpostArn = outpostW2
	badID := snap()
	badID.ID = "snap-XYZ"
	east := snap()
	east.Region = "us-east-1"
	huge := snap()
	huge.VolumeSizeGiB = 16384
	toEast := Form{Kind: model.ToRegion, Destination: "us-east-1"}
	with := func(change func(*Form)) Form {
		f := toEast
		change(&f)
		return f
	}
	tests := []struct {
		name  string
		srcs  []model.Snapshot
		form  Form
		field Field
		sev   Severity
		words []string
	}{
		{"no source", nil, toEast, FieldSource, Error, []string{"choose at least one snapshot"}},
		{"pending source", []model.Snapshot{pending}, toEast, FieldSource, Error, []string{"Pending: only a completed snapshot can be copied"}},
		{"archived source", []model.Snapshot{archived}, toEast, FieldSource, Error, []string{"Archived", "restore it first"}},
		{"Outpost source", []model.Snapshot{onOutpost}, toEast, FieldSource, Error, []string{"On an Outpost", "cannot be copied"}},
		{"malformed source id", []model.Snapshot{badID}, toEast, FieldSource, Error, []string{"Snapshot id", "8 or 17 lower-case hex"}},
		{"destination missing", []model.Snapshot{snap()}, Form{Kind: model.ToRegion}, FieldDestination, Error, []string{"Destination Region is required"}},
		{"destination not a Region code", []model.Snapshot{snap()}, with(func(f *Form) { f.Destination = "Virginia" }), FieldDestination, Error, []string{"not a Region code"}},
		{"destination not opted in", []model.Snapshot{snap()}, with(func(f *Form) { f.Destination = "ap-east-1" }), FieldDestination, Error, []string{"not enabled"}},
		{"Local Zone source to an Outpost", []model.Snapshot{lzSnap()}, Form{Kind: model.ToOutpost, Destination: outpostW2}, FieldDestKind, Error, []string{"Local Zone", "cannot be copied to an Outpost"}},
		{"Local Zone source to another Region", []model.Snapshot{lzSnap()}, toEast, FieldDestination, Error, []string{"In Local Zone us-west-2-lax-1a", "only to its parent Region us-west-2"}},
		{"Local Zone source to another zone group", []model.Snapshot{lzSnap()}, Form{Kind: model.ToLocalZone, Destination: "us-west-2-den-1a"}, FieldDestination, Error, []string{"zone group us-west-2-lax-1", "us-west-2-den-1a"}},
		{"Local Zone of another Region", []model.Snapshot{snap()}, Form{Kind: model.ToLocalZone, Destination: "us-east-1-bos-1a"}, FieldDestination, Error, []string{"belongs to us-east-1", "own Region (us-west-2)"}},
		{"Outpost of another Region", []model.Snapshot{snap()}, Form{Kind: model.ToOutpost, Destination: outpostE1}, FieldDestination, Error, []string{"Outpost is in us-east-1"}},
		{"Outpost ARN malformed", []model.Snapshot{snap()}, Form{Kind: model.ToOutpost, Destination: "op-0123456789abcdef0"}, FieldDestination, Error, []string{"must look like"}},
		{"unknown destination type", []model.Snapshot{snap()}, with(func(f *Form) { f.Kind = 7 }), FieldDestKind, Error, []string{"Destination type"}},
		{"description too long", []model.Snapshot{snap()}, with(func(f *Form) { f.Description = strings.Repeat("d", 256) }), FieldDescription, Error, []string{"at most 255"}},
		{"description with a line break", []model.Snapshot{snap()}, with(func(f *Form) { f.Description = "a\nb" }), FieldDescription, Error, []string{"control characters"}},
		{"KMS key malformed", []model.Snapshot{snap()}, with(func(f *Form) { f.Encrypt, f.KmsKey = true, "my key" }), FieldKmsKey, Error, []string{"must be a key id"}},
		{"KMS key ARN of the source Region", []model.Snapshot{snap()}, with(func(f *Form) { f.Encrypt, f.KmsKey = true, keyARNWest }), FieldKmsKey, Error, []string{"KMS key is in us-west-2", "made in us-east-1"}},
		{"KMS key without encryption", []model.Snapshot{snap()}, with(func(f *Form) { f.KmsKey = "alias/backup" }), FieldKmsKey, Error, []string{"only for an encrypted copy", "turn Encrypt on"}},
		{"KMS key, default not loaded, toggle off", []model.Snapshot{east}, Form{Kind: model.ToRegion, Destination: "us-west-2", KmsKey: "alias/x"}, FieldKmsKey, Error, []string{"turn Encrypt on"}},
		{"tag value without key", []model.Snapshot{snap()}, with(func(f *Form) { f.Tags = []TagInput{{"", "x"}} }), FieldTags, Error, []string{"Tag key is required"}},
		{"tag aws: prefix", []model.Snapshot{snap()}, with(func(f *Form) { f.Tags = []TagInput{{"aws:x", "y"}} }), FieldTags, Error, []string{"aws:"}},
		{"duration not a multiple of 15", []model.Snapshot{snap()}, with(func(f *Form) { f.Duration = "50" }), FieldDuration, Error, []string{"multiple of 15 minutes (15 to 2880)"}},
		{"duration to a Local Zone", []model.Snapshot{snap()}, Form{Kind: model.ToLocalZone, Destination: "us-west-2-lax-1a", Duration: "60"}, FieldDuration, Error, []string{"not available", "Local Zone"}},
		{"duration to an Outpost", []model.Snapshot{snap()}, Form{Kind: model.ToOutpost, Destination: outpostW2, Duration: "60"}, FieldDuration, Error, []string{"not available"}},
		{"duration over the maximum", []model.Snapshot{snap()}, with(func(f *Form) { f.Duration = "2895" }), FieldDuration, Error, []string{"2895 minutes is over the maximum of 2880"}},
		{"duration out of bounds to a Local Zone", []model.Snapshot{snap()}, Form{Kind: model.ToLocalZone, Destination: "us-west-2-lax-1a", Duration: "2895"}, FieldDuration, Error, []string{"not available", "Local Zone"}},
		{"duration not a multiple to an Outpost", []model.Snapshot{snap()}, Form{Kind: model.ToOutpost, Destination: outpostW2, Duration: "17"}, FieldDuration, Error, []string{"not available"}},
		{"destination Region mistyped", []model.Snapshot{snap()}, with(func(f *Form) { f.Destination = "us-esat-1" }), FieldDestination, Error, []string{"us-esat-1 is not a Region this account knows (did you mean us-east-1?)"}},
		{"duration from a Local Zone", []model.Snapshot{lzSnap()}, Form{Kind: model.ToRegion, Destination: "us-west-2", Duration: "60"}, FieldDuration, Error, []string{"time-based copy", "not available from a Local Zone"}},
		// Warnings: shown, not blocking.
		{"duration short for the size", []model.Snapshot{huge}, with(func(f *Form) { f.Duration = "15" }), FieldDuration, Warning, []string{"too short", "at least 570 minutes"}},
		{"alias unknown in the destination", []model.Snapshot{snap()}, with(func(f *Form) { f.Encrypt, f.KmsKey = true, "alias/nope" }), FieldKmsKey, Warning, []string{"alias/nope not found in us-east-1"}},
		{"Local Zone impaired", []model.Snapshot{snap()}, Form{Kind: model.ToLocalZone, Destination: "us-west-2-sea-1a"}, FieldDestination, Warning, []string{"impaired"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Check(tc.srcs, facts(), tc.form, now)
			wantProblem(t, r.Problems, tc.field, tc.sev, tc.words...)
			for _, p := range r.Problems {
				if p.Field != FieldTags && p.Row != -1 {
					t.Errorf("problem off the tags has row %d: %s", p.Row, p)
				}
			}
			if tc.sev == Error {
				if r.OK() || len(r.Requests) != 0 {
					t.Errorf("an error stands but OK=%v with %d requests", r.OK(), len(r.Requests))
				}
				if p, ok := r.FirstError(); !ok || p.Severity != Error {
					t.Errorf("FirstError = %v, %v", p, ok)
				}
				return
			}
			if !r.OK() || len(r.Requests) != len(tc.srcs) {
				t.Errorf("a warning blocked the copy: OK=%v, %d requests\n%s", r.OK(), len(r.Requests), dump(r.Problems))
			}
		})
	}
}

func TestCheckBatch(t *testing.T) {
	a, pending, lz, b := snap(), snap(), lzSnap(), snap()
	pending.ID, pending.State = "snap-0111111111111111f", model.StatePending
	b.ID, b.Encrypted, b.KmsKeyID = "snap-0222222222222222f", true, keyARNWest
	srcs := []model.Snapshot{a, pending, lz, b, a}
	f := Form{Kind: model.ToRegion, Destination: "us-east-1", Description: "weekly", Tags: []TagInput{{"Name", "db"}}, Duration: "30"}
	r := Check(srcs, facts(), f, now)
	if !r.OK() {
		t.Fatalf("not OK:\n%s", dump(r.Problems))
	}
	tags := []model.Tag{{Key: "Name", Value: "db"}}
	want := []model.CopyRequest{
		{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: a.ID, Description: "weekly", Tags: append(slices.Clone(tags), provenance(a)...), CompletionDurationMinutes: 30},
		{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: b.ID, Description: "weekly", Tags: append(slices.Clone(tags), provenance(b)...), CompletionDurationMinutes: 30, Encrypted: true},
	}
	if !reflect.DeepEqual(r.Requests, want) {
		t.Errorf("requests =\n  %+v\nwant\n  %+v", r.Requests, want)
	}
	// Tags are not shared between requests: awsops adds its request tag to each.
	r.Requests[0].Tags[0].Value = "changed"
	if r.Requests[1].Tags[0].Value != "db" {
		t.Errorf("requests share one tag slice")
	}
	if len(r.Outcomes) != 2 || r.Outcomes[0].Summary != "unencrypted" || !r.Outcomes[1].Forced {
		t.Errorf("outcomes = %+v", r.Outcomes)
	}
	type skip struct{ id, words string }
	wantSkips := []skip{
		{pending.ID, "pending: only a completed snapshot"},
		{lz.ID, "only to its parent Region us-west-2"},
		{a.ID, "listed twice"},
	}
	if len(r.Skipped) != len(wantSkips) {
		t.Fatalf("skipped %+v, want %d", r.Skipped, len(wantSkips))
	}
	for i, w := range wantSkips {
		if r.Skipped[i].Snapshot.ID != w.id || !strings.Contains(r.Skipped[i].Reason, w.words) {
			t.Errorf("skip %d = %s %q, want %s with %q", i, r.Skipped[i].Snapshot.ID, r.Skipped[i].Reason, w.id, w.words)
		}
	}
	wantProblem(t, r.Problems, FieldSource, Warning, "3 of 5 snapshots", "will be skipped")

	// The same batch to the Local Zone's parent Region with a duration:
	// the Local Zone source is skipped for the duration, not for the Region.
	f.Destination = "us-west-2"
	r = Check([]model.Snapshot{a, lz}, facts(), f, now)
	if !r.OK() || len(r.Requests) != 1 || len(r.Skipped) != 1 || !strings.Contains(r.Skipped[0].Reason, "time-based copy") {
		t.Errorf("OK=%v requests=%d skipped=%+v\n%s", r.OK(), len(r.Requests), r.Skipped, dump(r.Problems))
	}
}

func TestCheckBatchAllSkipped(t *testing.T) {
	p1, p2, arch := snap(), snap(), snap()
	p1.ID, p1.State = "snap-0111111111111111f", model.StatePending
	p2.ID, p2.State = "snap-0222222222222222f", model.StatePending
	arch.ID, arch.StorageTier = "snap-0333333333333333f", model.TierArchive
	r := Check([]model.Snapshot{p1, p2, arch}, facts(), Form{Kind: model.ToRegion, Destination: "us-east-1"}, now)
	if r.OK() || len(r.Requests) != 0 || len(r.Skipped) != 3 {
		t.Fatalf("OK=%v requests=%d skipped=%d", r.OK(), len(r.Requests), len(r.Skipped))
	}
	// One error per distinct reason, with its count.
	src := r.For(FieldSource)
	if len(src) != 2 {
		t.Fatalf("want 2 source errors:\n%s", dump(r.Problems))
	}
	wantProblem(t, src, FieldSource, Error, "Pending: only a completed snapshot", "(2 of 3 snapshots)")
	wantProblem(t, src, FieldSource, Error, "Archived", "(1 of 3 snapshots)")
	// Each names the sources it stands for, for a line of its own each.
	if !slices.Equal(src[0].Snapshots, []string{p1.ID, p2.ID}) || !slices.Equal(src[1].Snapshots, []string{arch.ID}) {
		t.Errorf("the errors' sources: %v, %v", src[0].Snapshots, src[1].Snapshots)
	}
	// The preview has nothing to show for skipped sources.
	if len(r.Outcomes) != 0 {
		t.Errorf("outcomes for skipped sources: %+v", r.Outcomes)
	}
}

func TestCheckOutcomesWhileErrors(t *testing.T) {
	// An error elsewhere still leaves the preview of each source.
	f := Form{Kind: model.ToRegion, Destination: "eu-central-1", Duration: "7"}
	r := Check([]model.Snapshot{snap(), encSnap()}, facts(), f, now)
	if r.OK() || len(r.Requests) != 0 {
		t.Fatalf("duration 7 accepted")
	}
	if len(r.Outcomes) != 2 {
		t.Fatalf("outcomes = %+v, want 2", r.Outcomes)
	}
	if got := r.Outcomes[0].Summary; got != "encrypted with the default EBS key alias/aws/ebs (eu-central-1 encrypts by default)" {
		t.Errorf("preview = %q", got)
	}
	if r.Destination != (model.Destination{Kind: model.ToRegion, Region: "eu-central-1"}) {
		t.Errorf("destination = %+v", r.Destination)
	}
}

func TestResultOrderAndHelpers(t *testing.T) {
	// Problems come in form order whatever order the rules ran in, so the
	// first error is the topmost field to fix.
	f := Form{Kind: model.ToRegion, Destination: "us-east-1", Duration: "1", Tags: []TagInput{{"", "v"}}, Description: "a\x00"}
	r := Check([]model.Snapshot{snap()}, facts(), f, now)
	var fields []Field
	for _, p := range r.Problems {
		fields = append(fields, p.Field)
	}
	want := []Field{FieldDescription, FieldTags, FieldDuration}
	if !reflect.DeepEqual(fields, want) {
		t.Fatalf("fields %v, want %v", fields, want)
	}
	first, ok := r.FirstError()
	if !ok || first.Field != FieldDescription {
		t.Errorf("FirstError = %v, %v", first, ok)
	}
	if got := r.For(FieldTags); len(got) != 1 || got[0].Row != 0 {
		t.Errorf("For(tags) = %v", got)
	}
	if got := r.For(FieldKmsKey); got != nil {
		t.Errorf("For(KMS key) = %v", got)
	}
	if (Result{}).OK() {
		t.Errorf("an empty result is OK")
	}
	if _, ok := (Result{Problems: []Problem{warnf(FieldKmsKey, "w")}}).FirstError(); ok {
		t.Errorf("a warning counted as an error")
	}
}

func TestMessagesQuoteUserText(t *testing.T) {
	// User text is repeated escaped and shortened, never raw.
	evil := "\x1b]0;owned\x07" + strings.Repeat("z", 100)
	r := Check([]model.Snapshot{snap()}, facts(), Form{Kind: model.ToRegion, Destination: evil, KmsKey: evil, Tags: []TagInput{{"aws:" + evil, "v"}}}, now)
	if len(r.Problems) < 3 {
		t.Fatalf("problems:\n%s", dump(r.Problems))
	}
	for _, p := range r.Problems {
		if strings.ContainsAny(p.Message, "\x1b\x07") || strings.Contains(p.Message, strings.Repeat("z", 50)) {
			t.Errorf("message carries raw or long user text: %q", p.Message)
		}
	}
}

// provenance is the tags every copy of s must carry, written out apart from
// the code that builds them.
func provenance(s model.Snapshot) []model.Tag {
	return []model.Tag{{Key: "snapcopy:source-snapshot", Value: s.ID}, {Key: "snapcopy:source-volume", Value: s.VolumeID}, {Key: "snapcopy:source-region", Value: s.Region}}
}

// Every copy names where it comes from, through copies of copies, and the
// operator is told how many tags are left.
func TestCheckProvenanceTags(t *testing.T) {
	orig := snap()
	orig.VolumeID = "vol-0abcdef0123456789"
	cp := snap()
	cp.ID, cp.Region, cp.VolumeID = "snap-0ccccccccccccccc1", "us-east-1", "vol-ffffffff"
	cp.Tags = []model.Tag{{Key: "snapcopy:source-volume", Value: "vol-0abcdef0123456789"}}
	for _, tc := range []struct {
		src     model.Snapshot
		dest    string
		wantVol string
	}{{orig, "us-east-1", "vol-0abcdef0123456789"}, {cp, "eu-central-1", "vol-0abcdef0123456789"}} {
		r := Check([]model.Snapshot{tc.src}, facts(), Form{Kind: model.ToRegion, Destination: tc.dest, Tags: []TagInput{{"Name", "x"}}}, now)
		if !r.OK() {
			t.Fatalf("not OK:\n%s", dump(r.Problems))
		}
		got := model.Snapshot{Tags: r.Requests[0].Tags}
		if got.Tag("snapcopy:source-snapshot") != tc.src.ID || got.Tag("snapcopy:source-volume") != tc.wantVol || got.Tag("snapcopy:source-region") != tc.src.Region {
			t.Errorf("copy of %s carries %+v", tc.src.ID, got.Tags)
		}
		if r.TagsLeft != 45 {
			t.Errorf("tags left = %d, want 50 - 4 of snapcopy's - 1 = 45", r.TagsLeft)
		}
	}
	wantProblem(t, Check([]model.Snapshot{orig}, facts(), Form{Kind: model.ToRegion, Destination: "us-east-1", Tags: []TagInput{{"snapcopy:source-volume", "v"}}}, now).Problems,
		FieldTags, Error, "snapcopy:source-volume", "reserved")
}
