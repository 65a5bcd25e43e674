package awsops_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
)

// faultSim is a small world with a manual clock; opts shape the client.
func faultSim(t *testing.T, opts ...func(*awsops.Options)) (*ec2sim.Server, *awsops.Client) {
	t.Helper()
	srv, _, c := simClient(t, ec2sim.Options{Seed: 11, NoSeedWorld: true, ExtraSnapshots: 30}, opts...)
	return srv, c
}

func noRetries(o *awsops.Options) { o.RetryMaxAttempts = 1 }

// listError lists us-west-2 and returns the error as an APIError.
func listError(t *testing.T, c *awsops.Client) *model.APIError {
	t.Helper()
	_, err := c.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
	ae, ok := model.AsAPIError(err)
	if !ok {
		t.Fatalf("ListSnapshots = %v, want an APIError", err)
	}
	if ae.Op != "DescribeSnapshots" || ae.Region != "us-west-2" {
		t.Errorf("error names %s in %s", ae.Op, ae.Region)
	}
	return ae
}

func TestSimErrorConversion(t *testing.T) {
	cases := []struct {
		name      string
		faults    ec2sim.Faults
		code      string
		status    int
		message   string
		kind      model.ErrorKind
		retryable bool
		ambiguous bool
		hint      string
	}{
		{"throttled", ec2sim.Faults{ThrottleRate: 1}, "RequestLimitExceeded", 503, "Request limit exceeded.", model.ErrThrottled, true, false, "throttling"},
		{"server error", ec2sim.Faults{ServerErrorRate: 1}, "InternalError", 500, "An internal error has occurred", model.ErrTransient, true, true, "temporary"},
		{"expired credentials", ec2sim.Faults{ExpiredCredentials: true}, "RequestExpired", 400, "Request has expired.", model.ErrCredentials, false, false, "renew"},
		{"permission denied", ec2sim.Faults{DenyPermission: true}, "UnauthorizedOperation", 403, "You are not authorized to perform this operation.", model.ErrPermission, false, false, "lacks permission for DescribeSnapshots"},
		{"dropped connection", ec2sim.Faults{DropNext: 1}, "", 0, "the connection was closed before an answer came", model.ErrTransient, true, true, "temporary"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := faultSim(t, noRetries)
			srv.SetFaults(tc.faults)
			ae := listError(t, c)
			if ae.Code != tc.code || ae.Status != tc.status || ae.Kind != tc.kind || !strings.HasPrefix(ae.Message, tc.message) {
				t.Errorf("code %q status %d kind %v message %q; want %q %d %v %q", ae.Code, ae.Status, ae.Kind, ae.Message, tc.code, tc.status, tc.kind, tc.message)
			}
			if ae.Retryable() != tc.retryable || awsops.Ambiguous(ae) != tc.ambiguous || !strings.Contains(ae.Hint(), tc.hint) {
				t.Errorf("retryable %v ambiguous %v hint %q", ae.Retryable(), awsops.Ambiguous(ae), ae.Hint())
			}
			want := "DescribeSnapshots in us-west-2: " + ae.Message
			if tc.code != "" {
				want = "DescribeSnapshots in us-west-2: " + tc.code + ": " + ae.Message
			}
			if ae.Error() != want {
				t.Errorf("Error() = %q, want %q", ae.Error(), want)
			}
			if n := srv.Count("DescribeSnapshots", "us-west-2"); n != 1 {
				t.Errorf("%d requests with retries off", n)
			}
		})
	}
}

func TestSimKMSErrorConversion(t *testing.T) {
	for _, tc := range []struct {
		faults ec2sim.Faults
		code   string
		kind   model.ErrorKind
	}{
		{ec2sim.Faults{DenyPermission: true}, "AccessDeniedException", model.ErrPermission},
		{ec2sim.Faults{ThrottleRate: 1}, "ThrottlingException", model.ErrThrottled},
		{ec2sim.Faults{ExpiredCredentials: true}, "ExpiredTokenException", model.ErrCredentials},
		{ec2sim.Faults{ServerErrorRate: 1}, "KMSInternalException", model.ErrTransient},
	} {
		t.Run(tc.code, func(t *testing.T) {
			srv, c := faultSim(t, noRetries)
			srv.SetFaults(tc.faults)
			_, err := c.KMSAliases(context.Background(), "eu-west-1")
			ae, ok := model.AsAPIError(err)
			if !ok || ae.Code != tc.code || ae.Kind != tc.kind || ae.Op != "ListAliases" || ae.Region != "eu-west-1" || ae.Message == "" {
				t.Errorf("KMSAliases = %v (%+v)", err, ae)
			}
		})
	}
}

