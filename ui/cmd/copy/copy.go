package copy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/cmd/stop"
	"github.com/snapcopy/snapcopy/ui/textsafe"
	"github.com/snapcopy/snapcopy/validate"
)

// lookupTimeout bounds the look-ups before anything is sent.
const lookupTimeout = time.Minute

// startBound is how long `copy` without --wait steps the tracker for an
// answer to each CopySnapshot before it leaves the rest queued (saved in
// the state file, for `snapcopy watch` to send).
const startBound = 2 * time.Minute

// Command is `snapcopy copy`.
type Command struct{ o options }

// New is `snapcopy copy`.
func New() *Command { return &Command{} }

// Name is how messages name the command.
func (c *Command) Name() string { return "snapcopy copy" }

// Doc describes `snapcopy copy`.
func (c *Command) Doc() cmd.Doc { return doc }

// Flags defines the flags of `snapcopy copy`.
func (c *Command) Flags(fs *pflag.FlagSet) { c.o.define(fs) }

// Run is `snapcopy copy`, its flags read; it returns the exit code.
func (c *Command) Run(ctx context.Context, env cmd.Env) int {
	if err := c.o.check(env.Args); err != nil {
		fmt.Fprintln(env.Stderr, "snapcopy copy:", err)
		return cmd.ExitUsage
	}
	r := &run{o: c.o, env: env, ctx: ctx, now: env.Clock()}
	return r.run()
}

// run is one run of `snapcopy copy`.
type run struct {
	o   options
	env cmd.Env
	// ctx is canceled by SIGINT, SIGTERM or SIGHUP: no CopySnapshot is
	// sent after it.
	ctx       context.Context
	now       func() time.Time
	client    *awsops.Client
	statePath string
	// cross is a copy into another account (--to-profile, accountflags.go).
	cross         *crossRun
	closeAccounts func()
}

// lookupBound bounds the look-ups before anything is sent: a minute, or
// --give-up when shorter.
func (c *run) lookupBound() time.Duration {
	if c.o.giveUp > 0 {
		return min(lookupTimeout, c.o.giveUp)
	}
	return lookupTimeout
}

func (c *run) say(format string, args ...any) {
	fmt.Fprintf(c.env.Stderr, "snapcopy copy: "+format+"\n", args...)
}

// stopped reports a stop signal with its exit code, and says so.
func (c *run) stopped(unfinished int) (int, bool) {
	why := c.env.Stopped()
	if why == nil {
		return 0, false
	}
	fmt.Fprintln(c.env.Stderr, stop.Message(why, unfinished, c.statePath))
	return why.Code, true
}

func (c *run) run() int {
	conn, err := c.env.Connect(c.ctx, c.env.Common)
	if err != nil {
		if code, ok := c.stopped(0); ok {
			return code
		}
		c.say("%v", err)
		return cmd.ExitUsage
	}
	defer conn.Close()
	c.client, c.statePath = conn.Client, conn.StatePath
	// What the client says while a call is under way ("no answer from
	// ec2.us-east-1 for 20 s, retrying") comes from the SDK's goroutines.
	c.env.Stderr = cmd.Synced(c.env.Stderr)
	c.client.OnNotice(func(text string) { c.say("%s", textsafe.Clean(text)) })
	defer c.client.OnNotice(nil)

	ctx, cancel := context.WithTimeout(c.ctx, c.lookupBound())
	err = c.openDestination(ctx)
	cancel()
	if c.cross != nil {
		defer c.cross.profiles.Close()
	}
	if err != nil {
		if code, ok := c.stopped(0); ok {
			return code
		}
		c.say("%s", textsafe.Clean(err.Error()))
		return cmd.ExitUsage
	}
	ctx, cancel = context.WithTimeout(c.ctx, c.lookupBound())
	sources, facts, err := c.lookUp(ctx)
	cancel()
	if err != nil {
		if code, ok := c.stopped(0); ok {
			return code
		}
		c.say("%s", textsafe.Clean(err.Error()))
		if ae, ok := model.AsAPIError(err); ok && (ae.Kind == model.ErrInvalid || ae.Kind == model.ErrNotFound) {
			return cmd.ExitUsage // a source that does not exist is a bad argument
		}
		return cmd.ExitFailed
	}
	res := validate.Check(sources, facts, c.o.form(), c.now())
	if code, ok := c.judge(res); !ok {
		return code
	}
	reqs := res.Requests
	ctx, cancel = context.WithTimeout(c.ctx, c.lookupBound())
	code, ok := c.planCross(ctx, reqs, sources)
	cancel()
	if !ok {
		if code, ok := c.stopped(0); ok {
			return code
		}
		return code
	}
	if isDLM(c.o.output) {
		return c.dlm(reqs, sources)
	}
	if c.o.dryRun {
		if code, ok := c.dryRunOutput(res, sources, facts); ok {
			return code
		}
		return c.dryRun(reqs)
	}
	return c.start(reqs, sources)
}

