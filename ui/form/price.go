package form

import (
	"context"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/validate"
)

// priceOf is the look-up of the prices of copying from the source Region
// into region (the AWS Price List, once a day).
func priceOf(region string) lookup { return lookup{fact: factPrice, region: region} }

// priceMsg carries rates usable even when err is set: the published table's
// time-based fee, the rest unknown, Missing saying why.
type priceMsg struct {
	region string
	rates  model.Rates
	err    error
}

// loadPrice is the command that asks the prices of copying into region.
func (m Model) loadPrice(region string) tea.Cmd {
	c, src := m.aws, m.region
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
		defer cancel()
		r, err := c.CopyRates(ctx, src, region)
		return priceMsg{region: region, rates: r, err: err}
	}
}

// priceAnswered keeps the rates. Not a failure to tell on the status
// line: the estimate says what is not priced, and why.
func (m Model) priceAnswered(msg priceMsg) Model {
	m.loaded(priceOf(msg.region), nil)
	prices := make(map[string]model.Rates, len(m.prices)+1)
	for k, v := range m.prices {
		prices[k] = v
	}
	prices[msg.region] = msg.rates
	m.prices = prices
	return m
}

// estimate is the form's estimate as it stands: each copy's and the
// batch's, at the duration typed; ok is false when there is none to show
// (no Region destination, or one not known to be enabled; nothing to send).
func (m Model) estimate() (copies []model.Estimate, batch model.Estimate, rates model.Rates, sources []model.Snapshot, ok bool) {
	d := m.result.Destination
	if d.Kind != model.ToRegion || d.Region == "" || !m.regionUsable(d.Region) {
		return nil, model.Estimate{}, model.Rates{}, nil, false
	}
	kinds, sources, known := m.copyKinds()
	var extents []model.CopyExtent
	switch {
	case known:
		for _, k := range kinds {
			extents = append(extents, k.Extent())
		}
	case d.Region == m.region:
		// A copy within its Region is a full copy (validate.Incremental).
		sources = m.sent()
		for range sources {
			extents = append(extents, model.ExtentFull)
		}
	default:
		sources = m.sent() // full or incremental not known yet: at most
	}
	if len(sources) == 0 {
		return nil, model.Estimate{}, model.Rates{}, nil, false
	}
	minutes, _ := validate.Duration(m.duration.Value(), d.Kind)
	rates = m.prices[d.Region]
	rates.SourceRegion, rates.DestinationRegion = m.region, d.Region
	copies, batch = model.EstimateCopies(sources, d.Region, extents, minutes, rates)
	return copies, batch, rates, sources, true
}

// maxEstimateLines is how many copies of a batch the estimate names one
// by one before "… and N more".
const maxEstimateLines = 4

// estimateLines are the preview's estimate: per copy (for a batch) and
// for all, the billable quantities and what they cost, each figure named
// an estimate with its source, and the reminder that the copies' tags
// also tag their data-transfer line items.
func (m Model) estimateLines(w int) []string {
	copies, batch, rates, sources, ok := m.estimate()
	if !ok {
		return nil
	}
	var texts []string
	if len(copies) > 1 {
		for i, e := range copies {
			if i == maxEstimateLines {
				texts = append(texts, fmt.Sprintf("… and %d more", len(copies)-maxEstimateLines))
				break
			}
			texts = append(texts, clean(sources[i].ID)+": "+copySummary(e))
		}
	}
	charges := chargeLines(batch, rates)
	if len(copies) > 1 {
		charges[0] = fmt.Sprintf("all %d copies: %s", len(copies), charges[0])
	}
	texts = append(texts, charges...)
	if m.loading[priceOf(m.result.Destination.Region)] {
		texts = append(texts, "asking the AWS Price List for the transfer and storage prices…")
	} else if batch.Missing != "" {
		texts = append(texts, "not priced: "+clean(batch.Missing))
	}
	if batch.Quantities.BetweenRegions {
		// "Copy an Amazon EBS snapshot" and AWS's Storage Blog ("Effectively
		// track AWS data transfer costs for cross-region Amazon EBS
		// Snapshot Copy"): tags applied during the copy are applied to its
		// data transfer cost as well.
		whose := "the copy's tags also tag its"
		if len(copies) > 1 {
			whose = "each copy's tags also tag its"
		}
		texts = append(texts, fmt.Sprintf("%s data-transfer line items (cost allocation): %s brings the source's tags",
			whose, keys.SourceTags.Help().Key))
	}
	pad := strings.Repeat(" ", 10)
	var lines []string
	for i, t := range texts {
		for j, l := range status.Wrap(t, w-10, 2) {
			if i == 0 && j == 0 {
				lines = append(lines, previewStyle.Render(fmt.Sprintf("%-10s", "Estimate"))+l)
			} else {
				lines = append(lines, pad+l)
			}
		}
	}
	return lines
}

