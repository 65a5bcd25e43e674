package ec2sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Data Lifecycle Manager's lifecycle policies, validated as DLM's model
// (botocore's dlm 2018-01-12 service-2.json and aws-sdk-go-v2's
// service/dlm: required members, enums, patterns, list sizes) and its API
// reference's rules state them:
//
//   - a snapshot policy (PolicyType EBS_SNAPSHOT_MANAGEMENT, the default)
//     names ResourceTypes, TargetTags and 1-4 Schedules; a schedule's
//     CreateRule has CronExpression or Interval (1, 2, 3, 4, 6, 8, 12 or
//     24) with IntervalUnit HOURS and at most one Times (hh:mm), never
//     both; its RetainRule keeps by Count (1-1000) or by age (Interval with
//     IntervalUnit), never both; at most 3 CrossRegionCopyRules, each with
//     Encrypted and one of Target or TargetRegion, a CmkArn of a key ARN,
//     and a RetainRule by age only; at most one ShareRule;
//   - an event policy (EVENT_BASED_POLICY) names EventSource MANAGED_CWE
//     with EventType shareSnapshot, SnapshotOwner and DescriptionRegex,
//     and one Action of at most 3 CrossRegionCopy (Target,
//     EncryptionConfiguration{Encrypted, CmkArn}, RetainRule), and none of
//     a snapshot policy's members;
//   - AMI policies (IMAGE_MANAGEMENT) are read as snapshot policies of
//     INSTANCE; default policies (PolicyLanguage SIMPLIFIED, DefaultPolicy)
//     are not simulated and refused.
//
// FastRestoreRule, DeprecateRule, ArchiveRule, Scripts, Parameters and
// VariableTags are kept as sent, checked for their JSON shape only.

// The limits and enums of DLM's model.
const (
	dlmMaxDescription   = 500
	dlmMaxSchedules     = 4
	dlmMaxCopyRules     = 3
	dlmMaxTargetTags    = 50
	dlmMaxTagsToAdd     = 45
	dlmMaxRetainCount   = 1000
	dlmMaxPolicyTags    = 200
	dlmMaxPolicies      = 100 // lifecycle policies per account and Region (DLM's quota)
	dlmSnapshotPolicy   = "EBS_SNAPSHOT_MANAGEMENT"
	dlmImagePolicy      = "IMAGE_MANAGEMENT"
	dlmEventPolicy      = "EVENT_BASED_POLICY"
	dlmManagedCWE       = "MANAGED_CWE"
	dlmShareSnapshot    = "shareSnapshot"
	dlmHours            = "HOURS"
	dlmPolicyIDPrefix   = "policy-"
	dlmMaxRetainYears   = 100
	dlmMaxNameLength    = 120
	dlmMaxTagText       = 500
	dlmMaxCmkArn        = 2048
	dlmMaxDescriptionRx = 1000
)

var (
	dlmStates            = []string{"ENABLED", "DISABLED"}
	dlmPolicyTypes       = []string{dlmSnapshotPolicy, dlmImagePolicy, dlmEventPolicy}
	dlmResourceTypes     = []string{"VOLUME", "INSTANCE"}
	dlmResourceLocations = []string{"CLOUD", "OUTPOST", "LOCAL_ZONE"}
	dlmCreateLocations   = []string{"CLOUD", "OUTPOST_LOCAL", "LOCAL_ZONE"}
	dlmRetainUnits       = []string{"DAYS", "WEEKS", "MONTHS", "YEARS"}
	dlmIntervals         = []int{1, 2, 3, 4, 6, 8, 12, 24}

	reDLMText     = regexp.MustCompile(`^[0-9A-Za-z _-]+$`)
	reDLMRoleArn  = regexp.MustCompile(`^arn:aws(-[a-z]{1,3}){0,2}:iam::(\d+):role/(.*)$`)
	reDLMTime     = regexp.MustCompile(`^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$`)
	reDLMCron     = regexp.MustCompile(`^cron\([^\n]{11,100}\)$`)
	reDLMTarget   = regexp.MustCompile(`^[\w:\-/*]+$`)
	reDLMRegion   = regexp.MustCompile(`^([a-z]+-){2,3}\d$`)
	reDLMCmkArn   = regexp.MustCompile(`^arn:aws(-[a-z]{1,3}){0,2}:kms:(([a-z]+-){2,3}\d):\d+:key/.*$`)
	reDLMTagKey   = regexp.MustCompile(`^[a-zA-Z+-=._:/]+$`)
	reDLMPolicyID = regexp.MustCompile(`^policy-[a-f0-9]+$`)
)

