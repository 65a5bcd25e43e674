package validate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/snapcopy/snapcopy/model"
)

// snapcopyPrefix begins the tags snapcopy itself sets on a copy (its request
// tag, where the copy came from). A source that is itself a copy carries
// them about its own origin: they are not passed on.
const snapcopyPrefix = "snapcopy:"

// Copyable source tags: the ones a copy may carry. AWS refuses aws: keys on
// a request, and snapcopy sets its own snapcopy: tags on each copy.
func copyableTag(t model.Tag) bool {
	if strings.HasPrefix(t.Key, snapcopyPrefix) {
		return false
	}
	_, ps := Tags([]TagInput{{Key: t.Key, Value: t.Value}})
	return len(ps) == 0
}

// SourceTagsOf is the tags of its source a copy of s carries under mode:
// s's own, none, or those every one of batch carries with the same value
// (batch holds the sources copies are made of, s among them). Tags a copy
// may not carry (aws: keys, snapcopy's own) are left out.
func SourceTagsOf(s model.Snapshot, batch []model.Snapshot, mode model.SourceTags) []model.Tag {
	var out []model.Tag
	switch mode {
	case model.SourceTagsNone:
		return nil
	case model.SourceTagsShared:
		for _, t := range s.Tags {
			shared := true
			for _, o := range batch {
				if !slices.Contains(o.Tags, t) {
					shared = false
					break
				}
			}
			if shared && copyableTag(t) {
				out = append(out, t)
			}
		}
	default:
		for _, t := range s.Tags {
			if copyableTag(t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// withSourceTags is the tags of one copy: its source's, then the
// operator's, which win on a clash (a source tag with a key the operator
// typed is dropped).
func withSourceTags(source, typed []model.Tag) []model.Tag {
	if len(source)+len(typed) == 0 {
		return nil
	}
	out := make([]model.Tag, 0, len(source)+len(typed))
	for _, t := range source {
		if !slices.ContainsFunc(typed, func(u model.Tag) bool { return u.Key == t.Key }) {
			out = append(out, t)
		}
	}
	return append(out, typed...)
}

// tooManyTags is the problem of a copy whose source's tags and the
// operator's together are more than a copy may carry.
// others is how many more sources have too many.
func tooManyTags(s model.Snapshot, own, typed, total, others int) Problem {
	name := s.ID
	if n := s.Name(); n != "" {
		name += " (" + n + ")"
	}
	more := ""
	if others > 0 {
		more = ", and so would 1 more copy"
		if others > 1 {
			more = fmt.Sprintf(", and so would %d more copies", others)
		}
	}
	return errorf(FieldSourceTags, "Source tags: the copy of %s would carry %d tags (%d of its source's and %d typed here)%s: at most %d per copy (AWS allows %d; snapcopy adds its own %d: %s and the provenance tags %s, %s, %s); choose none or only shared, or remove tags",
		name, total, own, typed, more, MaxUserTags, MaxTags, SnapcopyTags, model.RequestTagKey, model.TagSourceSnapshot, model.TagSourceVolume, model.TagSourceRegion)
}

// sourceTagsProblems checks the choice itself.
func sourceTagsProblems(mode model.SourceTags) []Problem {
	if !mode.Valid() {
		return []Problem{errorf(FieldSourceTags, "Source tags must be %s, %s or %s", model.SourceTagsOwn, model.SourceTagsNone, model.SourceTagsShared)}
	}
	return nil
}
