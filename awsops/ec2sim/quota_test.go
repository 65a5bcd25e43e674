package ec2sim

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Time-based copies share a cumulative throughput quota per source and
// destination Region pair: beyond it a copy finishes late in proportion,
// and with nothing left a request fails.
func TestTimeBasedQuota(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	east := h.ec2("us-east-1")
	big := h.byName("us-west-2", "analytics-warehouse")
	src := describeOne(t, h.ec2("us-west-2"), big)
	need := float64(aws.ToInt64(src.FullSnapshotSizeInBytes)) / (1 << 20) / (15 * 60)
	if need <= 2000 {
		t.Fatalf("analytics-warehouse needs %.0f MiB/s in 15 minutes; the test wants more than the quota", need)
	}
	timed := func(region, id string, minutes int32) (string, error) {
		out, err := east.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String(region), SourceSnapshotId: aws.String(id), CompletionDurationMinutes: aws.Int32(minutes)})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.SnapshotId), nil
	}
	id, err := timed("us-west-2", big, 15)
	if err != nil {
		t.Fatalf("a copy over the quota is accepted: %v", err)
	}
	late := time.Duration(float64(15*time.Minute) * need / 2000)
	h.clock.Advance(15 * time.Minute)
	if s := describeOne(t, east, id); s.State != types.SnapshotStatePending {
		t.Fatalf("at its deadline the copy over the quota is %s, want still pending", s.State)
	}

	// The pair's quota is used up: another time-based copy is refused...
	web := h.byName("us-west-2", "web-frontend-01")
	if _, err := timed("us-west-2", web, 60); apiCode(err) != "ResourceLimitExceeded" {
		t.Errorf("time-based copy with no quota left: %v, want ResourceLimitExceeded", err)
	}
	// ...a standard copy is not, nor a time-based copy between other Regions.
	if _, err := east.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(web)}); err != nil {
		t.Errorf("standard copy: %v", err)
	}
	if _, err := timed("eu-west-1", h.byName("eu-west-1", "eu-web"), 60); err != nil {
		t.Errorf("time-based copy from eu-west-1: %v", err)
	}

	h.clock.Advance(late - 15*time.Minute - time.Second)
	if s := describeOne(t, east, id); s.State != types.SnapshotStatePending {
		t.Fatalf("a second before %v the copy is %s", late, s.State)
	}
	h.clock.Advance(2 * time.Second)
	if s := describeOne(t, east, id); s.State != types.SnapshotStateCompleted {
		t.Fatalf("after %v (15 minutes × %.0f/2000) the copy is %s, want completed", late, need, s.State)
	}
	// Finished, it frees the quota.
	if _, err := timed("us-west-2", web, 60); err != nil {
		t.Errorf("time-based copy after the first finished: %v", err)
	}
}

// A raised quota (Service Quotas) lets the same copy finish in time.
func TestTimeBasedQuotaRaised(t *testing.T) {
	h := newHarness(t, Options{Seed: 1, TimeBasedQuotaMiBps: 100000})
	east := h.ec2("us-east-1")
	out, err := east.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"),
		SourceSnapshotId: aws.String(h.byName("us-west-2", "analytics-warehouse")), CompletionDurationMinutes: aws.Int32(15)})
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(15 * time.Minute)
	if s := describeOne(t, east, aws.ToString(out.SnapshotId)); s.State != types.SnapshotStateCompleted {
		t.Errorf("within a raised quota the copy is %s at its deadline, want completed", s.State)
	}
}

// An earlier copy of the same volume in the destination makes a copy
// incremental (quicker); a different KMS key makes it a full copy.
func TestIncrementalCopy(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	east := h.ec2("us-east-1")
	day3 := h.byName("us-west-2", "orders-db-day3")
	earlier, ok := h.sim.SnapshotByName("us-east-1", "orders-db-day1-dr")
	if !ok || earlier.VolumeID != "vol-ffffffff" || earlier.Tag("snapcopy:source-volume") == "" || earlier.State != "completed" {
		t.Fatalf("seeded copy of the lineage volume: %+v", earlier)
	}
	inc, err := east.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(day3)})
	if err != nil {
		t.Fatal(err)
	}
	full, err := east.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(day3),
		Encrypted: aws.Bool(true), KmsKeyId: aws.String("alias/backup")})
	if err != nil {
		t.Fatal(err)
	}
	fullTime := time.Duration(400*1024/BaseThroughputMiBps) * time.Second
	h.clock.Advance(fullTime / 5)
	if s := describeOne(t, east, aws.ToString(inc.SnapshotId)); s.State != types.SnapshotStateCompleted {
		t.Errorf("incremental copy after a fifth of a full copy's time: %s %s, want completed", s.State, aws.ToString(s.Progress))
	}
	if s := describeOne(t, east, aws.ToString(full.SnapshotId)); s.State != types.SnapshotStatePending {
		t.Errorf("copy under another key (full) after a fifth of its time: %s, want pending", s.State)
	}
	// The new copy remembers its lineage: a copy of day2 builds on it too.
	day2 := h.byName("us-west-2", "orders-db-day2")
	next, err := east.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(day2)})
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(fullTime / 5)
	if s := describeOne(t, east, aws.ToString(next.SnapshotId)); s.State != types.SnapshotStateCompleted {
		t.Errorf("second incremental copy: %s", s.State)
	}
}