// judge prints the validator's findings: every error (exit 2, nothing
// sent), and the warnings and skipped sources, which do not stop the copy.
func (c *run) judge(res validate.Result) (int, bool) {
	bad := false
	for _, p := range res.Problems {
		if p.Severity != validate.Error {
			continue
		}
		bad = true
		if len(p.Snapshots) == 0 {
			c.say("%s: %s", p.Field, textsafe.Clean(p.Message))
			continue
		}
		// A reason standing for several sources: one line for each, naming it.
		for _, s := range res.Skipped {
			if slices.Contains(p.Snapshots, s.Snapshot.ID) {
				c.say("%s: %s: %s", p.Field, textsafe.Clean(s.Snapshot.ID), textsafe.Clean(s.Reason))
			}
		}
	}
	if bad {
		c.say("nothing was sent")
		return cmd.ExitUsage, false
	}
	for _, p := range res.Problems {
		c.say("warning: %s: %s", p.Field, textsafe.Clean(p.Message))
	}
	for _, s := range res.Skipped {
		c.say("skipped %s: %s", textsafe.Clean(s.Snapshot.ID), textsafe.Clean(s.Reason))
	}
	if len(res.Requests) == 0 {
		c.say("source: no snapshot can be copied there; nothing was sent")
		return cmd.ExitUsage, false
	}
	return 0, true
}

// lookUp reads the sources and what the validator needs to know of the
// destination: the Regions, the Local Zones, the encryption default and
// the KMS aliases of the destination Region.
func (c *run) lookUp(ctx context.Context) ([]model.Snapshot, model.DestinationFacts, error) {
	var facts model.DestinationFacts
	region := c.client.Region()
	var sources []model.Snapshot
	var err error
	if c.o.filter != "" {
		name, values, _ := splitFilter(c.o.filter)
		sources, err = c.client.SnapshotsFiltered(ctx, region, name, values)
		if err == nil && len(sources) == 0 {
			return nil, facts, fmt.Errorf("source: no snapshot of %s matches --filter %s", region, c.o.filter)
		}
	} else {
		sources, err = c.client.SnapshotsByID(ctx, region, c.o.ids)
	}
	if err != nil {
		return nil, facts, fmt.Errorf("source: read the snapshots in %s: %w", region, err)
	}
	if facts.Regions, err = c.client.Regions(ctx); err != nil {
		return nil, facts, fmt.Errorf("list the Regions: %w", err)
	}
	dest := c.destinationRegion(facts.Regions)
	if c.o.outpost != "" {
		facts.Outposts = []string{c.o.outpost}
	}
	if r, ok := facts.RegionByName(dest); !ok || !r.Enabled() {
		// Not a Region of the account (mistyped, not enabled): asking it
		// anything only fails on credentials there. The validator names
		// what is wrong, with the Region meant.
		return sources, facts, nil
	}
	if c.o.localZone != "" {
		if facts.LocalZones, err = c.client.LocalZones(ctx, dest); err != nil {
			return nil, facts, fmt.Errorf("list the Local Zones of %s: %w", dest, err)
		}
	}
	// The encryption default and the aliases sharpen the checks; without
	// them the validator treats them as unknown, as the form does.
	if def, err := c.destClient().EncryptionDefault(ctx, dest); err != nil {
		c.say("warning: could not read the encryption default of %s: %s", dest, textsafe.Clean(model.Explain(err, model.Brief())))
	} else {
		facts.Encryption = map[string]model.EncryptionDefault{dest: def}
	}
	if aliases, err := c.destClient().KMSAliases(ctx, dest); err != nil {
		c.say("warning: could not list the KMS aliases of %s: %s", dest, textsafe.Clean(model.Explain(err, model.Brief())))
	} else {
		facts.Aliases = map[string][]model.KMSAlias{dest: aliases}
	}
	c.describeKey(ctx, region, dest, &facts)
	return sources, facts, nil
}