// dlmInvalid is DLM's InvalidRequestException (400). UNCONFIRMED: the
// wording; DLM documents the exception, not its messages, so each says
// which member broke which rule.
type dlmInvalid struct{ msg string }

func (e *dlmInvalid) Error() string { return e.msg }

func invalidf(format string, args ...any) *dlmInvalid {
	return &dlmInvalid{fmt.Sprintf(format, args...)}
}

// dlmCreateInput is CreateLifecyclePolicy's body; PolicyDetails is kept as
// sent, to be answered back.
type dlmCreateInput struct {
	ExecutionRoleArn       *string
	Description            *string
	State                  *string
	PolicyDetails          json.RawMessage
	Tags                   map[string]string
	DefaultPolicy          *string
	CreateInterval         *int
	RetainInterval         *int
	CopyTags               *bool
	ExtendDeletion         *bool
	CrossRegionCopyTargets json.RawMessage
	Exclusions             json.RawMessage
}

type dlmTag struct{ Key, Value *string }

type dlmDetails struct {
	PolicyType        *string
	ResourceTypes     []string
	ResourceLocations []string
	TargetTags        []dlmTag
	Schedules         []dlmSchedule
	Parameters        json.RawMessage
	EventSource       *struct {
		Type       *string
		Parameters *struct {
			EventType        *string
			SnapshotOwner    []string
			DescriptionRegex *string
		}
	}
	Actions []struct {
		Name            *string
		CrossRegionCopy []struct {
			Target                  *string
			EncryptionConfiguration *struct {
				Encrypted *bool
				CmkArn    *string
			}
			RetainRule *dlmAgeRule
		}
	}
	PolicyLanguage         *string
	ResourceType           *string
	CreateInterval         *int
	RetainInterval         *int
	CopyTags               *bool
	CrossRegionCopyTargets json.RawMessage
	ExtendDeletion         *bool
	Exclusions             json.RawMessage
}

type dlmSchedule struct {
	Name         *string
	CopyTags     *bool
	TagsToAdd    []dlmTag
	VariableTags []dlmTag
	CreateRule   *struct {
		Location       *string
		Interval       *int
		IntervalUnit   *string
		Times          []string
		CronExpression *string
		Scripts        json.RawMessage
	}
	RetainRule *struct {
		Count        *int
		Interval     *int
		IntervalUnit *string
	}
	FastRestoreRule      json.RawMessage
	CrossRegionCopyRules []struct {
		TargetRegion  *string
		Target        *string
		Encrypted     *bool
		CmkArn        *string
		CopyTags      *bool
		RetainRule    *dlmAgeRule
		DeprecateRule json.RawMessage
	}
	ShareRules []struct {
		TargetAccounts      []string
		UnshareInterval     *int
		UnshareIntervalUnit *string
	}
	DeprecateRule json.RawMessage
	ArchiveRule   json.RawMessage
}

// dlmAgeRule is a retention by age (Interval and IntervalUnit).
type dlmAgeRule struct {
	Interval     *int
	IntervalUnit *string
}

// decodeStrict decodes JSON into v, refusing members the model lacks.
func decodeStrict(b []byte, v any) *dlmInvalid {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return invalidf("The request body does not match the model: %v", err)
	}
	return nil
}

// checkCreate checks a CreateLifecyclePolicy body, but not its role, and
// returns its policy type.
func checkCreate(in *dlmCreateInput) (string, *dlmInvalid) {
	switch {
	case in.ExecutionRoleArn == nil:
		return "", invalidf("ExecutionRoleArn is required.")
	case in.Description == nil:
		return "", invalidf("Description is required.")
	case in.State == nil:
		return "", invalidf("State is required.")
	case !reDLMRoleArn.MatchString(*in.ExecutionRoleArn) || len(*in.ExecutionRoleArn) > 2048:
		return "", invalidf("ExecutionRoleArn %q is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).", *in.ExecutionRoleArn)
	case !slices.Contains(dlmStates, *in.State):
		return "", invalidf("State %q is not one of ENABLED, DISABLED.", *in.State)
	case in.DefaultPolicy != nil || in.CreateInterval != nil || in.RetainInterval != nil || in.CopyTags != nil ||
		in.ExtendDeletion != nil || in.CrossRegionCopyTargets != nil || in.Exclusions != nil:
		return "", invalidf("Default policies (DefaultPolicy) are not simulated; create a custom policy with PolicyDetails.")
	case in.PolicyDetails == nil:
		return "", invalidf("PolicyDetails is required for a custom policy.")
	}
	if err := checkDLMText("Description", *in.Description, dlmMaxDescription); err != nil {
		return "", err
	}
	if err := checkPolicyTags(in.Tags); err != nil {
		return "", err
	}
	var d dlmDetails
	if err := decodeStrict(in.PolicyDetails, &d); err != nil {
		return "", err
	}
	return checkDetails(&d)
}

