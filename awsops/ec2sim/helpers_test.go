package ec2sim

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go"
)

// t0 is the manual clock's start in tests.
var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// harness is a simulator behind a real HTTP server, with SDK clients.
type harness struct {
	t     *testing.T
	sim   *Server
	url   string
	clock *ManualClock
}

func newHarness(t *testing.T, o Options) *harness {
	t.Helper()
	clock := NewManualClock(t0)
	if o.Clock == nil {
		o.Clock = clock
	}
	if o.VisibilityLag == 0 {
		o.VisibilityLag = -1 // most tests want a copy visible at once
	}
	sim := New(o)
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	return &harness{t: t, sim: sim, url: ts.URL, clock: clock}
}

func (h *harness) config(region string) aws.Config {
	return aws.Config{
		Region:           region,
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		RetryMaxAttempts: 1,
	}
}

// ec2 is the real SDK client for region, pointed at the simulator, with
// retries off so every fault shows.
func (h *harness) ec2(region string) *ec2.Client {
	return ec2.NewFromConfig(h.config(region), func(o *ec2.Options) { o.BaseEndpoint = aws.String(h.url) })
}

func (h *harness) kms(region string) *kms.Client {
	return kms.NewFromConfig(h.config(region), func(o *kms.Options) { o.BaseEndpoint = aws.String(h.url) })
}

// byName finds a seeded snapshot's id by its Name tag.
func (h *harness) byName(region, name string) string {
	h.t.Helper()
	s, ok := h.sim.SnapshotByName(region, name)
	if !ok {
		h.t.Fatalf("no snapshot named %q in %s", name, region)
	}
	return s.ID
}

// apiCode returns the AWS error code of err ("" when it is not an API error).
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

var ctx = context.Background()

func getenv(k string) string { return os.Getenv(k) }
