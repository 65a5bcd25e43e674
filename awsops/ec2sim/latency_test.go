package ec2sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// allIDs pages through every snapshot the account sees with filters.
func allIDs(t *testing.T, c *ec2.Client, filters []types.Filter) []string {
	t.Helper()
	p := ec2.NewDescribeSnapshotsPaginator(c, &ec2.DescribeSnapshotsInput{
		OwnerIds: []string{"self"}, MaxResults: aws.Int32(1000), Filters: filters,
	})
	var ids []string
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range out.Snapshots {
			ids = append(ids, aws.ToString(s.SnapshotId))
		}
	}
	return ids
}

func idFilter(values ...string) []types.Filter {
	return []types.Filter{{Name: aws.String("snapshot-id"), Values: values}}
}

// The snapshot-id prefix filters snap-00* ... snap-0f* and snap-1* ...
// snap-f* split the listing into disjoint parts whose union is the plain
// listing, paged.
func TestSnapshotIDWildcardsPartitionTheListing(t *testing.T) {
	h := newHarness(t, Options{Seed: 1, ExtraSnapshots: 3000})
	c := h.ec2("us-west-2")
	plain := allIDs(t, c, nil)
	seen := map[string]string{}
	var prefixes []string
	for _, hex := range "0123456789abcdef" {
		prefixes = append(prefixes, "snap-0"+string(hex))
		if hex != '0' {
			prefixes = append(prefixes, "snap-"+string(hex))
		}
	}
	for _, prefix := range prefixes {
		for _, id := range allIDs(t, c, idFilter(prefix+"*")) {
			if !strings.HasPrefix(id, prefix) {
				t.Fatalf("%s* answered %s", prefix, id)
			}
			if other, dup := seen[id]; dup {
				t.Fatalf("%s answered by %s* and %s*", id, other, prefix)
			}
			seen[id] = prefix
		}
	}
	if len(seen) != len(plain) {
		t.Fatalf("the shards hold %d snapshots, the plain listing %d", len(seen), len(plain))
	}
	for _, id := range plain {
		if seen[id] == "" {
			t.Fatalf("%s is in no shard", id)
		}
	}
	// ? and a wildcard inside the value work on snapshot-id as elsewhere.
	one := plain[len(plain)/2]
	if got := allIDs(t, c, idFilter(one[:len(one)-1]+"?")); len(got) == 0 || !slices.Contains(got, one) {
		t.Fatalf("%s? did not find %s: %v", one[:len(one)-1], one, got)
	}
	if got := allIDs(t, c, idFilter("*"+one[7:])); !slices.Contains(got, one) {
		t.Fatalf("*%s did not find %s", one[7:], one)
	}
}

// With wildcards switched off, snap-0* is one literal id: it matches
// nothing, while a literal id and other filters still match.
func TestNoWildcardsReadsValuesLiterally(t *testing.T) {
	h := newHarness(t, Options{Seed: 1, ExtraSnapshots: 500, NoWildcards: true})
	c := h.ec2("us-west-2")
	plain := allIDs(t, c, nil)
	if got := allIDs(t, c, idFilter("snap-0*")); len(got) != 0 {
		t.Fatalf("snap-0* matched %d snapshots with wildcards off", len(got))
	}
	if got := allIDs(t, c, idFilter(plain[3])); len(got) != 1 || got[0] != plain[3] {
		t.Fatalf("literal id: %v", got)
	}
	got := describe(t, c, &ec2.DescribeSnapshotsInput{Filters: []types.Filter{{Name: aws.String("description"), Values: []string{"Nightly backup*"}}}})
	if len(got) != 0 {
		t.Fatalf("description wildcard matched %d with wildcards off", len(got))
	}
	h.sim.SetFaults(Faults{})
	if got := allIDs(t, c, idFilter("snap-0*")); len(got) == 0 {
		t.Fatal("snap-0* matched nothing once wildcards are back on")
	}
}

