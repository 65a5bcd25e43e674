package awsops_test

import (
	"context"
	"testing"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
)

// The look-up before a resend pages (MaxResults) and filters by the
// request tag, so it stays cheap on an account with many snapshots.
func TestSimFindByRequestIDPagesAndFilters(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 3, VisibilityLag: -1})
	srv.ResetCounts()
	if _, ok, err := c.FindByRequestID(context.Background(), "us-east-1", "sc-00000000000000ff"); ok || err != nil {
		t.Fatalf("FindByRequestID of an unknown request = %v, %v", ok, err)
	}
	reqs := srv.Requests("DescribeSnapshots")
	if len(reqs) != 1 {
		t.Fatalf("%d DescribeSnapshots requests, want 1", len(reqs))
	}
	p := reqs[0].Params
	if p.Get("MaxResults") != "1000" || p.Get("Filter.1.Name") != "tag:snapcopy:request-id" || p.Get("Filter.1.Value.1") != "sc-00000000000000ff" {
		t.Errorf("the look-up sent %v; want MaxResults=1000 and the request-tag filter", p)
	}
}
