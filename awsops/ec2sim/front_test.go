package ec2sim

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// post sends a form-encoded EC2 Query request with plain net/http, as no
// SDK would: unsigned, so the simulator takes it for us-east-1.
func (h *harness) post(t *testing.T, client *http.Client, form url.Values) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return client.Do(req)
}

// copyForm is CopySnapshot of a seeded us-west-2 snapshot, sent to us-east-1.
func (h *harness) copyForm(t *testing.T) url.Values {
	return url.Values{"Action": {"CopySnapshot"}, "Version": {"2016-11-15"},
		"SourceRegion": {"us-west-2"}, "SourceSnapshotId": {h.byName("us-west-2", "web-frontend-01")}}
}

var (
	regionsForm    = url.Values{"Action": {"DescribeRegions"}, "Version": {"2016-11-15"}}
	encryptionForm = url.Values{"Action": {"GetEbsEncryptionByDefault"}, "Version": {"2016-11-15"}}
)

// readAll reads an answer's body and closes it.
func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	return b
}

// rootOf is the name of an XML document's root element.
func rootOf(b []byte) string {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

// A hang holds matching requests, writing nothing, until its window ends,
// then answers them; a request whose client left is not carried out.
func TestHangHoldsRequestsUntilItsWindowEnds(t *testing.T) {
	const window = time.Second
	h := newHarness(t, Options{Seed: 1})
	before := h.sim.SnapshotCount("us-east-1")
	h.sim.SetFaults(Faults{Hang: Duration(window), Actions: []string{"CopySnapshot"}})
	set := time.Now()

	// A client with a short deadline gets nothing at all, not even headers.
	_, err := h.post(t, &http.Client{Timeout: 200 * time.Millisecond}, h.copyForm(t))
	if !isTimeout(err) {
		t.Fatalf("CopySnapshot during the hang: %v, want the client's timeout", err)
	}
	// Other actions are answered meanwhile.
	resp, err := h.post(t, http.DefaultClient, regionsForm)
	if err != nil || resp.StatusCode != 200 || rootOf(readAll(t, resp)) != "DescribeRegionsResponse" {
		t.Fatalf("DescribeRegions during a CopySnapshot hang: %v %v", resp, err)
	}
	// A patient client is answered once the window is over, normally.
	resp, err = h.post(t, http.DefaultClient, h.copyForm(t))
	if err != nil {
		t.Fatal(err)
	}
	if held := time.Since(set); held < window {
		t.Errorf("answered %v after the hang began, within its window of %v", held, window)
	}
	if body := readAll(t, resp); resp.StatusCode != 200 || rootOf(body) != "CopySnapshotResponse" {
		t.Fatalf("CopySnapshot after the hang: %d %s", resp.StatusCode, body)
	}
	// One copy: the one whose client waited; the other was never carried out.
	if n := h.sim.SnapshotCount("us-east-1") - before; n != 1 {
		t.Errorf("%d copies made, want 1 (the abandoned request is not carried out)", n)
	}
	if h.sim.Count("CopySnapshot", "us-east-1") != 2 {
		t.Errorf("CopySnapshot counted %d times, want 2", h.sim.Count("CopySnapshot", "us-east-1"))
	}
	// After the window, answers come at once again: a short deadline is met.
	resp, err = h.post(t, &http.Client{Timeout: 5 * time.Second}, h.copyForm(t))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("CopySnapshot after the window: %v %v", resp, err)
	}
	resp.Body.Close()
	if f := h.sim.Faults(); f.Hang != Duration(window) {
		t.Errorf("Faults().Hang = %v", f.Hang)
	}
}

// An HTML answer is a proxy's sign-in page with status 200; the request is
// not carried out.
func TestHTMLPageAnswersAProxysPage(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	before := h.sim.SnapshotCount("us-east-1")
	h.sim.SetFaults(Faults{HTMLPage: true, Actions: []string{"CopySnapshot", "ListAliases"}})
	resp, err := h.post(t, http.DefaultClient, h.copyForm(t))
	if err != nil {
		t.Fatal(err)
	}
	body := string(readAll(t, resp))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"<!DOCTYPE html>", "Sign in", `type="password"`, "ec2.us-east-1.amazonaws.com"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page does not hold %q:\n%s", want, body)
		}
	}
	if n := h.sim.SnapshotCount("us-east-1"); n != before {
		t.Errorf("a request answered by the proxy made a copy (%d snapshots, were %d)", n, before)
	}
	// KMS, behind the same proxy.
	req, _ := http.NewRequest(http.MethodPost, h.url, strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", "TrentService.ListAliases")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if body := string(readAll(t, resp)); resp.StatusCode != 200 || !strings.HasPrefix(body, "<!DOCTYPE html>") {
		t.Errorf("KMS ListAliases: %d %.60q", resp.StatusCode, body)
	}
	// Actions not listed reach AWS.
	resp, err = h.post(t, http.DefaultClient, regionsForm)
	if err != nil || resp.Header.Get("Content-Type") != "text/xml;charset=UTF-8" || rootOf(readAll(t, resp)) != "DescribeRegionsResponse" {
		t.Errorf("DescribeRegions: %v %v", resp, err)
	}
}

