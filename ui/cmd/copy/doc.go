package copy

import "github.com/snapcopy/snapcopy/ui/cmd"

// doc is the help of `snapcopy copy`.
var doc = cmd.Doc{
	Use:   "copy --region SRC --to DEST [flags] SNAPSHOT-ID...",
	Short: "copy snapshots from a script, checked as the copy form checks them",
	Long: `snapcopy copy copies snapshots of Region SRC, checked by the same rules as the
copy form (a rule broken: exit 2, nothing sent), recorded in the same state
file and followed by the same tracker as the screen and snapcopy watch. The
sources are the SNAPSHOT-IDs, or the snapshots a --filter picks.

Exit codes: 0 done, 1 a copy failed, 2 a bad flag or a rule broken, 3 refused
as a duplicate, 130/143/129 stopped by SIGINT/SIGTERM/SIGHUP (the copies go on
in AWS and stay in the state file).`,
	Example: `  snapcopy copy --region us-west-2 --to us-east-1 snap-0123456789abcdef0
  snapcopy copy --region us-west-2 --to eu-west-1 --filter tag:team=dba --kms-key alias/backup --wait
  snapcopy copy --region us-west-2 --to us-east-1 --dry-run --output cli snap-0123456789abcdef0
  snapcopy copy --region us-west-2 --to us-east-1 --duration 60 --dry-run --output json snap-0123456789abcdef0
  snapcopy copy --region us-west-2 --to us-east-1 --kms-key alias/dr --output dlm --schedule daily@03:00 \
    --retain 14 --retain-at-destination 14d --target-tag backup=nightly snap-0123456789abcdef0`,
}
