package ec2sim

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

func TestFaultsAnswerAWSErrors(t *testing.T) {
	cases := []struct {
		name   string
		faults Faults
		code   string
		status int
	}{
		{"throttle", Faults{ThrottleRate: 1}, "RequestLimitExceeded", http.StatusServiceUnavailable},
		{"server error", Faults{ServerErrorRate: 1}, "InternalError", http.StatusInternalServerError},
		{"expired credentials", Faults{ExpiredCredentials: true}, "RequestExpired", http.StatusBadRequest},
		{"denied permission", Faults{DenyPermission: true}, "UnauthorizedOperation", http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Options{Seed: 1})
			c := h.ec2("us-west-2")
			h.sim.SetFaults(tc.faults)
			_, err := c.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}})
			if apiCode(err) != tc.code || httpStatus(err) != tc.status {
				t.Fatalf("got %v (status %d), want %s %d", err, httpStatus(err), tc.code, tc.status)
			}
			if h.sim.Count("DescribeSnapshots", "us-west-2") != 1 {
				t.Errorf("a faulted request was not counted: %v", h.sim.Counts())
			}
			h.sim.SetFaults(Faults{})
			if _, err := c.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}}); err != nil {
				t.Fatalf("after clearing the faults: %v", err)
			}
		})
	}
}

// Latency is added to every answer; the test looks at what was answered,
// not at the clock.
func TestFaultsLatency(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	h.sim.SetFaults(Faults{Latency: Duration(20 * time.Millisecond)})
	if got := h.sim.Faults().Latency; got != Duration(20*time.Millisecond) {
		t.Fatalf("Faults().Latency = %v", got)
	}
	c := h.ec2("us-west-2")
	for i := 0; i < 3; i++ {
		if _, err := c.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := h.sim.Count("GetEbsEncryptionByDefault", "us-west-2"); n != 3 {
		t.Fatalf("count = %d, want 3", n)
	}
}

func TestFaultsDrop(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	src := h.byName("us-west-2", "web-frontend-01")
	copyTagged := func(id string) error {
		_, err := c.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: &src,
			TagSpecifications: tagSpec(types.Tag{Key: aws.String("snapcopy:request-id"), Value: aws.String(id)})})
		return err
	}
	withTag := func(id string) int {
		return len(describe(t, c, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"},
			Filters: []types.Filter{{Name: aws.String("tag:snapcopy:request-id"), Values: []string{id}}}}))
	}

	h.sim.SetFaults(Faults{DropNext: 1, Actions: []string{"CopySnapshot"}})
	err := copyTagged("dropped-before")
	if err == nil || apiCode(err) != "" {
		t.Fatalf("dropped request: %v, want a transport error", err)
	}
	if n := withTag("dropped-before"); n != 0 {
		t.Errorf("a request dropped before applying made %d copies", n)
	}
	if f := h.sim.Faults(); f.DropNext != 0 {
		t.Errorf("DropNext = %d after one drop", f.DropNext)
	}
	if err := copyTagged("next"); err != nil {
		t.Fatalf("the request after the drop: %v", err)
	}

	h.sim.SetFaults(Faults{DropNext: 1, DropAfterApply: true})
	if err := copyTagged("dropped-after"); err == nil || apiCode(err) != "" {
		t.Fatalf("dropped request: %v, want a transport error", err)
	}
	if n := withTag("dropped-after"); n != 1 {
		t.Errorf("a request dropped after applying made %d copies, want 1", n)
	}

	h.sim.SetFaults(Faults{DropRate: 1, Actions: []string{"DescribeRegions"}})
	if _, err := c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{}); err == nil || apiCode(err) != "" {
		t.Fatalf("DropRate 1: %v, want a transport error", err)
	}
}

// Faults limited to some actions leave the others alone.
func TestFaultsOnlyForActions(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	h.sim.SetFaults(Faults{ThrottleRate: 1, Actions: []string{"CopySnapshot"}})
	c := h.ec2("us-west-2")
	if _, err := c.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}}); err != nil {
		t.Fatalf("DescribeSnapshots: %v", err)
	}
	_, err := c.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(h.byName("us-west-2", "web-frontend-01"))})
	if apiCode(err) != "RequestLimitExceeded" {
		t.Fatalf("CopySnapshot: %v", err)
	}
}

