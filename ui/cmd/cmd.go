// Package cmd is what snapcopy's commands share: the environment main
// hands each (Env), the flags every command takes (Common), how a command
// line is read (Parse) and the exit codes. The commands themselves are its
// subpackages, each a Command with its own flags beside its Run.
package cmd

import (
	"context"
	"flag"
	"io"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/ui/cmd/stop"
)

// The exit codes, besides the signals' 128+n (package stop).
const (
	// ExitOK: done; every copy followed completed.
	ExitOK = 0
	// ExitFailed: a copy failed, a dry run was refused, copies were kept
	// aside unfollowed, or an error stopped snapcopy.
	ExitFailed = 1
	// ExitUsage: bad flags, no Region or credentials, the state file in
	// use by another snapcopy, or a rule of a copy request broken (nothing
	// sent).
	ExitUsage = 2
	// ExitDuplicate: `copy` refused a copy of a source to a destination
	// already in flight or completed (--again copies anyway).
	ExitDuplicate = 3
)

// Common are the flags every command takes: how to reach AWS and where
// the copies are recorded.
type Common struct {
	Profile, Region, Endpoint, StateFile string
	Demo                                 bool
	// PageLatency holds back each DescribeSnapshots page of the demo's
	// simulator (--page-latency, a flag of the screen's commands).
	PageLatency time.Duration
}

// Define defines the common flags on fs.
func (c *Common) Define(fs *flag.FlagSet) {
	fs.StringVar(&c.Profile, "profile", "", "")
	fs.StringVar(&c.Region, "region", "", "")
	fs.StringVar(&c.Endpoint, "endpoint-url", "", "")
	fs.StringVar(&c.StateFile, "state-file", "", "")
	fs.BoolVar(&c.Demo, "demo", false, "")
}

// Connection is a client of AWS (or of the demo's simulator) and the
// state file its copies are recorded in.
type Connection struct {
	Client *awsops.Client
	// Profile is the profile in use ("demo" for the demo), for the screen.
	Profile   string
	StatePath string
	// Close ends what connecting started (the demo's simulator).
	Close func()
}

// Env is what main hands a command.
type Env struct {
	Stdout, Stderr io.Writer
	// Args are the arguments left once the flags are read (copy's
	// snapshot ids).
	Args []string
	// Common are the common flags as given.
	Common Common
	// Connect reaches AWS as the common flags say, and finds the state
	// file (package connect). It fails with one sentence saying what to
	// set.
	Connect func(ctx context.Context, c Common) (Connection, error)
	// SettleDelay is the tracker's wait after an unanswered CopySnapshot
	// before a tag look-up that finds nothing lets it send again (0: the
	// tracker's default; the demo's simulator shows a new copy later).
	SettleDelay time.Duration
	// Stops owns the signals: the context Run gets ends with the first,
	// and Stops.Reason says which (nil: never stopped).
	Stops *stop.Stopper
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Version is the version the build was stamped with.
	Version string
}

// Stopped is why snapcopy was stopped, nil when it was not.
func (e Env) Stopped() *stop.Reason {
	if e.Stops == nil {
		return nil
	}
	return e.Stops.Reason()
}

// Clock is e.Now, or time.Now.
func (e Env) Clock() func() time.Time {
	if e.Now == nil {
		return time.Now
	}
	return e.Now
}

// Command is one of snapcopy's commands.
type Command interface {
	// Name is the command as messages name it: "snapcopy", "snapcopy copy".
	Name() string
	// Flags defines the command's own flags on fs, beside the common ones.
	Flags(fs *flag.FlagSet)
	// Usage is the command's --help.
	Usage() string
	// Run runs the command once its flags are read, and returns the exit
	// code.
	Run(ctx context.Context, env Env) int
}

// Parse reads args with fs, flags and arguments in any order ("copy
// snap-1 --wait snap-2"), and returns the arguments. Its errors are
// flag.ErrHelp for --help, and the flag package's, which fs has already
// printed.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
