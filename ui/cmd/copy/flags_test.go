package copy

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/validate"
)

// parse reads args with the common flags and the command's own, then
// checks them together.
func parse(args []string) (options, error) {
	var o options
	var common cmd.Common
	fs := pflag.NewFlagSet("snapcopy copy", pflag.ContinueOnError)
	common.Define(fs)
	o.define(fs)
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	return o, o.check(fs.Args())
}

// A bad flag is refused before anything is looked up, naming the flag
// and the rule.
func TestParseRefusesBadFlags(t *testing.T) {
	base := []string{"--region", "us-west-2", "--to", "us-east-1"}
	cases := []struct {
		args []string
		want string
	}{
		{append(base, "--output", "yaml", "snap-1"), "--output \"yaml\": must be text, json, cli, dlm or dlm-event"},
		{append(base, "--output", "cli", "snap-1"), "--output cli: only with --dry-run"},
		{append(base, "--dry-run", "--wait", "snap-1"), "--wait: not with --dry-run"},
		{append(base, "--source-tags", "all", "snap-1"), "--source-tags \"all\": must be own, none or shared"},
		{[]string{"--region", "us-west-2", "snap-1"}, "--to: the destination Region is required"},
		{append(base, "--to-outpost", "arn:x", "--to-local-zone", "z", "snap-1"), "choose one destination"},
		{base, "source: name at least one SNAPSHOT-ID"},
		{append(base, "--filter", "tag:team=dba", "snap-1"), "--filter: not with SNAPSHOT-IDs"},
		{append(base, "--filter", "tag:team"), "--filter \"tag:team\": must be NAME=VALUE"},
		{append(base, "--tag", "novalue", "snap-1"), `invalid argument "novalue" for "--tag" flag: must be KEY=VALUE`},
		{append(base, "--reencrypt-key", "alias/backup", "snap-1"), "--reencrypt-key: only with --to-profile"},
		{append(base, "--keep-share", "snap-1"), "--keep-share: only with --to-profile"},
		{append(base, "--to-profile", "dr", "--dry-run", "snap-1"), "--to-profile: not with --dry-run or --output dlm"},
		{append(base, "--to-profile", "dr", "--to-local-zone", "us-east-1-bos-1a", "snap-1"), "--to-profile: copies into another account go to a Region"},
	}
	for _, c := range cases {
		_, err := parse(c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
}

// The flags fill validate.Form as the copy form would, flags after ids too.
func TestParseFillsTheForm(t *testing.T) {
	o, err := parse([]string{"--region", "us-west-2", "--to-local-zone", "us-west-2-lax-1a", "snap-1",
		"--kms-key", "alias/backup", "--tag", "team=dba", "--tag", "empty=", "--source-tags", "none", "--duration", "60", "snap-2"})
	if err != nil {
		t.Fatal(err)
	}
	f := o.form()
	want := validate.Form{Kind: model.ToLocalZone, Destination: "us-west-2-lax-1a", Encrypt: true, KmsKey: "alias/backup",
		SourceTags: model.SourceTagsNone, Tags: []validate.TagInput{{Key: "team", Value: "dba"}, {Key: "empty"}}, Duration: "60"}
	if f.Kind != want.Kind || f.Destination != want.Destination || f.Encrypt != want.Encrypt || f.KmsKey != want.KmsKey ||
		f.SourceTags != want.SourceTags || len(f.Tags) != 2 || f.Tags[0] != want.Tags[0] || f.Tags[1] != want.Tags[1] || f.Duration != want.Duration {
		t.Errorf("form %+v, want %+v", f, want)
	}
	if strings.Join(o.ids, " ") != "snap-1 snap-2" {
		t.Errorf("ids %v", o.ids)
	}
}
