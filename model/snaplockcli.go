package model

import (
	"strconv"
	"strings"
)

// CopyIDVar is the shell variable the AWS CLI lines of a locked copy keep
// the copy's id in: CopySnapshot's answer, which LockSnapshot needs.
const CopyIDVar = "COPY_ID"

// copyIDWord is CopyIDVar as a shell word, expanded.
const copyIDWord = `"$` + CopyIDVar + `"`

// CLIArgs is the lock as `aws ec2 lock-snapshot` arguments (after "aws")
// for the snapshot id of region.
func (s SnapLockSpec) CLIArgs(region, id string) []string {
	args := []string{"ec2", "lock-snapshot", "--region", region, "--snapshot-id", id, "--lock-mode", string(s.Mode)}
	if s.Days > 0 {
		args = append(args, "--lock-duration", strconv.Itoa(int(s.Days)))
	} else {
		args = append(args, "--expiration-date", s.Expires.UTC().Format("2006-01-02T15:04:05.000Z"))
	}
	if s.CoolOffHours > 0 {
		args = append(args, "--cool-off-period", strconv.Itoa(int(s.CoolOffHours)))
	}
	return args
}

// CopyIDArgs are what the copy-snapshot command of a locked copy adds, so
// that its output is the copy's id alone, kept in CopyIDVar.
var CopyIDArgs = []string{"--query", "SnapshotId", "--output", "text"}

// CLILines is the request as AWS CLI lines for a shell: its copy-snapshot
// command, and with a lock the copy's id kept in CopyIDVar and the
// lock-snapshot command on it.
func (r CopyRequest) CLILines() []string {
	if !r.SnapLock.On() {
		return []string{r.CLICommand()}
	}
	words := append([]string{"aws"}, quoteAll(append(r.CLIArgs(), CopyIDArgs...))...)
	lock := append([]string{"aws"}, quoteAll(r.SnapLock.CLIArgs(r.DestinationRegion, "$"+CopyIDVar))...)
	return []string{
		CopyIDVar + "=$(" + strings.Join(words, " ") + ") &&",
		ExpandCopyID(strings.Join(lock, " ")),
	}
}

// ExpandCopyID turns the quoted CopyIDVar of a line ShellQuote made into
// the variable's expansion.
func ExpandCopyID(line string) string {
	return strings.ReplaceAll(line, ShellQuote("$"+CopyIDVar), copyIDWord)
}

func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = ShellQuote(a)
	}
	return out
}
