package ec2sim

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"
)

// Listen starts a simulator serving on addr (e.g. 127.0.0.1:0) in a
// goroutine and returns it, its HTTP server (Close it to stop) and its
// base URL.
func Listen(addr string, o Options) (*Server, *http.Server, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, "", fmt.Errorf("ec2sim: listen on %s: %w", addr, err)
	}
	s := New(o)
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return s, hs, "http://" + ln.Addr().String(), nil
}

// Main is the `snapcopy simulate` command: it serves a simulator until
// SIGINT or SIGTERM and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:4566", "address to serve on")
	scale := fs.Float64("time-scale", 1, "simulated seconds per real second for copy progress")
	lag := fs.Duration("visibility-lag", DefaultVisibilityLag, "how long a new copy stays invisible to DescribeSnapshots")
	extra := fs.Int("extra-snapshots", 0, "generated snapshots to add to us-west-2")
	seed := fs.Int64("seed", 0, "seed of the world and of the fault dice")
	state := fs.String("state-file", "", "keep the world in this file across restarts")
	manual := fs.Bool("manual-clock", false, "stop the clock; move it with POST /_sim/advance?d=30s")
	faults := fs.String("faults", "", `faults in force from the start, as JSON (as PUT /_sim/faults takes: {"signatureMismatch":true,"clockSkew":"7m"})`)
	pageLatency := fs.Duration("page-latency", 0, "delay each DescribeSnapshots answer by this much plus a small share per snapshot in it (the benchmarks use "+BenchPageLatency.String()+")")
	noWildcards := fs.Bool("no-wildcards", false, "read * and ? in filter values literally, as a service without wildcard support would")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: snapcopy simulate [flags]\n\nServes a simulated EC2 and KMS endpoint for the AWS SDK and CLI.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "simulate: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	o := Options{Seed: *seed, ExtraSnapshots: *extra, TimeScale: *scale, VisibilityLag: *lag, StateFile: *state,
		PageLatency: *pageLatency, NoWildcards: *noWildcards}
	if *lag == 0 {
		o.VisibilityLag = -1 // Options reads 0 as the default
	}
	if *manual {
		o.Clock = NewManualClock(time.Now())
	}
	var f Faults
	if *faults != "" {
		if err := json.Unmarshal([]byte(*faults), &f); err != nil {
			fmt.Fprintf(stderr, "simulate: --faults: %v\n", err)
			return 2
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	s, hs, url, err := Listen(*listen, o)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	s.SetFaults(f)
	if err := s.StateError(); err != nil {
		fmt.Fprintln(stderr, "ec2sim:", err)
	}
	fmt.Fprintf(stdout, "ec2sim listening on %s\n", url)
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(sctx)
	return 0
}
