// Command snapcopy copies Amazon EBS snapshots and watches the copies finish.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui"
	"github.com/snapcopy/snapcopy/ui/progress"
	"github.com/snapcopy/snapcopy/ui/theme"
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "dev"

const (
	demoRegion = "us-west-2"
	// demoTimeScale makes a 100 GiB demo copy finish in about a minute.
	demoTimeScale = 30
)

const usage = `snapcopy copies Amazon EBS snapshots and watches the copies finish.

Usage:
  snapcopy [flags]                 list snapshots, copy them, watch the copies
  snapcopy watch [--plain] [flags] watch the copies of the state file
  snapcopy simulate [flags]        run the EC2 simulator alone (see snapcopy simulate --help)

Flags:
  --profile NAME      AWS profile (default: AWS_PROFILE, else the default profile)
  --region REGION     source Region (default: AWS_REGION, else the profile's region)
  --endpoint-url URL  send EC2 and KMS requests to URL (AWS_ENDPOINT_URL_EC2 also works)
  --demo              run on the built-in EC2 simulator: no AWS account needed
  --watch             open on the progress pane
  --plain             with watch: print one line per change instead of the screen
                      (also chosen when standard output is not a terminal);
                      exits 1 when any copy failed
  --state-file PATH   where copies are recorded (default $XDG_STATE_HOME/snapcopy/copies.json,
                      copies-PROFILE.json for a named profile)
  --no-bell           do not ring the terminal bell when a copy ends
  --version           print the version
  --help              print this help

Credentials follow the AWS CLI: environment, ~/.aws/config profiles (SSO,
assume-role), instance role. Keys on every screen: ? shows them all.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type flags struct {
	profile, region, endpoint, stateFile string
	demo, watch, plain, noBell, version  bool
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "simulate" {
		return ec2sim.Main(args[1:], stdout, stderr)
	}
	var f flags
	if len(args) > 0 && args[0] == "watch" {
		f.watch = true
		args = args[1:]
	}
	fs := flag.NewFlagSet("snapcopy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	fs.StringVar(&f.profile, "profile", "", "")
	fs.StringVar(&f.region, "region", "", "")
	fs.StringVar(&f.endpoint, "endpoint-url", "", "")
	fs.StringVar(&f.stateFile, "state-file", "", "")
	fs.BoolVar(&f.demo, "demo", false, "")
	fs.BoolVar(&f.watch, "watch", f.watch, "")
	fs.BoolVar(&f.plain, "plain", false, "")
	fs.BoolVar(&f.noBell, "no-bell", false, "")
	fs.BoolVar(&f.version, "version", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "snapcopy: unexpected argument %q (see snapcopy --help)\n", fs.Arg(0))
		return 2
	}
	if f.version {
		fmt.Fprintln(stdout, "snapcopy", version)
		return 0
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	client, profile, statePath, cleanup, err := connect(ctx, f)
	if err != nil {
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
	tracker := awsops.NewTracker(client, list, statePath, awsops.TrackerOptions{})

	if f.plain || !term.IsTerminal(os.Stdout.Fd()) {
		if !f.plain {
			fmt.Fprintln(stderr, "snapcopy: standard output is not a terminal: printing copy progress line by line")
		}
		if err := progress.RunPlain(ctx, tracker, stdout, time.Now); err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "snapcopy:", err)
			return 1
		}
		unfinished, failed := tally(tracker.Copies())
		if ctx.Err() != nil && unfinished > 0 {
			// Stopped by a signal: not a success, and nothing is lost.
			fmt.Fprintf(stderr, "snapcopy: stopped before every copy ended (%d unfinished); they stay in %s and `snapcopy watch` resumes them\n", unfinished, statePath)
			return 130
		}
		// Scripts and nohup logs learn from the exit code whether every copy made it.
		if failed > 0 {
			fmt.Fprintf(stderr, "snapcopy: %d of the copies failed\n", failed)
			return 1
		}
		return 0
	}

	theme.Setup()
	app := ui.New(client, tracker, ui.Options{
		Region:  client.Region(),
		Profile: profile,
		Watch:   f.watch,
		NoBell:  f.noBell,
		Notice:  notice,
	})
	p := tea.NewProgram(app, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(stderr, "snapcopy:", err)
		return 1
	}
	return 0
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
		})
		if err != nil {
			return nil, "", "", nil, fmt.Errorf("start the demo simulator: %w", err)
		}
		client = awsops.NewLocal(url, demoRegion)
		client.SetSettleDelay(5 * time.Second)
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
	return client, client.Profile(), statePath, func() {}, nil
}

// tally counts the copies not yet ended and the ones that failed.
func tally(copies []model.Copy) (unfinished, failed int) {
	for _, c := range copies {
		switch {
		case !c.Phase.Done():
			unfinished++
		case c.Phase == model.PhaseFailed:
			failed++
		}
	}
	return unfinished, failed
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
