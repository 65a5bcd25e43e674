package awsops_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
)

// TestLargeAnswersArriveWhole replays a simulator page of 1000 snapshots
// from a server that answers at once, as a local endpoint does. The SDK
// closes the request body as soon as the answer's headers arrive; unless
// awsops guards against it, net/http then closes the connection under the
// answer being read, and about a third of such reads fail.
func TestLargeAnswersArriveWhole(t *testing.T) {
	sim := ec2sim.New(ec2sim.Options{Seed: 7, NoSeedWorld: true, ExtraSnapshots: 1500})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("Action=DescribeSnapshots&Version=2016-11-15&MaxResults=1000&Owner.1=self"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261124/us-west-2/ec2/aws4_request, SignedHeaders=host, Signature=0")
	sim.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("simulator answered %d: %s", rec.Code, rec.Body)
	}
	// The page without its nextToken, so one call reads it all.
	page := rec.Body.String()
	if i, j := strings.Index(page, "<nextToken>"), strings.Index(page, "</nextToken>"); i >= 0 && j > i {
		page = page[:i] + page[j+len("</nextToken>"):]
	}
	replay := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		_, _ = io.WriteString(w, page)
	}))
	t.Cleanup(replay.Close)

	c := newClient(t, replay.URL, "us-west-2", func(o *awsops.Options) { o.RetryMaxAttempts = 1 })
	for i := range 20 {
		snaps, err := c.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
		if err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
		if len(snaps) != 1000 {
			t.Fatalf("read %d: %d snapshots, want 1000", i, len(snaps))
		}
	}
}
