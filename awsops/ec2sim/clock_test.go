package ec2sim

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// dateOf is an answer's Date header.
func dateOf(t *testing.T, resp *http.Response) time.Time {
	t.Helper()
	d, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		t.Fatalf("Date %q: %v", resp.Header.Get("Date"), err)
	}
	return d
}

// near reports whether a is within a minute of b: the Date header has
// whole seconds, and the test takes some.
func near(a, b time.Time) bool { return a.Sub(b).Abs() < time.Minute }

// signedPost is a raw request carrying X-Amz-Date, as a SigV4 client sends
// it (the simulator checks the time, not the signature).
func (h *harness) signedPost(t *testing.T, body string, signed time.Time, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Amz-Date", signed.UTC().Format(sigV4Time))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// AWS's clock two hours ahead: every time written and the Date header move
// by the same two hours.
func TestClockOffsetShiftsEveryTimeWritten(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	id := h.byName("us-east-1", "east-web")
	startOf := func() (time.Time, *http.Response) {
		t.Helper()
		resp, err := h.post(t, http.DefaultClient, url.Values{"Action": {"DescribeSnapshots"}, "Version": {"2016-11-15"}, "SnapshotId.1": {id}})
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			Start      time.Time `xml:"snapshotSet>item>startTime"`
			Completion time.Time `xml:"snapshotSet>item>completionTime"`
		}
		if err := xml.Unmarshal(readAll(t, resp), &out); err != nil || out.Start.IsZero() {
			t.Fatalf("startTime: %v", err)
		}
		if out.Completion.Sub(out.Start) <= 0 {
			t.Errorf("completion %v before start %v", out.Completion, out.Start)
		}
		return out.Start, resp
	}
	host, _ := startOf()

	h.sim.SetFaults(Faults{ClockOffset: Duration(2 * time.Hour), Actions: []string{"CreateTags"}})
	aws2h, resp := startOf()
	if d := aws2h.Sub(host); d != 2*time.Hour {
		t.Errorf("startTime moved by %v, want 2h", d)
	}
	if got := dateOf(t, resp); !near(got, time.Now().Add(2*time.Hour)) {
		t.Errorf("Date %v, want about the host's time + 2h (%v)", got, time.Now().Add(2*time.Hour))
	}
	if s, _ := h.sim.Snapshot("us-east-1", id); !s.StartTime.Equal(aws2h) {
		t.Errorf("Snapshot().StartTime %v, want %v as answered", s.StartTime, aws2h)
	}
	// A copy starts at the simulator's time, written on AWS's clock.
	resp, err := h.post(t, http.DefaultClient, h.copyForm(t))
	if err != nil {
		t.Fatal(err)
	}
	var made struct {
		ID string `xml:"snapshotId"`
	}
	if err := xml.Unmarshal(readAll(t, resp), &made); err != nil || made.ID == "" {
		t.Fatalf("CopySnapshot: %v", err)
	}
	if c := describeOne(t, h.ec2Learnt("us-east-1"), made.ID); !aws.ToTime(c.StartTime).Equal(t0.Add(2 * time.Hour)) {
		t.Errorf("the copy's StartTime %v, want the simulator's %v + 2h", aws.ToTime(c.StartTime), t0)
	}
	// A negative offset runs AWS's clock behind.
	h.sim.SetFaults(Faults{ClockOffset: Duration(-30 * time.Minute)})
	if behind, _ := startOf(); behind.Sub(host) != -30*time.Minute {
		t.Errorf("startTime moved by %v, want -30m", behind.Sub(host))
	}
}

// ec2Learnt is an SDK client that has seen AWS's clock once, as the SDK
// corrects its own after one answer (TestSDKLearnsAWSClockFromTheDateHeader).
func (h *harness) ec2Learnt(region string) *ec2.Client {
	c := h.ec2(region)
	_, _ = c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{}) // learns the offset from the Date header
	return c
}

