package model

import (
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

func TestShellQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"snap-0a1b2c3d4e5f60718", "snap-0a1b2c3d4e5f60718"},
		{"alias/dr-ebs", "alias/dr-ebs"},
		{"arn:aws:kms:us-east-1:123456789012:key/1234", "arn:aws:kms:us-east-1:123456789012:key/1234"},
		{"", "''"},
		{"nightly copy", "'nightly copy'"},
		{"it's", `'it'\''s'`},
		{"$(rm -rf ~)", "'$(rm -rf ~)'"},
		{"a\"b`c", "'a\"b`c'"},
	} {
		if got := ShellQuote(tc.in); got != tc.want {
			t.Errorf("ShellQuote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestCLICommand(t *testing.T) {
	r := CopyRequest{
		DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0a1b2c3d4e5f60718",
		Description: "db's nightly", Encrypted: true, KmsKeyID: "alias/dr-ebs",
		Tags:                      []Tag{{Key: "Name", Value: "db 1"}, {Key: RequestTagKey, Value: "sc-0123456789abcdef"}},
		CompletionDurationMinutes: 60,
	}
	want := `aws ec2 copy-snapshot --region us-east-1 --source-region us-west-2 --source-snapshot-id snap-0a1b2c3d4e5f60718` +
		` --description 'db'\''s nightly' --encrypted --kms-key-id alias/dr-ebs` +
		` --tag-specifications '[{"ResourceType":"snapshot","Tags":[{"Key":"Name","Value":"db 1"},{"Key":"` + RequestTagKey + `","Value":"sc-0123456789abcdef"}]}]'` +
		` --completion-duration-minutes 60`
	if got := r.CLICommand(); got != want {
		t.Errorf("CLICommand:\n got %s\nwant %s", got, want)
	}

	lz := CopyRequest{DestinationRegion: "us-west-2", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0a1b2c3d4e5f60718", DestinationAvailabilityZone: "us-west-2-lax-1a", DryRun: true}
	if got := strings.Join(lz.CLIArgs(), " "); !strings.HasSuffix(got, "--destination-availability-zone us-west-2-lax-1a --dry-run") || strings.Contains(got, "--encrypted") {
		t.Errorf("Local Zone dry run: %s", got)
	}
	op := CopyRequest{DestinationRegion: "us-west-2", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0a1b2c3d4e5f60718", DestinationOutpostArn: "arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0"}
	if got := strings.Join(op.CLIArgs(), " "); !strings.HasSuffix(got, "--destination-outpost-arn arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0") {
		t.Errorf("Outpost: %s", got)
	}
}

// The shell gives the CLI back exactly the arguments, whatever they hold.
func TestCLICommandThroughTheShell(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	r := CopyRequest{
		DestinationRegion: "eu-west-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0a1b2c3d4e5f60718",
		Description: `it's "quoted" $HOME; \ back`,
		Tags:        []Tag{{Key: "team", Value: "a'b c"}, {Key: "empty", Value: ""}},
	}
	line := strings.Replace(r.CLICommand(), "aws ", `printf '%s\n' `, 1)
	out, err := exec.Command(sh, "-c", line).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if want := r.CLIArgs(); !reflect.DeepEqual(got, want) {
		t.Errorf("through sh:\n got %q\nwant %q", got, want)
	}
}
