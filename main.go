// Command snapcopy copies Amazon EBS snapshots and watches the copies finish.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/cmd/connect"
	copycmd "github.com/snapcopy/snapcopy/ui/cmd/copy"
	"github.com/snapcopy/snapcopy/ui/cmd/simulate"
	"github.com/snapcopy/snapcopy/ui/cmd/stop"
	"github.com/snapcopy/snapcopy/ui/cmd/watch"
)

// stampedVersion is set at build time (-ldflags "-X main.stampedVersion=...").
var stampedVersion = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// commands are snapcopy's commands by their first argument; without one
// of these, snapcopy opens the screen on the list.
var commands = map[string]func() cmd.Command{
	"watch": func() cmd.Command { return watch.New() },
	"copy":  func() cmd.Command { return copycmd.New() },
}

// run reads the command line (the common flags, then the command's own,
// in any order), and runs the command.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "simulate" {
		return simulate.Run(context.Background(), args[1:], stdout, stderr)
	}
	var c cmd.Command = watch.Root()
	if len(args) > 0 && commands[args[0]] != nil {
		c, args = commands[args[0]](), args[1:]
	}
	env := cmd.Env{Stdout: stdout, Stderr: stderr, Connect: connect.Connect, Version: stampedVersion}
	fs := flag.NewFlagSet(c.Name(), flag.ContinueOnError)
	fs.SetOutput(stderr)
	// --help prints the usage once, on standard output; a bad flag gets the
	// flag package's one line and a pointer to --help, on standard error.
	fs.Usage = func() {}
	env.Common.Define(fs)
	c.Flags(fs)
	rest, err := cmd.Parse(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, c.Usage())
		return cmd.ExitOK
	case err != nil:
		fmt.Fprintf(stderr, "%s: see %s --help\n", c.Name(), c.Name())
		return cmd.ExitUsage
	}
	env.Args = rest
	if env.Common.Demo {
		env.SettleDelay = connect.DemoSettleDelay
	}
	// One owner of the signals for the whole run: the command's context
	// ends with the first, and its exit code says which.
	env.Stops = stop.Catch()
	defer env.Stops.Release()
	return c.Run(env.Stops.Context(), env)
}
