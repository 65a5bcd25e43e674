package validate

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

// tagged is a copyable snapshot with an id ending in n and the given tags.
func tagged(n int, tags ...model.Tag) model.Snapshot {
	s := snap()
	s.ID = fmt.Sprintf("snap-0aaaaaaaaaaaaaa%02d", n)
	s.Tags = tags
	return s
}

func tg(k, v string) model.Tag { return model.Tag{Key: k, Value: v} }

// Each request carries its own source's tags as chosen, the operator's on
// top (winning on a clash); aws: and snapcopy: tags of a source are not passed on.
func TestCheckSourceTags(t *testing.T) {
	db := tagged(1, tg("Name", "db"), tg("team", "dba"), tg("env", "prod"), tg("aws:backup:source-resource", "vol-1"))
	web := tagged(2, tg("Name", "web"), tg("team", "dba"), tg("env", "dev"), tg(model.RequestTagKey, "old"), tg("snapcopy:source-snapshot", "snap-0123"))
	cache := tagged(3, tg("Name", "cache"), tg("team", "dba"))
	batch := []model.Snapshot{db, web, cache}
	typed := []TagInput{{"owner", "ops"}, {"env", "dr"}}
	cases := []struct {
		name  string
		mode  model.SourceTags
		typed []TagInput
		want  [][]model.Tag // per source, in order
	}{
		{"each copy's own", model.SourceTagsOwn, nil, [][]model.Tag{
			{tg("Name", "db"), tg("team", "dba"), tg("env", "prod")},
			{tg("Name", "web"), tg("team", "dba"), tg("env", "dev")},
			{tg("Name", "cache"), tg("team", "dba")},
		}},
		{"each copy's own, the operator's win", model.SourceTagsOwn, typed, [][]model.Tag{
			{tg("Name", "db"), tg("team", "dba"), tg("owner", "ops"), tg("env", "dr")},
			{tg("Name", "web"), tg("team", "dba"), tg("owner", "ops"), tg("env", "dr")},
			{tg("Name", "cache"), tg("team", "dba"), tg("owner", "ops"), tg("env", "dr")},
		}},
		{"none", model.SourceTagsNone, nil, [][]model.Tag{nil, nil, nil}},
		{"none, the operator's only", model.SourceTagsNone, typed, [][]model.Tag{
			{tg("owner", "ops"), tg("env", "dr")}, {tg("owner", "ops"), tg("env", "dr")}, {tg("owner", "ops"), tg("env", "dr")},
		}},
		{"only shared", model.SourceTagsShared, nil, [][]model.Tag{{tg("team", "dba")}, {tg("team", "dba")}, {tg("team", "dba")}}},
		{"only shared, the operator's on top", model.SourceTagsShared, []TagInput{{"team", "storage"}}, [][]model.Tag{
			{tg("team", "storage")}, {tg("team", "storage")}, {tg("team", "storage")},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Check(batch, facts(), Form{Kind: model.ToRegion, Destination: "us-east-1", SourceTags: c.mode, Tags: c.typed}, now)
			if !r.OK() || len(r.Requests) != len(batch) {
				t.Fatalf("OK=%v, %d requests\n%s", r.OK(), len(r.Requests), dump(r.Problems))
			}
			for i, req := range r.Requests {
				if req.SourceSnapshotID != batch[i].ID {
					t.Fatalf("request %d is of %s, want %s", i, req.SourceSnapshotID, batch[i].ID)
				}
				if !reflect.DeepEqual(operatorAndSourceTags(req.Tags), c.want[i]) {
					t.Errorf("copy of %s tags %v, want %v", req.SourceSnapshotID, req.Tags, c.want[i])
				}
			}
		})
	}
	// Only shared, for one snapshot, is its own tags.
	r := Check([]model.Snapshot{cache}, facts(), Form{Kind: model.ToRegion, Destination: "us-east-1", SourceTags: model.SourceTagsShared}, now)
	if want := []model.Tag{tg("Name", "cache"), tg("team", "dba")}; !r.OK() || !reflect.DeepEqual(operatorAndSourceTags(r.Requests[0].Tags), want) {
		t.Errorf("one source, only shared: %v, want %v\n%s", r.Requests, want, dump(r.Problems))
	}
	// Only shared looks at the copies made: a skipped source does not narrow it.
	pending := tagged(4, tg("Name", "tmp"))
	pending.State = model.StatePending
	r = Check([]model.Snapshot{db, cache, pending}, facts(), Form{Kind: model.ToRegion, Destination: "us-east-1", SourceTags: model.SourceTagsShared}, now)
	if len(r.Requests) != 2 || !reflect.DeepEqual(operatorAndSourceTags(r.Requests[0].Tags), []model.Tag{tg("team", "dba")}) {
		t.Errorf("a skipped source narrowed the shared tags: %v\n%s", r.Requests, dump(r.Problems))
	}
}