func TestSimRegionNotOptedIn(t *testing.T) {
	_, c := faultSim(t, noRetries)
	// AWS refuses every call in a Region the account has not opted in to,
	// in the words of a credentials failure.
	_, err := c.ListSnapshots(context.Background(), "af-south-1", awsops.Owned, nil)
	ae, ok := model.AsAPIError(err)
	if !ok || ae.Code != "AuthFailure" || ae.Status != 401 || ae.Kind != model.ErrCredentials || ae.Region != "af-south-1" {
		t.Errorf("listing af-south-1 = %v", err)
	}
}

func TestSimReadsAreRetried(t *testing.T) {
	// The SDK's retryer (on for reads) sends a read again after a dropped
	// connection, a 500 or throttling.
	t.Run("dropped connection", func(t *testing.T) {
		srv, c := faultSim(t)
		srv.SetFaults(ec2sim.Faults{DropNext: 1})
		snaps, err := c.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
		if err != nil || len(snaps) != 30 || srv.Count("DescribeSnapshots", "us-west-2") != 2 {
			t.Errorf("ListSnapshots = %d snapshots, %v after %d requests; want 30 after 2", len(snaps), err, srv.Count("DescribeSnapshots", "us-west-2"))
		}
	})
	t.Run("server error every time", func(t *testing.T) {
		srv, c := faultSim(t, func(o *awsops.Options) { o.RetryMaxAttempts = 2 })
		srv.SetFaults(ec2sim.Faults{ServerErrorRate: 1})
		ae := listError(t, c)
		if ae.Code != "InternalError" || ae.Kind != model.ErrTransient || srv.Count("DescribeSnapshots", "us-west-2") != 2 {
			t.Errorf("%+v after %d requests, want InternalError after 2", ae, srv.Count("DescribeSnapshots", "us-west-2"))
		}
	})
	t.Run("half the requests throttled", func(t *testing.T) {
		srv, c := faultSim(t, func(o *awsops.Options) { o.RetryMaxAttempts = 10 })
		srv.SetFaults(ec2sim.Faults{ThrottleRate: 0.5})
		ctx := context.Background()
		const calls = 4
		for i := range calls {
			if _, err := c.Regions(ctx); err != nil {
				t.Fatalf("Regions %d under 50%% throttling: %v", i, err)
			}
		}
		if n := srv.Count("DescribeRegions", "us-west-2"); n <= calls {
			t.Errorf("%d DescribeRegions for %d calls: the throttling never happened", n, calls)
		}
	})
}

func TestSimLatency(t *testing.T) {
	srv, c := faultSim(t)
	srv.SetFaults(ec2sim.Faults{Latency: ec2sim.Duration(20 * time.Millisecond)})
	ctx := context.Background()
	snaps, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	if err != nil || len(snaps) != 30 {
		t.Errorf("ListSnapshots under latency = %d, %v", len(snaps), err)
	}
	if _, err := c.EncryptionDefault(ctx, "eu-central-1"); err != nil {
		t.Errorf("EncryptionDefault under latency: %v", err)
	}
	if srv.Count("DescribeSnapshots", "us-west-2") != 1 || srv.Count("GetEbsEncryptionByDefault", "eu-central-1") != 1 ||
		srv.Count("GetEbsDefaultKmsKeyId", "eu-central-1") != 1 {
		t.Errorf("requests %v, want one of each", srv.Counts())
	}
}

func TestSimListingResumesAfterAFailedPage(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 5, NoSeedWorld: true, ExtraSnapshots: 2200}, noRetries)
	ctx := context.Background()
	p := c.Snapshots("us-west-2", awsops.Owned)
	first, err := p.Next(ctx)
	if err != nil || len(first) != 1000 {
		t.Fatalf("page 1: %d, %v", len(first), err)
	}
	srv.SetFaults(ec2sim.Faults{ServerErrorRate: 1})
	if _, err := p.Next(ctx); err == nil || !p.HasMore() || p.Pages() != 1 {
		t.Fatalf("page 2 under a fault: %v, HasMore %v, Pages %d", err, p.HasMore(), p.Pages())
	}
	// The same page is asked for again, and the listing completes.
	srv.SetFaults(ec2sim.Faults{})
	seen := map[string]bool{}
	for _, s := range first {
		seen[s.ID] = true
	}
	for p.HasMore() {
		page, err := p.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page {
			seen[s.ID] = true
		}
	}
	if len(seen) != 2200 || p.Pages() != 3 {
		t.Errorf("%d distinct snapshots over %d pages, want 2200 over 3", len(seen), p.Pages())
	}
}
