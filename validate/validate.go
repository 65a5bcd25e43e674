// Package validate holds the rules of a CopySnapshot request (where a
// snapshot may go, what each parameter may hold, what the copy's encryption
// will be). It is pure: no SDK, no UI, no I/O. The form calls Check on every
// keystroke and shows each Problem beside its field; the list calls Copyable.
package validate

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/snapcopy/snapcopy/model"
)

// Field names a field of the copy form; problems are shown beside it.
type Field string

// The form's fields, in the order the form shows them.
const (
	FieldSource      Field = "source" // problems with a source snapshot itself
	FieldDestKind    Field = "destination type"
	FieldDestination Field = "destination"
	FieldDescription Field = "description"
	FieldEncrypt     Field = "encrypt"
	FieldKmsKey      Field = "KMS key"
	FieldSourceTags  Field = "source tags"
	FieldTags        Field = "tags"
	FieldDuration    Field = "completion duration"
	FieldDryRun      Field = "dry run"
	// FieldLock is in snaplock.go.
)

// fieldOrder sorts problems the way the form lists its fields, so that the
// first error is the topmost field to fix.
var fieldOrder = map[Field]int{
	FieldSource: 0, FieldDestKind: 1, FieldDestination: 2, FieldDescription: 3,
	FieldEncrypt: 4, FieldKmsKey: 5, FieldSourceTags: 6, FieldTags: 7, FieldDuration: 8, FieldLock: 9, FieldDryRun: 10,
}

// Severity says whether a problem blocks the copy.
type Severity int

const (
	// Error blocks submitting the form.
	Error Severity = iota
	// Warning is shown but does not block.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Problem is one broken (Error) or doubtful (Warning) rule on one field.
type Problem struct {
	Field    Field
	Row      int // for FieldTags: the tag row (0-based); -1 otherwise
	Severity Severity
	Message  string // plain words naming the field and the rule
	// Snapshots are the sources the problem is about, when it stands for
	// several of a batch ("(2 of 3 snapshots)"), so that a line of its own
	// can name each.
	Snapshots []string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s %s: %s", p.Field, p.Severity, p.Message)
}

// TagInput is one editable tag row of the form.
type TagInput struct{ Key, Value string }

// Form is the raw state of the copy form.
type Form struct {
	Kind        model.DestinationKind
	Destination string // Region name, Local Zone name or Outpost ARN as typed/picked
	Description string
	Encrypt     bool   // the toggle as the user set it (may be forced on, see Outcome)
	KmsKey      string // raw text; "" = default EBS key
	// SourceTags says which of its source's tags each copy carries; the
	// zero value gives each copy its own source's tags.
	SourceTags model.SourceTags
	Tags       []TagInput
	Duration   string // raw text in minutes; "" = standard copy
	// Lock and LockCoolOff are the snapshot lock as typed (snaplock.go).
	Lock, LockCoolOff string
	DryRun            bool
	// Quota is the destination's time-based copy throughput quota (zero:
	// AWS's default) and InFlight the time-based copies already in flight;
	// together they say whether a batch of time-based copies fits.
	Quota    model.ThroughputQuota
	InFlight []TimeBasedCopy
}

// Skip is a source that the chosen destination does not allow, with the reason.
type Skip struct {
	Snapshot model.Snapshot
	Reason   string
}

// Result is everything the form shows and sends.
type Result struct {
	Problems []Problem           // errors block submit; warnings do not
	Requests []model.CopyRequest // one per sendable source; empty while any Error stands
	Skipped  []Skip
	// Outcomes[i] is the encryption outcome of Requests[i] (or, while errors
	// stand, of each non-skipped source, so the preview always shows something).
	Outcomes    []Outcome
	Destination model.Destination // resolved: Region the request goes to, etc.
	// Quota measures a time-based batch against its Region pair's quota
	// (zero for a standard copy).
	Quota QuotaCheck
	// TagsLeft is how many more tags the operator may add: AWS's 50, less
	// snapcopy's own, the rows filled in and the source tags the fullest
	// copy carries (SourceTagsCarried, those a typed key does not replace).
	TagsLeft          int
	SourceTagsCarried int
}

// OK reports whether the form may be submitted: no Error and at least one request.
func (r Result) OK() bool {
	_, bad := r.FirstError()
	return !bad && len(r.Requests) > 0
}

// For returns the problems of one field, in order.
func (r Result) For(f Field) []Problem {
	var out []Problem
	for _, p := range r.Problems {
		if p.Field == f {
			out = append(out, p)
		}
	}
	return out
}

// FirstError returns the first Error in form order, for "fix <field>" when
// submit is refused.
func (r Result) FirstError() (Problem, bool) {
	for _, p := range r.Problems {
		if p.Severity == Error {
			return p, true
		}
	}
	return Problem{}, false
}

// errorf and warnf build a problem of a field that is not a tag row.
func errorf(f Field, format string, args ...any) Problem {
	return Problem{Field: f, Row: -1, Severity: Error, Message: fmt.Sprintf(format, args...)}
}

func warnf(f Field, format string, args ...any) Problem {
	return Problem{Field: f, Row: -1, Severity: Warning, Message: fmt.Sprintf(format, args...)}
}

func hasError(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// quoteLimit bounds how much of a user's text a message repeats.
const quoteLimit = 40

// quote repeats user text in a message: shortened, and with control
// characters escaped so a message can never carry terminal escapes.
func quote(s string) string {
	if utf8.RuneCountInString(s) > quoteLimit {
		r := []rune(s)
		return fmt.Sprintf("%q…", string(r[:quoteLimit]))
	}
	return fmt.Sprintf("%q", s)
}

// plainText reports what is wrong with free text AWS will store (a
// description, a tag): "" when it is valid UTF-8 without control characters.
func plainText(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid text (UTF-8)"
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "must not contain control characters (tabs, line breaks, escapes)"
		}
	}
	return ""
}

// capitalize upper-cases the first letter, for reasons used as messages.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// plural is "1 snapshot" / "3 snapshots".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
