// Package copy is `snapcopy copy`: the copy form for scripts. The request
// is checked by the same validator as the form (package validate), started
// through the same tracker and state file, and, with --wait, followed to
// the end as `watch --plain` does.
package copy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/cmd/completion"
	"github.com/snapcopy/snapcopy/validate"
)

// options are the parsed flags of `snapcopy copy`.
type options struct {
	to          string
	outpost     string
	localZone   string
	filter      string
	description string
	encrypt     bool
	kmsKey      string
	tags        []validate.TagInput
	duration    string
	sourceTags  string
	dryRun      bool
	output      string
	wait        bool
	again       bool
	giveUp      time.Duration
	ids         []string
	dlm         dlmOptions      // --output dlm: dlmflags.go
	snapLock    snapLockOptions // --lock: lockflags.go
	cross       crossOptions    // --to-profile: accountflags.go
}

// tagFlags collects repeated --tag KEY=VALUE.
type tagFlags struct{ tags *[]validate.TagInput }

func (t tagFlags) String() string { return "" }

// Type names the value in messages.
func (t tagFlags) Type() string { return "KEY=VALUE" }

func (t tagFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("must be KEY=VALUE (got %q)", v)
	}
	*t.tags = append(*t.tags, validate.TagInput{Key: k, Value: val})
	return nil
}

// outputs are the values of --output.
var outputs = []string{"text", "json", "cli", outputDLM, outputDLMEvent}

// define defines the flags of `snapcopy copy` on fs.
func (o *options) define(fs *pflag.FlagSet) {
	fs.StringVar(&o.to, "to", "", "destination `REGION` (the parent Region with --to-outpost or --to-local-zone)")
	completion.Regions(fs, "to")
	fs.StringVar(&o.outpost, "to-outpost", "", "copy to the Outpost of this `ARN`")
	fs.StringVar(&o.localZone, "to-local-zone", "", "copy to the Local Zone `NAME`")
	fs.StringVar(&o.filter, "filter", "", "pick the sources with the DescribeSnapshots filter `NAME=VALUE` (tag:team=dba, volume-id=vol-…; values split on commas)")
	fs.StringVar(&o.description, "description", "", "describe the copies with `TEXT`")
	fs.BoolVar(&o.encrypt, "encrypt", false, "encrypt the copies (implied by --kms-key)")
	fs.StringVar(&o.kmsKey, "kms-key", "", "encrypt the copies with the KMS `KEY` (alias, id or ARN)")
	fs.Var(tagFlags{&o.tags}, "tag", "tag the copies with `KEY=VALUE` (repeat for more)")
	fs.StringVar(&o.duration, "duration", "", "make time-based copies finished within `MIN` minutes (15 to 2880, by 15)")
	fs.StringVar(&o.sourceTags, "source-tags", "", "which of its source's tags each copy carries, by `MODE`: own (the default), none, or shared (those every source of the batch carries alike)")
	completion.Words(fs, "source-tags", sourceTagsWords()...)
	fs.BoolVar(&o.dryRun, "dry-run", false, "ask AWS whether the copies would be allowed; send nothing")
	fs.StringVar(&o.output, "output", "text", "print in `FORMAT`: text, json (one object per line per change; with --dry-run one per copy and one for the batch, with the price estimate), cli (with --dry-run: the aws ec2 copy-snapshot lines), dlm (the DLM policy that repeats the copy; nothing is sent) or dlm-event (the other account's event policy)")
	completion.Words(fs, "output", outputs...)
	fs.BoolVar(&o.wait, "wait", false, "follow the copies to the end: exit 0 when all completed, 1 when any failed")
	fs.BoolVar(&o.again, "again", false, "copy even when a copy of the source to the destination is in flight or completed (else refused, exit 3)")
	fs.DurationVar(&o.giveUp, "give-up", cmd.DefaultGiveUp, "stop, exit 1, once AWS has given no answer at all for `D` (0: never); the copies stay in the state file")
	o.dlm.define(fs)
	o.snapLock.define(fs)
	o.cross.define(fs)
}