// A source's tags and the operator's together may not pass the limit: an
// error naming the source and the count. None or fewer typed tags fix it.
func TestCheckSourceTagsLimit(t *testing.T) {
	var many []model.Tag
	// With Name, a source with three tags fewer than the operator may set.
	for i := range MaxUserTags - 4 {
		many = append(many, tg(fmt.Sprintf("k%02d", i), "v"))
	}
	big := tagged(1, append([]model.Tag{tg("Name", "big")}, many...)...)
	big2 := tagged(2, append([]model.Tag{tg("Name", "big2")}, many...)...)
	small := tagged(3, tg("Name", "small"))
	var typed []TagInput
	for i := range 4 {
		typed = append(typed, TagInput{fmt.Sprintf("t%d", i), "x"})
	}
	cases := []struct {
		name  string
		srcs  []model.Snapshot
		mode  model.SourceTags
		typed []TagInput
		words []string // nil: no error
	}{
		{"at the limit", []model.Snapshot{big}, model.SourceTagsOwn, typed[:3], nil},
		{"over the limit", []model.Snapshot{big}, model.SourceTagsOwn, typed, []string{
			fmt.Sprintf("snap-0aaaaaaaaaaaaaa01 (big) would carry %d tags (%d of its source's and 4 typed here)", MaxUserTags+1, MaxUserTags-3),
			fmt.Sprintf("at most %d", MaxUserTags), "choose none or only shared"}},
		{"a typed tag on a source's key counts once", []model.Snapshot{big}, model.SourceTagsOwn, append(typed[:3:3], TagInput{"Name", "renamed"}), nil},
		{"two over", []model.Snapshot{small, big, big2}, model.SourceTagsOwn, typed, []string{fmt.Sprintf("snap-0aaaaaaaaaaaaaa01 (big) would carry %d tags", MaxUserTags+1), "and so would 1 more copy"}},
		{"none", []model.Snapshot{big}, model.SourceTagsNone, typed, nil},
		{"only shared", []model.Snapshot{big, small}, model.SourceTagsShared, typed, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Check(c.srcs, facts(), Form{Kind: model.ToRegion, Destination: "us-east-1", SourceTags: c.mode, Tags: c.typed}, now)
			if c.words == nil {
				if !r.OK() {
					t.Errorf("refused:\n%s", dump(r.Problems))
				}
				for _, req := range r.Requests {
					// AWS's limit of 50 counts the request tag added when the copy is made.
					if len(req.Tags)+1 > 50 {
						t.Errorf("copy of %s carries %d tags and the request tag", req.SourceSnapshotID, len(req.Tags))
					}
				}
				return
			}
			wantProblem(t, r.Problems, FieldSourceTags, Error, c.words...)
			if len(r.Requests) != 0 {
				t.Errorf("%d requests built with an error standing", len(r.Requests))
			}
		})
	}
	// Typed tags over the limit are said once, on their row, not again per source.
	var tooMany []TagInput
	for i := range MaxUserTags + 1 {
		tooMany = append(tooMany, TagInput{fmt.Sprintf("t%02d", i), "x"})
	}
	r := Check([]model.Snapshot{big}, facts(), Form{Kind: model.ToRegion, Destination: "us-east-1", Tags: tooMany}, now)
	if got := r.For(FieldSourceTags); len(got) != 0 || len(r.For(FieldTags)) != 1 {
		t.Errorf("typed tags over the limit: source tags %v, tags %v", got, r.For(FieldTags))
	}
}

