package awsops

import (
	"strings"
	"testing"

	"github.com/aws/smithy-go/logging"
)

// The SDK's log lines become snapcopy's notices, or nothing: the noise of
// a connection not reused and the IMDSv1 fallback are dropped, the rest is
// said with credentials redacted.
func TestSDKLogLinesBecomeNoticesOrNothing(t *testing.T) {
	c := NewLocal("http://127.0.0.1:1", "us-west-2")
	var heard []string
	c.OnNotice(func(text string) { heard = append(heard, text) })
	log := sdkLogger{c.notices}
	log.Logf(logging.Warn, "failed to discard remaining HTTP response body, this may affect connection reuse: %v", "unexpected EOF")
	log.Logf(logging.Warn, "falling back to IMDSv1: %v", "http response error StatusCode: 404")
	log.Logf(logging.Warn, "Attempting credential expiration extension due to a credential service availability issue. A refresh of these credentials will be attempted again in %v minutes.", 5)
	log.Logf(logging.Warn, "something new with AKIAABCDEFGHIJKLMNOP in it")
	if len(heard) != 2 || !strings.HasPrefix(heard[0], "the instance's credential service did not answer") ||
		heard[1] != "the AWS SDK warns: something new with AKIA**** in it" {
		t.Errorf("notices = %q", heard)
	}
	c.OnNotice(nil)
	log.Logf(logging.Warn, "something else")
	if len(heard) != 2 {
		t.Errorf("a notice was heard after OnNotice(nil): %q", heard)
	}
}
