package copy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/validate"
)

// The outputs that print a Data Lifecycle Manager policy instead of
// copying: the source account's policy, or across accounts the
// destination account's event policy.
const (
	outputDLM      = "dlm"
	outputDLMEvent = "dlm-event"
)

// dlmOptions are the flags of a recurring copy (--output dlm).
type dlmOptions struct {
	schedule, retain, destRetain string
	targetTag, role, alsoTo      string
	account, accountRole         string
	accountProfile               string
}

// define defines the flags of --output dlm on fs.
func (d *dlmOptions) define(fs *pflag.FlagSet) {
	fs.StringVar(&d.schedule, "schedule", "", "with --output dlm: `WHEN` DLM snapshots: 12h (every 1, 2, 3, 4, 6, 8, 12 or 24 hours), 12h@01:00, daily@03:00 (UTC) or 'cron(0 3 * * ? *)'")
	fs.StringVar(&d.retain, "retain", "", "with --output dlm: keep `N` snapshots at the source (1-1000), or each for an AGE (14d, 4w, 6m, 1y)")
	fs.StringVar(&d.destRetain, "retain-at-destination", "", "with --output dlm: keep each copy for `AGE` (DLM keeps copies by age only)")
	fs.StringVar(&d.targetTag, "target-tag", "", "with --output dlm: the tag `KEY=VALUE` of the volumes DLM snapshots")
	fs.StringVar(&d.role, "role", "", "with --output dlm: DLM's execution role `NAME|ARN` (default AWSDataLifecycleManagerDefaultRole)")
	fs.StringVar(&d.alsoTo, "also-to", "", "with --output dlm: also copy to these `REGIONS` (comma-separated; 3 in all)")
	fs.StringVar(&d.account, "to-account", "", "with --output dlm: copy to the account `ID`: the source policy shares the snapshots, and --output dlm-event prints that account's event policy that copies them")
	fs.StringVar(&d.accountRole, "to-account-role", "", "with --output dlm-event: that account's execution role `NAME|ARN`")
	fs.StringVar(&d.accountProfile, "to-account-profile", "", "with --output dlm-event: the `PROFILE` of that account, for its command line")
}

// isDLM reports whether output prints a DLM policy.
func isDLM(output string) bool { return output == outputDLM || output == outputDLMEvent }

// check checks the recurring flags with the output and the copy's flags.
func (d dlmOptions) check(o *options) error {
	given := d != dlmOptions{}
	switch {
	case !isDLM(o.output) && given:
		return errors.New("--schedule, --retain and the other recurring flags go with --output dlm")
	case !isDLM(o.output):
		return nil
	case o.output == outputDLMEvent && d.account == "":
		return errors.New("--output dlm-event: the event policy is the other account's; name it with --to-account")
	case o.wait:
		return fmt.Errorf("--wait: not with --output %s (nothing is sent)", o.output)
	}
	return nil
}

// form is the recurring copy as the panel would hold it; tags are the
// copy's own (--tag), and --source-tags none copies no tags.
func (d dlmOptions) form(o options) validate.RecurringForm {
	var tags []model.Tag
	for _, t := range o.tags {
		tags = append(tags, model.Tag{Key: t.Key, Value: t.Value})
	}
	return validate.RecurringForm{
		Name: o.description, TargetTag: d.targetTag, Schedule: d.schedule,
		Retain: d.retain, DestRetain: d.destRetain, CopyTags: o.sourceTags != "none",
		Tags: tags, AlsoTo: d.alsoTo, Role: d.role,
		DestinationAccount: strings.TrimSpace(d.account), DestinationRole: d.accountRole,
	}
}
