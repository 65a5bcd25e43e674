// Package cli is snapcopy's command line: the commands of ui/cmd's
// subpackages put on cobra (each with its flags, its own --help and its
// shell completion), and the exit code of a command line that is wrong.
// Cobra is used here (and by gen, the man page generator) and nowhere
// else: the commands define pflag flags and run as cmd.Command.
package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/cmd/connect"
	copycmd "github.com/snapcopy/snapcopy/ui/cmd/copy"
	"github.com/snapcopy/snapcopy/ui/cmd/simulate"
	"github.com/snapcopy/snapcopy/ui/cmd/stop"
	"github.com/snapcopy/snapcopy/ui/cmd/version"
	"github.com/snapcopy/snapcopy/ui/cmd/watch"
)

// Run reads the command line args and runs its command with env (its
// Stdout, Stderr, Connect and Version), and returns the exit code: the
// command's, or cmd.ExitUsage for a command line that is wrong.
func Run(args []string, env cmd.Env) int {
	code := cmd.ExitOK
	root := New(env, &code)
	root.SetArgs(args)
	c, err := root.ExecuteC()
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %v (see %s --help)\n", c.CommandPath(), err, c.CommandPath())
		return cmd.ExitUsage
	}
	return code
}

// entry is a command as the command line holds it.
type entry struct {
	c cmd.Command
	// aws: it takes the common flags, reaches AWS and is stopped by a
	// signal through package stop; simulate is AWS's side, not a client.
	aws bool
}

func init() {
	// Commands in the order they are listed, the most used first.
	cobra.EnableCommandSorting = false
}

// New is the command tree: `snapcopy` (the screen) and its commands. Run
// stores a command's exit code in code.
func New(env cmd.Env, code *int) *cobra.Command {
	root := command(entry{watch.Root(), true}, env, code)
	root.Args = unknownCommand
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	// Errors are said once, by Run, with the command's --help to read.
	root.SilenceErrors, root.SilenceUsage = true, true
	root.SetFlagErrorFunc(flagError)
	root.SuggestionsMinimumDistance = 2
	root.SetHelpFunc(help)
	root.SetUsageFunc(func(c *cobra.Command) error { help(c, nil); return nil })
	root.CompletionOptions.DisableDefaultCmd = true
	root.DisableAutoGenTag = true
	for _, e := range []entry{
		{watch.New(), true},
		{copycmd.New(), true},
		{simulate.New(), false},
		{version.Command{}, false},
	} {
		root.AddCommand(command(e, env, code))
	}
	root.AddCommand(completionCommand(root, env, code))
	return root
}

// command puts one command on cobra: its doc, its flags (the common ones
// first), the completion of their values, and its Run.
func command(e entry, env cmd.Env, code *int) *cobra.Command {
	d := e.c.Doc()
	cc := &cobra.Command{
		Use: d.Use, Short: d.Short, Long: d.Long, Example: d.Example,
		// No command takes files: its arguments are snapshot ids.
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	fs := cc.Flags()
	if e.aws {
		common := pflag.NewFlagSet("common", pflag.ContinueOnError)
		env.Common.Define(common)
		common.VisitAll(func(f *pflag.Flag) { _ = common.SetAnnotation(f.Name, commonAnnotation, nil) })
		fs.AddFlagSet(common)
	}
	e.c.Flags(fs)
	completeValues(cc)
	cc.RunE = func(cc *cobra.Command, args []string) error {
		*code = runCommand(e, env, args)
		return nil
	}
	return cc
}

// settleEnv shortens (or lengthens) the tracker's settle delay: for an
// endpoint known to show a new copy sooner than AWS, such as the
// simulator, whose lag is 2 s. Twins are looked for twice the delay after
// a send, so the delay bounds how long `snapcopy copy` stays.
const settleEnv = "SNAPCOPY_SETTLE_DELAY"

// runCommand runs the command with its arguments read.
func runCommand(e entry, env cmd.Env, args []string) int {
	env.Args = args
	if !e.aws {
		return e.c.Run(context.Background(), env)
	}
	if env.Common.Demo {
		env.SettleDelay = connect.DemoSettleDelay
	} else if v := os.Getenv(settleEnv); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			fmt.Fprintf(env.Stderr, "snapcopy: %s=%q: not a duration of 1s or more (how long a new copy may stay invisible to DescribeSnapshots)\n", settleEnv, v)
			return cmd.ExitUsage
		}
		env.SettleDelay = d
	}
	// One owner of the signals for the whole run: the command's context
	// ends with the first, and its exit code says which.
	env.Stops = stop.Catch()
	defer env.Stops.Release()
	return e.c.Run(env.Stops.Context(), env)
}

// unknownCommand refuses an argument of `snapcopy` itself: it is a command
// mistyped (the screen takes none).
func unknownCommand(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		return fmt.Errorf("unknown command %q (did you mean %s?)", args[0], strings.Join(s, " or "))
	}
	return fmt.Errorf("unknown command %q", args[0])
}

// flagError words pflag's errors for people used to Go's single dash: a
// long flag given with one dash is named with two.
func flagError(c *cobra.Command, err error) error {
	msg := err.Error()
	if _, arg, ok := strings.Cut(msg, "unknown shorthand flag: "); ok {
		if _, word, ok := strings.Cut(arg, " in -"); ok {
			name, _, _ := strings.Cut(word, "=")
			if c.Flags().Lookup(name) != nil {
				return fmt.Errorf("-%s: a flag takes two dashes: --%s", word, name)
			}
		}
	}
	return err
}

// commonAnnotation marks the common flags, which help lists apart.
const commonAnnotation = "snapcopy_common"