// An oversized answer is exactly that many bytes of XML that is not EC2's.
func TestOversizedBodyIsThatManyBytesOfSomethingElse(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	for _, n := range []int64{10 << 20, 1000, 20} {
		h.sim.SetFaults(Faults{OversizedBody: n, Actions: []string{"DescribeRegions"}})
		resp, err := h.post(t, http.DefaultClient, regionsForm)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/xml;charset=UTF-8" ||
			resp.Header.Get("Content-Length") != strconv.FormatInt(n, 10) || int64(len(body)) != n {
			t.Errorf("%d bytes asked: status %d, Content-Type %q, Content-Length %q, %d bytes read", n, resp.StatusCode,
				resp.Header.Get("Content-Type"), resp.Header.Get("Content-Length"), len(body))
		}
		if !bytes.HasPrefix(body, []byte(`<?xml`)[:min(5, n)]) || bytes.Contains(body, []byte("DescribeRegionsResponse")) {
			t.Errorf("%d bytes asked: begins %.60q", n, body)
		}
		if n >= 1000 && (rootOf(body) != "ProxyBuffer" || !bytes.HasSuffix(body, []byte("</ProxyBuffer>\n"))) {
			t.Errorf("%d bytes asked: root %q, ends %q", n, rootOf(body), body[len(body)-20:])
		}
	}
}

// Gzip garbage says Content-Encoding gzip and is not gzip.
func TestGzipGarbageIsNotGzip(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	h.sim.SetFaults(Faults{GzipGarbage: true})
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := h.post(t, raw, regionsForm)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || len(body) == 0 {
		t.Fatalf("status %d, Content-Encoding %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Encoding"), len(body))
	}
	if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
		if _, err := io.ReadAll(zr); err == nil {
			t.Fatal("the garbage reads as gzip")
		}
	}
	// Go's own client, which asks for gzip and unpacks it, fails reading it.
	resp, err = h.post(t, &http.Client{}, regionsForm)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Error("net/http's transparent gzip read the garbage without an error")
	}
}

// A trickle sends the status and headers at once and the normal answer a
// few bytes at a time, so a deadline on the whole answer is missed.
func TestTrickleWritesTheAnswerSlowly(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	resp, err := h.post(t, http.DefaultClient, encryptionForm)
	if err != nil {
		t.Fatal(err)
	}
	normal := readAll(t, resp)

	const rate = 100 // bytes per second: about 2.5 s for the answer
	h.sim.SetFaults(Faults{TrickleRate: rate, Actions: []string{"GetEbsEncryptionByDefault"}})
	resp, err = h.post(t, &http.Client{Timeout: 500 * time.Millisecond}, encryptionForm)
	if err != nil {
		t.Fatalf("headers did not come at once: %v", err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Length") != strconv.Itoa(len(normal)) {
		t.Errorf("status %d, Content-Length %q, want 200 and %d", resp.StatusCode, resp.Header.Get("Content-Length"), len(normal))
	}
	part, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !isTimeout(err) || len(part) >= len(normal) {
		t.Errorf("with a 500 ms deadline: %d of %d bytes, %v; want part of it and a timeout", len(part), len(normal), err)
	}

	began := time.Now()
	resp, err = h.post(t, http.DefaultClient, encryptionForm)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body []byte
	reads := 0
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			reads++
			body = append(body, buf[:n]...)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if rootOf(body) != "GetEbsEncryptionByDefaultResponse" || len(body) != len(normal) || !bytes.Contains(body, []byte("<ebsEncryptionByDefault>false</ebsEncryptionByDefault>")) {
		t.Errorf("the trickled answer is not the normal one:\n%s", body)
	}
	if reads < 3 {
		t.Errorf("the answer came in %d reads, want it a few bytes at a time", reads)
	}
	if took, least := time.Since(began), time.Duration(len(normal)-rate/10)*time.Second/rate; took < least {
		t.Errorf("%d bytes at %d B/s took %v, under %v", len(normal), rate, took, least)
	}
}

// The control endpoint takes the network's knobs by their JSON names.
func TestControlNetworkKnobs(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	body := `{"hang":"75s","htmlPage":true,"oversizedBody":10485760,"gzipGarbage":true,"trickleRate":50,"clockOffset":"-2h","actions":["CopySnapshot"]}`
	req, _ := http.NewRequest(http.MethodPut, h.url+"/_sim/faults", strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got := string(readAll(t, resp))
	f := h.sim.Faults()
	if f.Hang != Duration(75*time.Second) || !f.HTMLPage || f.OversizedBody != 10<<20 || !f.GzipGarbage || f.TrickleRate != 50 ||
		f.ClockOffset != Duration(-2*time.Hour) || len(f.Actions) != 1 {
		t.Fatalf("faults after PUT: %+v", f)
	}
	for _, want := range []string{`"hang":"1m15s"`, `"htmlPage":true`, `"oversizedBody":10485760`, `"gzipGarbage":true`, `"trickleRate":50`, `"clockOffset":"-2h0m0s"`} {
		if !strings.Contains(got, want) {
			t.Errorf("PUT answered %s, without %s", got, want)
		}
	}
}
