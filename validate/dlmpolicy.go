package validate

import (
	"fmt"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/snapcopy/snapcopy/model"
)

// DLMPolicy checks a policy document by the rules of DLM's model that the
// AWS CLI does not check before sending (it checks names, types, required
// members and minimums): maximums, patterns, allowed values, and the
// rules DLM's API reference states between members. Each problem names
// the member by its path in the document. The model is botocore's dlm
// 2018-01-12 service-2.json (aws-sdk-go-v2 service/dlm the same).
func DLMPolicy(p model.DLMPolicy) []Problem {
	var c dlmCheck
	c.text("Description", p.Description, 500)
	c.match("ExecutionRoleArn", p.ExecutionRoleArn, dlmRoleArnRe, "an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)")
	c.oneOf("State", p.State, "ENABLED", "DISABLED")
	d := p.PolicyDetails
	switch d.PolicyType {
	case model.DLMSnapshotPolicy:
		c.snapshotPolicy(d)
	case model.DLMEventPolicy:
		c.eventPolicy(d)
	default:
		c.add("PolicyDetails.PolicyType", "is %s, not one of %s, %s", quote(d.PolicyType), model.DLMSnapshotPolicy, model.DLMEventPolicy)
	}
	return c.ps
}

var (
	dlmTargetRe = regexp.MustCompile(`^[\w:\-/*]+$`)
	dlmCmkArnRe = regexp.MustCompile(`^arn:aws(-[a-z]{1,3}){0,2}:kms:(([a-z]+-){2,3}\d):\d+:key/.*$`)
	dlmRegionRe = regexp.MustCompile(`^([a-z]+-){2,3}\d$`)
	outpostRe   = regexp.MustCompile(`^arn:aws(-[a-z]{1,3}){0,2}:outposts:(([a-z]+-){2,3}\d):\d{12}:outpost/op-[a-f0-9]{17}$`)
)

// dlmCheck gathers the problems of one document.
type dlmCheck struct{ ps []Problem }

func (c *dlmCheck) add(at, format string, args ...any) {
	c.ps = append(c.ps, errorf(FieldPolicy, "%s %s", at, fmt.Sprintf(format, args...)))
}

func (c *dlmCheck) text(at, v string, max int) {
	if p := dlmText(FieldPolicy, at, v, max); p != nil {
		c.ps = append(c.ps, *p)
	}
}

func (c *dlmCheck) match(at, v string, re *regexp.Regexp, what string) {
	if !re.MatchString(v) || len(v) > 2048 {
		c.add(at, "%s is not %s", quote(v), what)
	}
}

func (c *dlmCheck) oneOf(at, v string, allowed ...string) {
	if !slices.Contains(allowed, v) {
		c.add(at, "is %s, not one of %v", quote(v), allowed)
	}
}

func (c *dlmCheck) tags(at string, tags []model.Tag, min, max int) {
	if len(tags) < min || len(tags) > max {
		c.add(at, "has %d tags; DLM takes from %d to %d", len(tags), min, max)
	}
	for i, t := range tags {
		if utf8.RuneCountInString(t.Key) > 500 || utf8.RuneCountInString(t.Value) > 500 {
			c.add(fmt.Sprintf("%s[%d]", at, i), "has a key or value over 500 characters")
		}
	}
}

func (c *dlmCheck) snapshotPolicy(d model.DLMPolicyDetails) {
	const at = "PolicyDetails"
	if d.EventSource != nil || len(d.Actions) > 0 {
		c.add(at, "of a snapshot policy takes Schedules, not EventSource or Actions")
	}
	if len(d.ResourceTypes) != 1 {
		c.add(at+".ResourceTypes", "must name one resource type, not %d", len(d.ResourceTypes))
	} else {
		c.oneOf(at+".ResourceTypes[0]", d.ResourceTypes[0], "VOLUME", "INSTANCE")
	}
	if d.ResourceLocations != nil {
		if len(d.ResourceLocations) != 1 {
			c.add(at+".ResourceLocations", "must name one location, not %d", len(d.ResourceLocations))
		} else {
			c.oneOf(at+".ResourceLocations[0]", d.ResourceLocations[0], "CLOUD", "OUTPOST", "LOCAL_ZONE")
		}
	}
	c.tags(at+".TargetTags", d.TargetTags, 1, 50)
	if len(d.Schedules) < 1 || len(d.Schedules) > 4 {
		c.add(at+".Schedules", "has %d schedules; DLM takes from 1 to 4", len(d.Schedules))
	}
	for i, s := range d.Schedules {
		c.schedule(fmt.Sprintf("%s.Schedules[%d]", at, i), s, d.ResourceLocations)
	}
}

