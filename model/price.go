package model

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// The published table of the time-based copy fee: where it is and when it
// was read. AWS's page gives one table for every Region.
const (
	PublishedTableTitle = `"Time-based copies for Amazon EBS snapshots and EBS-backed AMIs", Pricing and billing`
	PublishedTableURL   = "https://docs.aws.amazon.com/ebs/latest/userguide/time-based-copies.html#time-based-copies-pricing"
	PublishedTableRead  = "2026-12-07"
)

// FeeTier is one row of the time-based copy fee table: the fee per GiB of
// snapshot data copied for a completion duration from MinMinutes to
// MaxMinutes.
type FeeTier struct {
	MinMinutes, MaxMinutes int32
	USDPerGiB              float64
}

// Contains reports whether a completion duration falls in the tier.
func (t FeeTier) Contains(minutes int32) bool {
	return minutes >= t.MinMinutes && minutes <= t.MaxMinutes
}

// publishedTable is AWS's table, dearest first (the tiers are contiguous in
// steps of 15 minutes, 15 to 2,880).
var publishedTable = []FeeTier{
	{15, 15, 0.020},
	{30, 45, 0.018},
	{60, 105, 0.016},
	{120, 225, 0.014},
	{240, 465, 0.012},
	{480, 945, 0.010},
	{960, 2880, 0.005},
}

// PublishedFeeTable is AWS's published table of the time-based copy fee
// (PublishedTableURL, read PublishedTableRead), dearest first.
func PublishedFeeTable() []FeeTier { return slices.Clone(publishedTable) }

// PriceSource says where a figure of an estimate comes from.
type PriceSource int

// The sources of a price.
const (
	// NotPriced: the quantity only, no price known.
	NotPriced PriceSource = iota
	// FromPriceList: the AWS Price List Query API (pricing:GetProducts).
	FromPriceList
	// FromPublishedTable: AWS's published table (the time-based copy fee).
	FromPublishedTable
)

// String is how a screen names the source: "AWS Price List" or "AWS's
// published table, 2026-12-07".
func (s PriceSource) String() string {
	switch s {
	case FromPriceList:
		return "AWS Price List"
	case FromPublishedTable:
		return "AWS's published table, " + PublishedTableRead
	}
	return "not priced"
}

// Token is the source in saved and machine-readable output, fixed
// whatever the screens call it.
func (s PriceSource) Token() string {
	switch s {
	case FromPriceList:
		return "price-list"
	case FromPublishedTable:
		return "published-table"
	}
	return "none"
}

// Rate is a price per GiB (per GiB-month for storage) and its source.
type Rate struct {
	USD    float64
	Source PriceSource
}

// Known reports whether the rate is a price, not a placeholder.
func (r Rate) Known() bool { return r.Source != NotPriced }

// Rates are the prices of copying from one Region to another.
type Rates struct {
	SourceRegion, DestinationRegion string
	// Transfer is per GiB moved from the source Region to the destination
	// (inter-Region data transfer, billed from the source Region).
	Transfer Rate
	// Storage is per GiB-month of snapshot storage in the destination.
	Storage Rate
	// TimeBased are the time-based copy fee tiers the Price List gave;
	// empty, the published table stands.
	TimeBased []FeeTier
	// Missing says why a price the Price List should give is not known
	// (access denied, not listed); "" when none is missing.
	Missing string
}

// TimeBasedRate is the fee per GiB of a time-based copy of minutes: the
// Price List's when it gave one for that duration, else the published
// table's; ok is false for a duration in no tier.
func (r Rates) TimeBasedRate(minutes int32) (Rate, bool) {
	for _, t := range r.TimeBased {
		if t.Contains(minutes) {
			return Rate{USD: t.USDPerGiB, Source: FromPriceList}, true
		}
	}
	for _, t := range publishedTable {
		if t.Contains(minutes) {
			return Rate{USD: t.USDPerGiB, Source: FromPublishedTable}, true
		}
	}
	return Rate{}, false
}

// CheaperFit is the shortest completion duration, in the first tier
// cheaper than that of minutes, that fits the quota: fit is the shortest
// duration that fits (validate.QuotaCheck.FitMinutes; every longer one
// fits too). ok is false when minutes is in no tier or the cheapest one,
// or when no duration fits (fit 0).
func CheaperFit(minutes, fit int32) (int32, bool) {
	i := slices.IndexFunc(publishedTable, func(t FeeTier) bool { return t.Contains(minutes) })
	if i < 0 || fit <= 0 {
		return 0, false
	}
	for _, t := range publishedTable[i+1:] {
		if m := max(t.MinMinutes, fit); m <= t.MaxMinutes {
			return m, true
		}
	}
	return 0, false
}

// FormatUSD writes an amount as the estimates print it: "$1,234.56",
// "under $0.01" for less than a cent.
func FormatUSD(v float64) string {
	if v > 0 && v < 0.005 {
		return "under $0.01"
	}
	cents := int64(math.Round(v * 100))
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[i])
	}
	return "$" + b.String() + "." + strconv.FormatInt(cents%100+100, 10)[1:]
}

// FormatRate writes a price per unit with the digits AWS gives it
// ("$0.020", "$0.0125"): at least three decimals, at most six.
func FormatRate(usd float64) string {
	s := strconv.FormatFloat(usd, 'f', 6, 64)
	s = strings.TrimRight(s, "0")
	if dot := strings.IndexByte(s, '.'); len(s)-dot-1 < 3 {
		s += strings.Repeat("0", 3-(len(s)-dot-1))
	}
	return "$" + s
}
