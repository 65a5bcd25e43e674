package copy

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/cmd"
)

// bigSnap is a completed snapshot of 1,500 GiB (of a 2,000 GiB volume) in
// us-west-2, with no earlier copy anywhere: a copy of it is full.
var bigSnap = model.Snapshot{
	ID: "snap-0b1b2b3b4b5b6b7b8", VolumeID: "vol-0b1b2b3b4b5b6b7b8", VolumeSizeGiB: 2000, FullSizeBytes: 1500 << 30,
	State: model.StateCompleted, Progress: 100, StorageTier: model.TierStandard, OwnerID: ec2sim.AccountID,
	StartTime: time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC), Tags: []model.Tag{{Key: "Name", Value: "dwh"}},
}

// dryRunJSON runs `snapcopy copy ARGS --dry-run --output json` in the
// process, on the simulator through the real SDK, and returns its lines.
func dryRunJSON(t *testing.T, faults *ec2sim.Faults, args ...string) ([]DryRunLine, []map[string]any, string, int) {
	t.Helper()
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, NoSeedWorld: true, VisibilityLag: -1}})
	simtest.Add(s.Server, "us-west-2", bigSnap)
	if faults != nil {
		s.Server.SetFaults(*faults)
	}
	var common cmd.Common
	c := New()
	fs := pflag.NewFlagSet("snapcopy copy", pflag.ContinueOnError)
	common.Define(fs)
	c.Flags(fs)
	if err := fs.Parse(append(args, "--dry-run", "--output", "json", bigSnap.ID)); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	state := filepath.Join(t.TempDir(), "copies.json")
	code := c.Run(context.Background(), cmd.Env{
		Stdout: &out, Stderr: &errOut, Args: fs.Args(), Common: common,
		Connect: func(context.Context, cmd.Common) (cmd.Connection, error) {
			return cmd.Connection{Client: s.Client, StatePath: state, Close: func() {}}, nil
		},
	})
	var lines []DryRunLine
	var raw []map[string]any
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var l DryRunLine
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %q is not a JSON object: %v", sc.Text(), err)
		}
		json.Unmarshal(sc.Bytes(), &m)
		lines, raw = append(lines, l), append(raw, m)
	}
	if n := len(s.Server.Requests("CopySnapshot")); n != len(lines)-1 {
		t.Errorf("%d CopySnapshot for %d copies", n, len(lines)-1)
	}
	for _, r := range s.Server.Requests("CopySnapshot") {
		if r.Params.Get("DryRun") != "true" {
			t.Errorf("a CopySnapshot that is not a dry run: %v", r.Params)
		}
	}
	return lines, raw, errOut.String(), code
}

// A full copy of 1,500 GiB in 15 minutes: one line for the copy and one
// for the batch, each with the time-based fee of AWS's table at 15
// minutes ($0.020 per GiB: $30) and beside it the next cheaper tier that
// fits (one copy at 500 MiB/s needs 52 minutes: 1 hour, $0.016, $24);
// with the Price List, the transfer and storage are its figures.
func TestDryRunJSONEstimate(t *testing.T) {
	lines, raw, errOut, code := dryRunJSON(t, nil, "--region", "us-west-2", "--to", "us-east-1", "--duration", "15")
	if code != cmd.ExitOK || len(lines) != 2 {
		t.Fatalf("exit %d, %d lines; stderr %s", code, len(lines), errOut)
	}
	cp, batch := lines[0], lines[1]
	if cp.Kind != "copy" || cp.SourceSnapshot != bigSnap.ID || cp.DryRun == nil || !cp.DryRun.Allowed || cp.Destination != "us-east-1" {
		t.Errorf("the copy's line: %+v", cp)
	}
	if batch.Kind != "batch" || batch.Copies != 1 || batch.DryRun != nil {
		t.Errorf("the batch's line: %+v", batch)
	}
	for _, l := range lines {
		e := l.Estimate
		if e == nil {
			t.Fatalf("%s line without an estimate", l.Kind)
		}
		if e.Currency != "USD" || e.Minutes != 15 || e.CopiedGiB != 1500 || e.StoredGiB != 1500 || e.AtMost || !e.BetweenRegions {
			t.Errorf("%s: quantities %+v", l.Kind, e)
		}
		// The simulator's Price List lists the time-based fee at the
		// table's price: its figure, the same $30.
		checkCharge(t, l.Kind+" time-based fee", e.TimeBasedFee, 1500, 0.020, 30, "price-list")
		checkCharge(t, l.Kind+" cheaper fit", e.CheaperFit, 1500, 0.016, 24, "price-list")
		if e.CheaperFit != nil && e.CheaperFit.Minutes != 60 {
			t.Errorf("%s: the cheaper fit is at %d minutes, want 60", l.Kind, e.CheaperFit.Minutes)
		}
		checkCharge(t, l.Kind+" transfer", e.Transfer, 1500, 0.02, 30, "price-list")
		checkCharge(t, l.Kind+" storage", &e.Storage, 1500, 0.05, 75, "price-list")
		if e.NotPriced != "" {
			t.Errorf("%s: not priced because %q", l.Kind, e.NotPriced)
		}
	}
	if cp.Estimate.Copy != "full" || batch.Estimate.Copy != "" {
		t.Errorf("copy %q, batch %q; want full, and none for the batch", cp.Estimate.Copy, batch.Estimate.Copy)
	}
	if _, ok := raw[0]["estimate"].(map[string]any)["storage_per_month"]; !ok {
		t.Errorf("the line lacks estimate.storage_per_month: %v", raw[0])
	}
}