func TestSourceTagsChoices(t *testing.T) {
	for _, c := range []struct {
		mode model.SourceTags
		want string
	}{{model.SourceTagsOwn, "each copy's own"}, {model.SourceTagsNone, "none"}, {model.SourceTagsShared, "only shared"}} {
		if got := c.mode.String(); got != c.want {
			t.Errorf("%d says %q, want %q", c.mode, got, c.want)
		}
	}
	r := Check([]model.Snapshot{snap()}, facts(), Form{Kind: model.ToRegion, Destination: "us-east-1", SourceTags: 7}, now)
	wantProblem(t, r.Problems, FieldSourceTags, Error, "must be each copy's own, none or only shared")
	if !strings.Contains(string(FieldSourceTags), "source tags") {
		t.Errorf("field named %q", FieldSourceTags)
	}
}

// operatorAndSourceTags leaves out the provenance tags every copy carries
// (tested on their own), keeping the tags these tests are about.
func operatorAndSourceTags(tags []model.Tag) []model.Tag {
	var out []model.Tag
	for _, t := range tags {
		if !strings.HasPrefix(t.Key, "snapcopy:") {
			out = append(out, t)
		}
	}
	return out
}

// The tags left for the operator count the source tags the fullest copy
// carries (a typed key replacing a source tag counts once), not only the
// rows typed: a source with a Name and a team tag leaves 46 - 2 - typed.
func TestTagsLeftCountTheSourceTags(t *testing.T) {
	db := tagged(1, tg("Name", "db"), tg("team", "dba"), tg("aws:backup:source-resource", "vol-1"))
	cache := tagged(3, tg("Name", "cache"), tg("team", "dba"), tg("env", "prod"), tg("cost", "42"))
	for _, c := range []struct {
		name          string
		sources       []model.Snapshot
		mode          model.SourceTags
		typed         []TagInput
		left, carried int
	}{
		{"own, nothing typed", []model.Snapshot{db}, model.SourceTagsOwn, nil, MaxUserTags - 2, 2},
		{"own, one typed", []model.Snapshot{db}, model.SourceTagsOwn, []TagInput{{"owner", "ops"}}, MaxUserTags - 3, 2},
		{"own, a typed key replaces one", []model.Snapshot{db}, model.SourceTagsOwn, []TagInput{{"team", "storage"}}, MaxUserTags - 2, 1},
		{"a batch: the fullest copy", []model.Snapshot{db, cache}, model.SourceTagsOwn, nil, MaxUserTags - 4, 4},
		{"none", []model.Snapshot{db}, model.SourceTagsNone, []TagInput{{"owner", "ops"}}, MaxUserTags - 1, 0},
		{"only shared", []model.Snapshot{db, cache}, model.SourceTagsShared, nil, MaxUserTags - 1, 1},
	} {
		r := Check(c.sources, facts(), Form{Kind: model.ToRegion, Destination: "us-east-1", SourceTags: c.mode, Tags: c.typed}, now)
		if r.TagsLeft != c.left || r.SourceTagsCarried != c.carried {
			t.Errorf("%s: %d tags left, %d of the source's carried; want %d, %d", c.name, r.TagsLeft, r.SourceTagsCarried, c.left, c.carried)
		}
	}
}

// The limit's message counts snapcopy's own tags as it adds them: four.
func TestSourceTagsLimitSaysSnapcopyAddsFour(t *testing.T) {
	var tags []model.Tag
	for i := range MaxUserTags {
		tags = append(tags, tg(fmt.Sprintf("k%02d", i), "v"))
	}
	r := Check([]model.Snapshot{tagged(1, tags...)}, facts(), Form{Kind: model.ToRegion, Destination: "us-east-1", Tags: []TagInput{{"owner", "ops"}}}, now)
	wantProblem(t, r.Problems, FieldSourceTags, Error, "snapcopy adds its own 4: "+model.RequestTagKey+" and the provenance tags")
}
