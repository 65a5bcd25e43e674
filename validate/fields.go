package validate

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/snapcopy/snapcopy/model"
)

// Limits of CopySnapshot's parameters (spec section 2).
const (
	MaxDescription = 255 // characters
	MaxTags        = 50  // tags AWS accepts on one copy
	// SnapcopyTags is how many tags snapcopy adds to every copy: the request
	// tag (model.RequestTagKey), so a retry can find it, and the three
	// provenance tags (model.TagSourceSnapshot, ...).
	SnapcopyTags = 4
	// MaxUserTags leaves room for snapcopy's own tags.
	MaxUserTags    = MaxTags - SnapcopyTags
	MaxTagKey      = 127
	MaxTagValue    = 256
	MaxAlias       = 256 // characters of an alias name, "alias/" included
	DurationStep   = 15  // minutes
	MinDuration    = 15
	MaxDuration    = 2880 // 48 hours
	reservedPrefix = "aws:"
)

// CopyThroughputMiBps is the most throughput one time-based copy gets
// (500 MiB/s, not adjustable: "Time-based copies for Amazon EBS snapshots
// and EBS-backed AMIs", Quotas). A shorter duration is accepted and the
// deadline missed, so the app warns; it does not block.
const CopyThroughputMiBps = 500

// Description checks the copy's description as it will be sent (trimmed).
func Description(s string) []Problem {
	if bad := plainText(s); bad != "" {
		return []Problem{errorf(FieldDescription, "Description %s", bad)}
	}
	var ps []Problem
	if n := utf8.RuneCountInString(s); n > MaxDescription {
		ps = append(ps, errorf(FieldDescription, "Description must be at most %d characters (it has %d)", MaxDescription, n))
	}
	if odd := invisibleText(s); odd != "" {
		ps = append(ps, warnf(FieldDescription, "Description %s", odd))
	}
	return ps
}

// invisibleNames names the invisible characters most often met in text.
var invisibleNames = map[rune]string{
	0x00AD: "soft hyphen",
	0x061C: "Arabic letter mark",
	0x200B: "zero width space",
	0x200C: "zero width non-joiner",
	0x200D: "zero width joiner",
	0x200E: "left-to-right mark",
	0x200F: "right-to-left mark",
	0x2028: "line separator",
	0x2029: "paragraph separator",
	0x202A: "left-to-right embedding",
	0x202B: "right-to-left embedding",
	0x202C: "pop directional formatting",
	0x202D: "left-to-right override",
	0x202E: "right-to-left override",
	0x2060: "word joiner",
	0x2066: "left-to-right isolate",
	0x2067: "right-to-left isolate",
	0x2068: "first strong isolate",
	0x2069: "pop directional isolate",
	0xFEFF: "zero width no-break space",
}

// invisibleText warns about characters that do not show, or that reorder
// the text around them (bidi overrides): format characters (Unicode Cf)
// and the line and paragraph separators. AWS accepts them, but a copy's
// description or tag holding them reads differently than it is, which is
// why snapcopy cleans them from AWS's text on display. "" when none.
func invisibleText(s string) string {
	first, n := rune(-1), 0
	for _, r := range s {
		if unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029 {
			if n == 0 {
				first = r
			}
			n++
		}
	}
	if n == 0 {
		return ""
	}
	what := fmt.Sprintf("U+%04X", first)
	if name, ok := invisibleNames[first]; ok {
		what += " (" + name + ")"
	}
	if n > 1 {
		what += fmt.Sprintf(" and %d more such characters", n-1)
	}
	return "contains " + what + ", which does not show or reorders the text on screen: AWS accepts it, but check it is meant"
}

var (
	keyUUIDRe   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	keyMrkRe    = regexp.MustCompile(`^mrk-[0-9a-fA-F]{32}$`)
	aliasNameRe = regexp.MustCompile(`^alias/[A-Za-z0-9/_-]+$`)
)

const kmsForms = "a key id, a multi-Region key id (mrk-…), alias/NAME, or a key or alias ARN"