// Without pricing:GetProducts the time-based fee (and the cheaper tier's)
// is AWS's published table's, named so; the transfer and storage are GiB
// only, saying why.
func TestDryRunJSONWithoutPriceListAccess(t *testing.T) {
	lines, raw, errOut, code := dryRunJSON(t, &ec2sim.Faults{DenyPermission: true, Actions: []string{"GetProducts"}},
		"--region", "us-west-2", "--to", "us-east-1", "--duration", "15")
	if code != cmd.ExitOK || len(lines) != 2 {
		t.Fatalf("exit %d, %d lines; stderr %s", code, len(lines), errOut)
	}
	for i, l := range lines {
		e := l.Estimate
		checkCharge(t, l.Kind+" time-based fee", e.TimeBasedFee, 1500, 0.020, 30, "published-table")
		if e.TimeBasedFee.SourceName != "AWS's published table, "+model.PublishedTableRead {
			t.Errorf("%s: the fee's source is named %q", l.Kind, e.TimeBasedFee.SourceName)
		}
		checkCharge(t, l.Kind+" cheaper fit", e.CheaperFit, 1500, 0.016, 24, "published-table")
		checkCharge(t, l.Kind+" transfer", e.Transfer, 1500, 0, 0, "none")
		checkCharge(t, l.Kind+" storage", &e.Storage, 1500, 0, 0, "none")
		if !strings.Contains(e.NotPriced, "pricing:GetProducts: AccessDeniedException") {
			t.Errorf("%s: not priced because %q", l.Kind, e.NotPriced)
		}
		transfer := raw[i]["estimate"].(map[string]any)["transfer"].(map[string]any)
		if _, ok := transfer["usd"]; ok {
			t.Errorf("%s: an unpriced transfer has an amount: %v", l.Kind, transfer)
		}
	}
}

// checkCharge checks a line of an estimate; rate 0 means not priced.
func checkCharge(t *testing.T, what string, c *ChargeJSON, gib, rate, usd float64, source string) {
	t.Helper()
	switch {
	case c == nil:
		t.Errorf("%s: missing", what)
	case c.GiB != gib || c.Source != source:
		t.Errorf("%s: %v GiB from %q, want %v GiB from %q", what, c.GiB, c.Source, gib, source)
	case rate == 0 && (c.USD != nil || c.USDPerGiB != nil):
		t.Errorf("%s: priced (%+v), want not priced", what, c)
	case rate != 0 && (c.USD == nil || c.USDPerGiB == nil || *c.USDPerGiB != rate || *c.USD != usd):
		t.Errorf("%s: %+v, want %v GiB × %v = %v", what, c, gib, rate, usd)
	}
}
