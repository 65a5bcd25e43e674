package version

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/ui/cmd"
)

// Command is `snapcopy version`, as `snapcopy --version`.
type Command struct{}

// Name is how messages name the command.
func (Command) Name() string { return "snapcopy version" }

// Doc describes `snapcopy version`.
func (Command) Doc() cmd.Doc {
	return cmd.Doc{Use: "version", Short: "print the version of snapcopy",
		Long: "snapcopy version prints which snapcopy this is, as snapcopy --version does."}
}

// Flags: the command has none.
func (Command) Flags(*pflag.FlagSet) {}

// Run prints the version.
func (Command) Run(_ context.Context, env cmd.Env) int {
	if len(env.Args) > 0 {
		fmt.Fprintf(env.Stderr, "snapcopy version: unexpected argument %q (see snapcopy version --help)\n", env.Args[0])
		return cmd.ExitUsage
	}
	fmt.Fprintln(env.Stdout, Line(env.Version))
	return cmd.ExitOK
}

// Line is how snapcopy says its version: "snapcopy v1.2.0".
func Line(stamped string) string { return "snapcopy " + String(stamped) }