// A throttle aimed at one filter value throttles only those requests.
func TestThrottleFilterAimsAtOneShard(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	h.sim.SetFaults(Faults{ThrottleRate: 1, ThrottleFilter: "snap-3*"})
	in := func(v string) *ec2.DescribeSnapshotsInput {
		return &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, Filters: idFilter(v)}
	}
	if _, err := c.DescribeSnapshots(ctx, in("snap-3*")); apiCode(err) != "RequestLimitExceeded" {
		t.Fatalf("snap-3*: %v, want RequestLimitExceeded", err)
	}
	for _, v := range []string{"snap-2*", "snap-4*"} {
		if _, err := c.DescribeSnapshots(ctx, in(v)); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
	}
	if _, err := c.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}}); err != nil {
		t.Fatalf("no filter: %v", err)
	}
	// ThrottleNext counts down over the matching requests only.
	h.sim.SetFaults(Faults{ThrottleNext: 2, ThrottleFilter: "snap-3*"})
	if _, err := c.DescribeSnapshots(ctx, in("snap-4*")); err != nil {
		t.Fatalf("snap-4*: %v", err)
	}
	for i := 0; i < 2; i++ {
		if _, err := c.DescribeSnapshots(ctx, in("snap-3*")); apiCode(err) != "RequestLimitExceeded" {
			t.Fatalf("snap-3* request %d: %v", i+1, err)
		}
	}
	if _, err := c.DescribeSnapshots(ctx, in("snap-3*")); err != nil {
		t.Fatalf("third snap-3* request: %v", err)
	}
}

// Every DescribeSnapshots answer waits PageLatency, and requests wait
// side by side: six sent at once are answered together, not one latency
// apart. Serial answers would spread over five latencies; the bound on the
// spread (three) leaves a loaded machine two latencies of slack.
func TestPageLatencyServesRequestsConcurrently(t *testing.T) {
	const lat = time.Second
	h := newHarness(t, Options{Seed: 1, ExtraSnapshots: 2000, PageLatency: lat})
	c := h.ec2("us-west-2")
	var wg sync.WaitGroup
	sent := make([]time.Time, 6)
	answered := make([]time.Time, 6)
	for i := range sent {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sent[i] = time.Now()
			if _, err := c.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, MaxResults: aws.Int32(1000)}); err != nil {
				t.Error(err)
			}
			answered[i] = time.Now()
		}()
	}
	wg.Wait()
	firstAnswered, lastAnswered := answered[0], answered[0]
	for i := range sent {
		// A full page of 1000 adds its share: 1000/pageItemShare of the latency.
		if min, d := lat+lat*1000/pageItemShare, answered[i].Sub(sent[i]); d < min {
			t.Errorf("request %d answered in %v, under the page latency %v", i, d, min)
		}
		if answered[i].After(lastAnswered) {
			lastAnswered = answered[i]
		}
		if answered[i].Before(firstAnswered) {
			firstAnswered = answered[i]
		}
	}
	if spread := lastAnswered.Sub(firstAnswered); spread > 3*lat {
		t.Fatalf("six pages sent at once were answered over %v: the simulator serializes them", spread)
	}
	// Other actions do not wait.
	t0 := time.Now()
	if _, err := c.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(t0); d >= lat {
		t.Fatalf("GetEbsEncryptionByDefault waited %v", d)
	}
}

// The control endpoint reads and writes the listing knobs.
func TestControlListingKnobs(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	body := `{"pageLatency":"250ms","noWildcards":true,"throttleNext":3,"throttleFilter":"snap-a*"}`
	req, _ := http.NewRequest(http.MethodPut, h.url+"/_sim/faults", bytes.NewBufferString(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	f := h.sim.Faults()
	if f.PageLatency != Duration(250*time.Millisecond) || !f.NoWildcards || f.ThrottleNext != 3 || f.ThrottleFilter != "snap-a*" {
		t.Fatalf("faults after PUT: %+v", f)
	}
	if got["pageLatency"] != "250ms" || got["noWildcards"] != true {
		t.Fatalf("GET shows %v", got)
	}
}
