package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// pricesFormat names the file of prices kept for the day.
const pricesFormat = "snapcopy-prices/1"

// PricesPath is where the Price List's answers are kept for the day beside
// a state file: copies.json keeps prices.json, a profile's copies-NAME.json
// keeps prices-NAME.json, any other NAME.json keeps NAME.prices.json.
func PricesPath(statePath string) string {
	dir, base := filepath.Split(statePath)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	if rest, ok := strings.CutPrefix(stem, "copies"); ok {
		return filepath.Join(dir, "prices"+rest+".json")
	}
	return filepath.Join(dir, stem+".prices.json")
}

// PriceDay is the day (UTC) prices are asked for and kept for.
func PriceDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// pricesFile is the file as stored, with names of its own. Only the Price
// List's answers are kept, so every price in it is FromPriceList.
type pricesFile struct {
	Format string `json:"format"`
	Day    string `json:"day"`
	// Endpoint is where the prices were asked ("" for AWS itself): a
	// simulator's prices are never taken for AWS's.
	Endpoint string                `json:"endpoint,omitzero"`
	Pairs    map[string]savedRates `json:"pairs"` // by "SOURCE>DESTINATION"
}

type savedRates struct {
	SourceRegion          string      `json:"source_region"`
	DestinationRegion     string      `json:"destination_region"`
	TransferUSDPerGiB     *float64    `json:"transfer_usd_per_gib,omitzero"`
	StorageUSDPerGiBMonth *float64    `json:"storage_usd_per_gib_month,omitzero"`
	TimeBased             []savedTier `json:"time_based,omitzero"`
	Missing               string      `json:"missing,omitzero"`
}

type savedTier struct {
	MinMinutes int32   `json:"min_minutes"`
	MaxMinutes int32   `json:"max_minutes"`
	USDPerGiB  float64 `json:"usd_per_gib"`
}

func toSavedRates(r Rates) savedRates {
	s := savedRates{SourceRegion: r.SourceRegion, DestinationRegion: r.DestinationRegion, Missing: r.Missing}
	if r.Transfer.Known() {
		s.TransferUSDPerGiB = &r.Transfer.USD
	}
	if r.Storage.Known() {
		s.StorageUSDPerGiBMonth = &r.Storage.USD
	}
	for _, t := range r.TimeBased {
		//lint:ignore S1016 field by field on purpose: a change to FeeTier must not silently change the file's schema
		s.TimeBased = append(s.TimeBased, savedTier{MinMinutes: t.MinMinutes, MaxMinutes: t.MaxMinutes, USDPerGiB: t.USDPerGiB})
	}
	return s
}

func fromSavedRates(s savedRates) Rates {
	r := Rates{SourceRegion: s.SourceRegion, DestinationRegion: s.DestinationRegion, Missing: s.Missing}
	if s.TransferUSDPerGiB != nil {
		r.Transfer = Rate{USD: *s.TransferUSDPerGiB, Source: FromPriceList}
	}
	if s.StorageUSDPerGiBMonth != nil {
		r.Storage = Rate{USD: *s.StorageUSDPerGiBMonth, Source: FromPriceList}
	}
	for _, t := range s.TimeBased {
		//lint:ignore S1016 field by field on purpose: a change to FeeTier must not silently change the file's schema
		r.TimeBased = append(r.TimeBased, FeeTier{MinMinutes: t.MinMinutes, MaxMinutes: t.MaxMinutes, USDPerGiB: t.USDPerGiB})
	}
	return r
}

// PricePair keys the prices of a Region pair.
func PricePair(src, dest string) string { return src + ">" + dest }

// errNotPrices: the file at the path is not snapcopy's file of prices.
var errNotPrices = errors.New("not snapcopy's file of prices")

// readPrices reads the file; nil without error when there is none.
func readPrices(path string) (*pricesFile, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var f pricesFile
	if err := json.Unmarshal(data, &f); err != nil || f.Format != pricesFormat {
		return nil, errNotPrices
	}
	return &f, nil
}

// LoadPrices reads the prices kept at path for day and endpoint, by Region
// pair (PricePair). None, without error, when there is no file or it holds
// another day's or another endpoint's. A file that is not snapcopy's is an
// error: it is left alone.
func LoadPrices(path, day, endpoint string) (map[string]Rates, error) {
	f, err := readPrices(path)
	if err != nil {
		return nil, fmt.Errorf("read the prices kept in %s: %w", path, err)
	}
	if f == nil || f.Day != day || f.Endpoint != endpoint {
		return nil, nil
	}
	out := make(map[string]Rates, len(f.Pairs))
	for _, s := range f.Pairs {
		out[PricePair(s.SourceRegion, s.DestinationRegion)] = fromSavedRates(s)
	}
	return out, nil
}

// SavePrices keeps r, the Price List's answer of day from endpoint, at
// path beside what is kept for that day; another day's file is replaced.
// It writes atomically, readable by the owner only, and never replaces a
// file that is not snapcopy's.
func SavePrices(path, day, endpoint string, r Rates) error {
	f, err := readPrices(path)
	if err != nil {
		return fmt.Errorf("keep the prices in %s: %w", path, err)
	}
	if f == nil || f.Day != day || f.Endpoint != endpoint {
		f = &pricesFile{Format: pricesFormat, Day: day, Endpoint: endpoint}
	}
	if f.Pairs == nil {
		f.Pairs = map[string]savedRates{}
	}
	f.Pairs[PricePair(r.SourceRegion, r.DestinationRegion)] = toSavedRates(r)
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("keep the prices: %w", err)
	}
	if err := writeFileAtomic(path, append(data, '\n')); err != nil {
		return fmt.Errorf("keep the prices in %s: %w", path, err)
	}
	return nil
}
