package model

import "fmt"

// SourceTags says which of its source's tags each copy carries; the
// operator's tags are added on top and win on a clash.
type SourceTags int

// The choices, in the order the form offers them. The zero value is the
// default: a copy keeps its source's tags, Name included, so it is found by
// name in its destination.
const (
	// SourceTagsOwn gives each copy its own source's tags.
	SourceTagsOwn SourceTags = iota
	// SourceTagsNone gives copies only the operator's tags.
	SourceTagsNone
	// SourceTagsShared gives each copy the tags every source of the batch
	// carries with the same value.
	SourceTagsShared
	numSourceTags
)

// SourceTagsChoices is every choice, in the order offered.
var SourceTagsChoices = []SourceTags{SourceTagsOwn, SourceTagsNone, SourceTagsShared}

// String is the choice as the form shows it.
func (s SourceTags) String() string {
	switch s {
	case SourceTagsNone:
		return "none"
	case SourceTagsShared:
		return "only shared"
	default:
		return "each copy's own"
	}
}

// Valid reports whether s is one of the choices.
func (s SourceTags) Valid() bool { return s >= 0 && s < numSourceTags }

// sourceTagsTokens are the choices as saved files and `snapcopy copy
// --source-tags` spell them: fixed, whatever the form calls them.
var sourceTagsTokens = tokens[SourceTags]{
	{SourceTagsOwn, "own"}, {SourceTagsNone, "none"}, {SourceTagsShared, "shared"},
}

// MarshalText is the choice's stable token: own, none or shared.
func (s SourceTags) MarshalText() ([]byte, error) { return sourceTagsTokens.marshal(s, "source tags") }

// UnmarshalText reads a token MarshalText writes.
func (s *SourceTags) UnmarshalText(b []byte) error {
	return sourceTagsTokens.unmarshal(s, b, "source tags")
}

// tokens pairs the values of an enumeration with the fixed words saved
// files use for them, so renaming a label never changes a file.
type tokens[T comparable] []struct {
	value T
	token string
}

func (ts tokens[T]) marshal(v T, what string) ([]byte, error) {
	for _, t := range ts {
		if t.value == v {
			return []byte(t.token), nil
		}
	}
	return nil, fmt.Errorf("%s: no token for %#v", what, v)
}

func (ts tokens[T]) unmarshal(v *T, b []byte, what string) error {
	for _, t := range ts {
		if t.token == string(b) {
			*v = t.value
			return nil
		}
	}
	return fmt.Errorf("%s %q: must be %s", what, b, ts.list())
}

// list is the tokens for a message: "own, none or shared".
func (ts tokens[T]) list() string {
	s := ""
	for i, t := range ts {
		switch {
		case i == 0:
		case i == len(ts)-1:
			s += " or "
		default:
			s += ", "
		}
		s += t.token
	}
	return s
}
