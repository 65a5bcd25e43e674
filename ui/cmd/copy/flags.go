// Package copy is `snapcopy copy`: the copy form for scripts. The request
// is checked by the same validator as the form (package validate), started
// through the same tracker and state file, and, with --wait, followed to
// the end as `watch --plain` does.
package copy

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/validate"
)

// usage is the help of `snapcopy copy`.
const usage = `Usage:
  snapcopy copy --region SRC --to DEST [flags] SNAPSHOT-ID...
  snapcopy copy --region SRC --to DEST --filter 'tag:team=dba' [flags]

Copies snapshots of Region SRC, checked by the same rules as the copy form
(a rule broken: exit 2, nothing sent), recorded in the same state file and
followed by the same tracker as the screen and 'snapcopy watch'.

Flags:
  --region SRC            the sources' Region
  --to REGION             destination Region (the parent Region with the two below)
  --to-outpost ARN        copy to an Outpost
  --to-local-zone NAME    copy to a Local Zone
  --filter NAME=VALUE     pick the sources with a DescribeSnapshots filter
                          (tag:team=dba, volume-id=vol-…; values split on commas)
  --description TEXT      the copies' description
  --encrypt               encrypt the copies (implied by --kms-key)
  --kms-key KEY           KMS key of the encrypted copies
  --tag KEY=VALUE         tag the copies (repeat for more)
  --duration MIN          a time-based copy finished within MIN minutes (15-2880, by 15)
  --source-tags MODE      which of its source's tags each copy carries: own (default),
                          none, or shared (those every source of the batch carries alike)
  --dry-run               ask AWS whether the copies would be allowed; send nothing
  --output FORMAT         text (default), json (one object per line per change)
                          or cli (with --dry-run: the aws ec2 copy-snapshot lines)
  --wait                  follow the copies to the end: exit 0 when all completed,
                          1 when any failed
  --again                 copy even when a copy of the source to the destination
                          is in flight or completed (else refused, exit 3)
  --give-up D             stop, exit 1, once AWS has given no answer at all for D
                          (default 10m; 0: never); the copies stay in the state file
  --profile, --endpoint-url, --state-file, --demo as for snapcopy

Exit codes: 0 done, 1 a copy failed, 2 a bad flag or a rule broken,
3 refused as a duplicate (or deleted as the twin of a copy made at the same
moment on another host), 130/143/129 stopped by SIGINT/SIGTERM/SIGHUP
(the copies go on in AWS and stay in the state file).

Copies of one source to one destination on one host wait for each other
(locks in /var/tmp/snapcopy-locks, or SNAPCOPY_LOCK_DIR).
`

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
}

// tagFlags collects repeated --tag KEY=VALUE.
type tagFlags struct{ tags *[]validate.TagInput }

func (t tagFlags) String() string { return "" }

func (t tagFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("must be KEY=VALUE (got %q)", v)
	}
	*t.tags = append(*t.tags, validate.TagInput{Key: k, Value: val})
	return nil
}

// define defines the flags of `snapcopy copy` on fs.
func (o *options) define(fs *flag.FlagSet) {
	fs.StringVar(&o.to, "to", "", "")
	fs.StringVar(&o.outpost, "to-outpost", "", "")
	fs.StringVar(&o.localZone, "to-local-zone", "", "")
	fs.StringVar(&o.filter, "filter", "", "")
	fs.StringVar(&o.description, "description", "", "")
	fs.BoolVar(&o.encrypt, "encrypt", false, "")
	fs.StringVar(&o.kmsKey, "kms-key", "", "")
	fs.Var(tagFlags{&o.tags}, "tag", "")
	fs.StringVar(&o.duration, "duration", "", "")
	fs.StringVar(&o.sourceTags, "source-tags", "", "")
	fs.BoolVar(&o.dryRun, "dry-run", false, "")
	fs.StringVar(&o.output, "output", "text", "")
	fs.BoolVar(&o.wait, "wait", false, "")
	fs.BoolVar(&o.again, "again", false, "")
	fs.DurationVar(&o.giveUp, "give-up", cmd.DefaultGiveUp, "")
}

// check takes the snapshot ids and checks the flags together; an error is
// one line naming the flag and the rule.
func (o *options) check(ids []string) error {
	o.ids = ids
	switch {
	case o.output != "text" && o.output != "json" && o.output != "cli":
		return fmt.Errorf("--output %q: must be text, json or cli", o.output)
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