// KmsKey checks a KMS key as typed (already trimmed): its form, and for an
// ARN that its Region is the destination Region (destRegion "" skips that).
// Whether the key exists AWS checks only later, asynchronously; see KnownKey.
func KmsKey(key, destRegion string) []Problem {
	if key == "" {
		return nil
	}
	if !strings.HasPrefix(key, "arn:") {
		if problem := kmsKeyName(key); problem != "" {
			return []Problem{errorf(FieldKmsKey, "KMS key %s %s", quote(key), problem)}
		}
		return nil
	}
	a, ok := splitARN(key)
	if !ok || a.service != "kms" {
		return []Problem{errorf(FieldKmsKey, "KMS key ARN %s must look like arn:aws:kms:REGION:ACCOUNT:key/ID or arn:aws:kms:REGION:ACCOUNT:alias/NAME", quote(key))}
	}
	switch {
	case !partitions[a.partition]:
		return []Problem{errorf(FieldKmsKey, "KMS key ARN: partition %s must be %s", quote(a.partition), partitionNames)}
	case !regionCodeRe.MatchString(a.region):
		return []Problem{errorf(FieldKmsKey, "KMS key ARN: %s is not a Region code such as us-west-2", quote(a.region))}
	case partitionOf(a.region) != a.partition:
		return []Problem{errorf(FieldKmsKey, "KMS key ARN: Region %s is not in partition %s", a.region, a.partition)}
	case !accountRe.MatchString(a.account):
		return []Problem{errorf(FieldKmsKey, "KMS key ARN: account %s must be 12 digits", quote(a.account))}
	}
	switch {
	case strings.HasPrefix(a.resource, "key/"):
		id := strings.TrimPrefix(a.resource, "key/")
		if !keyUUIDRe.MatchString(id) && !keyMrkRe.MatchString(id) {
			return []Problem{errorf(FieldKmsKey, "KMS key ARN: key id %s must be a key id (UUID) or a multi-Region key id (mrk- and 32 hex digits)", quote(id))}
		}
	case strings.HasPrefix(a.resource, "alias/"):
		if problem := aliasName(a.resource); problem != "" {
			return []Problem{errorf(FieldKmsKey, "KMS key ARN: alias %s %s", quote(a.resource), problem)}
		}
	default:
		return []Problem{errorf(FieldKmsKey, "KMS key ARN must end in key/ID or alias/NAME, not %s", quote(a.resource))}
	}
	if destRegion != "" && a.region != destRegion {
		return []Problem{errorf(FieldKmsKey, "KMS key is in %s but the copy is made in %s: a KMS key must belong to the destination Region", a.region, destRegion)}
	}
	return nil
}

// kmsKeyName checks a key given without an ARN: "" when valid.
func kmsKeyName(key string) string {
	switch {
	case strings.HasPrefix(key, "alias/"):
		return aliasName(key)
	case strings.HasPrefix(key, "mrk-"):
		if !keyMrkRe.MatchString(key) {
			return "must be mrk- followed by 32 hex digits"
		}
	case !keyUUIDRe.MatchString(key):
		return "must be " + kmsForms
	}
	return ""
}

// aliasName checks alias/NAME: "" when valid.
func aliasName(a string) string {
	switch {
	case a == "alias/":
		return "needs a name after alias/"
	case utf8.RuneCountInString(a) > MaxAlias:
		return fmt.Sprintf("must be at most %d characters", MaxAlias)
	case !aliasNameRe.MatchString(a):
		return "may use only letters, digits, /, _ and -"
	}
	return ""
}

// KnownAlias warns when the key is an alias that the destination Region's
// alias list (when loaded) does not hold: AWS accepts the request and the
// copy fails later. AWS-managed aliases (alias/aws/...) are not warned
// about: AWS creates them on first use, so they may be missing from the list.
func KnownAlias(key, destRegion string, facts model.DestinationFacts) []Problem {
	name, arn := key, ""
	if a, ok := splitARN(key); ok {
		name, arn = a.resource, key
	}
	if !strings.HasPrefix(name, "alias/") || strings.HasPrefix(name, "alias/aws/") {
		return nil
	}
	aliases, loaded := facts.Aliases[destRegion]
	if !loaded {
		return nil
	}
	for _, a := range aliases {
		if (arn == "" && a.Name == name) || (arn != "" && a.Arn == arn) {
			return nil
		}
	}
	return []Problem{warnf(FieldKmsKey, "%s not found in %s: the copy will fail if the key does not exist there", name, destRegion)}
}

