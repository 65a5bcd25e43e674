package ec2sim

import (
	"fmt"
	"regexp"
	"unicode/utf8"
)

// checkEventPolicy checks an event-based policy (dlm.go has the rules):
// the shareSnapshot event of the accounts it names, and one action of
// cross-Region copies.
func checkEventPolicy(d *dlmDetails) *dlmInvalid {
	switch {
	case d.ResourceTypes != nil || d.ResourceLocations != nil || d.TargetTags != nil || d.Schedules != nil || d.Parameters != nil:
		return invalidf("An event-based policy takes EventSource and Actions, not ResourceTypes, ResourceLocations, TargetTags, Schedules or Parameters.")
	case d.EventSource == nil || d.EventSource.Type == nil:
		return invalidf("EventSource with Type MANAGED_CWE is required for an event-based policy.")
	case *d.EventSource.Type != dlmManagedCWE:
		return invalidf("EventSource.Type %q is not MANAGED_CWE.", *d.EventSource.Type)
	case d.EventSource.Parameters == nil:
		return invalidf("EventSource.Parameters is required: EventType, SnapshotOwner and DescriptionRegex.")
	}
	p := d.EventSource.Parameters
	switch {
	case p.EventType == nil || p.DescriptionRegex == nil || p.SnapshotOwner == nil:
		return invalidf("EventSource.Parameters needs EventType, SnapshotOwner and DescriptionRegex.")
	case *p.EventType != dlmShareSnapshot:
		return invalidf("EventSource.Parameters.EventType %q is not shareSnapshot.", *p.EventType)
	case len(p.SnapshotOwner) > 50:
		return invalidf("EventSource.Parameters.SnapshotOwner lists %d accounts; at most 50 are allowed.", len(p.SnapshotOwner))
	case utf8.RuneCountInString(*p.DescriptionRegex) > dlmMaxDescriptionRx:
		return invalidf("EventSource.Parameters.DescriptionRegex is longer than %d characters.", dlmMaxDescriptionRx)
	}
	for _, a := range p.SnapshotOwner {
		if !reAccountID.MatchString(a) {
			return invalidf("EventSource.Parameters.SnapshotOwner %q is not a 12-digit account id.", a)
		}
	}
	if _, err := regexp.Compile(*p.DescriptionRegex); err != nil {
		return invalidf("EventSource.Parameters.DescriptionRegex is not a regular expression: %v", err)
	}
	if len(d.Actions) != 1 {
		return invalidf("Actions must hold exactly one action, not %d.", len(d.Actions))
	}
	a := d.Actions[0]
	switch {
	case a.Name == nil || a.CrossRegionCopy == nil:
		return invalidf("Actions[0] needs Name and CrossRegionCopy.")
	case len(a.CrossRegionCopy) > dlmMaxCopyRules:
		return invalidf("Actions[0].CrossRegionCopy has %d copies; at most %d are allowed.", len(a.CrossRegionCopy), dlmMaxCopyRules)
	}
	if err := checkDLMText("Actions[0].Name", *a.Name, dlmMaxNameLength); err != nil {
		return err
	}
	for j, c := range a.CrossRegionCopy {
		at := fmt.Sprintf("Actions[0].CrossRegionCopy[%d]", j)
		switch {
		case c.Target == nil:
			return invalidf("%s.Target is required.", at)
		case c.EncryptionConfiguration == nil || c.EncryptionConfiguration.Encrypted == nil:
			return invalidf("%s.EncryptionConfiguration with Encrypted is required.", at)
		}
		if err := checkCopyTarget(at, *c.Target, c.EncryptionConfiguration.CmkArn, c.RetainRule); err != nil {
			return err
		}
	}
	return nil
}
