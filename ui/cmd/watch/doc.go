package watch

import "github.com/snapcopy/snapcopy/ui/cmd"

// rootDoc is the help of `snapcopy`; the man page adds the keys and the
// exit codes.
var rootDoc = cmd.Doc{
	Use:   "snapcopy",
	Short: "copy Amazon EBS snapshots and watch the copies finish",
	Long: `snapcopy copies Amazon EBS snapshots and watches the copies finish: it lists
the snapshots of a Region, checks one copy form as you type, sends the copies
and follows each to completed, through throttling, dropped connections,
expired credentials and restarts. Without a command it opens on the list.

Credentials follow the AWS CLI: the environment, ~/.aws/config profiles (SSO,
assume-role), the instance role. Keys on every screen: ? shows them all.
Stopped by SIGINT, SIGTERM or SIGHUP, snapcopy exits 130, 143 or 129.`,
	Example: `  snapcopy --demo                        # the app on the built-in simulator
  snapcopy --profile ops --region us-west-2
  snapcopy watch --plain --output json   # the copies of the state file, in lines`,
}

// watchDoc is the help of `snapcopy watch`.
var watchDoc = cmd.Doc{
	Use:   "watch",
	Short: "watch the copies of the state file, on the screen or line by line",
	Long: `snapcopy watch follows the copies recorded in the state file to their end:
on the progress pane, or with --plain (or when standard output is not a
terminal) one line per change, for logs and nohup. Plain mode ends when every
copy has ended: exit 0 when all completed, 1 when any failed or the state file
had copies it could not follow.`,
	Example: `  snapcopy watch
  nohup snapcopy watch --plain >copies.log &
  snapcopy watch --plain --output json --discover`,
}