func (c *dlmCheck) schedule(at string, s model.DLMSchedule, locations []string) {
	c.text(at+".Name", s.Name, MaxDLMName)
	c.tags(at+".TagsToAdd", s.TagsToAdd, 0, MaxDLMTagsToAdd)
	cr := s.CreateRule
	switch {
	case cr.CronExpression != "" && (cr.Interval != 0 || cr.IntervalUnit != "" || len(cr.Times) > 0):
		c.add(at+".CreateRule", "takes CronExpression or Interval, IntervalUnit and Times, not both")
	case cr.CronExpression != "":
		for _, p := range Cron(cr.CronExpression) {
			c.add(at+".CreateRule.CronExpression", "%s", p.Message)
		}
	default:
		if !slices.Contains(dlmIntervals, cr.Interval) {
			c.add(at+".CreateRule.Interval", "is %d, not one of %v (hours)", cr.Interval, dlmIntervals)
		}
		c.oneOf(at+".CreateRule.IntervalUnit", cr.IntervalUnit, model.DLMHours)
		if len(cr.Times) > 1 {
			c.add(at+".CreateRule.Times", "takes one time, not %d", len(cr.Times))
		}
		for _, t := range cr.Times {
			if !dlmTimeRe.MatchString(t) {
				c.add(at+".CreateRule.Times", "%s is not a UTC time hh:mm", quote(t))
			}
		}
	}
	if cr.Location != "" {
		c.oneOf(at+".CreateRule.Location", cr.Location, "CLOUD", "OUTPOST_LOCAL", "LOCAL_ZONE")
	}
	r := s.RetainRule
	switch {
	case r.Count != 0 && (r.Interval != 0 || r.IntervalUnit != ""):
		c.add(at+".RetainRule", "keeps by Count or by Interval and IntervalUnit, not both")
	case r.Count != 0:
		if r.Count < 1 || r.Count > MaxDLMRetainCount {
			c.add(at+".RetainRule.Count", "is %d, not from 1 to %d", r.Count, MaxDLMRetainCount)
		}
	default:
		// With copy or share rules DLM keeps each snapshot at least a day.
		c.age(at+".RetainRule", r.Interval, r.IntervalUnit)
	}
	if n := len(s.CrossRegionCopyRules); n > MaxDLMCopies {
		c.add(at+".CrossRegionCopyRules", "has %d rules; DLM takes at most %d per schedule", n, MaxDLMCopies)
	}
	if len(s.CrossRegionCopyRules) > 0 && len(locations) == 1 && locations[0] != "CLOUD" {
		c.add(at+".CrossRegionCopyRules", "are for policies that make snapshots in a Region, not on an Outpost or in a Local Zone")
	}
	for i, rule := range s.CrossRegionCopyRules {
		c.copyTarget(fmt.Sprintf("%s.CrossRegionCopyRules[%d]", at, i), rule.Target, rule.CmkArn, rule.RetainRule)
	}
	if len(s.ShareRules) > 1 {
		c.add(at+".ShareRules", "has %d rules; DLM takes one", len(s.ShareRules))
	}
	for i, sr := range s.ShareRules {
		if len(sr.TargetAccounts) == 0 {
			c.add(fmt.Sprintf("%s.ShareRules[%d].TargetAccounts", at, i), "is required")
		}
		for _, a := range sr.TargetAccounts {
			if !accountIDRe.MatchString(a) {
				c.add(fmt.Sprintf("%s.ShareRules[%d].TargetAccounts", at, i), "%s is not a 12-digit account id", quote(a))
			}
		}
	}
}

