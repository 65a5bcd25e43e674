package model

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// AWS's table, as its page gives it: every duration from 15 minutes to 48
// hours in 15-minute steps falls in exactly one tier, at the page's price.
func TestPublishedFeeTable(t *testing.T) {
	want := func(m int32) float64 {
		switch {
		case m == 15:
			return 0.020
		case m <= 45:
			return 0.018
		case m <= 105:
			return 0.016
		case m <= 225:
			return 0.014
		case m <= 465:
			return 0.012
		case m <= 945:
			return 0.010
		}
		return 0.005
	}
	for m := int32(15); m <= 2880; m += 15 {
		r, ok := Rates{}.TimeBasedRate(m)
		if !ok || r.USD != want(m) || r.Source != FromPublishedTable {
			t.Errorf("%d minutes: %+v %v, want $%.3f from the published table", m, r, ok, want(m))
		}
	}
	for _, m := range []int32{0, 10, 50, 2895} {
		if r, ok := (Rates{}).TimeBasedRate(m); ok {
			t.Errorf("%d minutes is in no tier, got %+v", m, r)
		}
	}
}

// A tier the Price List gives wins over the published table; the others
// stay the table's.
func TestTimeBasedRatePrefersThePriceList(t *testing.T) {
	r := Rates{TimeBased: []FeeTier{{15, 15, 0.021}}}
	if got, _ := r.TimeBasedRate(15); got != (Rate{USD: 0.021, Source: FromPriceList}) {
		t.Errorf("15 minutes: %+v, want the Price List's $0.021", got)
	}
	if got, _ := r.TimeBasedRate(30); got != (Rate{USD: 0.018, Source: FromPublishedTable}) {
		t.Errorf("30 minutes: %+v, want the published table's $0.018", got)
	}
}

func TestCheaperFit(t *testing.T) {
	cases := []struct {
		minutes, fit int32
		want         int32
		ok           bool
	}{
		{15, 15, 30, true},     // fits at 15: the next tier's shortest
		{15, 45, 45, true},     // fits only from 45: still in the next tier
		{15, 60, 60, true},     // fits only from 60: the first cheaper tier that fits
		{15, 500, 500, true},   // far over the quota: 8 h 20 min, in the $0.010 tier
		{30, 15, 60, true},     // 30-45 min: the next is 1 h
		{45, 15, 60, true},     //
		{120, 15, 240, true},   //
		{480, 15, 960, true},   // 8 h: the next is 16 h
		{960, 15, 0, false},    // the cheapest tier
		{2880, 15, 0, false},   //
		{15, 0, 0, false},      // no duration fits
		{50, 15, 0, false},     // in no tier
		{15, 2880, 2880, true}, // fits only at the longest
	}
	for _, c := range cases {
		got, ok := CheaperFit(c.minutes, c.fit)
		if got != c.want || ok != c.ok {
			t.Errorf("CheaperFit(%d, fit %d) = %d, %v; want %d, %v", c.minutes, c.fit, got, ok, c.want, c.ok)
		}
	}
}