// A request signed more than 15 minutes away from AWS's clock is refused
// as each service refuses it, with AWS's time in the Date header.
func TestClockOffsetRefusesSkewedSignatures(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	h.sim.SetFaults(Faults{ClockOffset: Duration(2 * time.Hour)})
	now := time.Now()
	ec2Form := regionsForm.Encode()

	resp := h.signedPost(t, ec2Form, now, nil)
	body := string(readAll(t, resp))
	if resp.StatusCode != 400 || !strings.Contains(body, "<Code>RequestExpired</Code>") {
		t.Errorf("EC2 signed at the host's time: %d %s", resp.StatusCode, body)
	}
	if got := dateOf(t, resp); !near(got, now.Add(2*time.Hour)) {
		t.Errorf("Date %v, want AWS's time %v", got, now.Add(2*time.Hour))
	}
	// Signed within 15 minutes of AWS's clock, it is served.
	resp = h.signedPost(t, ec2Form, now.Add(2*time.Hour-10*time.Minute), nil)
	if body := readAll(t, resp); resp.StatusCode != 200 || rootOf(body) != "DescribeRegionsResponse" {
		t.Errorf("EC2 signed on AWS's clock: %d %s", resp.StatusCode, body)
	}

	// STS: SignatureDoesNotMatch, saying which way the signature is off.
	resp = h.signedPost(t, url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}}.Encode(), now, nil)
	if body := string(readAll(t, resp)); resp.StatusCode != 403 || !strings.Contains(body, "<Code>SignatureDoesNotMatch</Code>") ||
		!strings.Contains(body, "Signature expired: "+now.UTC().Format(sigV4Time)+" is now earlier than ") || !strings.Contains(body, " - 15 min.)") {
		t.Errorf("STS signed 2 h behind AWS: %d %s", resp.StatusCode, body)
	}
	// KMS, AWS's clock behind the signature: not yet current.
	h.sim.SetFaults(Faults{ClockOffset: Duration(-time.Hour)})
	resp = h.signedPost(t, "{}", now, map[string]string{"X-Amz-Target": "TrentService.ListAliases", "Content-Type": "application/x-amz-json-1.1"})
	if body := string(readAll(t, resp)); resp.StatusCode != 400 || !strings.Contains(body, `"__type":"InvalidSignatureException"`) ||
		!strings.Contains(body, "Signature not yet current: ") || !strings.Contains(body, " + 15 min.)") {
		t.Errorf("KMS signed 1 h ahead of AWS: %d %s", resp.StatusCode, body)
	}
	// Without an offset, the host's time is AWS's.
	h.sim.SetFaults(Faults{})
	if resp := h.signedPost(t, ec2Form, now, nil); resp.StatusCode != 200 {
		t.Errorf("no offset: %d %s", resp.StatusCode, readAll(t, resp))
	}
	if resp := h.signedPost(t, ec2Form, now.Add(-20*time.Minute), nil); resp.StatusCode != 400 {
		t.Errorf("signed 20 minutes ago: %d, want RequestExpired", resp.StatusCode)
	}
}

// What aws-sdk-go-v2 does against a clock 2 h off: its first EC2 call is
// refused RequestExpired (not a code it retries as clock skew), but it
// keeps the offset the answer's Date header shows, and signs its next
// calls with it. STS's SignatureDoesNotMatch and KMS's
// InvalidSignatureException it retries at once with the corrected clock.
func TestSDKLearnsAWSClockFromTheDateHeader(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	h.sim.SetFaults(Faults{ClockOffset: Duration(2 * time.Hour)})
	c := h.ec2("us-west-2")
	if _, err := c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{}); apiCode(err) != "RequestExpired" {
		t.Fatalf("first call: %v, want RequestExpired", err)
	}
	if _, err := c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{}); err != nil {
		t.Fatalf("second call, with the offset learnt: %v", err)
	}

	cfg := h.config("us-west-2")
	cfg.RetryMaxAttempts = 2
	if _, err := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(h.url) }).
		GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil || h.sim.Count("GetCallerIdentity", "us-west-2") != 2 {
		t.Errorf("STS: %v after %d requests, want success on the retry", err, h.sim.Count("GetCallerIdentity", "us-west-2"))
	}
	if _, err := kms.NewFromConfig(cfg, func(o *kms.Options) { o.BaseEndpoint = aws.String(h.url) }).
		ListAliases(ctx, &kms.ListAliasesInput{}); err != nil || h.sim.Count("ListAliases", "us-west-2") != 2 {
		t.Errorf("KMS: %v after %d requests, want success on the retry", err, h.sim.Count("ListAliases", "us-west-2"))
	}
}
