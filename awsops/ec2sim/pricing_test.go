package ec2sim

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/pricing/types"
)

func (h *harness) pricing(region string) *pricing.Client {
	return pricing.NewFromConfig(h.config(region), func(o *pricing.Options) { o.BaseEndpoint = aws.String(h.url) })
}

func term(field, value string) types.Filter {
	return types.Filter{Type: types.FilterTypeTermMatch, Field: aws.String(field), Value: aws.String(value)}
}

// priceItem is what a client reads of one PriceList entry.
type priceItem struct {
	Product struct {
		ProductFamily string
		Attributes    map[string]string
	}
	ServiceCode string
	Terms       struct {
		OnDemand map[string]struct {
			PriceDimensions map[string]struct {
				Unit         string
				PricePerUnit map[string]string
			}
		}
	}
}

// onlyPrice reads the one OnDemand price of an entry: unit and USD.
func onlyPrice(t *testing.T, doc string) (priceItem, string, string) {
	t.Helper()
	var it priceItem
	if err := json.Unmarshal([]byte(doc), &it); err != nil {
		t.Fatalf("a PriceList entry is not JSON: %v\n%s", err, doc)
	}
	for _, term := range it.Terms.OnDemand {
		for _, d := range term.PriceDimensions {
			return it, d.Unit, d.PricePerUnit["USD"]
		}
	}
	t.Fatalf("no OnDemand price in %s", doc)
	return it, "", ""
}

func getProducts(t *testing.T, c *pricing.Client, service string, filters ...types.Filter) []string {
	t.Helper()
	var all []string
	p := pricing.NewGetProductsPaginator(c, &pricing.GetProductsInput{ServiceCode: aws.String(service), Filters: filters, FormatVersion: aws.String("aws_v1"), MaxResults: aws.Int32(10)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("GetProducts %s: %v", service, err)
		}
		all = append(all, out.PriceList...)
	}
	return all
}

// The three prices of a copy, as a client asks for them with TERM_MATCH
// filters through the SDK's pricing client.
func TestGetProductsPricesACopy(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.pricing("us-east-1")

	storage := getProducts(t, c, "AmazonEC2", term("productFamily", "Storage Snapshot"), term("regionCode", "eu-central-1"), term("storageMedia", "Amazon S3"),
		term("usagetype", "EUC1-EBS:SnapshotUsage"))
	if len(storage) != 1 {
		t.Fatalf("snapshot storage in eu-central-1: %d products", len(storage))
	}
	it, unit, usd := onlyPrice(t, storage[0])
	if unit != "GB-Mo" || usd != "0.054" || it.Product.Attributes["location"] != "EU (Frankfurt)" || it.ServiceCode != "AmazonEC2" {
		t.Errorf("storage: %s %s %+v", unit, usd, it.Product)
	}
	if east := getProducts(t, c, "AmazonEC2", term("usagetype", "EBS:SnapshotUsage")); len(east) != 1 {
		t.Errorf("us-east-1's usage type has no prefix: %d products", len(east))
	}

	transfer := getProducts(t, c, "AWSDataTransfer", term("transferType", "InterRegion Outbound"), term("fromRegionCode", "ap-southeast-2"), term("toRegionCode", "us-east-1"))
	if len(transfer) != 1 {
		t.Fatalf("transfer from Sydney to N. Virginia: %d products", len(transfer))
	}
	it, unit, usd = onlyPrice(t, transfer[0])
	if unit != "GB" || usd != "0.098" || it.Product.Attributes["usagetype"] != "APS2-USE1-AWS-Out-Bytes" {
		t.Errorf("transfer: %s %s %+v", unit, usd, it.Product.Attributes)
	}
	if from := getProducts(t, c, "AWSDataTransfer", term("fromRegionCode", "us-west-2")); len(from) != len(priceRegions)-1 {
		t.Errorf("transfer from us-west-2 to %d Regions, want %d", len(from), len(priceRegions)-1)
	}

	// The time-based fee of a 15-minute copy and of 8 hours (AWS's
	// example: 3,000 GiB at 8 h = $30).
	for _, tc := range []struct{ tier, usd string }{{"15m", "0.020"}, {"8h-15h45m", "0.010"}} {
		fee := getProducts(t, c, "AmazonEC2", term("usagetype", "USW2-EBS:SnapshotTimeBasedCopy-"+tc.tier))
		if len(fee) != 1 {
			t.Fatalf("tier %s: %d products", tc.tier, len(fee))
		}
		if _, unit, usd := onlyPrice(t, fee[0]); unit != "GiB" || usd != tc.usd {
			t.Errorf("tier %s: %s %s", tc.tier, unit, usd)
		}
	}
	if tiers := getProducts(t, c, "AmazonEC2", term("regionCode", "us-west-2"), types.Filter{Type: types.FilterTypeContains, Field: aws.String("usagetype"), Value: aws.String("TimeBasedCopy")}); len(tiers) != len(timeBasedTiers) {
		t.Errorf("CONTAINS TimeBasedCopy in us-west-2: %d, want %d", len(tiers), len(timeBasedTiers))
	}
	anyOf := getProducts(t, c, "AWSDataTransfer", term("fromRegionCode", "us-east-1"), types.Filter{Type: types.FilterTypeAnyOf, Field: aws.String("toRegionCode"), Value: aws.String("eu-west-1,eu-central-1")})
	if len(anyOf) != 2 {
		t.Errorf("ANY_OF two destinations: %d", len(anyOf))
	}
	if none := getProducts(t, c, "AmazonEC2", term("usagetype", "no-such-usage")); len(none) != 0 {
		t.Errorf("an unknown usage type: %d products", len(none))
	}
}

// What GetProducts refuses, and the knob that denies it.
func TestGetProductsRefusals(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.pricing("us-east-1")
	for _, tc := range []struct {
		name string
		c    *pricing.Client
		in   *pricing.GetProductsInput
		code string
	}{
		{"unknown service", c, &pricing.GetProductsInput{ServiceCode: aws.String("AmazonNope")}, "NotFoundException"},
		{"bad format", c, &pricing.GetProductsInput{ServiceCode: aws.String("AmazonEC2"), FormatVersion: aws.String("aws_v2")}, "InvalidParameterException"},
		{"bad filter type", c, &pricing.GetProductsInput{ServiceCode: aws.String("AmazonEC2"), Filters: []types.Filter{{Type: "LIKE", Field: aws.String("x"), Value: aws.String("y")}}}, "InvalidParameterException"},
		{"page of 101", c, &pricing.GetProductsInput{ServiceCode: aws.String("AmazonEC2"), MaxResults: aws.Int32(101)}, "InvalidParameterException"},
		{"bad token", c, &pricing.GetProductsInput{ServiceCode: aws.String("AmazonEC2"), NextToken: aws.String("nope")}, "InvalidNextTokenException"},
		{"a Region without the API", h.pricing("us-west-2"), &pricing.GetProductsInput{ServiceCode: aws.String("AmazonEC2")}, "InvalidParameterException"},
	} {
		_, err := tc.c.GetProducts(ctx, tc.in)
		if apiCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	h.sim.SetFaults(Faults{DenyPermission: true, Actions: []string{"GetProducts"}})
	_, err := c.GetProducts(ctx, &pricing.GetProductsInput{ServiceCode: aws.String("AmazonEC2")})
	var denied *types.AccessDeniedException
	if !errors.As(err, &denied) {
		t.Errorf("GetProducts denied: %v, want the SDK's AccessDeniedException", err)
	}
}
