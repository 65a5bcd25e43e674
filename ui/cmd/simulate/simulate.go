// Package simulate is the `snapcopy simulate` command: the EC2 simulator
// served alone on a port, for scripts, the AWS CLI and tests that drive a
// separate process.
package simulate

import (
	"context"
	"encoding/json"
	"fmt"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/ui/cmd"
)

// shutdownGrace is how long requests in flight get to finish once the
// command is told to stop.
const shutdownGrace = 5 * time.Second

// Command is `snapcopy simulate`. It takes none of the common flags: it
// is AWS's side, not a client of it.
type Command struct {
	fs                  *pflag.FlagSet
	listen, state       string
	faultsJSON          string
	scale               float64
	lag, pageLatency    time.Duration
	extra               int
	seed                int64
	manual, noWildcards bool
}

// New is `snapcopy simulate`.
func New() *Command { return &Command{} }

// Name is how messages name the command.
func (c *Command) Name() string { return "snapcopy simulate" }

// Doc describes `snapcopy simulate`.
func (c *Command) Doc() cmd.Doc { return doc }

// Flags defines the flags of `snapcopy simulate`.
func (c *Command) Flags(fs *pflag.FlagSet) {
	c.fs = fs
	fs.StringVar(&c.listen, "listen", "127.0.0.1:4566", "serve on `ADDR` (port 0 picks one)")
	fs.Int64Var(&c.seed, "seed", 0, "seed the world and the fault dice with `N`")
	fs.IntVar(&c.extra, "extra-snapshots", 0, "add `N` generated snapshots to us-west-2")
	fs.Float64Var(&c.scale, "time-scale", 1, "copies progress `X` simulated seconds per real second")
	fs.DurationVar(&c.lag, "visibility-lag", ec2sim.DefaultVisibilityLag, "a new copy stays invisible to DescribeSnapshots for `D` (0 for none)")
	fs.StringVar(&c.state, "state-file", "", "keep the world in the file at `PATH` across restarts")
	fs.BoolVar(&c.manual, "manual-clock", false, "stop the clock; move it with POST /_sim/advance?d=30s")
	fs.StringVar(&c.faultsJSON, "faults", "", "faults in force from the start, as `JSON` PUT /_sim/faults takes them: '{\"throttleRate\":0.2,\"actions\":[\"CopySnapshot\"]}'")
	fs.DurationVar(&c.pageLatency, "page-latency", 0, "hold each DescribeSnapshots answer back by `D` plus a small share per snapshot in it (the benchmarks use 500ms)")
	fs.BoolVar(&c.noWildcards, "no-wildcards", false, "read * and ? in filter values literally, as a service without wildcard support would")
}

// Run serves a simulator until ctx ends or SIGINT or SIGTERM arrives, and
// returns the exit code: 0 then, 1 when the address cannot be listened on,
// 2 for flags it cannot take.
func (c *Command) Run(ctx context.Context, env cmd.Env) int {
	stderr := env.Stderr
	if len(env.Args) > 0 {
		fmt.Fprintf(stderr, "snapcopy simulate: unexpected argument %q (see snapcopy simulate --help)\n", env.Args[0])
		return cmd.ExitUsage
	}
	switch {
	case c.scale <= 0:
		fmt.Fprintf(stderr, "snapcopy simulate: --time-scale %v: must be above 0\n", c.scale)
		return cmd.ExitUsage
	case c.lag < 0:
		fmt.Fprintf(stderr, "snapcopy simulate: --visibility-lag %v: must not be negative\n", c.lag)
		return cmd.ExitUsage
	case c.pageLatency < 0:
		fmt.Fprintf(stderr, "snapcopy simulate: --page-latency %v: must not be negative\n", c.pageLatency)
		return cmd.ExitUsage
	case c.extra < 0:
		fmt.Fprintf(stderr, "snapcopy simulate: --extra-snapshots %d: must not be negative\n", c.extra)
		return cmd.ExitUsage
	}

	var faults ec2sim.Faults
	if c.faultsJSON != "" {
		if err := json.Unmarshal([]byte(c.faultsJSON), &faults); err != nil {
			fmt.Fprintf(stderr, "snapcopy simulate: --faults: %v\n", err)
			return cmd.ExitUsage
		}
	}
	// A flag given explicitly is in force, over what --faults says.
	if c.fs.Changed("page-latency") {
		faults.PageLatency = ec2sim.Duration(c.pageLatency)
	}
	if c.fs.Changed("no-wildcards") {
		faults.NoWildcards = c.noWildcards
	}

	o := ec2sim.Options{Seed: c.seed, ExtraSnapshots: c.extra, TimeScale: c.scale, VisibilityLag: c.lag,
		StateFile: c.state, Faults: faults}
	if c.lag == 0 {
		o.VisibilityLag = -1 // Options reads 0 as the default lag
	}
	if c.manual {
		o.Clock = ec2sim.NewManualClock(time.Now())
	}

	// Stopping the server by SIGINT or SIGTERM is its normal end (exit 0).
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	s, hs, url, err := ec2sim.Listen(c.listen, o)
	if err != nil {
		fmt.Fprintln(stderr, "snapcopy simulate:", err)
		return cmd.ExitFailed
	}
	if err := s.StateError(); err != nil {
		fmt.Fprintln(stderr, "snapcopy simulate:", err)
	}
	fmt.Fprintf(env.Stdout, "ec2sim listening on %s\n", url)
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		_ = hs.Close() // a request still held (a hang fault) ends with its connection
	}
	return cmd.ExitOK
}
