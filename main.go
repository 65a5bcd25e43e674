// Command snapcopy copies Amazon EBS snapshots and watches the copies finish.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui"
	"github.com/snapcopy/snapcopy/ui/cmd/simulate"
	"github.com/snapcopy/snapcopy/ui/copycmd"
	"github.com/snapcopy/snapcopy/ui/progress"
	"github.com/snapcopy/snapcopy/ui/stop"
	"github.com/snapcopy/snapcopy/ui/theme"
	"github.com/snapcopy/snapcopy/ui/version"
	"github.com/snapcopy/snapcopy/validate"
)

// stampedVersion is set at build time (-ldflags "-X main.stampedVersion=...").
var stampedVersion = "dev"

const (
	demoRegion = "us-west-2"
	// demoTimeScale makes a 100 GiB demo copy finish in about a minute.
	demoTimeScale = 30
	// demoSettleDelay is past the demo simulator's 2 s visibility lag.
	demoSettleDelay = 5 * time.Second
)

const usage = `snapcopy copies Amazon EBS snapshots and watches the copies finish.

Usage:
  snapcopy [flags]                 list snapshots, copy them, watch the copies
  snapcopy watch [--plain] [flags] watch the copies of the state file
  snapcopy copy --region SRC --to DEST [flags] SNAPSHOT-ID...
                                   copy from a script (see snapcopy copy --help)
  snapcopy simulate [flags]        run the EC2 simulator alone (see snapcopy simulate --help)

Flags:
  --profile NAME      AWS profile (default: AWS_PROFILE, else the default profile)
  --region REGION     source Region (default: AWS_REGION, else the profile's region)
  --endpoint-url URL  send EC2 and KMS requests to URL (AWS_ENDPOINT_URL_EC2 also works)
  --demo              run on the built-in EC2 simulator: no AWS account needed
  --page-latency D    with --demo: the simulator answers each DescribeSnapshots
                      page after D (e.g. 500ms), as a busy account on AWS might
  --watch             open on the progress pane
  --plain             with watch: print one line per change instead of the screen
                      (also chosen when standard output is not a terminal);
                      exits 1 when any copy failed
  --output FORMAT     with watch --plain: text (default) or json, one object per
                      line per change of a copy (see README)
  --discover          with watch: first find the copies in flight in every
                      enabled Region (made by snapcopy or not) and follow them too
  --state-file PATH   where copies are recorded (default $XDG_STATE_HOME/snapcopy/copies.json,
                      copies-PROFILE.json for a named profile)
  --no-bell           do not ring the terminal bell when a copy ends
  --version           print the version
  --help              print this help

Credentials follow the AWS CLI: environment, ~/.aws/config profiles (SSO,
assume-role), instance role. Keys on every screen: ? shows them all.
Stopped by SIGINT, SIGTERM or SIGHUP, snapcopy exits 130, 143 or 129.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type flags struct {
	profile, region, endpoint, stateFile string
	demo, watch, plain, noBell, version  bool
	output                               string
	discover                             bool
	pageLatency                          time.Duration
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "simulate" {
		return simulate.Run(context.Background(), args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "copy" {
		return runCopy(args[1:], stdout, stderr)
	}
	var f flags
	if len(args) > 0 && args[0] == "watch" {
		f.watch = true
		args = args[1:]
	}
	fs := flag.NewFlagSet("snapcopy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	// --help prints the usage once, on standard output; a bad flag gets the
	// flag package's one line and a pointer to --help, on standard error.
	fs.Usage = func() {}
	fs.StringVar(&f.profile, "profile", "", "")
	fs.StringVar(&f.region, "region", "", "")
	fs.StringVar(&f.endpoint, "endpoint-url", "", "")
	fs.StringVar(&f.stateFile, "state-file", "", "")
	fs.BoolVar(&f.demo, "demo", false, "")
	fs.DurationVar(&f.pageLatency, "page-latency", 0, "")
	fs.BoolVar(&f.watch, "watch", f.watch, "")
	fs.BoolVar(&f.plain, "plain", false, "")
	fs.BoolVar(&f.noBell, "no-bell", false, "")
	fs.BoolVar(&f.version, "version", false, "")
	fs.StringVar(&f.output, "output", "text", "")
	fs.BoolVar(&f.discover, "discover", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintln(stderr, "snapcopy: see snapcopy --help")
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "snapcopy: unexpected argument %q (see snapcopy --help)\n", fs.Arg(0))
		return 2
	}
	if f.version {
		fmt.Fprintln(stdout, "snapcopy", version.String(stampedVersion))
		return 0
	}
	if f.pageLatency != 0 && (!f.demo || f.pageLatency < 0) {
		fmt.Fprintln(stderr, "snapcopy: --page-latency goes with --demo and is a duration such as 500ms")
		return 2
	}
	if f.output != "text" && f.output != "json" {
		fmt.Fprintf(stderr, "snapcopy: --output %q: must be text or json\n", f.output)
		return 2
	}

	stops := stop.Catch()
	defer stops.Release()
	ctx := stops.Context()

	client, profile, statePath, cleanup, err := connect(ctx, f)
	if err != nil {
		if why := stops.Reason(); why != nil {
			fmt.Fprintln(stderr, stop.Message(why, 0, ""))
			return why.Code
		}
		fmt.Fprintln(stderr, "snapcopy:", err)
		return 2
	}
	defer cleanup()

	unlock, err := model.LockStateFile(statePath)
	if err != nil {
		fmt.Fprintln(stderr, "snapcopy:", err)
		return 2
	}
	defer unlock()

	list, err := model.LoadWatchList(statePath, time.Now())
	var notice string
	var sfe *model.StateFileError
	switch {
	case errors.As(err, &sfe):
		notice = sfe.Error()
		fmt.Fprintln(stderr, "snapcopy:", notice)
	case err != nil:
		fmt.Fprintln(stderr, "snapcopy:", err)
		return 1
	}
	var trackOpts track.TrackerOptions
	if f.demo {
		trackOpts.SettleDelay = demoSettleDelay
	}
	tracker := track.NewTracker(client, list, statePath, trackOpts)
	if f.discover {
		dctx, cancel := context.WithTimeout(ctx, discoverTimeout)
		rep, err := progress.Discover(dctx, client.DiscoverPending, tracker, time.Now())
		cancel()
		if err != nil {
			fmt.Fprintln(stderr, "snapcopy:", err)
			return 1
		}
		for _, line := range rep.Lines() {
			fmt.Fprintln(stderr, "snapcopy:", line)
		}
	}

	if f.plain || !term.IsTerminal(os.Stdout.Fd()) {
		if !f.plain {
			fmt.Fprintln(stderr, "snapcopy: standard output is not a terminal: printing copy progress line by line")
		}
		err := progress.RunFollow(ctx, tracker, progress.Follow{JSON: f.output == "json", Out: stdout, Notes: stderr, Now: time.Now})
		tally := model.TallyOf(tracker.Copies())
		unfinished, failed := tally.Unfinished(), tally.Failed
		if why := stops.Reason(); why != nil && err != nil {
			// Stopped: not a success, and nothing is lost.
			fmt.Fprintln(stderr, stop.Message(why, unfinished, statePath))
			return why.Code
		}
		if err != nil {
			fmt.Fprintln(stderr, "snapcopy:", err)
			return 1
		}
		// Scripts and nohup logs learn from the exit code whether every copy made it.
		if failed > 0 {
			fmt.Fprintf(stderr, "snapcopy: %d of the copies failed\n", failed)
			return 1
		}
		if sfe != nil {
			// Copies kept aside were not followed: this run cannot vouch for
			// them, and the log's last line says where they went.
			fmt.Fprintln(stderr, "snapcopy: not every copy was followed:", notice)
			return 1
		}
		return 0
	}

	theme.Setup()
	app := ui.New(client, tracker, client, ui.Options{
		Region:  client.Region(),
		Profile: profile,
		Watch:   f.watch,
		NoBell:  f.noBell,
		Notice:  notice,
		Context: ctx,
		// Copy again: the form's last requests are kept beside the state file.
		LastRequestsPath: model.LastRequestsPath(statePath),
	})
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithoutSignalHandler()}
	if term.IsTerminal(os.Stdin.Fd()) {
		opts = append(opts, tea.WithInput(stop.TerminalInput{File: os.Stdin, Gone: func() { stops.Stop(stop.TerminalGone) }}))
	}
	p := tea.NewProgram(app, opts...)
	stops.OnStop(func() {
		// Quit lets the screen end as after q; Kill, later, ends it
		// even if it does not (Send never blocks once the program ended).
		time.AfterFunc(stop.TeardownGrace, p.Kill)
		p.Quit()
	})
	_, err = p.Run()
	if why := stops.Reason(); why != nil {
		unfinished := model.TallyOf(tracker.Copies()).Unfinished()
		fmt.Fprintln(stderr, stop.Message(why, unfinished, statePath))
		return why.Code
	}
	if err != nil {
		fmt.Fprintln(stderr, "snapcopy:", err)
		return 1
	}
	return 0
}

// discoverTimeout bounds `watch --discover`'s look across every Region.
const discoverTimeout = 2 * time.Minute

// runCopy is `snapcopy copy`: its flags and work are package copycmd's;
// the connection, the signals and the stop message are shared with watch.
func runCopy(args []string, stdout, stderr io.Writer) int {
	stops := stop.Catch()
	defer stops.Release()
	var trackOpts track.TrackerOptions
	return copycmd.Run(args, copycmd.Env{
		Stdout: stdout, Stderr: stderr, Ctx: stops.Context(),
		Connect: func(ctx context.Context, c copycmd.Connection) (*awsops.Client, string, func(), error) {
			if c.Demo {
				trackOpts.SettleDelay = demoSettleDelay
			}
			client, _, statePath, cleanup, err := connect(ctx, flags{profile: c.Profile, region: c.Region, endpoint: c.Endpoint, stateFile: c.StateFile, demo: c.Demo})
			return client, statePath, cleanup, err
		},
		Stopped: func(unfinished int, statePath string) (string, int, bool) {
			why := stops.Reason()
			if why == nil {
				return "", 0, false
			}
			return stop.Message(why, unfinished, statePath), why.Code, true
		},
		Tracker: func() track.TrackerOptions { return trackOpts },
	})
}

// connect builds the AWS client: on the in-process simulator with --demo,
// else from the AWS CLI's configuration chain. It fails with one sentence
// saying what to set when no Region or no credentials can be found.
func connect(ctx context.Context, f flags) (client *awsops.Client, profile, statePath string, cleanup func(), err error) {
	statePath = f.stateFile
	if f.demo {
		dir := filepath.Dir(model.DefaultStatePath())
		if statePath == "" {
			statePath = filepath.Join(dir, "demo-copies.json")
		}
		// The demo world is kept beside the demo's copies, so a demo quit
		// and started again still finds its copies.
		_, srv, url, err := ec2sim.Listen("127.0.0.1:0", ec2sim.Options{
			TimeScale:     demoTimeScale,
			VisibilityLag: 2 * time.Second,
			StateFile:     filepath.Join(filepath.Dir(statePath), "demo-world.json"),
			PageLatency:   f.pageLatency,
		})
		if err != nil {
			return nil, "", "", nil, fmt.Errorf("start the demo simulator: %w", err)
		}
		client = awsops.NewLocal(url, demoRegion)
		return client, "demo", statePath, func() { srv.Close() }, nil
	}
	client, err = awsops.New(ctx, awsops.Options{Profile: f.profile, Region: f.region, EndpointURL: f.endpoint})
	if err != nil {
		return nil, "", "", nil, err
	}
	if statePath == "" {
		statePath = profileStatePath(client.Profile())
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := client.CheckCredentials(cctx); err != nil {
		return nil, "", "", nil, err
	}
	// A mistyped --region has no endpoint to answer: say so, with the
	// closest Region, instead of retrying a Region that does not exist. When
	// the partition does not answer (denied, unreachable) the first call tells.
	if known, err := client.PartitionRegions(cctx); err == nil && len(known) > 0 &&
		!slices.ContainsFunc(known, func(r model.Region) bool { return r.Name == client.Region() }) {
		return nil, "", "", nil, errors.New("--region " + validate.UnknownRegion(client.Region(), known))
	}
	return client, client.Profile(), statePath, func() {}, nil
}

// profileStatePath keeps each named profile's copies in a file of its own
// (copies-NAME.json beside copies.json): a profile of another account
// cannot see, and so must never poll, the copies of the first.
func profileStatePath(profile string) string {
	path := model.DefaultStatePath()
	if profile == "" || profile == "default" {
		return path
	}
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, profile)
	return filepath.Join(filepath.Dir(path), "copies-"+safe+".json")
}
