package validate

import (
	"fmt"
	"strconv"

	"github.com/snapcopy/snapcopy/model"
)

// TimeBasedCopy is a time-based copy already in flight, for the sum of a
// Region pair's throughput (the tracker knows them).
type TimeBasedCopy struct {
	SourceRegion      string
	DestinationRegion string
	Bytes             int64 // the data the copy moves (the full size is an upper bound)
	Minutes           int32 // its completion duration
}

// ThroughputMiBps is a time-based copy's throughput: its data ÷ its
// completion duration.
func ThroughputMiBps(bytes int64, minutes int32) float64 {
	if minutes <= 0 {
		return 0
	}
	return float64(bytes) / (1 << 20) / (float64(minutes) * 60)
}

// QuotaCheck is a batch of time-based copies measured against the
// cumulative throughput quota of its source and destination Region pair.
type QuotaCheck struct {
	SourceRegion, DestinationRegion string
	BatchMiBps                      float64 // the batch's copies at the form's duration
	InFlightMiBps                   float64 // time-based copies already in flight for the pair
	SumMiBps                        float64
	Quota                           model.ThroughputQuota
	// Exceeds: AWS accepts the copies, but they finish late.
	Exceeds bool
	// FitMinutes is the shortest completion duration (a multiple of 15, at
	// most 2880) at which the batch fits beside the copies in flight, each
	// copy also within CopyThroughputMiBps; 0 when none does.
	FitMinutes int32
}

// TimeBasedQuota adds up the throughput of the batch at minutes and of the
// time-based copies in flight between the same Regions, and finds the
// shortest duration that fits the quota (a zero quota is AWS's default).
// Sizes are full snapshot sizes: an incremental copy moves less, which the
// API does not tell, so the full size is the upper bound.
func TimeBasedQuota(batch []model.Snapshot, sourceRegion, destRegion string, minutes int32, inFlight []TimeBasedCopy, quota model.ThroughputQuota) QuotaCheck {
	if quota.MiBps <= 0 {
		quota = model.ThroughputQuota{MiBps: model.DefaultTimeBasedQuotaMiBps, Default: true}
	}
	qc := QuotaCheck{SourceRegion: sourceRegion, DestinationRegion: destRegion, Quota: quota}
	for _, c := range inFlight {
		if c.SourceRegion == sourceRegion && c.DestinationRegion == destRegion {
			qc.InFlightMiBps += ThroughputMiBps(c.Bytes, c.Minutes)
		}
	}
	var total int64
	var need int64 // the per-copy limit's shortest duration
	for _, s := range batch {
		total += snapshotBytes(s)
		need = max(need, NeededMinutes(s))
	}
	qc.BatchMiBps = ThroughputMiBps(total, minutes)
	qc.SumMiBps = qc.BatchMiBps + qc.InFlightMiBps
	qc.Exceeds = minutes > 0 && len(batch) > 0 && qc.SumMiBps > quota.MiBps
	for m := int64(MinDuration); m <= MaxDuration; m += DurationStep {
		if m >= need && qc.InFlightMiBps+ThroughputMiBps(total, int32(m)) <= quota.MiBps {
			qc.FitMinutes = int32(m)
			break
		}
	}
	return qc
}

// Problem is the form's warning for a batch over the quota, on the
// duration field; nil when it fits.
func (qc QuotaCheck) Problem() []Problem {
	if !qc.Exceeds {
		return nil
	}
	quota := FormatMiBps(qc.Quota.MiBps)
	if qc.Quota.Default {
		quota += " (AWS's default: the account's quota could not be read)"
	}
	sum := FormatMiBps(qc.SumMiBps)
	if qc.InFlightMiBps > 0 {
		sum += fmt.Sprintf(" (%s for these copies, %s already in flight)", FormatMiBps(qc.BatchMiBps), FormatMiBps(qc.InFlightMiBps))
	}
	fit := fmt.Sprintf("%d minutes fits", qc.FitMinutes)
	if qc.FitMinutes == 0 {
		fit = fmt.Sprintf("no completion duration up to %d minutes fits: send fewer copies, or standard copies", MaxDuration)
	}
	return []Problem{warnf(FieldDuration, "Time-based copies from %s to %s need %s, over the quota of %s for that Region pair: AWS accepts them, but they finish late; %s",
		qc.SourceRegion, qc.DestinationRegion, sum, quota, fit)}
}

// FormatMiBps writes a throughput as people read it: "2,000 MiB/s".
func FormatMiBps(v float64) string {
	n := strconv.FormatInt(int64(v+0.5), 10)
	out := make([]byte, 0, len(n)+len(n)/3)
	for i := range len(n) {
		if i > 0 && (len(n)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, n[i])
	}
	return string(out) + " MiB/s"
}
