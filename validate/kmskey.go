package validate

import (
	"strings"

	"github.com/snapcopy/snapcopy/model"
)

// DescribeFirst reports whether a KMS key, as typed (trimmed), is worth
// asking DescribeKey about in destRegion before sending: a well-formed key
// id or key ARN, or an alias the Region lists (whose key may still be
// disabled). Not the AWS-managed aliases (alias/aws/...), which AWS makes
// on first use, nor an alias the Region does not list (KnownAlias says so).
func DescribeFirst(key, destRegion string, facts model.DestinationFacts) bool {
	if key == "" || len(KmsKey(key, destRegion)) > 0 {
		return false
	}
	name := key
	if a, ok := splitARN(key); ok {
		name = a.resource
	}
	if !strings.HasPrefix(name, "alias/") {
		return true
	}
	return !strings.HasPrefix(name, "alias/aws/") && len(KnownAlias(key, destRegion, facts)) == 0
}

// AlsoDescribeIn is the other Region a key worth describing is asked
// about once destRegion does not find it: the source Region, so that a key
// id of the wrong Region is told as such. "" when there is none (a key ARN
// names its Region, an alias is of the Region it is asked in).
func AlsoDescribeIn(key, srcRegion, destRegion string) string {
	if srcRegion == destRegion || strings.HasPrefix(key, "arn:") || strings.HasPrefix(key, "alias/") {
		return ""
	}
	return srcRegion
}

// KnownKey warns of a KMS key the copy cannot use in the destination
// Region, as far as the facts tell: an alias the Region does not list
// (KnownAlias), or what DescribeKey told (facts.Keys): no such key there
// (in the source Region instead, when it was asked there), a key disabled,
// pending deletion or in another state KMS cannot encrypt with. AWS
// accepts the request all the same and the copy fails later; the form
// asks before sending.
func KnownKey(key, srcRegion, destRegion string, facts model.DestinationFacts) []Problem {
	if ps := KnownAlias(key, destRegion, facts); len(ps) > 0 {
		return ps
	}
	k, asked := facts.Key(destRegion, key)
	if !asked {
		return nil
	}
	const fails = "the copy will fail"
	switch {
	case !k.Found:
		if other := AlsoDescribeIn(key, srcRegion, destRegion); other != "" {
			if o, ok := facts.Key(other, key); ok && o.Found {
				return []Problem{warnf(FieldKmsKey, "KMS key %s is a key of %s, not of %s: %s; a copy made in %s needs a key of %s", key, other, destRegion, fails, destRegion, destRegion)}
			}
		}
		return []Problem{warnf(FieldKmsKey, "KMS key %s not found in %s: %s", key, destRegion, fails)}
	case k.State == model.KeyEnabled:
		return nil
	case k.State == model.KeyDisabled:
		return []Problem{warnf(FieldKmsKey, "KMS key %s is disabled in %s: %s unless the key is enabled first", key, destRegion, fails)}
	case k.State == model.KeyPendingDeletion:
		when := ""
		if !k.DeletionDate.IsZero() {
			when = " (to be deleted on " + k.DeletionDate.UTC().Format("2006-01-02") + ")"
		}
		return []Problem{warnf(FieldKmsKey, "KMS key %s is pending deletion in %s%s: %s unless its deletion is cancelled and the key enabled", key, destRegion, when, fails)}
	}
	return []Problem{warnf(FieldKmsKey, "KMS key %s is %s in %s, not enabled: %s", key, k.State, destRegion, fails)}
}
