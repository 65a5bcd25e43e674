// Package connect reaches AWS for every command: the AWS CLI's
// configuration chain, or the demo's simulator started in the process;
// and the state file each profile keeps its copies in.
package connect

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/profiles"
	"github.com/snapcopy/snapcopy/validate"
)

const (
	demoRegion = "us-west-2"
	// demoTimeScale makes a 100 GiB demo copy finish in about a minute.
	demoTimeScale = 30
	// DemoSettleDelay is past the demo simulator's 2 s visibility lag:
	// the tracker's settle delay with --demo.
	DemoSettleDelay = 5 * time.Second
)

// credentialsTimeout bounds the check of the credentials and the Region:
// a credential_process's own bound and a moment for it to say why it
// ended.
const credentialsTimeout = awsops.DefaultCredentialsTimeout + 2*time.Second

// Connect builds the AWS client: on the in-process simulator with --demo,
// else from the AWS CLI's configuration chain. It fails with one sentence
// saying what to set when no Region or no credentials can be found.
func Connect(ctx context.Context, c cmd.Common) (cmd.Connection, error) {
	statePath := c.StateFile
	if c.Demo {
		dir := filepath.Dir(model.DefaultStatePath())
		if statePath == "" {
			statePath = filepath.Join(dir, "demo-copies.json")
		}
		// The demo's own AWS profiles (demo, and dr in its second account).
		if _, err := profiles.UseDemoFiles(filepath.Dir(statePath)); err != nil {
			return cmd.Connection{}, err
		}
		// The demo world is kept beside the demo's copies, so a demo quit
		// and started again still finds its copies.
		_, srv, url, err := ec2sim.Listen("127.0.0.1:0", ec2sim.Options{
			TimeScale:     demoTimeScale,
			VisibilityLag: 2 * time.Second,
			StateFile:     filepath.Join(filepath.Dir(statePath), "demo-world.json"),
			PageLatency:   c.PageLatency,
		})
		if err != nil {
			return cmd.Connection{}, fmt.Errorf("start the demo simulator: %w", err)
		}
		client := awsops.NewLocal(url, demoRegion)
		client.KeepPrices(model.PricesPath(statePath))
		return cmd.Connection{Client: client, Profile: "demo", StatePath: statePath, Close: func() { srv.Close() }}, nil
	}
	client, err := awsops.New(ctx, awsops.Options{Profile: c.Profile, Region: c.Region, EndpointURL: c.Endpoint})
	if err != nil {
		return cmd.Connection{}, err
	}
	if statePath == "" {
		statePath = profileStatePath(client.Profile())
	}
	cctx, cancel := context.WithTimeout(ctx, credentialsTimeout)
	defer cancel()
	if err := client.CheckCredentials(cctx); err != nil {
		return cmd.Connection{}, err
	}
	// From here on the client is closed by the command (Connection.Close).
	closeOnError := client.Close
	defer func() { closeOnError() }()
	// A mistyped --region has no endpoint to answer: say so, with the
	// closest Region, instead of retrying a Region that does not exist. When
	// the partition does not answer (denied, unreachable) the first call tells.
	if known, err := client.PartitionRegions(cctx); err == nil && len(known) > 0 &&
		!slices.ContainsFunc(known, func(r model.Region) bool { return r.Name == client.Region() }) {
		return cmd.Connection{}, errors.New("--region " + validate.UnknownRegion(client.Region(), known))
	}
	client.KeepPrices(model.PricesPath(statePath))
	closeOnError = func() {}
	return cmd.Connection{Client: client, Profile: client.Profile(), StatePath: statePath, Close: client.Close}, nil
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