// checkDLMText checks a name or description: [0-9A-Za-z _-]+, at most max.
func checkDLMText(field, v string, max int) *dlmInvalid {
	if utf8.RuneCountInString(v) > max {
		return invalidf("%s has %d characters; at most %d are allowed.", field, utf8.RuneCountInString(v), max)
	}
	if !reDLMText.MatchString(v) {
		return invalidf("%s %q must match [0-9A-Za-z _-]+: letters, digits, spaces, underscores and hyphens only.", field, v)
	}
	return nil
}

func checkPolicyTags(tags map[string]string) *dlmInvalid {
	if tags == nil {
		return nil
	}
	if len(tags) < 1 || len(tags) > dlmMaxPolicyTags {
		return invalidf("Tags has %d tags; from 1 to %d are allowed.", len(tags), dlmMaxPolicyTags)
	}
	for k, v := range tags {
		switch {
		case len(k) < 1 || len(k) > 128 || strings.HasPrefix(k, "aws:") || !reDLMTagKey.MatchString(k):
			return invalidf("Tag key %q is not allowed: 1-128 characters of a-z, A-Z, +-=._:/, not beginning with aws:.", k)
		case utf8.RuneCountInString(v) > 256:
			return invalidf("The value of tag %q has more than 256 characters.", k)
		}
	}
	return nil
}

func checkTagList(field string, tags []dlmTag, min, max int) *dlmInvalid {
	if len(tags) < min || len(tags) > max {
		return invalidf("%s has %d tags; from %d to %d are allowed.", field, len(tags), min, max)
	}
	for i, t := range tags {
		switch {
		case t.Key == nil || t.Value == nil:
			return invalidf("%s[%d] needs both Key and Value.", field, i)
		case utf8.RuneCountInString(*t.Key) > dlmMaxTagText || utf8.RuneCountInString(*t.Value) > dlmMaxTagText:
			return invalidf("%s[%d] has a key or value longer than %d characters.", field, i, dlmMaxTagText)
		}
	}
	return nil
}

// checkDetails checks PolicyDetails by its type and returns the type.
func checkDetails(d *dlmDetails) (string, *dlmInvalid) {
	typ := dlmSnapshotPolicy
	if d.PolicyType != nil {
		typ = *d.PolicyType
	}
	switch {
	case !slices.Contains(dlmPolicyTypes, typ):
		return "", invalidf("PolicyType %q is not one of %s.", typ, strings.Join(dlmPolicyTypes, ", "))
	case d.PolicyLanguage != nil && *d.PolicyLanguage != "STANDARD" || d.ResourceType != nil || d.CreateInterval != nil ||
		d.RetainInterval != nil || d.CopyTags != nil || d.CrossRegionCopyTargets != nil || d.ExtendDeletion != nil || d.Exclusions != nil:
		return "", invalidf("Default policies (PolicyLanguage SIMPLIFIED and their members) are not simulated.")
	case typ == dlmEventPolicy:
		return typ, checkEventPolicy(d)
	}
	return typ, checkSnapshotPolicy(d, typ)
}

