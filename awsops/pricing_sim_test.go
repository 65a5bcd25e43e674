package awsops_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
)

// With pricing:GetProducts allowed, the rates of a Region pair are the
// Price List's: the data transfer from the source Region, the snapshot
// storage in the destination (the simulator's list prices: us-west-2 to
// eu-central-1 $0.02 per GB, storage in eu-central-1 $0.054 per GB-month),
// and the time-based fee tiers it lists.
func TestCopyRatesFromThePriceList(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1})
	r, err := c.CopyRates(context.Background(), "us-west-2", "eu-central-1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Transfer != (model.Rate{USD: 0.02, Source: model.FromPriceList}) || r.Storage != (model.Rate{USD: 0.054, Source: model.FromPriceList}) {
		t.Errorf("transfer %+v, storage %+v; want the Price List's $0.02 and $0.054", r.Transfer, r.Storage)
	}
	if r.Missing != "" {
		t.Errorf("missing %q, want nothing", r.Missing)
	}
	if rate, _ := r.TimeBasedRate(15); rate != (model.Rate{USD: 0.020, Source: model.FromPriceList}) {
		t.Errorf("time-based fee at 15 minutes %+v, want the Price List's $0.020", rate)
	}
	if len(r.TimeBased) != len(model.PublishedFeeTable()) {
		t.Errorf("%d time-based tiers read, want %d", len(r.TimeBased), len(model.PublishedFeeTable()))
	}
	// Asked in us-east-1, where the API answers; once for the day.
	if _, err := c.CopyRates(context.Background(), "us-west-2", "eu-central-1"); err != nil {
		t.Fatal(err)
	}
	if n := srv.Count("GetProducts", "us-east-1"); n != 2 {
		t.Errorf("%d GetProducts in us-east-1 for two asks of one pair, want 2 (storage, transfer) once", n)
	}

	// Within a Region: storage only, no transfer asked.
	within, err := c.CopyRates(context.Background(), "us-west-2", "us-west-2")
	if err != nil || within.Transfer.Known() || within.Storage.USD != 0.05 {
		t.Errorf("within us-west-2: %+v %v", within, err)
	}
}

// A Region the Price List has no prices for: the rates say what is not
// listed, and the time-based fee falls back to the published table.
func TestCopyRatesNotListed(t *testing.T) {
	_, _, c := simClient(t, ec2sim.Options{Seed: 1})
	r, err := c.CopyRates(context.Background(), "us-west-2", "ca-central-1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Transfer.Known() || r.Storage.Known() || len(r.TimeBased) != 0 {
		t.Errorf("rates %+v, want none known", r)
	}
	if want := "the AWS Price List lists no snapshot storage in ca-central-1 and no data transfer from us-west-2 to ca-central-1"; r.Missing != want {
		t.Errorf("missing %q, want %q", r.Missing, want)
	}
	if rate, _ := r.TimeBasedRate(15); rate.Source != model.FromPublishedTable || rate.USD != 0.020 {
		t.Errorf("time-based fee %+v, want the published table's $0.020", rate)
	}
}

// Without pricing:GetProducts (the deny knob answers AccessDeniedException)
// the rates are quantities only, saying why, the time-based fee is the
// published table's, and the refusal is not asked again that day.
func TestCopyRatesDenied(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1})
	srv.SetFaults(ec2sim.Faults{DenyPermission: true, Actions: []string{"GetProducts"}})
	r, err := c.CopyRates(context.Background(), "us-west-2", "us-east-1")
	ae, ok := model.AsAPIError(err)
	if !ok || ae.Kind != model.ErrPermission || ae.Code != "AccessDeniedException" {
		t.Fatalf("error %v, want AccessDeniedException as a permission error", err)
	}
	if r.Transfer.Known() || r.Storage.Known() || r.SourceRegion != "us-west-2" || r.DestinationRegion != "us-east-1" {
		t.Errorf("rates %+v, want quantities only", r)
	}
	if !strings.Contains(r.Missing, "may not read the AWS Price List (pricing:GetProducts: AccessDeniedException)") {
		t.Errorf("missing %q does not say why", r.Missing)
	}
	if rate, _ := r.TimeBasedRate(15); rate != (model.Rate{USD: 0.020, Source: model.FromPublishedTable}) {
		t.Errorf("time-based fee %+v, want the published table's", rate)
	}
	n := srv.Count("GetProducts", "us-east-1")
	if _, err := c.CopyRates(context.Background(), "us-west-2", "us-east-1"); err == nil {
		t.Error("the second ask forgot the refusal")
	}
	if again := srv.Count("GetProducts", "us-east-1"); again != n {
		t.Errorf("a refusal was asked again: %d GetProducts, then %d", n, again)
	}
}

// The day's answers are kept in the file beside the state file: a new
// client (the next snapcopy) reads them without asking; the next day it
// asks again.
func TestCopyRatesKeptForTheDay(t *testing.T) {
	srv, url := newSim(t, ec2sim.Options{Seed: 1})
	path := filepath.Join(t.TempDir(), "prices.json")
	day := time.Date(2026, 12, 7, 23, 0, 0, 0, time.UTC)
	client := func() *awsops.Client {
		c := newClient(t, url, "us-west-2")
		c.KeepPrices(path)
		awsops.SetPriceClock(c, func() time.Time { return day })
		return c
	}
	first, err := client().CopyRates(context.Background(), "us-west-2", "eu-central-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the prices are not kept: %v", err)
	}
	asked := srv.Count("GetProducts", "us-east-1")
	second, err := client().CopyRates(context.Background(), "us-west-2", "eu-central-1")
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Count("GetProducts", "us-east-1"); got != asked {
		t.Errorf("the next client asked again (%d GetProducts, then %d)", asked, got)
	}
	if second.Transfer != first.Transfer || second.Storage != first.Storage || len(second.TimeBased) != len(first.TimeBased) {
		t.Errorf("kept %+v, asked %+v", second, first)
	}
	day = day.Add(2 * time.Hour) // the next day, UTC
	if _, err := client().CopyRates(context.Background(), "us-west-2", "eu-central-1"); err != nil {
		t.Fatal(err)
	}
	if got := srv.Count("GetProducts", "us-east-1"); got != asked+2 {
		t.Errorf("the next day: %d GetProducts, want %d", got, asked+2)
	}
}
