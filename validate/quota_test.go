package validate

import (
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

func gibSnap(id string, gib int64) model.Snapshot {
	s := snap()
	s.ID, s.FullSizeBytes = id, gib<<30
	return s
}

func TestTimeBasedQuota(t *testing.T) {
	batch := []model.Snapshot{gibSnap("snap-0aaaaaaaaaaaaaaa1", 300), gibSnap("snap-0aaaaaaaaaaaaaaa2", 300), gibSnap("snap-0aaaaaaaaaaaaaaa3", 300), gibSnap("snap-0aaaaaaaaaaaaaaa4", 300)}
	// 1,000 MiB/s already in flight from us-west-2 to us-east-1: 3,600,000 MiB over 60 minutes.
	pair := TimeBasedCopy{SourceRegion: "us-west-2", DestinationRegion: "us-east-1", Bytes: 3600000 << 20, Minutes: 60}
	other := TimeBasedCopy{SourceRegion: "eu-west-1", DestinationRegion: "us-east-1", Bytes: 3600000 << 20, Minutes: 60}
	full := TimeBasedCopy{SourceRegion: "us-west-2", DestinationRegion: "us-east-1", Bytes: 7200000 << 20, Minutes: 60}
	tests := []struct {
		name     string
		batch    []model.Snapshot
		minutes  int32
		inFlight []TimeBasedCopy
		quota    model.ThroughputQuota
		sum      float64
		exceeds  bool
		fit      int32
		isDef    bool
	}{
		// 1,228,800 MiB in 900 s = 1,365 MiB/s.
		{"batch alone fits", batch, 15, nil, model.ThroughputQuota{}, 1365.33, false, 15, true},
		{"with the copies in flight it does not", batch, 15, []TimeBasedCopy{pair}, model.ThroughputQuota{}, 2365.33, true, 30, true},
		{"copies between other Regions do not count", batch, 15, []TimeBasedCopy{other}, model.ThroughputQuota{}, 1365.33, false, 15, true},
		{"a raised quota", batch, 15, []TimeBasedCopy{pair}, model.ThroughputQuota{MiBps: 5000}, 2365.33, false, 15, false},
		{"quota full: no duration fits", batch, 15, []TimeBasedCopy{full}, model.ThroughputQuota{}, 3365.33, true, 0, true},
		// 1,000 GiB needs 45 minutes at 500 MiB/s per copy, whatever the quota.
		{"the per-copy limit sets the fit", []model.Snapshot{gibSnap("snap-0aaaaaaaaaaaaaaa1", 1000)}, 15, nil, model.ThroughputQuota{}, 1137.78, false, 45, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			qc := TimeBasedQuota(tc.batch, "us-west-2", "us-east-1", tc.minutes, tc.inFlight, tc.quota)
			if qc.SumMiBps < tc.sum-0.01 || qc.SumMiBps > tc.sum+0.01 || qc.Exceeds != tc.exceeds || qc.FitMinutes != tc.fit || qc.Quota.Default != tc.isDef {
				t.Errorf("got sum %.2f exceeds %v fit %d default %v; want %.2f %v %d %v", qc.SumMiBps, qc.Exceeds, qc.FitMinutes, qc.Quota.Default, tc.sum, tc.exceeds, tc.fit, tc.isDef)
			}
		})
	}
}

// The form names the sum, the quota and the shortest duration that fits.
func TestCheckTimeBasedQuota(t *testing.T) {
	batch := []model.Snapshot{gibSnap("snap-0aaaaaaaaaaaaaaa1", 300), gibSnap("snap-0aaaaaaaaaaaaaaa2", 300), gibSnap("snap-0aaaaaaaaaaaaaaa3", 300), gibSnap("snap-0aaaaaaaaaaaaaaa4", 300)}
	f := Form{Kind: model.ToRegion, Destination: "us-east-1", Duration: "15",
		InFlight: []TimeBasedCopy{{SourceRegion: "us-west-2", DestinationRegion: "us-east-1", Bytes: 3600000 << 20, Minutes: 60}}}
	r := Check(batch, facts(), f, now)
	wantProblem(t, r.Problems, FieldDuration, Warning, "us-west-2 to us-east-1", "2,365 MiB/s", "1,365 MiB/s for these copies", "1,000 MiB/s already in flight",
		"quota of 2,000 MiB/s", "AWS's default", "finish late", "30 minutes fits")
	if !r.OK() || r.Quota.FitMinutes != 30 {
		t.Errorf("a batch over the quota is a warning, not an error: OK %v fit %d", r.OK(), r.Quota.FitMinutes)
	}
	f.Quota = model.ThroughputQuota{MiBps: 2500}
	for _, p := range Check(batch, facts(), f, now).For(FieldDuration) {
		t.Errorf("within a quota of 2,500 MiB/s: %s", p)
	}
	f.Duration = ""
	if r := Check(batch, facts(), f, now); r.Quota.Exceeds || r.Quota.SumMiBps != 0 {
		t.Errorf("standard copies measured against the quota: %+v", r.Quota)
	}
}

func TestFormatMiBps(t *testing.T) {
	for v, want := range map[float64]string{2000: "2,000 MiB/s", 500: "500 MiB/s", 1234567.4: "1,234,567 MiB/s", 0.4: "0 MiB/s", 999.5: "1,000 MiB/s"} {
		if got := FormatMiBps(v); got != want {
			t.Errorf("FormatMiBps(%v) = %q, want %q", v, got, want)
		}
	}
}

// A duration too short is accepted by AWS and the deadline missed.
func TestDurationFitsSaysDeadlineMissed(t *testing.T) {
	ps := DurationFits(15, []model.Snapshot{gibSnap("snap-0aaaaaaaaaaaaaaa1", 1000)})
	wantProblem(t, ps, FieldDuration, Warning, "AWS accepts a shorter one", "misses its deadline")
	for _, p := range ps {
		if strings.Contains(p.Message, "refuse") {
			t.Errorf("message says AWS refuses: %s", p.Message)
		}
	}
}