// chargeLines are an estimate's lines: the time-based fee, the data
// transfer between Regions and the storage, each with its source.
func chargeLines(e model.Estimate, rates model.Rates) []string {
	var out []string
	if e.Minutes > 0 {
		out = append(out, fmt.Sprintf("time-based fee, %s: %s", minutesText(e.Minutes), chargeText(e.TimeBased, "")))
	}
	if e.Quantities.BetweenRegions {
		out = append(out, fmt.Sprintf("data transfer %s → %s: %s", rates.SourceRegion, rates.DestinationRegion, chargeText(e.Transfer, "")))
	}
	return append(out, fmt.Sprintf("stored in %s: %s", rates.DestinationRegion, chargeText(e.Storage, " a month")))
}

// chargeText is one charge: "100 GiB × $0.020 = $2.00 (estimate, AWS
// Price List)", or its quantity alone when not priced.
func chargeText(c model.Charge, per string) string {
	q := gibText(c)
	if !c.Rate.Known() {
		return q + " (not priced)"
	}
	return fmt.Sprintf("%s × %s = %s%s (estimate, %s)", q, model.FormatRate(c.Rate.USD), model.FormatUSD(c.USD), per, c.Rate.Source)
}

// gibText is a charge's quantity, "at most" when it is an upper bound.
func gibText(c model.Charge) string {
	q := model.FormatBytes(c.Bytes)
	if c.AtMost {
		q = "at most " + q
	}
	return q
}

// copySummary is one copy of a batch in a line: its quantity and amounts.
func copySummary(e model.Estimate) string {
	parts := []string{gibText(model.Charge{Bytes: e.Quantities.CopiedBytes, AtMost: e.Quantities.AtMost})}
	amount := func(what string, c model.Charge, per string) {
		if c.Rate.Known() {
			parts = append(parts, what+" "+model.FormatUSD(c.USD)+per)
		}
	}
	if e.Minutes > 0 {
		amount("fee", e.TimeBased, "")
	}
	amount("transfer", e.Transfer, "")
	amount("storage", e.Storage, " a month")
	return strings.Join(parts, ", ") + " (estimates)"
}

// minutesText is a duration as the estimate says it: "15 minutes",
// "2 hours", "1 h 45 min".
func minutesText(m int32) string {
	switch {
	case m < 60:
		return fmt.Sprintf("%d minutes", m)
	case m%60 == 0 && m == 60:
		return "1 hour"
	case m%60 == 0:
		return fmt.Sprintf("%d hours", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

// feeLine, under the completion duration, is the time-based fee of the
// duration typed and beside it that of the next cheaper tier that still
// fits the quota.
func (m Model) feeLine() string {
	_, batch, rates, _, ok := m.estimate()
	if !ok || batch.Minutes <= 0 || !batch.TimeBased.Rate.Known() {
		return ""
	}
	text := fmt.Sprintf("fee %s (estimate, %s/GiB)", model.FormatUSD(batch.TimeBased.USD), model.FormatRate(batch.TimeBased.Rate.USD))
	fit := m.result.Quota.FitMinutes
	cheaper, found := model.CheaperFit(batch.Minutes, fit)
	switch {
	case found:
		c := model.TimeBasedFee(batch.Quantities, cheaper, rates)
		text += fmt.Sprintf(" · %s, the next cheaper that fits the quota: %s (%s/GiB)", minutesText(cheaper), model.FormatUSD(c.USD), model.FormatRate(c.Rate.USD))
	case fit > 0:
		text += " · the cheapest tier"
	}
	return text
}
