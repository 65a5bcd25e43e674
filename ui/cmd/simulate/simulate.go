// Package simulate is the `snapcopy simulate` command: the EC2 simulator
// served alone on a port, for scripts, the AWS CLI and tests that drive a
// separate process.
package simulate

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"time"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
)

// Exit codes of the command.
const (
	exitOK    = 0
	exitError = 1 // the address could not be listened on
	exitUsage = 2 // bad flags
)

// shutdownGrace is how long requests in flight get to finish once the
// command is told to stop.
const shutdownGrace = 5 * time.Second

const usage = `Usage: snapcopy simulate [flags]

Serves a simulated EC2 (and KMS, STS, Service Quotas) endpoint for the AWS SDK
and CLI until SIGINT or SIGTERM. It prints "ec2sim listening on URL" once it
listens. Faults can be changed while it runs: PUT /_sim/faults (see README).

Flags:
  --listen ADDR          address to serve on (default 127.0.0.1:4566; port 0 picks one)
  --seed N               seed of the world and of the fault dice (default 0)
  --extra-snapshots N    generated snapshots to add to us-west-2
  --time-scale X         simulated seconds per real second for copy progress (default 1)
  --visibility-lag D     how long a new copy stays invisible to DescribeSnapshots
                         (default 2s; 0 for none)
  --state-file PATH      keep the world in this file across restarts
  --manual-clock         stop the clock; move it with POST /_sim/advance?d=30s
  --faults JSON          faults in force from the start, as PUT /_sim/faults takes
                         them: '{"throttleRate":0.2,"actions":["CopySnapshot"]}'
  --page-latency D       hold each DescribeSnapshots answer back by D plus a small
                         share per snapshot in it (the benchmarks use 500ms)
  --no-wildcards         read * and ? in filter values literally, as a service
                         without wildcard support would
  --help                 print this help

--page-latency and --no-wildcards are faults too (pageLatency, noWildcards):
given with --faults, the flag wins.
`

// Run is the command: it serves a simulator until ctx ends or SIGINT or
// SIGTERM arrives, and returns the exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	// --help prints the usage once, on standard output; a bad flag gets the
	// flag package's one line and a pointer to --help, on standard error.
	fs.Usage = func() {}
	listen := fs.String("listen", "127.0.0.1:4566", "")
	scale := fs.Float64("time-scale", 1, "")
	lag := fs.Duration("visibility-lag", ec2sim.DefaultVisibilityLag, "")
	extra := fs.Int("extra-snapshots", 0, "")
	seed := fs.Int64("seed", 0, "")
	state := fs.String("state-file", "", "")
	manual := fs.Bool("manual-clock", false, "")
	faultsJSON := fs.String("faults", "", "")
	pageLatency := fs.Duration("page-latency", 0, "")
	noWildcards := fs.Bool("no-wildcards", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return exitOK
		}
		fmt.Fprintln(stderr, "snapcopy simulate: see snapcopy simulate --help")
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "snapcopy simulate: unexpected argument %q (see snapcopy simulate --help)\n", fs.Arg(0))
		return exitUsage
	}
	switch {
	case *scale <= 0:
		fmt.Fprintf(stderr, "snapcopy simulate: --time-scale %v: must be above 0\n", *scale)
		return exitUsage
	case *lag < 0:
		fmt.Fprintf(stderr, "snapcopy simulate: --visibility-lag %v: must not be negative\n", *lag)
		return exitUsage
	case *pageLatency < 0:
		fmt.Fprintf(stderr, "snapcopy simulate: --page-latency %v: must not be negative\n", *pageLatency)
		return exitUsage
	case *extra < 0:
		fmt.Fprintf(stderr, "snapcopy simulate: --extra-snapshots %d: must not be negative\n", *extra)
		return exitUsage
	}

	var faults ec2sim.Faults
	if *faultsJSON != "" {
		if err := json.Unmarshal([]byte(*faultsJSON), &faults); err != nil {
			fmt.Fprintf(stderr, "snapcopy simulate: --faults: %v\n", err)
			return exitUsage
		}
	}
	// A flag given explicitly is in force, over what --faults says.
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "page-latency":
			faults.PageLatency = ec2sim.Duration(*pageLatency)
		case "no-wildcards":
			faults.NoWildcards = *noWildcards
		}
	})

	o := ec2sim.Options{Seed: *seed, ExtraSnapshots: *extra, TimeScale: *scale, VisibilityLag: *lag,
		StateFile: *state, Faults: faults}
	if *lag == 0 {
		o.VisibilityLag = -1 // Options reads 0 as the default lag
	}
	if *manual {
		o.Clock = ec2sim.NewManualClock(time.Now())
	}

	// Stopping the server by SIGINT or SIGTERM is its normal end (exit 0).
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	s, hs, url, err := ec2sim.Listen(*listen, o)
	if err != nil {
		fmt.Fprintln(stderr, "snapcopy simulate:", err)
		return exitError
	}
	if err := s.StateError(); err != nil {
		fmt.Fprintln(stderr, "snapcopy simulate:", err)
	}
	fmt.Fprintf(stdout, "ec2sim listening on %s\n", url)
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		_ = hs.Close() // a request still held (a hang fault) ends with its connection
	}
	return exitOK
}
