package awsops_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

// plainIDs lists region with the plain sequential paginator.
func plainIDs(t *testing.T, c *awsops.Client, scope awsops.Scope) map[string]bool {
	t.Helper()
	all, err := c.ListSnapshots(context.Background(), "us-west-2", scope, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := make(map[string]bool, len(all))
	for _, s := range all {
		ids[s.ID] = true
	}
	return ids
}

// listing reads a sharded listing to its end, failing on a snapshot handed
// out twice. each, when set, sees every page as it arrives.
type listing struct {
	ids   map[string]bool
	pages []awsops.ListPage
}

func readListing(t *testing.T, ctx context.Context, l *awsops.Listing, each func(awsops.ListPage, map[string]bool)) listing {
	t.Helper()
	got := listing{ids: map[string]bool{}}
	for {
		p, err := l.Next(ctx)
		if err != nil {
			t.Fatalf("after %d snapshots: %v", len(got.ids), err)
		}
		for _, s := range p.Snapshots {
			if got.ids[s.ID] {
				t.Fatalf("%s listed twice", s.ID)
			}
			got.ids[s.ID] = true
		}
		got.pages = append(got.pages, p)
		if each != nil {
			each(p, got.ids)
		}
		if p.Done {
			return got
		}
	}
}

func sameIDs(t *testing.T, got, want map[string]bool) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("listed %d snapshots, the plain paginator %d", len(got), len(want))
	}
	for id := range want {
		if !got[id] {
			t.Fatalf("%s is missing from the listing", id)
		}
	}
}

func TestShardedListingMatchesThePlainPaginator(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1, ExtraSnapshots: 5000})
	for _, scope := range []awsops.Scope{awsops.Owned, awsops.SharedWithMe} {
		t.Run(scope.String(), func(t *testing.T) {
			want := plainIDs(t, c, scope)
			srv.ResetCounts()
			got := readListing(t, context.Background(), c.ListInShards(context.Background(), "us-west-2", scope), nil)
			sameIDs(t, got.ids, want)
			for _, p := range got.pages {
				if p.Note != "" || p.Shards != 17 {
					t.Fatalf("page %+v: want 17 shards and no fallback", p)
				}
			}
			// AWS received seventeen snapshot-id shards (snap-00* ... snap-0f*,
			// and snap-1* ... snap-f* in one) of pages of 1000, and one plain page.
			shards := map[string]bool{}
			plain := 0
			for _, r := range srv.Requests("DescribeSnapshots") {
				if r.Params.Get("MaxResults") != "1000" {
					t.Fatalf("a request without MaxResults 1000: %v", r.Params)
				}
				switch r.Params.Get("Filter.1.Name") {
				case "snapshot-id":
					shards[r.Params.Get("Filter.1.Value.1")] = true
				case "":
					plain++
				}
			}
			if len(shards) != 17 || !shards["snap-00*"] || !shards["snap-0f*"] || !shards["snap-1*"] || plain != 1 {
				t.Fatalf("shards asked for: %v, plain pages: %d", shards, plain)
			}
		})
	}
}

// Where snapshot-id ignores wildcards, every shard comes back empty while
// the plain page is not: the listing pages sequentially, says so once,
// and is still complete.
func TestShardedListingFallsBackWithoutWildcards(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1, ExtraSnapshots: 2500})
	want := plainIDs(t, c, awsops.Owned)
	srv.SetFaults(ec2sim.Faults{NoWildcards: true})
	got := readListing(t, context.Background(), c.ListInShards(context.Background(), "us-west-2", awsops.Owned), nil)
	sameIDs(t, got.ids, want)
	notes := 0
	for _, p := range got.pages {
		if p.Note != "" {
			notes++
			if p.Note != awsops.FallbackNote {
				t.Fatalf("note %q", p.Note)
			}
		}
	}
	if notes != 1 {
		t.Fatalf("the fallback was told %d times, want once", notes)
	}
	if last := got.pages[len(got.pages)-1]; last.Pages < 3 {
		t.Fatalf("%d pages counted for %d snapshots", last.Pages, len(want))
	}
}

