package awsops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/pricing/types"

	"github.com/snapcopy/snapcopy/model"
)

// What a copy costs, from the AWS Price List Query API (pricing:GetProducts,
// "Using the AWS Price List Query API", Billing User Guide): documented are
// the API, its endpoint in us-east-1, the EC2 snapshot storage item
// (AmazonEC2, productFamily "Storage Snapshot", usage type
// [REGION-]EBS:SnapshotUsage, "Understand codes for Amazon EBS in billing
// and usage reports") and the inter-Region data transfer item
// (AWSDataTransfer, transferType "InterRegion Outbound", fromRegionCode,
// toRegionCode, billed from the source Region).
//
// UNCONFIRMED, here and nowhere else:
//   - that the Price List lists the time-based copy fee at all: no
//     document shows it. It is looked for as the simulator serves it, an
//     AmazonEC2 "Storage Snapshot" item whose usage type holds
//     timeBasedUsage, with minCompletionDuration and maxCompletionDuration
//     in minutes; when not listed, AWS's published table stands
//     (model.PublishedFeeTable);
//   - that the fee is the destination Region's item (the copy is made
//     there); AWS's table is the same for every Region;
//   - that the list's "GB" and "GB-Mo" are GiB (2^30 bytes), as AWS's
//     time-based fee and its sizes are.
const (
	pricingRegion     = "us-east-1" // where the Price List Query API answers
	serviceEC2        = "AmazonEC2"
	serviceTransfer   = "AWSDataTransfer"
	familySnapshot    = "Storage Snapshot"
	storageUsage      = "EBS:SnapshotUsage"
	timeBasedUsage    = "EBS:SnapshotTimeBasedCopy"
	transferInterRegn = "InterRegion Outbound"
)

// priceTimeout bounds the Price List questions of one Region pair.
const priceTimeout = 30 * time.Second

// maxPricePages bounds the pages read of one question: a copy's items are
// a handful, so more means the filters matched what they should not.
const maxPricePages = 10

// priceBook keeps the Price List's answers for the day (UTC): in memory,
// and in a file (model.SavePrices) once KeepPrices names one. A refusal
// (no pricing:GetProducts) is kept in memory only, for the day, so the
// Price List is not asked again and again; a passing fault is not kept.
type priceBook struct {
	mu     sync.Mutex
	client *pricing.Client
	path   string
	now    func() time.Time
	day    string
	rates  map[string]model.Rates // by model.PricePair
	denied map[string]error
}

// KeepPrices keeps the Price List's answers of the day in the file at path
// (model.PricesPath beside the state file) as well as in memory.
func (c *Client) KeepPrices(path string) {
	c.prices.mu.Lock()
	defer c.prices.mu.Unlock()
	c.prices.path = path
}

// CopyRates are the prices of copying a snapshot from src to dest: the
// data transfer from src to dest, the snapshot storage in dest and the
// time-based copy fee, from the AWS Price List, asked once a day per
// Region pair. The rates are usable whatever happens: a price the Price
// List does not give (access denied, not listed, no answer) is left
// unknown (the time-based fee then comes from AWS's published table) and
// Rates.Missing says why; err is the failure when the Price List could not
// be asked or read.
func (c *Client) CopyRates(ctx context.Context, src, dest string) (model.Rates, error) {
	b := &c.prices
	pair := model.PricePair(src, dest)
	b.mu.Lock()
	day := model.PriceDay(b.clock())
	if b.day != day {
		b.day, b.rates, b.denied = day, map[string]model.Rates{}, map[string]error{}
		if b.path != "" {
			// A file that cannot be read is only a cache missed.
			if kept, err := model.LoadPrices(b.path, day, c.endpoint); err == nil {
				for k, v := range kept {
					b.rates[k] = v
				}
			}
		}
	}
	r, known := b.rates[pair]
	denied := b.denied[pair]
	path := b.path
	b.mu.Unlock()
	switch {
	case known:
		return r, nil
	case denied != nil:
		return model.Rates{SourceRegion: src, DestinationRegion: dest, Missing: missingBecause(denied)}, denied
	}

	ctx, cancel := context.WithTimeout(ctx, priceTimeout)
	defer cancel()
	r, err := c.askPrices(ctx, src, dest)
	if err != nil {
		if ae, ok := model.AsAPIError(err); ok && ae.Kind == model.ErrPermission {
			b.mu.Lock()
			if b.day == day {
				b.denied[pair] = err
			}
			b.mu.Unlock()
		}
		return model.Rates{SourceRegion: src, DestinationRegion: dest, Missing: missingBecause(err)}, err
	}
	b.mu.Lock()
	if b.day == day {
		b.rates[pair] = r
	}
	b.mu.Unlock()
	if path != "" {
		// A file that cannot be written (or is not snapcopy's) only means
		// the Price List is asked again by the next snapcopy.
		_ = model.SavePrices(path, day, c.endpoint, r)
	}
	return r, nil
}