func checkSnapshotPolicy(d *dlmDetails, typ string) *dlmInvalid {
	switch {
	case d.EventSource != nil || d.Actions != nil:
		return invalidf("EventSource and Actions are for event-based policies only; a %s policy has Schedules.", typ)
	case len(d.ResourceTypes) != 1:
		return invalidf("ResourceTypes is required: one of VOLUME, INSTANCE.")
	case !slices.Contains(dlmResourceTypes, d.ResourceTypes[0]):
		return invalidf("ResourceTypes %q is not one of VOLUME, INSTANCE.", d.ResourceTypes[0])
	case typ == dlmImagePolicy && d.ResourceTypes[0] != "INSTANCE":
		return invalidf("An IMAGE_MANAGEMENT policy targets INSTANCE resources.")
	case d.ResourceLocations != nil && (len(d.ResourceLocations) != 1 || !slices.Contains(dlmResourceLocations, d.ResourceLocations[0])):
		return invalidf("ResourceLocations must be one of CLOUD, OUTPOST, LOCAL_ZONE.")
	case len(d.Schedules) < 1 || len(d.Schedules) > dlmMaxSchedules:
		return invalidf("Schedules has %d schedules; from 1 to %d are allowed.", len(d.Schedules), dlmMaxSchedules)
	}
	if err := checkTagList("TargetTags", d.TargetTags, 1, dlmMaxTargetTags); err != nil {
		return err
	}
	for i := range d.Schedules {
		if err := checkSchedule(i, &d.Schedules[i]); err != nil {
			return err
		}
	}
	return nil
}

