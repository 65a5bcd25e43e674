package copy

import (
	"context"
	"encoding/json"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/textsafe"
	"github.com/snapcopy/snapcopy/validate"
)

// DryRunLine is one line of `copy --dry-run --output json`: a copy
// (Kind "copy": AWS's dry-run answer and its estimate) or, last, the batch
// (Kind "batch": the estimate of all the copies). Text from AWS is
// sanitized.
type DryRunLine struct {
	Kind           string        `json:"kind"`
	SourceSnapshot string        `json:"source_snapshot,omitempty"`
	SourceRegion   string        `json:"source_region"`
	Destination    string        `json:"destination"`
	Copies         int           `json:"copies,omitempty"`
	DryRun         *DryRunAnswer `json:"dry_run,omitempty"`
	Estimate       *EstimateJSON `json:"estimate,omitempty"`      // absent for an Outpost or a Local Zone
	SnapLock       *SnapLockJSON `json:"snapshot_lock,omitempty"` // lockflags.go
}

// DryRunAnswer is AWS's answer to the dry run: allowed or not, in words.
type DryRunAnswer struct {
	Allowed bool   `json:"allowed"`
	Message string `json:"message"`
}

// EstimateJSON is an estimate: list prices in USD, not the bill. Copy is
// full, incremental or unknown (a copy's own; absent for the batch);
// the GiB are upper bounds when AtMost.
type EstimateJSON struct {
	Currency       string      `json:"currency"`
	Copy           string      `json:"copy,omitempty"`
	Minutes        int32       `json:"completion_duration_minutes,omitempty"`
	CopiedGiB      float64     `json:"copied_gib"`
	StoredGiB      float64     `json:"stored_gib"`
	AtMost         bool        `json:"at_most"`
	BetweenRegions bool        `json:"between_regions"`
	TimeBasedFee   *ChargeJSON `json:"time_based_fee,omitempty"`
	CheaperFit     *ChargeJSON `json:"cheaper_fit,omitempty"`
	Transfer       *ChargeJSON `json:"transfer,omitempty"`
	Storage        ChargeJSON  `json:"storage_per_month"`
	NotPriced      string      `json:"not_priced_because,omitempty"`
}

// ChargeJSON is one line of an estimate: the GiB billed, the rate and the
// amount (both absent when not priced: Source "none"), and where the rate
// comes from ("price-list", "published-table") in a token and in words.
// Minutes is set for the cheaper fit: its completion duration.
type ChargeJSON struct {
	Minutes    int32    `json:"completion_duration_minutes,omitempty"`
	GiB        float64  `json:"gib"`
	USDPerGiB  *float64 `json:"usd_per_gib,omitempty"`
	USD        *float64 `json:"usd,omitempty"`
	Source     string   `json:"source"`
	SourceName string   `json:"source_name"`
}

func chargeJSON(c model.Charge) ChargeJSON {
	out := ChargeJSON{GiB: round(c.GiB(), 3), Source: c.Rate.Source.Token(), SourceName: c.Rate.Source.String()}
	if c.Rate.Known() {
		rate, usd := c.Rate.USD, round(c.USD, 4)
		out.USDPerGiB, out.USD = &rate, &usd
	}
	return out
}

// round keeps d decimals, so a JSON number reads as the figure it is.
func round(v float64, d int) float64 {
	p := 1.0
	for range d {
		p *= 10
	}
	return float64(int64(v*p+0.5)) / p
}

// estimateJSON is e as a line's estimate; fit is the shortest completion
// duration that fits the quota (0: none), for the cheaper tier.
func estimateJSON(e model.Estimate, extent string, fit int32, rates model.Rates) EstimateJSON {
	q := e.Quantities
	out := EstimateJSON{
		Currency: "USD", Copy: extent, Minutes: e.Minutes,
		CopiedGiB: round(float64(q.CopiedBytes)/(1<<30), 3), StoredGiB: round(float64(q.StoredBytes)/(1<<30), 3),
		AtMost: q.AtMost, BetweenRegions: q.BetweenRegions,
		Storage: chargeJSON(e.Storage), NotPriced: e.Missing,
	}
	if e.Minutes > 0 {
		fee := chargeJSON(e.TimeBased)
		out.TimeBasedFee = &fee
		if m, ok := model.CheaperFit(e.Minutes, fit); ok {
			cheaper := chargeJSON(model.TimeBasedFee(q, m, rates))
			cheaper.Minutes = m
			out.CheaperFit = &cheaper
		}
	}
	if q.BetweenRegions {
		t := chargeJSON(e.Transfer)
		out.Transfer = &t
	}
	return out
}

