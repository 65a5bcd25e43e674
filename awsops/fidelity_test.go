package awsops_test

import (
	"context"
	"testing"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
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

// RestorableByUserIds=self returns the account's own snapshots too (AWS and
// the simulator alike): the shared view leaves them out.
func TestSimSharedViewLeavesOutOwnSnapshots(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults ec2sim.Faults
	}{
		{"caller from STS", ec2sim.Faults{}},
		// Without STS the owner of an owned snapshot names the account.
		{"STS unreachable", ec2sim.Faults{ExpiredCredentials: true, Actions: []string{"GetCallerIdentity"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _, c := simClient(t, ec2sim.Options{Seed: 1})
			srv.SetFaults(tc.faults)
			shared, err := c.ListSnapshots(context.Background(), "us-west-2", awsops.SharedWithMe, nil)
			if err != nil {
				t.Fatalf("shared: %v", err)
			}
			if len(shared) != 3 {
				t.Errorf("shared view lists %d snapshots, want the 3 another account shares", len(shared))
			}
			for _, s := range shared {
				if s.OwnerID != ec2sim.SharingAccountID {
					t.Errorf("shared view lists %s (%s) owned by %s", s.ID, s.Name(), s.OwnerID)
				}
			}
		})
	}
}

func TestSimAccount(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1})
	for range 2 {
		if id, err := c.Account(context.Background()); err != nil || id != ec2sim.AccountID {
			t.Fatalf("Account = %q, %v; want %s", id, err, ec2sim.AccountID)
		}
	}
	if n := srv.Count("GetCallerIdentity", "us-west-2"); n != 1 {
		t.Errorf("GetCallerIdentity asked %d times, want once", n)
	}
}

// moto, like AWS, answers RestorableByUserIds=self with the account's own
// snapshots: the shared view must hold none of them.
func TestMotoSharedViewLeavesOutOwnSnapshots(t *testing.T) {
	c := motoClient(t, "us-west-2")
	ctx := context.Background()
	motoSnapshot(t, c, "us-west-2", 8, "own one")
	motoSnapshot(t, c, "us-west-2", 16, "own two")
	if id, err := c.Account(ctx); err != nil || id != motoAccount {
		t.Fatalf("Account = %q, %v; want %s", id, err, motoAccount)
	}
	owned, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	if err != nil || len(owned) != 2 {
		t.Fatalf("owned: %d, %v", len(owned), err)
	}
	shared, err := c.ListSnapshots(ctx, "us-west-2", awsops.SharedWithMe, nil)
	if err != nil {
		t.Fatalf("shared: %v", err)
	}
	for _, s := range shared {
		t.Errorf("shared view lists the account's own %s (%q, owner %s)", s.ID, s.Description, s.OwnerID)
	}
}

// The time-based copy quota comes from Service Quotas; when it cannot be
// read, AWS's default is used and marked as such.
func TestSimTimeBasedCopyQuota(t *testing.T) {
	ctx := context.Background()
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1, TimeBasedQuotaMiBps: 3500})
	q, err := c.TimeBasedCopyQuota(ctx, "us-east-1")
	if err != nil || q.MiBps != 3500 || q.Default {
		t.Errorf("quota = %+v, %v; want 3500 MiB/s from Service Quotas", q, err)
	}
	reqs := srv.Requests("GetServiceQuota")
	if len(reqs) != 1 || reqs[0].Region != "us-east-1" || reqs[0].Params.Get("ServiceCode") != "ebs" || reqs[0].Params.Get("QuotaCode") != "L-E137849C" {
		t.Errorf("sent %+v", reqs)
	}

	srv.SetFaults(ec2sim.Faults{DenyPermission: true, Actions: []string{"GetServiceQuota"}})
	q, err = c.TimeBasedCopyQuota(ctx, "us-east-1")
	if err == nil || q.MiBps != model.DefaultTimeBasedQuotaMiBps || !q.Default {
		t.Errorf("denied: quota = %+v, %v; want the default 2000 MiB/s marked default, and the reason", q, err)
	}
	if ae, ok := model.AsAPIError(err); !ok || ae.Code != "AccessDeniedException" {
		t.Errorf("denied: error %v", err)
	}
}
