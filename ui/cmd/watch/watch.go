// Package watch is `snapcopy` and `snapcopy watch`: one command that
// follows the copies of the state file, on the screen (package tui: the
// list, the form and the progress pane; watch opens on the pane) or, with
// --plain or output that is not a terminal, line by line (plain mode).
package watch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/cmd/completion"
	"github.com/snapcopy/snapcopy/ui/cmd/connect"
	"github.com/snapcopy/snapcopy/ui/cmd/stop"
	"github.com/snapcopy/snapcopy/ui/cmd/tui"
	"github.com/snapcopy/snapcopy/ui/cmd/version"
	"github.com/snapcopy/snapcopy/ui/progress"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// Command is `snapcopy` (opening on the list) or `snapcopy watch`
// (opening on the progress pane): the same flags, the same state file.
type Command struct {
	watch, plain, noBell, version, discover bool
	output                                  string
	pageLatency, giveUp                     time.Duration
}

// Root is `snapcopy`.
func Root() *Command { return &Command{} }

// New is `snapcopy watch`.
func New() *Command { return &Command{watch: true} }

// Name is how messages name the command (watch is snapcopy's too).
func (c *Command) Name() string { return "snapcopy" }

// Doc describes `snapcopy` or `snapcopy watch`.
func (c *Command) Doc() cmd.Doc {
	if c.watch {
		return watchDoc
	}
	return rootDoc
}

// Flags defines the command's flags.
func (c *Command) Flags(fs *pflag.FlagSet) {
	fs.DurationVar(&c.pageLatency, "page-latency", 0, "with --demo: the simulator answers each DescribeSnapshots page after `D` (500ms, say), as a busy account on AWS might")
	fs.BoolVar(&c.watch, "watch", c.watch, "open on the progress pane")
	fs.BoolVar(&c.plain, "plain", false, "print one line per change instead of the screen (also chosen when standard output is not a terminal); exit 1 when any copy failed")
	fs.StringVar(&c.output, "output", "text", "with --plain, print in `FORMAT`: text, or json (one object per line per change of a copy)")
	completion.Words(fs, "output", "text", "json")
	fs.BoolVar(&c.discover, "discover", false, "first find the copies in flight in every enabled Region (made by snapcopy or not) and follow them too")
	fs.BoolVar(&c.noBell, "no-bell", false, "do not ring the terminal bell when a copy ends")
	fs.BoolVar(&c.version, "version", false, "print the version")
	fs.DurationVar(&c.giveUp, "give-up", cmd.DefaultGiveUp, "with --plain: stop, exit 1, once AWS has given no answer at all for `D` (0: never)")
	if c.watch {
		// `snapcopy watch` opens on the pane anyway; the flag stays
		// accepted, as it always was.
		_ = fs.MarkHidden("watch")
	}
}

