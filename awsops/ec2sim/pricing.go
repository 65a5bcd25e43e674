package ec2sim

import (
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The AWS Price List Query API's GetProducts (JSON 1.1,
// AWSPriceListService), over a small catalogue of what a copy costs:
//
//   - EBS snapshot storage per GB-month in each Region (AmazonEC2,
//     productFamily "Storage Snapshot", usagetype REGION-EBS:SnapshotUsage,
//     "EBS:SnapshotUsage" in us-east-1, storageMedia "Amazon S3");
//   - inter-Region data transfer out per GB from each Region to each other
//     (AWSDataTransfer, productFamily "Data Transfer", transferType
//     "InterRegion Outbound", usagetype FROM-TO-AWS-Out-Bytes, with
//     fromRegionCode and toRegionCode);
//   - the time-based snapshot copy fee per GiB by duration tier
//     (AmazonEC2, productFamily "Storage Snapshot", usagetype
//     REGION-EBS:SnapshotTimeBasedCopy-TIER, with minCompletionDuration and
//     maxCompletionDuration in minutes). UNCONFIRMED: no document shows
//     this item in AWS's price list or its names; its prices are the
//     table of "Time-based copies" (pricing and billing), the same in
//     every Region.
//
// The prices are realistic list prices, not AWS's current ones: a client
// must treat them as estimates, as it must AWS's. Answers are paged
// (MaxResults 1-100) and served only in the Regions AWS serves the API
// in (us-east-1, eu-central-1, ap-south-1). Not modelled: other services,
// reserved terms, DescribeServices, GetAttributeValues, price list files.

// pricingTargetPrefix is the Price List API's X-Amz-Target prefix.
const pricingTargetPrefix = "AWSPriceListService."

// pricingActions are the Price List API actions the simulator answers.
var pricingActions = map[string]jsonHandler{"GetProducts": (*Server).getProducts}

// pricingRegions are where AWS serves the Price List Query API.
var pricingRegions = []string{"us-east-1", "eu-central-1", "ap-south-1"}

// Service codes and the one format of the catalogue.
const (
	serviceEC2          = "AmazonEC2"
	serviceDataTransfer = "AWSDataTransfer"
	priceFormat         = "aws_v1"
	pricePublished      = "2026-11-01T00:00:00Z"
	maxPriceResults     = 100
	onDemandTerm        = "JRTCKXETXF" // AWS's OnDemand offer term code
)

// priceRegions are each Region's price list names and prices.
var priceRegions = []struct {
	code, location, prefix string
	snapshotGBMonth        string
	transferOutGB          string
}{
	{"us-east-1", "US East (N. Virginia)", "USE1", "0.05", "0.02"},
	{"us-west-2", "US West (Oregon)", "USW2", "0.05", "0.02"},
	{"eu-west-1", "EU (Ireland)", "EU", "0.05", "0.02"},
	{"eu-central-1", "EU (Frankfurt)", "EUC1", "0.054", "0.02"},
	{"ap-southeast-2", "Asia Pacific (Sydney)", "APS2", "0.055", "0.098"},
	{"af-south-1", "Africa (Cape Town)", "AFS1", "0.06", "0.147"},
}

// timeBasedTiers are the time-based copy fee per GiB by completion
// duration (minutes), from "Time-based copies ..." (pricing and billing).
var timeBasedTiers = []struct {
	name     string
	min, max int
	usd      string
}{
	{"15m", 15, 15, "0.020"},
	{"30m-45m", 30, 45, "0.018"},
	{"1h-1h45m", 60, 105, "0.016"},
	{"2h-3h45m", 120, 225, "0.014"},
	{"4h-7h45m", 240, 465, "0.012"},
	{"8h-15h45m", 480, 945, "0.010"},
	{"16h-48h", 960, 2880, "0.005"},
}

// product is one item of the catalogue: its attributes, unit and price.
type product struct {
	service, family string
	attrs           map[string]string
	unit, usd, desc string
}

// catalogue is every product, in a fixed order.
var catalogue = func() []product {
	var out []product
	for _, r := range priceRegions {
		prefix := r.prefix + "-"
		if r.code == "us-east-1" {
			prefix = "" // us-east-1's EBS usage types have no Region prefix
		}
		region := map[string]string{"location": r.location, "locationType": "AWS Region", "regionCode": r.code}
		out = append(out, product{service: serviceEC2, family: "Storage Snapshot", unit: "GB-Mo", usd: r.snapshotGBMonth,
			desc:  "$" + r.snapshotGBMonth + " per GB-Month of snapshot data stored - " + r.location,
			attrs: merge(region, map[string]string{"usagetype": prefix + "EBS:SnapshotUsage", "storageMedia": "Amazon S3", "operation": ""})})
		for _, t := range timeBasedTiers {
			out = append(out, product{service: serviceEC2, family: "Storage Snapshot", unit: "GiB", usd: t.usd,
				desc: "$" + t.usd + " per GiB of time-based snapshot copy completed in " + t.name + " - " + r.location,
				attrs: merge(region, map[string]string{"usagetype": prefix + "EBS:SnapshotTimeBasedCopy-" + t.name, "storageMedia": "Amazon S3",
					"operation": "CopySnapshot", "minCompletionDuration": strconv.Itoa(t.min), "maxCompletionDuration": strconv.Itoa(t.max)})})
		}
		for _, to := range priceRegions {
			if to.code == r.code {
				continue
			}
			out = append(out, product{service: serviceDataTransfer, family: "Data Transfer", unit: "GB", usd: r.transferOutGB,
				desc: "$" + r.transferOutGB + " per GB - " + r.location + " data transfer to " + to.location,
				attrs: map[string]string{"transferType": "InterRegion Outbound", "fromLocation": r.location, "fromLocationType": "AWS Region",
					"fromRegionCode": r.code, "toLocation": to.location, "toLocationType": "AWS Region", "toRegionCode": to.code,
					"usagetype": r.prefix + "-" + to.prefix + "-AWS-Out-Bytes", "operation": ""}})
		}
	}
	return out
}()

func merge(a, b map[string]string) map[string]string {
	out := make(map[string]string, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// field is what a filter's Field names in p: an attribute, or
// productFamily, servicecode or sku (names read without regard to case).
func (p product) field(name string) (string, bool) {
	switch strings.ToLower(name) {
	case "productfamily":
		return p.family, true
	case "servicecode":
		return p.service, true
	case "sku":
		return p.sku(), true
	}
	for k, v := range p.attrs {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

// sku is a stable 16-character id of the product.
func (p product) sku() string {
	sum := sha256.Sum256([]byte(p.service + "|" + p.attrs["usagetype"]))
	const digits = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	for i := range b {
		b[i] = digits[int(sum[i])%len(digits)]
	}
	return string(b)
}

// document is the product as one PriceList entry: a JSON document in a string.
func (p product) document() string {
	sku := p.sku()
	attrs := merge(p.attrs, map[string]string{"servicecode": p.service})
	rate := sku + "." + onDemandTerm + ".6YS6EN2CT7"
	doc := map[string]any{
		"product":     map[string]any{"productFamily": p.family, "attributes": attrs, "sku": sku},
		"serviceCode": p.service,
		"terms": map[string]any{"OnDemand": map[string]any{sku + "." + onDemandTerm: map[string]any{
			"priceDimensions": map[string]any{rate: map[string]any{
				"unit": p.unit, "endRange": "Inf", "beginRange": "0", "description": p.desc, "appliesTo": []string{},
				"rateCode": rate, "pricePerUnit": map[string]string{"USD": p.usd},
			}},
			"sku": sku, "effectiveDate": pricePublished, "offerTermCode": onDemandTerm, "termAttributes": map[string]string{},
		}}},
		"version":         "20261101000000",
		"publicationDate": pricePublished,
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

// priceFilter is one of GetProducts' Filters.
type priceFilter struct{ Type, Field, Value string }

func (f priceFilter) matches(p product) bool {
	v, ok := p.field(f.Field)
	if !ok {
		return f.Type == "NONE_OF"
	}
	switch f.Type {
	case "TERM_MATCH", "EQUALS":
		return strings.EqualFold(v, f.Value)
	case "CONTAINS":
		return strings.Contains(strings.ToLower(v), strings.ToLower(f.Value))
	case "ANY_OF", "NONE_OF":
		listed := slices.ContainsFunc(strings.Split(f.Value, ","), func(x string) bool { return strings.EqualFold(strings.TrimSpace(x), v) })
		return listed == (f.Type == "ANY_OF")
	}
	return false
}

func pricingInvalid(msg string) *kmsError {
	return &kmsError{http.StatusBadRequest, "InvalidParameterException", msg}
}

// getProducts answers the catalogue's products of ServiceCode that match
// every filter, a page at a time.
func (s *Server) getProducts(rq *request, in map[string]any) (any, *kmsError) {
	if !slices.Contains(pricingRegions, rq.region) {
		// UNCONFIRMED: AWS has no Price List endpoint in other Regions; a
		// client sent there cannot connect at all.
		return nil, pricingInvalid("The Price List Query API is served in us-east-1, eu-central-1 and ap-south-1, not " + rq.region + ".")
	}
	service, _ := in["ServiceCode"].(string)
	if service == "" {
		return nil, pricingInvalid("1 validation error detected: Value null at 'serviceCode' failed to satisfy constraint: Member must not be null")
	}
	if f, ok := in["FormatVersion"].(string); ok && f != priceFormat {
		return nil, pricingInvalid("Invalid FormatVersion " + f + ". Valid value: aws_v1.")
	}
	var filters []priceFilter
	if raw, ok := in["Filters"]; ok {
		b, _ := json.Marshal(raw)
		if err := json.Unmarshal(b, &filters); err != nil {
			return nil, pricingInvalid("Filters are malformed: " + err.Error())
		}
	}
	for _, f := range filters {
		switch f.Type {
		case "TERM_MATCH", "EQUALS", "CONTAINS", "ANY_OF", "NONE_OF":
		default:
			return nil, pricingInvalid("1 validation error detected: Value '" + f.Type + "' at 'filters.member.type' failed to satisfy constraint: Member must satisfy enum value set: [TERM_MATCH, EQUALS, CONTAINS, ANY_OF, NONE_OF]")
		}
	}
	limit := maxPriceResults
	if v, ok := in["MaxResults"].(float64); ok {
		if v < 1 || v > maxPriceResults {
			return nil, pricingInvalid("1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100")
		}
		limit = int(v)
	}
	start := 0
	if tok, _ := in["NextToken"].(string); tok != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(tok, "ec2sim-price-"))
		if err != nil || !strings.HasPrefix(tok, "ec2sim-price-") || n < 0 {
			return nil, &kmsError{http.StatusBadRequest, "InvalidNextTokenException", "The pagination token is invalid."}
		}
		start = n
	}
	known := false
	var list []string
	next := ""
	for i, p := range catalogue {
		if p.service != service {
			continue
		}
		known = true
		if i < start || slices.ContainsFunc(filters, func(f priceFilter) bool { return !f.matches(p) }) {
			continue
		}
		if len(list) == limit {
			next = "ec2sim-price-" + strconv.Itoa(i)
			break
		}
		list = append(list, p.document())
	}
	if !known {
		// UNCONFIRMED: the answer for a service code the list lacks.
		return nil, &kmsError{http.StatusBadRequest, "NotFoundException", "Service code " + service + " is not found in the price list."}
	}
	out := map[string]any{"FormatVersion": priceFormat, "PriceList": list}
	if list == nil {
		out["PriceList"] = []string{}
	}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}
