package awsops_test

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
)

// closedEndpoint is a local address where nothing listens.
func closedEndpoint(t *testing.T) string {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	return "http://127.0.0.1:" + strconv.Itoa(port)
}

func TestUnreachableEndpoint(t *testing.T) {
	c := newClient(t, closedEndpoint(t), "us-west-2", func(o *awsops.Options) { o.RetryMaxAttempts = 2 })
	ctx := context.Background()

	_, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	ae, ok := model.AsAPIError(err)
	if !ok {
		t.Fatalf("ListSnapshots error %v is not an APIError", err)
	}
	if ae.Kind != model.ErrUnreachable || ae.Code != "" || ae.Status != 0 || ae.Op != "DescribeSnapshots" || ae.Region != "us-west-2" {
		t.Errorf("error %+v", ae)
	}
	if !ae.Retryable() || awsops.Ambiguous(err) || !strings.Contains(ae.Hint(), "cannot be reached") {
		t.Errorf("retryable %v ambiguous %v hint %q", ae.Retryable(), awsops.Ambiguous(err), ae.Hint())
	}

	// Nothing reached AWS, so the copy stays queued and is sent again later
	// without a tag look-up.
	cp := model.NewCopy(model.CopyRequest{
		DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0123456789abcdef0",
	}, model.Snapshot{}, time.Now())
	err = track.Starter{AWS: c}.Start(ctx, cp)
	if ae, ok := model.AsAPIError(err); !ok || ae.Kind != model.ErrUnreachable || ae.Op != "CopySnapshot" {
		t.Fatalf("StartCopy error %v", err)
	}
	if cp.Phase != model.PhaseQueued || cp.Attempts != 1 || !strings.HasPrefix(cp.Note, "waiting: ") {
		t.Errorf("copy: phase %q attempts %d note %q", cp.Phase, cp.Attempts, cp.Note)
	}
}

func TestNewWithoutRegion(t *testing.T) {
	_, err := awsops.New(context.Background(), awsops.Options{EndpointURL: closedEndpoint(t)})
	if !errors.Is(err, awsops.ErrNoRegion) {
		t.Errorf("New without a Region: %v, want ErrNoRegion", err)
	}
}

func TestCheckCredentials(t *testing.T) {
	c := newClient(t, closedEndpoint(t), "us-west-2")
	if err := c.CheckCredentials(context.Background()); err != nil {
		t.Errorf("CheckCredentials with static credentials: %v", err)
	}
	if c.Region() != "us-west-2" || c.Profile() != "" {
		t.Errorf("Region %q Profile %q", c.Region(), c.Profile())
	}
	// No credentials anywhere (TestMain empties the environment and IMDS is off).
	bare, err := awsops.New(context.Background(), awsops.Options{Region: "us-west-2", EndpointURL: closedEndpoint(t)})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := bare.CheckCredentials(context.Background()); err == nil || !strings.Contains(err.Error(), "--demo") {
		t.Errorf("CheckCredentials without credentials: %v", err)
	}
}

func TestOwnHTTPClientBesideACABundle(t *testing.T) {
	// A valid bundle, as a corporate proxy setup would have.
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw})
	tlsSrv.Close()
	if err := os.WriteFile(bundle, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CA_BUNDLE", bundle)

	_, url := newSim(t, ec2sim.Options{Seed: 1, NoSeedWorld: true})
	var sent atomic.Int32
	own := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})}
	c := newClient(t, url, "us-west-2", func(o *awsops.Options) { o.HTTPClient = own })
	if _, err := c.Regions(context.Background()); err != nil {
		t.Fatalf("Regions through the caller's HTTP client: %v", err)
	}
	if sent.Load() != 1 {
		t.Errorf("the caller's HTTP client sent %d requests, want 1", sent.Load())
	}
	// The default client takes the bundle.
	if _, err := newClient(t, url, "us-west-2").Regions(context.Background()); err != nil {
		t.Errorf("Regions with the default client and a CA bundle: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestNewLocal(t *testing.T) {
	srv, url := newSim(t, ec2sim.Options{Seed: 1, NoSeedWorld: true, ExtraSnapshots: 1200})
	c := awsops.NewLocal(url, "us-west-2")
	if c.Region() != "us-west-2" || c.Endpoint() != url {
		t.Errorf("Region %q Endpoint %q", c.Region(), c.Endpoint())
	}
	if err := c.CheckCredentials(context.Background()); err != nil {
		t.Errorf("CheckCredentials: %v", err)
	}
	snaps, err := c.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
	if err != nil || len(snaps) != 1200 {
		t.Errorf("ListSnapshots = %d, %v; want 1200", len(snaps), err)
	}
	if n := srv.Count("DescribeSnapshots", "us-west-2"); n != 2 {
		t.Errorf("%d DescribeSnapshots, want 2 pages", n)
	}
}
