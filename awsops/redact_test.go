package awsops

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

func TestRedact(t *testing.T) {
	inUse := aws.Credentials{
		AccessKeyID:     "SNAPKEYCANARY77",
		SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYCANARY",
		SessionToken:    "FwoGZXIvYXdzEJr//////////wEaDCANARY+TOKEN/x9==",
	}
	cases := []struct {
		name string
		in   string
		want string
	}{
		{"plain text stays", "Request limit exceeded.", "Request limit exceeded."},
		{"empty", "", ""},
		{"canonical request token header",
			"host:ec2.us-west-2.amazonaws.com\nx-amz-date:20261124T100000Z\nx-amz-security-token:IQoJb3JpZ2luX2VjEJr/abc+def=\n\nhost;x-amz-date",
			"host:ec2.us-west-2.amazonaws.com\nx-amz-date:20261124T100000Z\nx-amz-security-token:[redacted]\n\nhost;x-amz-date"},
		{"token header, other case and spacing",
			"X-Amz-Security-Token: AQoDYXdzEN3token", "X-Amz-Security-Token: [redacted]"},
		{"presigned URL query",
			"https://ec2.us-west-2.amazonaws.com/?Action=CopySnapshot&X-Amz-Security-Token=IQoJb3Jp%2Bx%2F&X-Amz-Signature=4f2a9b&X-Amz-Credential=ASIAQWERTYUIOPASDFGH%2F20261124%2Fus-west-2%2Fec2%2Faws4_request",
			"https://ec2.us-west-2.amazonaws.com/?Action=CopySnapshot&X-Amz-Security-Token=[redacted]&X-Amz-Signature=[redacted]&X-Amz-Credential=ASIA****%2F20261124%2Fus-west-2%2Fec2%2Faws4_request"},
		{"authorization header",
			"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261124/us-west-2/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
			"AWS4-HMAC-SHA256 Credential=AKIA****/20261124/us-west-2/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=[redacted]"},
		{"presigned URL inside a URL-encoded body",
			"PresignedUrl=https%3A%2F%2Fec2.amazonaws.com%2F%3FX-Amz-Security-Token%3DIQoJb3Jp%252Bx%26X-Amz-Signature%3D4f2a9b%26X-Amz-Credential%3DASIAQWERTYUIOPASDFGH%252F20261124%26Action%3DCopySnapshot",
			"PresignedUrl=https%3A%2F%2Fec2.amazonaws.com%2F%3FX-Amz-Security-Token%3D[redacted]%26X-Amz-Signature%3D[redacted]%26X-Amz-Credential%3DASIA****%252F20261124%26Action%3DCopySnapshot"},
		{"lower-case signature in a query", "?x-amz-signature=abc123&foo=1", "?x-amz-signature=[redacted]&foo=1"},
		{"access key id alone", "The AWS Access Key Id AKIAIOSFODNN7EXAMPLE does not exist.", "The AWS Access Key Id AKIA**** does not exist."},
		{"secret named in configuration text", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG", "aws_secret_access_key = [redacted]"},
		{"session token in JSON", `{"SessionToken":"IQoJb3JpZ2luX2Vj"}`, `{"SessionToken":"[redacted]"}`},
		{"credentials in use, anywhere",
			"key SNAPKEYCANARY77 secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYCANARY token FwoGZXIvYXdzEJr//////////wEaDCANARY+TOKEN/x9==.",
			"key SNAP**** secret [redacted] token [redacted]."},
		{"token in use, URL-encoded",
			"body Token=FwoGZXIvYXdzEJr%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FwEaDCANARY%2BTOKEN%2Fx9%3D%3D end",
			"body Token=[redacted] end"},
		{"words that only look alike stay", "the signature you provided; SignedHeaders=host", "the signature you provided; SignedHeaders=host"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := redact(tc.in, inUse); got != tc.want {
				t.Errorf("redact(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// A short secret (no real AWS secret is) is not hunted through the text,
// where it would garble words; its patterns still apply.
func TestRedactShortKnownValues(t *testing.T) {
	got := redact("a test of x-amz-security-token:abc", aws.Credentials{AccessKeyID: "a", SecretAccessKey: "test", SessionToken: "abc"})
	if got != "a test of x-amz-security-token:[redacted]" {
		t.Errorf("got %q", got)
	}
	if strings.Contains(redact("no secrets here", aws.Credentials{}), redacted) {
		t.Error("empty credentials redacted something")
	}
}