// sourceTagsWords are the tokens of --source-tags, as saved files spell
// the choices.
func sourceTagsWords() []string {
	var out []string
	for _, s := range model.SourceTagsChoices {
		b, _ := s.MarshalText()
		out = append(out, string(b))
	}
	return out
}

// check takes the snapshot ids and checks the flags together; an error is
// one line naming the flag and the rule.
func (o *options) check(ids []string) error {
	o.ids = ids
	switch {
	case !slices.Contains(outputs, o.output):
		return fmt.Errorf("--output %q: must be text, json, cli, dlm or dlm-event", o.output)
	case o.output == "cli" && !o.dryRun:
		return errors.New("--output cli: only with --dry-run (it prints the commands instead of sending them)")
	case o.dryRun && o.wait:
		return errors.New("--wait: not with --dry-run (a dry run makes no copy to wait for)")
	case o.giveUp < 0:
		return fmt.Errorf("--give-up %s: must be a duration such as 10m, or 0 to never give up", o.giveUp)
	case !validSourceTags(o.sourceTags):
		return fmt.Errorf("--source-tags %q: must be own, none or shared", o.sourceTags)
	case o.outpost != "" && o.localZone != "":
		return errors.New("--to-outpost and --to-local-zone: choose one destination")
	case o.to == "" && o.outpost == "" && o.localZone == "":
		return errors.New("--to: the destination Region is required (or --to-outpost / --to-local-zone)")
	case len(o.ids) == 0 && o.filter == "":
		return errors.New("source: name at least one SNAPSHOT-ID, or pick them with --filter")
	case len(o.ids) > 0 && o.filter != "":
		return errors.New("--filter: not with SNAPSHOT-IDs; use one or the other")
	}
	if err := o.dlm.check(o); err != nil {
		return err
	}
	if err := o.snapLock.check(o.output); err != nil {
		return err
	}
	if err := o.cross.check(o); err != nil {
		return err
	}
	if o.filter != "" {
		if _, _, err := splitFilter(o.filter); err != nil {
			return err
		}
	}
	return nil
}

// splitFilter reads NAME=VALUE[,VALUE…].
func splitFilter(f string) (name string, values []string, err error) {
	name, v, ok := strings.Cut(f, "=")
	if !ok || strings.TrimSpace(name) == "" || v == "" {
		return "", nil, fmt.Errorf("--filter %q: must be NAME=VALUE, such as tag:team=dba", f)
	}
	return strings.TrimSpace(name), strings.Split(v, ","), nil
}

// form is the request as the copy form would hold it, for validate.Check.
func (o options) form() validate.Form {
	sourceTags, _ := sourceTagsOf(o.sourceTags)
	f := validate.Form{
		Kind:        model.ToRegion,
		Destination: o.to,
		Description: o.description,
		Encrypt:     o.encrypt || o.kmsKey != "",
		KmsKey:      o.kmsKey,
		SourceTags:  sourceTags,
		Tags:        o.tags,
		Duration:    o.duration,
		DryRun:      o.dryRun,
		Lock:        o.snapLock.lock,
		LockCoolOff: o.snapLock.coolOff,
	}
	switch {
	case o.outpost != "":
		f.Kind, f.Destination = model.ToOutpost, o.outpost
	case o.localZone != "":
		f.Kind, f.Destination = model.ToLocalZone, o.localZone
	}
	return f
}

// sourceTagsOf reads --source-tags by its token (own, none or shared, as
// saved files spell the choice); own when not given, the form's default.
func sourceTagsOf(flag string) (model.SourceTags, error) {
	var s model.SourceTags
	if flag == "" {
		return s, nil
	}
	err := s.UnmarshalText([]byte(flag))
	return s, err
}

func validSourceTags(flag string) bool {
	_, err := sourceTagsOf(flag)
	return err == nil
}
