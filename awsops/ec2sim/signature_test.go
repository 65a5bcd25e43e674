package ec2sim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// sentHeaders keeps the headers of the last request a client sent.
type sentHeaders struct {
	mu   sync.Mutex
	last http.Header
}

func (s *sentHeaders) Do(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.last = r.Header.Clone()
	s.mu.Unlock()
	return http.DefaultClient.Do(r)
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// quoted is the text between the quotes that follow intro in msg.
func quoted(t *testing.T, msg, intro string) string {
	t.Helper()
	_, rest, ok := strings.Cut(msg, intro+"\n'")
	if !ok {
		t.Fatalf("no %q in:\n%s", intro, msg)
	}
	body, _, ok := strings.Cut(rest, "'")
	if !ok {
		t.Fatalf("unterminated quote after %q", intro)
	}
	return body
}

// The fault answers as AWS does when it computes another signature: 403
// SignatureDoesNotMatch quoting the canonical request and string to sign.
// They are the ones the SDK signed: signing the quoted string-to-sign with
// the secret gives the very signature the SDK sent.
func TestSignatureMismatchQuotesTheRequest(t *testing.T) {
	const secret, token = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEJr+sessionTOKEN/canary=="
	h := newHarness(t, Options{Seed: 1})
	h.sim.SetFaults(Faults{SignatureMismatch: true, ClockSkew: Duration(-7 * time.Minute)})
	sent := &sentHeaders{}
	cfg := aws.Config{
		Region:           "us-west-2",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", secret, token),
		RetryMaxAttempts: 1,
		HTTPClient:       sent,
	}
	c := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(h.url) })
	_, err := c.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}})
	var ae smithy.APIError
	var re *smithyhttp.ResponseError
	if !errors.As(err, &ae) || ae.ErrorCode() != "SignatureDoesNotMatch" || !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusForbidden {
		t.Fatalf("DescribeSnapshots = %v, want 403 SignatureDoesNotMatch", err)
	}
	msg := ae.ErrorMessage()
	if !strings.HasPrefix(msg, "The request signature we calculated does not match the signature you provided.") {
		t.Errorf("message starts %q", msg[:min(len(msg), 80)])
	}
	auth := sent.last.Get("Authorization")
	canonical := quoted(t, msg, "The Canonical String for this request should have been")
	toSign := quoted(t, msg, "The String-to-Sign should have been")
	for _, want := range []string{"POST\n/\n\n", "x-amz-security-token:" + token + "\n", "x-amz-date:" + sent.last.Get("X-Amz-Date") + "\n"} {
		if !strings.Contains(canonical, want) {
			t.Errorf("canonical request lacks %q:\n%s", want, canonical)
		}
	}
	if !strings.Contains(msg, auth) {
		t.Errorf("the answer does not quote the Authorization header %q", auth)
	}
	sum := sha256.Sum256([]byte(canonical))
	if lines := strings.Split(toSign, "\n"); len(lines) != 4 || lines[0] != "AWS4-HMAC-SHA256" || lines[3] != hex.EncodeToString(sum[:]) {
		t.Fatalf("string to sign:\n%s", toSign)
	}
	scope := strings.Split(strings.Split(toSign, "\n")[2], "/") // date/region/service/aws4_request
	key := []byte("AWS4" + secret)
	for _, part := range scope {
		key = hmacSHA256(key, part)
	}
	if sig := hex.EncodeToString(hmacSHA256(key, toSign)); !strings.HasSuffix(auth, "Signature="+sig) {
		t.Errorf("the quoted request is not the one signed: signature %s, Authorization %s", sig, auth)
	}
	date, err := http.ParseTime(re.Response.Header.Get("Date"))
	if off := time.Until(date); err != nil || off > -6*time.Minute || off < -8*time.Minute {
		t.Errorf("Date header %q, want the clock 7 min back", re.Response.Header.Get("Date"))
	}

	_, err = kms.NewFromConfig(cfg, func(o *kms.Options) { o.BaseEndpoint = aws.String(h.url) }).ListAliases(ctx, &kms.ListAliasesInput{})
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidSignatureException" || !strings.Contains(ae.ErrorMessage(), "x-amz-security-token:"+token) {
		t.Errorf("KMS ListAliases = %v, want InvalidSignatureException quoting the request", err)
	}
	// Every JSON service answers it alike: the Price List API too.
	_, err = pricing.NewFromConfig(cfg, func(o *pricing.Options) { o.BaseEndpoint = aws.String(h.url) }).GetProducts(ctx, &pricing.GetProductsInput{ServiceCode: aws.String("AmazonEC2")})
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidSignatureException" {
		t.Errorf("pricing GetProducts = %v, want InvalidSignatureException", err)
	}

	h.sim.SetFaults(Faults{})
	if _, err := c.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}}); err != nil {
		t.Fatalf("after clearing the fault: %v", err)
	}
}

// With RawControlCharacters a description's ESC goes out raw, as moto
// writes it: the SDK cannot decode that page. Without, it decodes.
func TestRawControlCharactersBreakTheAnswer(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	in := &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}}
	if _, err := c.DescribeSnapshots(ctx, in); err != nil {
		t.Fatalf("without the fault: %v", err)
	}
	h.sim.SetFaults(Faults{RawControlCharacters: true})
	_, err := c.DescribeSnapshots(ctx, in)
	var de *smithy.DeserializationError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "illegal character code U+001B") {
		t.Fatalf("with raw control characters: %v, want a deserialization error naming U+001B", err)
	}
}

// The control endpoint takes the new faults by their JSON names.
func TestFaultsJSONSignatureAndRawControls(t *testing.T) {
	var f Faults
	if err := json.Unmarshal([]byte(`{"signatureMismatch":true,"clockSkew":"-7m","rawControlCharacters":true}`), &f); err != nil {
		t.Fatal(err)
	}
	if !f.SignatureMismatch || f.ClockSkew != Duration(-7*time.Minute) || !f.RawControlCharacters {
		t.Fatalf("decoded %+v", f)
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var back Faults
	if err := json.Unmarshal(b, &back); err != nil || back.ClockSkew != f.ClockSkew || !back.SignatureMismatch || !back.RawControlCharacters {
		t.Fatalf("round trip %s: %+v %v", b, back, err)
	}
	if err := json.Unmarshal([]byte(`{"clockSkew":"soon"}`), &f); err == nil || !strings.Contains(err.Error(), "clockSkew") {
		t.Errorf("a bad clockSkew: %v", err)
	}
}