// describeKey asks DescribeKey about --kms-key as the form does: in the
// destination Region and, for a key id not found there, in the source
// Region; the validator warns of a key the copy cannot use.
func (c *run) describeKey(ctx context.Context, src, dest string, facts *model.DestinationFacts) {
	key := strings.TrimSpace(c.o.kmsKey)
	if !validate.DescribeFirst(key, dest, *facts) {
		return
	}
	facts.Keys = map[string]model.KMSKey{}
	for _, region := range []string{dest, validate.AlsoDescribeIn(key, src, dest)} {
		if region == "" {
			return
		}
		k, err := c.destClient().DescribeKMSKey(ctx, region, key)
		if err != nil {
			c.say("warning: could not check KMS key %s in %s: %s", textsafe.Clean(key), region, textsafe.Clean(model.Explain(err, model.Brief())))
			return
		}
		facts.Keys[model.KeyFact(region, key)] = k
		if k.Found {
			return
		}
	}
}

// destinationRegion is the Region the request goes to: --to, a Local
// Zone's parent (the Region its name starts with) or the Outpost ARN's.
func (c *run) destinationRegion(regions []model.Region) string {
	switch {
	case c.o.localZone != "":
		best := ""
		for _, r := range regions {
			if strings.HasPrefix(c.o.localZone, r.Name+"-") && len(r.Name) > len(best) {
				best = r.Name
			}
		}
		if best == "" {
			return c.o.to
		}
		return best
	case c.o.outpost != "":
		if parts := strings.Split(c.o.outpost, ":"); len(parts) > 3 && parts[3] != "" {
			return parts[3]
		}
		return c.o.to
	}
	return c.o.to
}

// dryRun prints the AWS CLI commands (--output cli), or asks AWS whether
// each copy would be allowed. Nothing is copied.
func (c *run) dryRun(reqs []model.CopyRequest) int {
	if c.o.output == "cli" {
		for _, r := range reqs {
			r.DryRun = false
			fmt.Fprintln(c.env.Stdout, r.CLICommand())
		}
		return cmd.ExitOK
	}
	code := 0
	for _, r := range reqs {
		ctx, cancel := context.WithTimeout(c.ctx, c.lookupBound())
		res, err := c.client.DryRun(ctx, r)
		cancel()
		what := fmt.Sprintf("%s -> %s", r.SourceSnapshotID, r.Destination().Short())
		switch {
		case err != nil:
			if code, ok := c.stopped(0); ok {
				return code
			}
			fmt.Fprintf(c.env.Stdout, "%s: dry run failed: %s\n", what, textsafe.Clean(model.Explain(err, model.Brief())))
			code = cmd.ExitFailed
		case !res.Allowed:
			fmt.Fprintf(c.env.Stdout, "%s: %s\n", what, textsafe.Clean(res.Message))
			code = cmd.ExitFailed
		default:
			fmt.Fprintf(c.env.Stdout, "%s: %s\n", what, textsafe.Clean(res.Message))
		}
	}
	return code
}