func TestFormatUSD(t *testing.T) {
	for v, want := range map[float64]string{
		0: "$0.00", 0.004: "under $0.01", 0.005: "$0.01", 2.64: "$2.64", 40: "$40.00",
		1234.565: "$1,234.57", 1e6: "$1,000,000.00", 999.999: "$1,000.00",
	} {
		if got := FormatUSD(v); got != want {
			t.Errorf("FormatUSD(%v) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]string{0.02: "$0.020", 0.005: "$0.005", 0.0125: "$0.0125", 0.054: "$0.054", 1: "$1.000"} {
		if got := FormatRate(v); got != want {
			t.Errorf("FormatRate(%v) = %q, want %q", v, got, want)
		}
	}
}

const gib = int64(1) << 30

// A full copy moves and stores its FullSnapshotSizeInBytes; an incremental
// one, or one not known to be full, at most that; a snapshot without a
// full size counts its volume's, as an upper bound.
func TestCopyQuantities(t *testing.T) {
	src := Snapshot{ID: "snap-1", Region: "us-west-2", VolumeSizeGiB: 500, FullSizeBytes: 132 * gib}
	cases := []struct {
		name   string
		src    Snapshot
		dest   string
		extent CopyExtent
		want   Quantities
	}{
		{"full", src, "us-east-1", ExtentFull, Quantities{CopiedBytes: 132 * gib, BetweenRegions: true, StoredBytes: 132 * gib}},
		{"incremental", src, "us-east-1", ExtentIncremental, Quantities{CopiedBytes: 132 * gib, BetweenRegions: true, StoredBytes: 132 * gib, AtMost: true}},
		{"unknown", src, "us-east-1", ExtentUnknown, Quantities{CopiedBytes: 132 * gib, BetweenRegions: true, StoredBytes: 132 * gib, AtMost: true}},
		{"same Region", src, "us-west-2", ExtentFull, Quantities{CopiedBytes: 132 * gib, StoredBytes: 132 * gib}},
		{"no full size", Snapshot{Region: "us-west-2", VolumeSizeGiB: 8}, "us-east-1", ExtentFull, Quantities{CopiedBytes: 8 * gib, BetweenRegions: true, StoredBytes: 8 * gib, AtMost: true}},
	}
	for _, c := range cases {
		if got := CopyQuantities(c.src, c.dest, c.extent); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// AWS's example: 3,000 GiB at 8 hours is $30. The transfer and storage
// are priced when the rates are known, and quantities only when not.
func TestEstimateCopy(t *testing.T) {
	q := Quantities{CopiedBytes: 3000 * gib, BetweenRegions: true, StoredBytes: 3000 * gib}
	priced := Rates{Transfer: Rate{0.02, FromPriceList}, Storage: Rate{0.05, FromPriceList}}
	e := EstimateCopy(q, 480, priced)
	if !near(e.TimeBased.USD, 30) || e.TimeBased.Rate.Source != FromPublishedTable {
		t.Errorf("time-based fee %+v, want $30 from the published table", e.TimeBased)
	}
	if !near(e.Transfer.USD, 60) || !near(e.Storage.USD, 150) || e.Transfer.Bytes != 3000*gib {
		t.Errorf("transfer %+v, storage %+v; want $60 and $150 a month", e.Transfer, e.Storage)
	}

	bare := EstimateCopy(q, 0, Rates{Missing: "denied"})
	if bare.TimeBased != (Charge{}) || bare.Transfer.USD != 0 || bare.Transfer.Bytes != 3000*gib || bare.Transfer.Rate.Known() || bare.Missing != "denied" {
		t.Errorf("a standard copy without prices: %+v", bare)
	}
	within := EstimateCopy(Quantities{CopiedBytes: gib, StoredBytes: gib}, 15, priced)
	if within.Transfer != (Charge{}) || !near(within.TimeBased.USD, 0.02) {
		t.Errorf("a copy within its Region: %+v", within)
	}
}

// A batch adds up its copies: bytes, amounts, and "at most" when any is.
func TestEstimateBatch(t *testing.T) {
	rates := Rates{Transfer: Rate{0.02, FromPriceList}, Storage: Rate{0.05, FromPriceList}}
	a := EstimateCopy(Quantities{CopiedBytes: 100 * gib, BetweenRegions: true, StoredBytes: 100 * gib}, 15, rates)
	b := EstimateCopy(Quantities{CopiedBytes: 300 * gib, BetweenRegions: true, StoredBytes: 300 * gib, AtMost: true}, 15, rates)
	sum := EstimateBatch([]Estimate{a, b})
	if sum.TimeBased.Bytes != 400*gib || !near(sum.TimeBased.USD, 8) || !sum.TimeBased.AtMost || sum.TimeBased.Rate != a.TimeBased.Rate {
		t.Errorf("batch time-based fee %+v, want at most 400 GiB, $8", sum.TimeBased)
	}
	if !near(sum.Transfer.USD, 8) || !near(sum.Storage.USD, 20) || sum.Minutes != 15 || !sum.Quantities.AtMost {
		t.Errorf("batch %+v", sum)
	}
	if got := TimeBasedFee(sum.Quantities, 30, rates); !near(got.USD, 7.2) {
		t.Errorf("the batch at 30 minutes: %+v, want $7.20", got)
	}
}

// The prices kept for the day: read back the same, only for that day and
// endpoint; a file that is not snapcopy's is neither read nor replaced.
func TestPricesFile(t *testing.T) {
	if got := PricesPath("/s/copies.json"); got != "/s/prices.json" {
		t.Errorf("PricesPath(copies.json) = %s", got)
	}
	if got := PricesPath("/s/copies-ops.json"); got != "/s/prices-ops.json" {
		t.Errorf("PricesPath(copies-ops.json) = %s", got)
	}
	if got := PricesPath("/s/demo-copies.json"); got != "/s/demo-copies.prices.json" {
		t.Errorf("PricesPath(demo-copies.json) = %s", got)
	}
	path := filepath.Join(t.TempDir(), "prices.json")
	r := Rates{SourceRegion: "us-west-2", DestinationRegion: "us-east-1", Transfer: Rate{0.02, FromPriceList},
		Storage: Rate{0.05, FromPriceList}, TimeBased: []FeeTier{{15, 15, 0.02}}}
	other := Rates{SourceRegion: "us-west-2", DestinationRegion: "eu-central-1", Storage: Rate{0.054, FromPriceList}, Missing: "no transfer listed"}
	for _, x := range []Rates{r, other} {
		if err := SavePrices(path, "2026-12-07", "", x); err != nil {
			t.Fatal(err)
		}
	}
	kept, err := LoadPrices(path, "2026-12-07", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := kept[PricePair("us-west-2", "us-east-1")]; got.Transfer != r.Transfer || got.Storage != r.Storage || len(got.TimeBased) != 1 || got.TimeBased[0] != r.TimeBased[0] {
		t.Errorf("read back %+v, want %+v", got, r)
	}
	if got := kept[PricePair("us-west-2", "eu-central-1")]; got.Transfer.Known() || got.Missing != other.Missing {
		t.Errorf("read back %+v, want %+v", got, other)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the file's mode: %v %v", info, err)
	}
	for _, c := range []struct{ day, endpoint string }{{"2026-12-08", ""}, {"2026-12-07", "http://127.0.0.1:4566"}} {
		if got, err := LoadPrices(path, c.day, c.endpoint); err != nil || got != nil {
			t.Errorf("day %s endpoint %q: %v %v, want nothing", c.day, c.endpoint, got, err)
		}
	}
	// Another day's answer replaces the file.
	if err := SavePrices(path, "2026-12-08", "", other); err != nil {
		t.Fatal(err)
	}
	if got, _ := LoadPrices(path, "2026-12-08", ""); len(got) != 1 {
		t.Errorf("the next day keeps %d pairs, want its own 1", len(got))
	}

	foreign := filepath.Join(t.TempDir(), "prices.json")
	os.WriteFile(foreign, []byte(`{"mine": true}`), 0o600)
	if _, err := LoadPrices(foreign, "2026-12-07", ""); err == nil {
		t.Error("a file that is not snapcopy's was read")
	}
	if err := SavePrices(foreign, "2026-12-07", "", r); err == nil {
		t.Error("a file that is not snapcopy's was replaced")
	}
	if data, _ := os.ReadFile(foreign); string(data) != `{"mine": true}` {
		t.Errorf("the file is now %s", data)
	}
}