func checkSchedule(i int, s *dlmSchedule) *dlmInvalid {
	at := fmt.Sprintf("Schedules[%d]", i)
	if s.Name != nil {
		if err := checkDLMText(at+".Name", *s.Name, dlmMaxNameLength); err != nil {
			return err
		}
	}
	if err := checkTagList(at+".TagsToAdd", s.TagsToAdd, 0, dlmMaxTagsToAdd); err != nil {
		return err
	}
	if err := checkTagList(at+".VariableTags", s.VariableTags, 0, dlmMaxTagsToAdd); err != nil {
		return err
	}
	if c := s.CreateRule; c != nil {
		hasInterval := c.Interval != nil || c.IntervalUnit != nil
		switch {
		case c.Location != nil && !slices.Contains(dlmCreateLocations, *c.Location):
			return invalidf("%s.CreateRule.Location %q is not one of CLOUD, OUTPOST_LOCAL, LOCAL_ZONE.", at, *c.Location)
		case hasInterval && c.CronExpression != nil:
			return invalidf("%s.CreateRule: specify either CronExpression or Interval and IntervalUnit, not both.", at)
		case !hasInterval && c.CronExpression == nil:
			return invalidf("%s.CreateRule: specify CronExpression, or Interval and IntervalUnit.", at)
		case c.CronExpression != nil && !reDLMCron.MatchString(*c.CronExpression):
			return invalidf("%s.CreateRule.CronExpression %q must look like cron(0 3 * * ? *).", at, *c.CronExpression)
		case c.CronExpression != nil && len(c.Times) > 0:
			return invalidf("%s.CreateRule: Times goes with Interval, not CronExpression.", at)
		case hasInterval && (c.Interval == nil || c.IntervalUnit == nil):
			return invalidf("%s.CreateRule: Interval and IntervalUnit go together.", at)
		case hasInterval && *c.IntervalUnit != dlmHours:
			return invalidf("%s.CreateRule.IntervalUnit %q is not HOURS.", at, *c.IntervalUnit)
		case hasInterval && !slices.Contains(dlmIntervals, *c.Interval):
			return invalidf("%s.CreateRule.Interval %d is not one of 1, 2, 3, 4, 6, 8, 12, 24 (hours).", at, *c.Interval)
		case len(c.Times) > 1:
			return invalidf("%s.CreateRule.Times takes at most one time.", at)
		case len(c.Times) == 1 && !reDLMTime.MatchString(c.Times[0]):
			return invalidf("%s.CreateRule.Times %q is not a UTC time hh:mm.", at, c.Times[0])
		}
	}
	if r := s.RetainRule; r != nil {
		byAge := r.Interval != nil || r.IntervalUnit != nil
		switch {
		case byAge && r.Count != nil:
			return invalidf("%s.RetainRule: retain by Count or by Interval and IntervalUnit, not both.", at)
		case !byAge && r.Count == nil:
			return invalidf("%s.RetainRule: specify Count, or Interval and IntervalUnit.", at)
		case r.Count != nil && (*r.Count < 1 || *r.Count > dlmMaxRetainCount):
			return invalidf("%s.RetainRule.Count %d is not from 1 to %d.", at, *r.Count, dlmMaxRetainCount)
		case byAge:
			if err := checkAgeRule(at+".RetainRule", &dlmAgeRule{r.Interval, r.IntervalUnit}); err != nil {
				return err
			}
		}
	}
	if len(s.CrossRegionCopyRules) > dlmMaxCopyRules {
		return invalidf("%s has %d CrossRegionCopyRules; at most %d are allowed.", at, len(s.CrossRegionCopyRules), dlmMaxCopyRules)
	}
	for j, c := range s.CrossRegionCopyRules {
		rat := fmt.Sprintf("%s.CrossRegionCopyRules[%d]", at, j)
		switch {
		case c.Target != nil && c.TargetRegion != nil:
			return invalidf("%s: specify Target or TargetRegion, not both.", rat)
		case c.Target == nil && c.TargetRegion == nil:
			return invalidf("%s: Target is required.", rat)
		case c.Encrypted == nil:
			return invalidf("%s.Encrypted is required.", rat)
		}
		target := c.Target
		if target == nil {
			target = c.TargetRegion
			if !reDLMRegion.MatchString(*target) {
				return invalidf("%s.TargetRegion %q is not a Region code.", rat, *target)
			}
		}
		if err := checkCopyTarget(rat, *target, c.CmkArn, c.RetainRule); err != nil {
			return err
		}
	}
	if len(s.ShareRules) > 1 {
		return invalidf("%s has %d ShareRules; at most 1 is allowed.", at, len(s.ShareRules))
	}
	for _, sr := range s.ShareRules {
		if len(sr.TargetAccounts) < 1 {
			return invalidf("%s.ShareRules[0].TargetAccounts is required.", at)
		}
		for _, a := range sr.TargetAccounts {
			if !reAccountID.MatchString(a) {
				return invalidf("%s.ShareRules[0].TargetAccounts %q is not a 12-digit account id.", at, a)
			}
		}
		if sr.UnshareInterval != nil || sr.UnshareIntervalUnit != nil {
			if err := checkAgeRule(at+".ShareRules[0].Unshare", &dlmAgeRule{sr.UnshareInterval, sr.UnshareIntervalUnit}); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkCopyTarget checks a copy's Target (a Region or an Outpost ARN),
// CmkArn and retention by age.
func checkCopyTarget(at, target string, cmk *string, retain *dlmAgeRule) *dlmInvalid {
	region := target
	if !reDLMTarget.MatchString(target) || len(target) > 2048 {
		return invalidf("%s.Target %q is not a Region or an Outpost ARN.", at, target)
	}
	if m := reOutpostArn.FindStringSubmatch(target); m != nil {
		region = m[2]
	} else if !reDLMRegion.MatchString(target) {
		return invalidf("%s.Target %q is not a Region or an Outpost ARN.", at, target)
	}
	if cmk != nil {
		m := reDLMCmkArn.FindStringSubmatch(*cmk)
		switch {
		case m == nil || len(*cmk) > dlmMaxCmkArn:
			return invalidf("%s.CmkArn %q is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID); DLM takes key ARNs, not aliases.", at, *cmk)
		case m[2] != region:
			// UNCONFIRMED: DLM documents no check, but a KMS key serves
			// its own Region only.
			return invalidf("%s.CmkArn is a key of %s; copies made in %s need a key of that Region.", at, m[2], region)
		}
	}
	if retain != nil {
		return checkAgeRule(at+".RetainRule", retain)
	}
	return nil
}

// checkAgeRule checks a retention by age: Interval with IntervalUnit, at
// most 100 years.
func checkAgeRule(at string, r *dlmAgeRule) *dlmInvalid {
	switch {
	case r.Interval == nil || r.IntervalUnit == nil:
		return invalidf("%s: Interval and IntervalUnit go together (retention is by age).", at)
	case !slices.Contains(dlmRetainUnits, *r.IntervalUnit):
		return invalidf("%s.IntervalUnit %q is not one of DAYS, WEEKS, MONTHS, YEARS.", at, *r.IntervalUnit)
	}
	limit := map[string]int{"DAYS": 36500, "WEEKS": 5200, "MONTHS": 1200, "YEARS": dlmMaxRetainYears}[*r.IntervalUnit]
	if *r.Interval < 1 || *r.Interval > limit {
		return invalidf("%s.Interval %d %s is not from 1 to %d (100 years).", at, *r.Interval, *r.IntervalUnit, limit)
	}
	return nil
}