// A shard the service keeps throttling does not hold the others up: every
// other shard's snapshots arrive while it is throttled. Once the
// throttling stops it catches up, and the listing holds each snapshot once.
func TestThrottledShardDoesNotStallTheOthers(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1, ExtraSnapshots: 5000})
	want := plainIDs(t, c, awsops.Owned)
	others := 0
	for id := range want {
		if !strings.HasPrefix(id, "snap-03") {
			others++
		}
	}
	srv.SetFaults(ec2sim.Faults{ThrottleRate: 1, ThrottleFilter: "snap-03*"})
	srv.ResetCounts()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	released := false
	got := readListing(t, ctx, c.ListInShards(ctx, "us-west-2", awsops.Owned), func(p awsops.ListPage, ids map[string]bool) {
		if released {
			return
		}
		for _, s := range p.Snapshots {
			if strings.HasPrefix(s.ID, "snap-03") {
				t.Fatalf("%s arrived while its shard was throttled", s.ID)
			}
		}
		if len(ids) == others {
			// Every other shard is complete: now let the throttled one through.
			srv.SetFaults(ec2sim.Faults{})
			released = true
		}
	})
	if !released {
		t.Fatal("the listing ended before the other shards were complete")
	}
	sameIDs(t, got.ids, want)
	asked := 0
	for _, r := range srv.Requests("DescribeSnapshots") {
		if r.Params.Get("Filter.1.Value.1") == "snap-03*" {
			asked++
		}
	}
	if asked < 2 {
		t.Fatalf("the snap-03* shard was asked %d times: its throttled request was not retried", asked)
	}
}

// A find asks AWS with the field's filter and a *term* wildcard.
func TestFindSnapshots(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1, ExtraSnapshots: 300})
	ctx := context.Background()
	all, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	if err != nil {
		t.Fatal(err)
	}
	target := all[len(all)-1]
	cases := []struct {
		by   awsops.FindBy
		term string
		ok   func(model.Snapshot) bool
	}{
		{awsops.FindByID, target.ID, func(s model.Snapshot) bool { return s.ID == target.ID }},
		{awsops.FindByID, target.ID[:12], func(s model.Snapshot) bool { return strings.Contains(s.ID, target.ID[:12]) }},
		{awsops.FindByVolume, target.VolumeID, func(s model.Snapshot) bool { return s.VolumeID == target.VolumeID }},
		{awsops.FindByName, "db-prod", func(s model.Snapshot) bool { return strings.Contains(s.Name(), "db-prod") }},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.by, tc.term), func(t *testing.T) {
			got, err := c.FindSnapshots(ctx, "us-west-2", awsops.Owned, tc.by, tc.term)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				t.Fatalf("nothing found for %q", tc.term)
			}
			for _, s := range got {
				if !tc.ok(s) {
					t.Fatalf("%s (%s, %s) does not match %q", s.ID, s.VolumeID, s.Name(), tc.term)
				}
			}
		})
	}
	_ = srv
}

// moto honours wildcards in snapshot-id filters: the shards hold the same
// snapshots as plain paging, with no fallback.
func TestMotoShardsMatchPlainPaging(t *testing.T) {
	c := motoClient(t, "us-west-2")
	for i := range 24 {
		motoSnapshot(t, c, "us-west-2", 8, fmt.Sprintf("shard test %d", i))
	}
	want := plainIDs(t, c, awsops.Owned)
	if len(want) != 24 {
		t.Fatalf("moto lists %d snapshots, want 24", len(want))
	}
	got := readListing(t, context.Background(), c.ListInShards(context.Background(), "us-west-2", awsops.Owned), nil)
	sameIDs(t, got.ids, want)
	for _, p := range got.pages {
		if p.Note != "" {
			t.Fatalf("moto's shards fell back: %q", p.Note)
		}
	}
}

// inflight serves a simulator and keeps the most DescribeSnapshots
// requests it ever had in flight at once.
type inflight struct {
	next     http.Handler
	mu       sync.Mutex
	now, max int
}

