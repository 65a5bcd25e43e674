package model

import (
	"encoding/json"
	"strconv"
	"strings"
)

// CLIArgs is the request as the AWS CLI's arguments (after "aws"): the same
// CopySnapshot, parameter for parameter, for a change ticket or a script.
// Tags go as JSON, which the CLI takes whatever the keys and values hold.
func (r CopyRequest) CLIArgs() []string {
	args := []string{"ec2", "copy-snapshot",
		"--region", r.DestinationRegion,
		"--source-region", r.SourceRegion,
		"--source-snapshot-id", r.SourceSnapshotID,
	}
	if r.Description != "" {
		args = append(args, "--description", r.Description)
	}
	if r.Encrypted {
		args = append(args, "--encrypted")
	}
	if r.KmsKeyID != "" {
		args = append(args, "--kms-key-id", r.KmsKeyID)
	}
	if len(r.Tags) > 0 {
		// Tag marshals as {"Key":…,"Value":…}, the CLI's own names.
		type spec struct {
			ResourceType string
			Tags         []Tag
		}
		js, _ := json.Marshal([]spec{{ResourceType: "snapshot", Tags: r.Tags}}) // strings only: cannot fail
		args = append(args, "--tag-specifications", string(js))
	}
	if r.CompletionDurationMinutes > 0 {
		args = append(args, "--completion-duration-minutes", strconv.Itoa(int(r.CompletionDurationMinutes)))
	}
	if r.DestinationOutpostArn != "" {
		args = append(args, "--destination-outpost-arn", r.DestinationOutpostArn)
	}
	if r.DestinationAvailabilityZone != "" {
		args = append(args, "--destination-availability-zone", r.DestinationAvailabilityZone)
	}
	if r.DryRun {
		args = append(args, "--dry-run")
	}
	return args
}

// CLICommand is CLIArgs as one POSIX shell line, each argument quoted where
// the shell would change it, ready to paste.
func (r CopyRequest) CLICommand() string {
	args := r.CLIArgs()
	quoted := make([]string, 0, len(args)+1)
	quoted = append(quoted, "aws")
	for _, a := range args {
		quoted = append(quoted, ShellQuote(a))
	}
	return strings.Join(quoted, " ")
}

// ShellQuote returns s as one word of a POSIX shell: as it is when it holds
// only characters the shell leaves alone, else in single quotes (a single
// quote inside written as '\”).
func ShellQuote(s string) string {
	if s == "" {
		return "''"
	}
	plain := true
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("@%+=:,./_-", c)) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