// Tags checks the tag rows and returns the tags to send. Fully empty rows
// are skipped; keys and values are sent as typed.
func Tags(rows []TagInput) ([]model.Tag, []Problem) {
	var tags []model.Tag
	var ps []Problem
	seen := map[string]int{}
	rowErr := func(i int, format string, args ...any) {
		ps = append(ps, Problem{Field: FieldTags, Row: i, Severity: Error, Message: fmt.Sprintf(format, args...)})
	}
	for i, r := range rows {
		if strings.TrimSpace(r.Key) == "" && strings.TrimSpace(r.Value) == "" {
			continue
		}
		n := len(tags) + 1
		tags = append(tags, model.Tag{Key: r.Key, Value: r.Value})
		if n == MaxUserTags+1 { // said once, on the first row over the limit
			rowErr(i, "Tags: at most %d per copy (AWS allows %d; snapcopy adds its own %d: %s and the provenance tags %s, %s, %s)",
				MaxUserTags, MaxTags, SnapcopyTags, model.RequestTagKey, model.TagSourceSnapshot, model.TagSourceVolume, model.TagSourceRegion)
		}
		if strings.TrimSpace(r.Key) == "" {
			rowErr(i, "Tag key is required when a value is given")
			continue
		}
		if bad := plainText(r.Key); bad != "" {
			rowErr(i, "Tag key %s", bad)
			continue
		}
		if bad := plainText(r.Value); bad != "" {
			rowErr(i, "Tag value %s", bad)
		}
		for _, part := range []struct{ name, text string }{{"Tag key", r.Key}, {"Tag value", r.Value}} {
			if odd := invisibleText(part.text); odd != "" {
				ps = append(ps, Problem{Field: FieldTags, Row: i, Severity: Warning, Message: part.name + " " + odd})
			}
		}
		if k := utf8.RuneCountInString(r.Key); k > MaxTagKey {
			rowErr(i, "Tag key must be at most %d characters (it has %d)", MaxTagKey, k)
		}
		if v := utf8.RuneCountInString(r.Value); v > MaxTagValue {
			rowErr(i, "Tag value must be at most %d characters (it has %d)", MaxTagValue, v)
		}
		switch {
		case strings.HasPrefix(strings.ToLower(r.Key), reservedPrefix):
			rowErr(i, "Tag key %s may not begin with aws: (reserved by AWS, in any case)", quote(r.Key))
		case reservedTag(r.Key):
			rowErr(i, "Tag key %s is reserved: snapcopy sets it on every copy", r.Key)
		}
		if first, dup := seen[r.Key]; dup {
			rowErr(i, "Tag key %s repeats row %d: keys must be unique (case-sensitive)", quote(r.Key), first+1)
		} else {
			seen[r.Key] = i
		}
	}
	return tags, ps
}

// reservedTag reports a key snapcopy sets itself on every copy.
func reservedTag(key string) bool {
	switch key {
	case model.RequestTagKey, model.TagSourceSnapshot, model.TagSourceVolume, model.TagSourceRegion:
		return true
	}
	return false
}

// TagsLeft is how many more tags the operator may add to the rows: AWS's 50
// less snapcopy's own and the rows filled in (never below 0).
func TagsLeft(rows []TagInput) int {
	n := 0
	for _, r := range rows {
		if strings.TrimSpace(r.Key) != "" || strings.TrimSpace(r.Value) != "" {
			n++
		}
	}
	return max(MaxUserTags-n, 0)
}