// Rates use the seeded dice: the same seed faults the same requests.
func TestFaultRatesAreRepeatable(t *testing.T) {
	pattern := func(seed int64) []bool {
		h := newHarness(t, Options{Seed: seed})
		h.sim.SetFaults(Faults{ThrottleRate: 0.5})
		c := h.ec2("us-west-2")
		var out []bool
		for i := 0; i < 30; i++ {
			_, err := c.GetEbsDefaultKmsKeyId(ctx, &ec2.GetEbsDefaultKmsKeyIdInput{})
			out = append(out, err != nil)
		}
		return out
	}
	a, b := pattern(42), pattern(42)
	throttled := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("request %d: %v then %v with the same seed", i, a[i], b[i])
		}
		if a[i] {
			throttled++
		}
	}
	if throttled == 0 || throttled == len(a) {
		t.Errorf("%d of %d throttled at rate 0.5", throttled, len(a))
	}
}

func TestFaultsKMS(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	h.sim.SetFaults(Faults{ThrottleRate: 1})
	_, err := h.kms("us-west-2").ListAliases(ctx, &kms.ListAliasesInput{})
	if apiCode(err) != "ThrottlingException" {
		t.Fatalf("ListAliases: %v", err)
	}
	h.sim.SetFaults(Faults{ExpiredCredentials: true})
	if _, err := h.kms("us-west-2").ListAliases(ctx, &kms.ListAliasesInput{}); apiCode(err) != "ExpiredTokenException" {
		t.Fatalf("ListAliases: %v", err)
	}
	if n := h.sim.Count("ListAliases", "us-west-2"); n != 2 {
		t.Errorf("ListAliases count = %d", n)
	}
}

func TestCountsPerActionAndRegion(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	for _, region := range []string{"us-west-2", "us-west-2", "eu-west-1"} {
		if _, err := h.ec2(region).DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.ec2("us-east-1").DescribeRegions(ctx, &ec2.DescribeRegionsInput{}); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"DescribeSnapshots us-west-2": 2, "DescribeSnapshots eu-west-1": 1, "DescribeRegions us-east-1": 1}
	got := h.sim.Counts()
	if len(got) != len(want) {
		t.Fatalf("Counts = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Counts[%q] = %d, want %d", k, got[k], v)
		}
	}
	if r := h.sim.Requests("DescribeSnapshots"); len(r) != 3 || r[2].Region != "eu-west-1" || r[0].Params.Get("Owner.1") != "self" || !r[0].At.Equal(t0) {
		t.Errorf("Requests = %+v", r)
	}
	h.sim.ResetCounts()
	if len(h.sim.Counts()) != 0 || len(h.sim.Requests("")) != 0 {
		t.Errorf("after ResetCounts: %v", h.sim.Counts())
	}
}

func TestRequestLogIsBounded(t *testing.T) {
	s := New(Options{NoSeedWorld: true, Clock: NewManualClock(t0)})
	for i := 0; i < maxRecorded+5; i++ {
		s.record(&request{action: "DescribeRegions", region: "us-east-1", params: map[string][]string{"n": {string(rune('a' + i%26))}}, now: t0.Add(time.Duration(i) * time.Second)})
	}
	r := s.Requests("")
	if len(r) != maxRecorded || !r[0].At.Equal(t0.Add(5*time.Second)) || !r[len(r)-1].At.Equal(t0.Add(time.Duration(maxRecorded+4)*time.Second)) {
		t.Fatalf("kept %d, first at %v, last at %v", len(r), r[0].At, r[len(r)-1].At)
	}
	if s.Count("DescribeRegions", "us-east-1") != maxRecorded+5 {
		t.Errorf("count %d", s.Count("DescribeRegions", "us-east-1"))
	}
}
