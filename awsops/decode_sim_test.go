package awsops_test

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

// One snapshot whose description holds a raw ESC (as moto writes it) makes
// its page undecodable. The error says so, with the character and where it
// is in the answer; it is not a temporary fault, the page is asked for
// once, and the pages before it were delivered.
func TestUndecodablePageIsNamed(t *testing.T) {
	clock := ec2sim.NewManualClock(simStart)
	srv, url := newSim(t, ec2sim.Options{Seed: 5, NoSeedWorld: true, ExtraSnapshots: 2500, Clock: clock})
	c := newClient(t, url, "us-west-2")
	ctx := context.Background()

	all, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	if err != nil || len(all) != 2500 {
		t.Fatalf("list: %d, %v", len(all), err)
	}
	bad := all[1500] // on the second page
	bad.Description = "nightly \x1b[31mRED\x1b[0m backup"
	simtest.Add(srv, "us-west-2", bad)
	srv.SetFaults(ec2sim.Faults{RawControlCharacters: true})
	srv.ResetCounts()

	p := c.Snapshots("us-west-2", awsops.Owned)
	first, err := p.Next(ctx)
	if err != nil || len(first) != awsops.PageSize {
		t.Fatalf("first page: %d rows, %v", len(first), err)
	}
	_, err = p.Next(ctx)
	ae, ok := model.AsAPIError(err)
	if !ok {
		t.Fatalf("second page: %v, want an APIError", err)
	}
	m := regexp.MustCompile(`^AWS's answer for us-west-2 could not be decoded: invalid XML character U\+001B at byte (\d+)$`).FindStringSubmatch(ae.Message)
	if m == nil {
		t.Fatalf("message %q", ae.Message)
	}
	if ae.Kind != model.ErrUndecodable || ae.Retryable() || strings.Contains(ae.Hint(), "temporary") || strings.Contains(ae.Hint(), "retries") {
		t.Errorf("kind %v retryable %v hint %q: want undecodable, not a temporary fault", ae.Kind, ae.Retryable(), ae.Hint())
	}
	if n := srv.Count("DescribeSnapshots", "us-west-2"); n != 2 {
		t.Errorf("%d DescribeSnapshots requests, want 2: the undecodable page is asked for once", n)
	}

	// The byte named is the ESC of that answer (asked for again raw).
	reqs := srv.Requests("DescribeSnapshots")
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(reqs[len(reqs)-1].Params.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261124/us-west-2/ec2/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	at, _ := strconv.Atoi(m[1])
	if at >= len(body) || body[at] != 0x1b || strings.ContainsRune(string(body[:at]), 0x1b) {
		t.Errorf("byte %d of the %d-byte answer is not its first ESC", at, len(body))
	}

	// Without raw control characters the same listing reads whole.
	srv.SetFaults(ec2sim.Faults{})
	if all, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil); err != nil || len(all) != 2500 {
		t.Fatalf("list after: %d, %v", len(all), err)
	}
}

// An answer cut short by a dropped connection is still a temporary fault:
// only a whole answer that is not well-formed is undecodable.
func TestDroppedAnswerIsNotUndecodable(t *testing.T) {
	srv, c := faultSim(t, noRetries)
	srv.SetFaults(ec2sim.Faults{DropNext: 1})
	ae := listError(t, c)
	if ae.Kind != model.ErrTransient {
		t.Errorf("kind %v (%q), want transient", ae.Kind, ae.Message)
	}
}
