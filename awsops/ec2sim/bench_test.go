package ec2sim

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// BenchmarkNewWithExtraSnapshots builds a world of 100,000 extra snapshots.
func BenchmarkNewWithExtraSnapshots(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s := New(Options{Seed: 1, ExtraSnapshots: 100_000, Clock: NewManualClock(t0)})
		if s.SnapshotCount("us-west-2") < 100_000 {
			b.Fatal("extras missing")
		}
	}
}

var nextTokenRE = regexp.MustCompile(`<nextToken>([^<]+)</nextToken>`)

// BenchmarkDescribeSnapshotsPage serves 1000-snapshot pages of a 100,000
// snapshot Region straight from the handler (no network, no SDK, without
// the answer delay's sleep dominating: it is measured as it is served).
func BenchmarkDescribeSnapshotsPage(b *testing.B) {
	s := New(Options{Seed: 1, ExtraSnapshots: 100_000, Clock: NewManualClock(t0)})
	token := ""
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		form := url.Values{"Action": {"DescribeSnapshots"}, "Owner.1": {"self"}, "MaxResults": {"1000"}}
		if token != "" {
			form.Set("NextToken", token)
		}
		rq := &request{action: "DescribeSnapshots", region: "us-west-2", params: form, now: t0, id: "bench", caller: staticCaller}
		body, err := s.describeSnapshots(rq)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(body)))
		token = ""
		if m := nextTokenRE.FindSubmatch(body); m != nil {
			token = string(m[1])
		}
	}
}

// BenchmarkDescribeSnapshotsHTTP is one page over HTTP, as a client sees it.
func BenchmarkDescribeSnapshotsHTTP(b *testing.B) {
	s := New(Options{Seed: 1, ExtraSnapshots: 100_000, Clock: NewManualClock(t0)})
	ts := httptest.NewServer(s)
	defer ts.Close()
	body := url.Values{"Action": {"DescribeSnapshots"}, "Owner.1": {"self"}, "MaxResults": {"1000"}}.Encode()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequest(http.MethodPost, ts.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-west-2/ec2/aws4_request, SignedHeaders=host, Signature=00")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var sb strings.Builder
		if _, err := sbCopy(&sb, resp); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListThroughSDK lists 10,000 snapshots with the SDK paginator.
func BenchmarkListThroughSDK(b *testing.B) {
	s := New(Options{Seed: 1, NoSeedWorld: true, ExtraSnapshots: 10_000, Clock: NewManualClock(t0)})
	ts := httptest.NewServer(s)
	defer ts.Close()
	h := &harness{sim: s, url: ts.URL}
	c := h.ec2("us-west-2")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := ec2.NewDescribeSnapshotsPaginator(c, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, MaxResults: aws.Int32(1000)})
		n := 0
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				b.Fatal(err)
			}
			n += len(out.Snapshots)
		}
		if n != 10_000 {
			b.Fatalf("listed %d", n)
		}
	}
}

func sbCopy(sb *strings.Builder, resp *http.Response) (int64, error) {
	defer resp.Body.Close()
	buf := make([]byte, 32<<10)
	var n int64
	for {
		k, err := resp.Body.Read(buf)
		sb.Write(buf[:k])
		n += int64(k)
		if err != nil {
			if err.Error() == "EOF" {
				return n, nil
			}
			return n, err
		}
	}
}