// Duration parses the completion duration (raw text in minutes; "" is a
// standard copy) and checks it; kinds are the locations involved (the
// destination kind and each source's Location): a time-based copy is only
// between Regions. Each problem names the one rule broken: a duration where
// none is allowed is that, whatever the number; a number over or under the
// bounds is that, not "not a multiple". It returns 0 unless the duration
// is valid.
func Duration(raw string, kinds ...model.DestinationKind) (int32, []Problem) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 0, nil
	}
	for _, k := range kinds {
		if k != model.ToRegion {
			return 0, []Problem{errorf(FieldDuration, "Completion duration (a time-based copy) is not available when the source or destination is a Local Zone or an Outpost: leave it empty")}
		}
	}
	rule := fmt.Sprintf("Completion duration must be a multiple of %d minutes (%d to %d)", DurationStep, MinDuration, MaxDuration)
	n, err := strconv.Atoi(raw)
	if strings.Trim(raw, "0123456789") != "" {
		// A sign ("-15") is a whole number, under the minimum or not;
		// "15.5" is not whole; "abc" is no number at all.
		switch _, ferr := strconv.ParseFloat(raw, 64); {
		case err == nil && n < MinDuration:
			return 0, []Problem{errorf(FieldDuration, "Completion duration of %d minutes is under the minimum of %d", n, MinDuration)}
		case err == nil:
			raw = strconv.Itoa(n)
		case ferr == nil:
			return 0, []Problem{errorf(FieldDuration, "%s: %s is not a whole number of minutes", rule, quote(raw))}
		default:
			return 0, []Problem{errorf(FieldDuration, "%s: %s is not a number of minutes", rule, quote(raw))}
		}
	}
	switch {
	case err != nil || n > MaxDuration:
		return 0, []Problem{errorf(FieldDuration, "Completion duration of %s minutes is over the maximum of %d (48 hours)", shortNumber(raw), MaxDuration)}
	case n < MinDuration:
		return 0, []Problem{errorf(FieldDuration, "Completion duration of %d minutes is under the minimum of %d", n, MinDuration)}
	case n%DurationStep != 0:
		return 0, []Problem{errorf(FieldDuration, "%s, not %s", rule, quote(raw))}
	}
	return int32(n), nil
}

// shortNumber repeats a number typed in a message, cut when absurdly long.
func shortNumber(digits string) string {
	if len(digits) > 12 {
		return digits[:12] + "…"
	}
	return digits
}

// snapshotBytes is the data a copy moves: the full snapshot size when AWS
// reported it, else the volume size (an upper bound).
func snapshotBytes(s model.Snapshot) int64 {
	if s.FullSizeBytes > 0 {
		return s.FullSizeBytes
	}
	return int64(s.VolumeSizeGiB) << 30
}

// NeededMinutes is the shortest completion duration (a multiple of 15) that
// moves the snapshot at CopyThroughputMiBps.
func NeededMinutes(s model.Snapshot) int64 {
	perMinute := int64(CopyThroughputMiBps) << 20 * 60
	m := (snapshotBytes(s) + perMinute - 1) / perMinute
	m = (m + DurationStep - 1) / DurationStep * DurationStep
	return max(m, MinDuration)
}

// DurationFits warns when a time-based copy's duration is shorter than the
// largest source needs at CopyThroughputMiBps: AWS accepts it and the copy
// misses its deadline.
func DurationFits(minutes int32, sources []model.Snapshot) []Problem {
	if minutes <= 0 {
		return nil
	}
	var worst model.Snapshot
	var need int64
	short := 0
	for _, s := range sources {
		n := NeededMinutes(s)
		if n > int64(minutes) {
			short++
		}
		if n > need {
			worst, need = s, n
		}
	}
	if short == 0 {
		return nil
	}
	msg := fmt.Sprintf("Completion duration of %d minutes may be too short: %s (%s) needs at least %d minutes at %d MiB/s; AWS accepts a shorter one, but the copy misses its deadline",
		minutes, worst.ID, model.FormatBytes(snapshotBytes(worst)), need, CopyThroughputMiBps)
	if short > 1 {
		msg += fmt.Sprintf(" (%d snapshots are too large for %d minutes)", short, minutes)
	}
	return []Problem{warnf(FieldDuration, "%s", msg)}
}