// dryRunJSON asks AWS whether each copy would be allowed, as dryRun does,
// and prints one DryRunLine per copy, with its estimate, then one for the
// batch. Nothing is copied.
func (c *run) dryRunJSON(res validate.Result, sources []model.Snapshot, facts model.DestinationFacts) int {
	reqs := res.Requests
	d := res.Destination
	ctx, cancel := context.WithTimeout(c.ctx, lookupTimeout)
	send, extents, rates, fit := c.estimateFacts(ctx, res, sources, facts)
	cancel()
	copies, batch := model.EstimateCopies(send, d.Region, extents, reqs[0].CompletionDurationMinutes, rates)
	if d.Kind != model.ToRegion {
		// Outposts and Local Zones have prices of their own, not asked.
		copies, batch = nil, model.Estimate{}
	}
	code := cmd.ExitOK
	enc := json.NewEncoder(c.env.Stdout)
	for i, r := range reqs {
		ctx, cancel := context.WithTimeout(c.ctx, lookupTimeout)
		answer, err := c.client.DryRun(ctx, r)
		cancel()
		line := DryRunLine{Kind: "copy", SourceSnapshot: r.SourceSnapshotID, SourceRegion: r.SourceRegion, Destination: r.Destination().Short(),
			DryRun:   &DryRunAnswer{Allowed: err == nil && answer.Allowed, Message: textsafe.Clean(answer.Message)},
			SnapLock: snapLockJSON(r.SnapLock)}
		if err != nil {
			if code, ok := c.stopped(0); ok {
				return code
			}
			line.DryRun.Message = "dry run failed: " + textsafe.Clean(model.Explain(err, model.Brief()))
		}
		if !line.DryRun.Allowed {
			code = cmd.ExitFailed
		}
		if i < len(copies) {
			e := estimateJSON(copies[i], extentOf(extents, i).Token(), fit, rates)
			line.Estimate = &e
		}
		if err := enc.Encode(line); err != nil {
			c.say("%v", err)
			return cmd.ExitFailed
		}
	}
	line := DryRunLine{Kind: "batch", SourceRegion: reqs[0].SourceRegion, Destination: reqs[0].Destination().Short(), Copies: len(reqs),
		SnapLock: snapLockJSON(reqs[0].SnapLock)}
	if len(copies) > 0 {
		e := estimateJSON(batch, "", fit, rates)
		line.Estimate = &e
	}
	if err := enc.Encode(line); err != nil {
		c.say("%v", err)
		return cmd.ExitFailed
	}
	return code
}

// estimateFacts looks up what the estimate needs, as the form does: the
// sources sent in the order of the requests, whether each copy is full
// or incremental (the destination's earlier copies), the prices (the AWS
// Price List, else AWS's published table for the time-based fee) and the
// shortest duration that fits the Region pair's quota (not counting
// copies already in flight). A look-up that fails is said on standard
// error and leaves its part unknown.
func (c *run) estimateFacts(ctx context.Context, res validate.Result, sources []model.Snapshot, facts model.DestinationFacts) (send []model.Snapshot, extents []model.CopyExtent, rates model.Rates, fit int32) {
	d := res.Destination
	byID := map[string]model.Snapshot{}
	for _, s := range sources {
		byID[s.ID] = s
	}
	for _, r := range res.Requests {
		send = append(send, byID[r.SourceSnapshotID])
	}
	src := res.Requests[0].SourceRegion
	rates = model.Rates{SourceRegion: src, DestinationRegion: d.Region}
	if d.Kind != model.ToRegion {
		return send, nil, rates, 0
	}
	rates, _ = c.client.CopyRates(ctx, src, d.Region) // usable even with an error: Missing says why
	switch {
	case d.Region == src:
		for range send {
			extents = append(extents, model.ExtentFull) // validate.Incremental: never within a Region
		}
	default:
		earlier, err := c.client.EarlierCopies(ctx, d.Region)
		if err != nil {
			c.say("warning: could not list the earlier copies in %s: the estimate takes the full sizes as upper bounds: %s", d.Region, textsafe.Clean(model.Explain(err, model.Brief())))
			break
		}
		volumes := map[string]string{}
		for _, s := range sources {
			if v := s.SourceVolume(); v != "" {
				volumes[s.ID] = v
			}
		}
		for i, s := range send {
			k := validate.Incremental(s, d.Region, earlier, volumes, res.Outcomes[i], facts.Aliases[d.Region])
			extents = append(extents, k.Extent())
		}
	}
	if minutes := res.Requests[0].CompletionDurationMinutes; minutes > 0 {
		quota, _ := c.client.TimeBasedCopyQuota(ctx, d.Region) // AWS's default when it cannot be read
		fit = validate.TimeBasedQuota(send, src, d.Region, minutes, nil, quota).FitMinutes
	}
	return send, extents, rates, fit
}

// extentOf is copy i's extent, unknown when not looked up.
func extentOf(extents []model.CopyExtent, i int) model.CopyExtent {
	if i < len(extents) {
		return extents[i]
	}
	return model.ExtentUnknown
}

// dryRunOutput is the dry run in JSON with --output json; ok is false
// for another output, which dryRun prints.
func (c *run) dryRunOutput(res validate.Result, sources []model.Snapshot, facts model.DestinationFacts) (int, bool) {
	if c.o.output != "json" {
		return 0, false
	}
	return c.dryRunJSON(res, sources, facts), true
}