// clock is the book's time (a test's, or the host's).
func (b *priceBook) clock() time.Time {
	if b.now != nil {
		return b.now()
	}
	return time.Now()
}

// missingBecause says in a few words why the Price List gave no prices.
func missingBecause(err error) string {
	if ae, ok := model.AsAPIError(err); ok && ae.Kind == model.ErrPermission {
		return "these credentials may not read the AWS Price List (pricing:GetProducts: " + ae.Code + ")"
	}
	return "the AWS Price List did not answer: " + model.Explain(err, model.Brief())
}

// pricingClient is the Price List client, built once.
func (c *Client) pricingClient() *pricing.Client {
	c.prices.mu.Lock()
	defer c.prices.mu.Unlock()
	if c.prices.client == nil {
		c.prices.client = pricing.NewFromConfig(c.cfg, func(o *pricing.Options) {
			o.Region = pricingRegion
			if c.endpoint != "" {
				o.BaseEndpoint = aws.String(c.endpoint)
			}
			o.HTTPClient = c.transport(o.HTTPClient)
			o.APIOptions = append(o.APIOptions, c.apiOptions()...)
			o.Retryer = c.noticing(o.Retryer)
			o.HTTPSignerV4 = c.signer()
		})
	}
	return c.prices.client
}

// askPrices asks the Price List for the snapshot storage and time-based
// fee in dest and, between Regions, the data transfer from src to dest.
func (c *Client) askPrices(ctx context.Context, src, dest string) (model.Rates, error) {
	r := model.Rates{SourceRegion: src, DestinationRegion: dest}
	snapshots, err := c.getProducts(ctx, serviceEC2, termMatch("productFamily", familySnapshot), termMatch("regionCode", dest))
	if err != nil {
		return r, err
	}
	var missing []string
	for _, it := range snapshots {
		usage := it.Product.Attributes["usagetype"]
		switch {
		case usageIs(usage, storageUsage):
			if usd, ok := it.usdPer("GB-Mo"); ok {
				r.Storage = model.Rate{USD: usd, Source: model.FromPriceList}
			}
		case strings.Contains(usage, timeBasedUsage):
			if t, ok := it.feeTier(); ok {
				r.TimeBased = append(r.TimeBased, t)
			}
		}
	}
	if !r.Storage.Known() {
		missing = append(missing, "no snapshot storage in "+dest)
	}
	if src != dest {
		transfer, err := c.getProducts(ctx, serviceTransfer, termMatch("transferType", transferInterRegn),
			termMatch("fromRegionCode", src), termMatch("toRegionCode", dest))
		if err != nil {
			return r, err
		}
		for _, it := range transfer {
			if usd, ok := it.usdPer("GB"); ok {
				r.Transfer = model.Rate{USD: usd, Source: model.FromPriceList}
				break
			}
		}
		if !r.Transfer.Known() {
			missing = append(missing, "no data transfer from "+src+" to "+dest)
		}
	}
	if len(missing) > 0 {
		r.Missing = "the AWS Price List lists " + strings.Join(missing, " and ")
	}
	return r, nil
}