func (h *inflight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.now++
	h.max = max(h.max, h.now)
	h.mu.Unlock()
	h.next.ServeHTTP(w, r)
	h.mu.Lock()
	h.now--
	h.mu.Unlock()
}

// Shards, the check page and finds together keep at most the Region's
// budget of requests in flight, and the shards do run side by side.
func TestListingKeepsToTheRegionBudget(t *testing.T) {
	clock := ec2sim.NewManualClock(simStart)
	srv := ec2sim.New(ec2sim.Options{Seed: 1, ExtraSnapshots: 20_000, Clock: clock, PageLatency: 50 * time.Millisecond})
	h := &inflight{next: srv}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	c := newClient(t, ts.URL, "us-west-2")
	want := plainIDs(t, c, awsops.Owned)
	h.max = 0
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.FindSnapshots(ctx, "us-west-2", awsops.Owned, awsops.FindByName, "db"); err != nil {
				t.Error(err)
			}
		}()
	}
	got := readListing(t, ctx, c.ListInShards(ctx, "us-west-2", awsops.Owned), nil)
	wg.Wait()
	sameIDs(t, got.ids, want)
	if h.max > awsops.RegionRequestBudget || h.max < awsops.RegionRequestBudget/2 {
		t.Fatalf("at most %d requests in flight, want between %d and %d", h.max, awsops.RegionRequestBudget/2, awsops.RegionRequestBudget)
	}
}

// A page that cannot be decoded ends its shard only: the shard's pages
// before it and every other shard are handed out, the error is told once
// as the shard stops, and the listing ends with it, not complete.
func TestUndecodablePageStopsOnlyItsShard(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1, NoSeedWorld: true, ExtraSnapshots: 20000})
	all, err := c.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The largest shard takes two pages; its last snapshot is on the second.
	byShard := map[string][]model.Snapshot{}
	big := ""
	for _, s := range all {
		k := s.ID[:len("snap-0x")]
		byShard[k] = append(byShard[k], s)
		if len(byShard[k]) > len(byShard[big]) {
			big = k
		}
	}
	if len(byShard[big]) <= awsops.PageSize {
		t.Fatalf("the largest shard holds %d snapshots: want more than a page", len(byShard[big]))
	}
	bad := byShard[big][len(byShard[big])-1]
	bad.Description = "nightly \x1b[31mRED\x1b[0m"
	simtest.Add(srv, "us-west-2", bad)
	f := srv.Faults()
	f.RawControlCharacters = true
	srv.SetFaults(f)

	l := c.ListInShards(context.Background(), "us-west-2", awsops.Owned)
	ids := map[string]bool{}
	var stopped []error
	var end error
	for {
		p, err := l.Next(context.Background())
		for _, s := range p.Snapshots {
			if ids[s.ID] {
				t.Fatalf("%s listed twice", s.ID)
			}
			ids[s.ID] = true
		}
		if p.Stopped != nil {
			stopped = append(stopped, p.Stopped)
		}
		if err != nil {
			end = err
			break
		}
		if p.Done {
			t.Fatal("the listing says it is complete")
		}
	}
	ae, ok := model.AsAPIError(end)
	if !ok || ae.Kind != model.ErrUndecodable || len(stopped) != 1 || stopped[0] != end {
		t.Fatalf("ended on %v after %d shard stops %v: want the undecodable page, told once as its shard stopped", end, len(stopped), stopped)
	}
	inBig := 0
	for _, s := range all {
		switch {
		case s.ID[:len("snap-0x")] == big:
			if ids[s.ID] {
				inBig++
			}
		case !ids[s.ID]:
			t.Fatalf("%s of a good shard is missing", s.ID)
		}
	}
	if inBig != awsops.PageSize || ids[bad.ID] {
		t.Fatalf("%d of the bad shard listed (the bad one: %v), want its first page of %d", inBig, ids[bad.ID], awsops.PageSize)
	}
	if len(ids) != len(all)-len(byShard[big])+awsops.PageSize {
		t.Fatalf("%d listed of %d", len(ids), len(all))
	}
	if p, err := l.Next(context.Background()); !p.Done || err != nil {
		t.Fatalf("after its end the listing gave %+v, %v", p, err)
	}
}
