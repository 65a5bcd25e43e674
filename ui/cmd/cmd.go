// Package cmd is what snapcopy's commands share: the environment main
// hands each (Env), the flags every command takes (Common), how a command
// line is read (Parse) and the exit codes. The commands themselves are its
// subpackages, each a Command with its own flags beside its Run; package
// cli puts them on the command line.
package cmd

import (
	"context"
	"io"
	"time"

	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/ui/cmd/completion"
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
func (c *Common) Define(fs *pflag.FlagSet) {
	fs.StringVar(&c.Profile, "profile", "", "AWS profile `NAME` (default: AWS_PROFILE, else the default profile)")
	completion.Profiles(fs, "profile")
	fs.StringVar(&c.Region, "region", "", "source `REGION` (default: AWS_REGION, else the profile's region)")
	completion.Regions(fs, "region")
	fs.StringVar(&c.Endpoint, "endpoint-url", "", "send EC2, KMS and STS requests (a profile's assume-role call too) to `URL` (AWS_ENDPOINT_URL_EC2 and AWS_ENDPOINT_URL work too)")
	fs.StringVar(&c.StateFile, "state-file", "", "record the copies in the file at `PATH` (default $XDG_STATE_HOME/snapcopy/copies.json, copies-PROFILE.json for a named profile)")
	fs.BoolVar(&c.Demo, "demo", false, "run on the built-in EC2 simulator: no AWS account needed")
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

// Env is what the command line (package cli) hands a command.
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
	// Doc is how its --help and its man page describe it.
	Doc() Doc
	// Flags defines the command's own flags on fs, beside the common ones.
	Flags(fs *pflag.FlagSet)
	// Run runs the command once its flags are read, and returns the exit
	// code.
	Run(ctx context.Context, env Env) int
}

// Doc describes a command for its --help and its man page (the flags
// describe themselves).
type Doc struct {
	// Use is the synopsis: the command's own word ("copy"; "snapcopy"
	// for snapcopy itself), then its arguments.
	Use string
	// Short is one line: what it does.
	Short string
	// Long is the description: plain paragraphs, which the man page reads
	// as Markdown (so `code` and lists may be used).
	Long string
	// Example is a few command lines, indented.
	Example string
}