func termMatch(field, value string) types.Filter {
	return types.Filter{Type: types.FilterTypeTermMatch, Field: aws.String(field), Value: aws.String(value)}
}

// usageIs reports whether a usage type is name, bare (us-east-1) or after
// a Region's billing code ("USW2-EBS:SnapshotUsage").
func usageIs(usage, name string) bool {
	return usage == name || strings.HasSuffix(usage, "-"+name) && !strings.Contains(strings.TrimSuffix(usage, "-"+name), ":")
}

// getProducts reads every page of GetProducts for a service and filters.
// An entry that is not a price list document is an error: an answer that
// is not AWS's is never taken for a price.
func (c *Client) getProducts(ctx context.Context, service string, filters ...types.Filter) ([]priceItem, error) {
	in := &pricing.GetProductsInput{ServiceCode: aws.String(service), Filters: filters, FormatVersion: aws.String("aws_v1")}
	p := pricing.NewGetProductsPaginator(c.pricingClient(), in)
	var out []priceItem
	for page := 0; p.HasMorePages(); page++ {
		if page == maxPricePages {
			return nil, &model.APIError{Op: "GetProducts", Region: pricingRegion, Kind: model.ErrUndecodable,
				Message: fmt.Sprintf("the AWS Price List answered more than %d pages of %s items for one Region pair", maxPricePages, service)}
		}
		res, err := p.NextPage(ctx)
		if err != nil {
			return nil, c.apiError("GetProducts", pricingRegion, err)
		}
		for _, doc := range res.PriceList {
			var it priceItem
			if err := json.Unmarshal([]byte(doc), &it); err != nil || it.Product.Attributes == nil {
				why := "it has no product attributes"
				if err != nil {
					why = err.Error()
				}
				return nil, &model.APIError{Op: "GetProducts", Region: pricingRegion, Kind: model.ErrUndecodable,
					Message: "the AWS Price List answered an entry that is not a price list document: " + why}
			}
			out = append(out, it)
		}
	}
	return out, nil
}

// priceItem is what snapcopy reads of one PriceList entry.
type priceItem struct {
	Product struct {
		Attributes map[string]string `json:"attributes"`
	} `json:"product"`
	Terms struct {
		OnDemand map[string]struct {
			PriceDimensions map[string]struct {
				Unit         string            `json:"unit"`
				BeginRange   string            `json:"beginRange"`
				PricePerUnit map[string]string `json:"pricePerUnit"`
			} `json:"priceDimensions"`
		} `json:"OnDemand"`
	} `json:"terms"`
}

// usdPer is the item's on-demand price in USD per unit, from its first
// range (the whole price of a flat rate); false when it has none in that
// unit, or not a number AWS would write.
func (it priceItem) usdPer(unit string) (float64, bool) {
	for _, term := range it.Terms.OnDemand {
		for _, d := range term.PriceDimensions {
			if d.BeginRange != "" && d.BeginRange != "0" || !strings.EqualFold(d.Unit, unit) {
				continue
			}
			usd, err := strconv.ParseFloat(d.PricePerUnit["USD"], 64)
			if err != nil || usd < 0 {
				return 0, false
			}
			return usd, true
		}
	}
	return 0, false
}

// feeTier reads a time-based copy fee item: its durations and its price
// per GiB (UNCONFIRMED names, see the top of this file).
func (it priceItem) feeTier() (model.FeeTier, bool) {
	lo, err1 := strconv.Atoi(it.Product.Attributes["minCompletionDuration"])
	hi, err2 := strconv.Atoi(it.Product.Attributes["maxCompletionDuration"])
	usd, ok := it.usdPer("GiB")
	if !ok {
		usd, ok = it.usdPer("GB")
	}
	if err := errors.Join(err1, err2); err != nil || !ok || lo <= 0 || hi < lo {
		return model.FeeTier{}, false
	}
	return model.FeeTier{MinMinutes: int32(lo), MaxMinutes: int32(hi), USDPerGiB: usd}, true
}