// Run follows the copies of the state file on the screen or in lines.
func (c *Command) Run(ctx context.Context, env cmd.Env) int {
	if len(env.Args) > 0 {
		fmt.Fprintf(env.Stderr, "snapcopy: unexpected argument %q (see snapcopy --help)\n", env.Args[0])
		return cmd.ExitUsage
	}
	if c.version {
		fmt.Fprintln(env.Stdout, version.Line(env.Version))
		return cmd.ExitOK
	}
	if c.pageLatency != 0 && (!env.Common.Demo || c.pageLatency < 0) {
		fmt.Fprintln(env.Stderr, "snapcopy: --page-latency goes with --demo and is a duration such as 500ms")
		return cmd.ExitUsage
	}
	if c.output != "text" && c.output != "json" {
		fmt.Fprintf(env.Stderr, "snapcopy: --output %q: must be text or json\n", c.output)
		return cmd.ExitUsage
	}
	if c.giveUp < 0 {
		fmt.Fprintf(env.Stderr, "snapcopy: --give-up %s: must be a duration such as 10m, or 0 to never give up\n", c.giveUp)
		return cmd.ExitUsage
	}
	env.Common.PageLatency = c.pageLatency
	conn, err := env.Connect(ctx, env.Common)
	if err != nil {
		if why := env.Stopped(); why != nil {
			fmt.Fprintln(env.Stderr, stop.Message(why, 0, ""))
			return why.Code
		}
		fmt.Fprintln(env.Stderr, "snapcopy:", err)
		return cmd.ExitUsage
	}
	defer conn.Close()

	unlock, err := model.LockStateFile(conn.StatePath)
	if err != nil {
		fmt.Fprintln(env.Stderr, "snapcopy:", err)
		return cmd.ExitUsage
	}
	defer unlock()

	now := env.Clock()
	list, err := model.LoadWatchList(conn.StatePath, now())
	var notice string
	var sfe *model.StateFileError
	switch {
	case errors.As(err, &sfe):
		notice = sfe.Error()
		fmt.Fprintln(env.Stderr, "snapcopy:", notice)
	case err != nil:
		fmt.Fprintln(env.Stderr, "snapcopy:", err)
		return cmd.ExitFailed
	}
	// Copies into other accounts are made and followed with their
	// destination profiles' credentials.
	accounts, closeAccounts := connect.Accounts(conn.Client)
	defer closeAccounts()
	tracker := track.NewTracker(conn.Client, list, conn.StatePath, track.TrackerOptions{SettleDelay: env.SettleDelay, Accounts: accounts})
	if c.discover {
		rep, err := progress.Discover(ctx, progress.PendingIn(conn.Client), tracker, now())
		if err != nil {
			fmt.Fprintln(env.Stderr, "snapcopy:", err)
			return cmd.ExitFailed
		}
		for _, line := range rep.Lines() {
			fmt.Fprintln(env.Stderr, "snapcopy:", line)
		}
	}

	if c.plain || !isTerminal(env.Stdout) {
		if !c.plain {
			fmt.Fprintln(env.Stderr, "snapcopy: standard output is not a terminal: printing copy progress line by line")
		}
		return c.lines(ctx, env, tracker, conn, notice)
	}
	return tui.Run(ctx, env, tui.Screen{Conn: conn, Tracker: tracker, Watch: c.watch, NoBell: c.noBell, Notice: notice})
}

// lines is plain mode, and its exit code: scripts and nohup logs learn
// from it whether every copy made it.
func (c *Command) lines(ctx context.Context, env cmd.Env, tracker *track.Tracker, conn cmd.Connection, notice string) int {
	statePath := conn.StatePath
	// Notices arrive from the SDK's goroutines while lines are printed.
	env.Stdout, env.Stderr = cmd.Synced(env.Stdout), cmd.Synced(env.Stderr)
	err := Plain{JSON: c.output == "json", Out: env.Stdout, Notes: env.Stderr, Now: env.Now, Notices: conn.Client, GiveUp: c.giveUp}.Follow(ctx, tracker)
	tally := model.TallyOf(tracker.Copies())
	if why := env.Stopped(); why != nil && err != nil {
		// Stopped: not a success, and nothing is lost.
		fmt.Fprintln(env.Stderr, stop.Message(why, tally.Unfinished(), statePath))
		return why.Code
	}
	var gaveUp *track.GiveUpError
	if errors.As(err, &gaveUp) {
		fmt.Fprintf(env.Stderr, "snapcopy: %s; the copies stay in %s (%d unfinished): snapcopy watch goes on with them\n", textsafe.Clean(err.Error()), statePath, tally.Unfinished())
		return cmd.ExitFailed
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "snapcopy:", err)
		return cmd.ExitFailed
	}
	if tally.Failed > 0 {
		fmt.Fprintf(env.Stderr, "snapcopy: %d of the copies failed\n", tally.Failed)
		return cmd.ExitFailed
	}
	if notice != "" {
		// Copies kept aside were not followed: this run cannot vouch for
		// them, and the log's last line says where they went.
		fmt.Fprintln(env.Stderr, "snapcopy: not every copy was followed:", notice)
		return cmd.ExitFailed
	}
	return cmd.ExitOK
}

// isTerminal reports whether w is a terminal: a screen can be drawn there.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