// copyTarget checks a copy's Target (a Region or an Outpost ARN), its key
// (an ARN of a key of the target's Region) and its retention (by age).
func (c *dlmCheck) copyTarget(at, target, cmk string, retain *model.DLMAgeRule) {
	region := target
	if m := outpostRe.FindStringSubmatch(target); m != nil {
		region = m[2]
	} else if !dlmRegionRe.MatchString(target) || !dlmTargetRe.MatchString(target) {
		c.add(at+".Target", "%s is not a Region code or an Outpost ARN", quote(target))
		return
	}
	if cmk != "" {
		m := dlmCmkArnRe.FindStringSubmatch(cmk)
		switch {
		case m == nil || len(cmk) > 2048:
			c.add(at+".CmkArn", "%s is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID): DLM takes key ARNs, not aliases", quote(cmk))
		case m[2] != region:
			c.add(at+".CmkArn", "is a key of %s; the copies are made in %s and need a key of that Region", m[2], region)
		}
	}
	if retain != nil {
		c.age(at+".RetainRule", retain.Interval, retain.IntervalUnit)
	}
}

// age checks a retention by age: 1 to 100 years in DAYS, WEEKS, MONTHS or
// YEARS.
func (c *dlmCheck) age(at string, n int, unit string) {
	max, ok := dlmAgeMax[model.AgeUnit(unit)]
	switch {
	case !ok:
		c.add(at+".IntervalUnit", "is %s, not one of DAYS, WEEKS, MONTHS, YEARS", quote(unit))
	case n < 1 || n > max:
		c.add(at+".Interval", "is %d %s, not from 1 to %d (100 years)", n, unit, max)
	}
}

func (c *dlmCheck) eventPolicy(d model.DLMPolicyDetails) {
	const at = "PolicyDetails"
	if len(d.ResourceTypes) > 0 || len(d.ResourceLocations) > 0 || len(d.TargetTags) > 0 || len(d.Schedules) > 0 {
		c.add(at, "of an event policy takes EventSource and Actions, not ResourceTypes, TargetTags or Schedules")
	}
	if d.EventSource == nil {
		c.add(at+".EventSource", "is required for an event policy")
		return
	}
	c.oneOf(at+".EventSource.Type", d.EventSource.Type, model.DLMManagedCWE)
	p := d.EventSource.Parameters
	c.oneOf(at+".EventSource.Parameters.EventType", p.EventType, model.DLMShareSnapshot)
	if len(p.SnapshotOwner) > 50 {
		c.add(at+".EventSource.Parameters.SnapshotOwner", "lists %d accounts; DLM takes at most 50", len(p.SnapshotOwner))
	}
	for _, a := range p.SnapshotOwner {
		if !accountIDRe.MatchString(a) {
			c.add(at+".EventSource.Parameters.SnapshotOwner", "%s is not a 12-digit account id", quote(a))
		}
	}
	if utf8.RuneCountInString(p.DescriptionRegex) > 1000 {
		c.add(at+".EventSource.Parameters.DescriptionRegex", "is over 1000 characters")
	}
	if len(d.Actions) != 1 {
		c.add(at+".Actions", "must hold one action, not %d", len(d.Actions))
		return
	}
	a := d.Actions[0]
	c.text(at+".Actions[0].Name", a.Name, MaxDLMName)
	if n := len(a.CrossRegionCopy); n > MaxDLMCopies {
		c.add(at+".Actions[0].CrossRegionCopy", "has %d copies; DLM takes at most %d", n, MaxDLMCopies)
	}
	for i, cp := range a.CrossRegionCopy {
		c.copyTarget(fmt.Sprintf("%s.Actions[0].CrossRegionCopy[%d]", at, i), cp.Target, cp.EncryptionConfiguration.CmkArn, cp.RetainRule)
	}
}
