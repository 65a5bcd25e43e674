package awsops

import (
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/aws/smithy-go/logging"
)

// notices carries what snapcopy has to say about its connection to AWS
// while a call is under way (an attempt without an answer, the SDK's
// warnings in snapcopy's words) to whoever listens: plain mode and
// `snapcopy copy` print them on standard error. Until someone listens they
// are dropped; nothing of the SDK's reaches the terminal on its own.
type notices struct {
	to atomic.Pointer[func(string)]
}

// tell hands text to the listener, if any.
func (n *notices) tell(text string) {
	if n == nil {
		return
	}
	if f := n.to.Load(); f != nil {
		(*f)(text)
	}
}

// OnNotice sets who hears what the client says about its connection while
// calls are under way ("no answer from ec2.us-east-1 for 20 s, retrying"),
// one sentence at a time, from any goroutine; nil: nobody. Set it before
// the calls whose notices matter.
func (c *Client) OnNotice(f func(text string)) {
	if f == nil {
		c.notices.to.Store(nil)
		return
	}
	c.notices.to.Store(&f)
}

// sdkLogger is the AWS SDK's logger (config.WithLogger): without it the
// SDK writes its warnings to standard error as "SDK 2026/11/25 14:03:05
// WARN ...", over the screen. Each line is worded by sdkNotice and told
// through the client's notices, or dropped.
type sdkLogger struct{ n *notices }

func (l sdkLogger) Logf(_ logging.Classification, format string, v ...any) {
	if text := sdkNotice(fmt.Sprintf(format, v...)); text != "" {
		l.n.tell(text)
	}
}

// sdkNotice is what snapcopy says about one line of the SDK's log, "" for
// nothing:
//   - the response body it could not discard or close: the connection is
//     not reused, which changes nothing for the operator;
//   - IMDSv1 fallback: on a host without an instance role it is always
//     followed by the missing credentials, which snapcopy words itself, and
//     on an instance it changes nothing the operator does in snapcopy;
//   - a Date header it could not read: the answer itself is judged on its
//     own (answers.go);
//   - anything else in the SDK's words, credentials redacted.
func sdkNotice(line string) string {
	for _, quiet := range []string{
		"failed to discard remaining HTTP response body",
		"failed to close HTTP response body",
		"falling back to IMDSv1",
		"failed to parse response Date header",
	} {
		if strings.Contains(line, quiet) {
			return ""
		}
	}
	if strings.Contains(line, "credential expiration extension") {
		return "the instance's credential service did not answer: the credentials in use are kept a while longer (" + redact(line) + ")"
	}
	return "the AWS SDK warns: " + redact(line)
}
