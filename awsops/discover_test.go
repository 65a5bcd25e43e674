package awsops_test

import (
	"context"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

// Discovery asks each enabled Region once, filtered on status=pending, and
// tells snapcopy's copies from AWS's "[Copied … from …]" ones.
func TestDiscoverPendingAsksEachEnabledRegionOnce(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 3, VisibilityLag: -1})
	ctx := context.Background()
	src, ok := simtest.ByName(srv, "us-west-2", "web-frontend-01")
	if !ok {
		t.Fatal("no web-frontend-01 in the seeded world")
	}
	ours := model.NewCopy(model.CopyRequest{DestinationRegion: "eu-west-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID, Description: "ours"}, src, simStart)
	oursID, err := c.CopySnapshot(ctx, ours.Request)
	if err != nil {
		t.Fatal(err)
	}
	theirsID, err := c.CopySnapshot(ctx, model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID})
	if err != nil {
		t.Fatal(err)
	}
	regions, err := c.Regions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCounts()

	d, err := c.DiscoverPending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	enabled := 0
	for _, r := range regions {
		want := 0
		if r.Enabled() {
			want = 1
			enabled++
		}
		if got := srv.Count("DescribeSnapshots", r.Name); got != want {
			t.Errorf("DescribeSnapshots in %s: %d calls, want %d", r.Name, got, want)
		}
	}
	if len(d.Regions) != enabled || len(d.Refused) != 0 {
		t.Errorf("asked %v, refused %v; want the %d enabled Regions, none refused", d.Regions, d.Refused, enabled)
	}
	for _, rq := range srv.Requests("DescribeSnapshots") {
		if rq.Params.Get("Filter.1.Name") != "status" || rq.Params.Get("Filter.1.Value.1") != "pending" {
			t.Errorf("DescribeSnapshots in %s not filtered on status=pending: %v", rq.Region, rq.Params)
		}
	}
	origins := map[string]model.Provenance{}
	for _, s := range d.Pending {
		origins[s.ID] = model.ProvenanceOf(s)
	}
	if p := origins[oursID]; p.Origin != model.OriginSnapcopy || p.RequestID != ours.RequestID {
		t.Errorf("snapcopy's copy %s: %+v", oursID, p)
	}
	if p := origins[theirsID]; p.Origin != model.OriginOther || p.SourceSnapshotID != src.ID || p.SourceRegion != "us-west-2" {
		t.Errorf("the other copy %s: %+v", theirsID, p)
	}
}

// A Region that refuses is named and skipped; discovery itself goes on.
func TestDiscoverPendingNamesRefusingRegions(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 3, VisibilityLag: -1})
	srv.SetFaults(ec2sim.Faults{DenyPermission: true, Actions: []string{"DescribeSnapshots"}})
	d, err := c.DiscoverPending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Refused) == 0 || len(d.Refused) != len(d.Regions) {
		t.Fatalf("refused %d of %d Regions, want all", len(d.Refused), len(d.Regions))
	}
	r := d.Refused[0]
	ae, ok := model.AsAPIError(r.Err)
	if r.Region == "" || !ok || ae.Kind != model.ErrPermission || !strings.Contains(ae.Code, "Unauthorized") {
		t.Errorf("refusal %s: %v", r.Region, r.Err)
	}
}
