package awsops

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// An answer is judged before the SDK reads it: a proxy's sign-in page, a
// buffer of padding or bytes that only claim to be gzip come back as HTTP
// 200 too, and the SDK's deserializers, which skip what they do not know,
// read them as an empty answer (no snapshots, a copy without an id).

// maxAnswerBytes bounds the body of one answer. A page of 1,000 snapshots
// with 50 tags each is under 10 MiB; an answer past this is not EC2's.
const maxAnswerBytes = 32 << 20

// answerHead is how much of an answer is read ahead to judge it.
const answerHead = 4096

// NotAWSAnswer is an answer that is not the document AWS answers the call
// with: its endpoint and what came back instead.
type NotAWSAnswer struct {
	// Endpoint is the service's endpoint by name, "ec2.us-west-2", and the
	// host it was reached at when that is not AWS's own.
	Endpoint string
	// What came back: "an HTML page: a proxy or a captive portal?".
	What string
	// Status is the answer's HTTP status.
	Status int
}

func (e *NotAWSAnswer) Error() string { return e.Endpoint + " answered with " + e.What }

// RetryableError keeps the SDK's retryer from asking again at once: a
// portal or a proxy answers the same until someone acts on it. The
// tracker's backoff asks again later.
func (e *NotAWSAnswer) RetryableError() bool { return false }

// checkAnswers is a step of every call: innermost at the Deserialize step,
// it sees the HTTP answer before the SDK's deserializer reads it.
func checkAnswers(stack *middleware.Stack) error {
	return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("snapcopyCheckAnswer",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleDeserialize(ctx, in)
			if err != nil {
				return out, md, err
			}
			resp, ok := out.RawResponse.(*smithyhttp.Response)
			if !ok || resp.Response == nil {
				return out, md, err
			}
			if err := judgeAnswer(ctx, resp.Response); err != nil {
				return out, md, err
			}
			return out, md, nil
		}), middleware.After)
}

// judgeAnswer reads the head of a success answer and returns why it is
// not the document the call expects, nil when it is. The body is bounded
// by maxAnswerBytes from here on, an error answer's too.
func judgeAnswer(ctx context.Context, resp *http.Response) error {
	body, ok := resp.Body.(*answerBody)
	if !ok {
		body = newAnswerBody(resp.Body)
		resp.Body = body
	}
	service, op := awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx)
	bad := &NotAWSAnswer{Endpoint: endpointName(service, awsmiddleware.GetRegion(ctx), resp.Request), Status: resp.StatusCode}
	body.tooLarge = bad
	if resp.StatusCode/100 != 2 {
		// An error answer, AWS's or a gateway's page, is sorted by the
		// SDK and apiError by its status and code: it is never read as
		// data.
		return nil
	}
	head, err := body.peek(answerHead)
	if err != nil && err != io.EOF {
		if strings.Contains(err.Error(), "gzip") {
			bad.What = fmt.Sprintf("a body that says it is gzip and is not (%v): not %s's answer", err, service)
			return bad
		}
		// Cut short or too slow: an answer lost on the way, not another's.
		return &cutAnswer{endpoint: bad.Endpoint, err: err}
	}
	head = bytes.TrimLeft(head, " \t\r\n\ufeff")
	ctype := resp.Header.Get("Content-Type")
	mediaType, _, _ := mime.ParseMediaType(ctype)
	json := service != "EC2" && service != "STS" // KMS and Service Quotas speak JSON
	var root string
	if !json {
		root = rootElement(head)
	}
	switch {
	case json && bytes.HasPrefix(head, []byte("{")):
		return nil
	case json && noOutput[service+" "+op] && (len(head) == 0 || string(bytes.TrimSpace(head)) == "null"):
		// Whatever type it claims (some emulators say text/html and
		// answer JSON's null): nothing is the whole answer to these.
		return nil
	case !json && root == op+"Response":
		return nil
	case root == "html" || looksHTML(head) || mediaType == "text/html":
		bad.What = "an HTML page: a proxy or a captive portal? (HTTP " + fmt.Sprint(resp.StatusCode)
		if ctype != "" {
			bad.What += ", " + ctype
		}
		if t := pageTitle(head); t != "" {
			bad.What += fmt.Sprintf(", %q", t)
		}
		bad.What += ")"
		return bad
	case len(head) == 0:
		bad.What = fmt.Sprintf("an empty answer to %s (HTTP %d): not %s's answer", op, resp.StatusCode, service)
	case root != "":
		bad.What = fmt.Sprintf("a document that is not %s's (<%s>, where %s answers %s with <%sResponse>)", service, root, service, op, op)
	case json:
		bad.What = fmt.Sprintf("an answer to %s that is not JSON (HTTP %d, %s): not %s's answer", op, resp.StatusCode, ctype, service)
	default:
		bad.What = fmt.Sprintf("an answer to %s that is not XML (HTTP %d, %s): not %s's answer", op, resp.StatusCode, ctype, service)
	}
	return bad
}

// noOutput names the JSON operations AWS answers with an empty body on
// success ("an HTTP 200 response with an empty HTTP body"): for every other
// JSON operation an empty body is not AWS's answer.
var noOutput = map[string]bool{
	"KMS CreateAlias": true, "KMS DeleteAlias": true, "KMS UpdateAlias": true,
	"KMS DisableKey": true, "KMS EnableKey": true, "KMS PutKeyPolicy": true,
	"KMS TagResource": true, "KMS UntagResource": true,
	"DLM DeleteLifecyclePolicy": true, "DLM UpdateLifecyclePolicy": true,
	"DLM TagResource": true, "DLM UntagResource": true,
}

// cutAnswer is an answer whose body stopped coming: the connection was
// lost, or the call's time ran out while it trickled in.
type cutAnswer struct {
	endpoint string
	err      error
}

func (e *cutAnswer) Error() string {
	if isTimeout(e.err) || errors.Is(e.err, context.DeadlineExceeded) {
		return "the answer from " + e.endpoint + " did not come whole in the time given to the call"
	}
	return "the answer from " + e.endpoint + " was cut short (" + e.err.Error() + ")"
}

func (e *cutAnswer) Unwrap() error { return e.err }

// endpointName names a service's endpoint as an operator knows it,
// "ec2.us-west-2", and the host it was reached at when that is not AWS's
// own (an --endpoint-url).
func endpointName(service, region string, req *http.Request) string {
	name := strings.ToLower(strings.ReplaceAll(service, " ", "")) + "." + region
	if req != nil && req.URL != nil && !strings.HasSuffix(req.URL.Hostname(), ".amazonaws.com") {
		name += " (" + req.URL.Host + ")"
	}
	return name
}

// rootElement is the name of the first element of an XML document's head,
// past its declaration, comments and doctype, without a namespace prefix;
// "" when the head does not begin as XML.
func rootElement(head []byte) string {
	for {
		head = bytes.TrimLeft(head, " \t\r\n")
		switch {
		case bytes.HasPrefix(head, []byte("<?")):
			end := bytes.Index(head, []byte("?>"))
			if end < 0 {
				return ""
			}
			head = head[end+2:]
		case bytes.HasPrefix(head, []byte("<!")):
			end := bytes.IndexByte(head, '>')
			if end < 0 {
				return ""
			}
			head = head[end+1:]
		case bytes.HasPrefix(head, []byte("<")):
			name := head[1:]
			if end := bytes.IndexAny(name, " \t\r\n/>"); end >= 0 {
				name = name[:end]
			}
			if i := bytes.LastIndexByte(name, ':'); i >= 0 {
				name = name[i+1:]
			}
			return string(name)
		default:
			return ""
		}
	}
}

func looksHTML(head []byte) bool {
	lower := bytes.ToLower(head[:min(len(head), 64)])
	return bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html"))
}

var titleRe = regexp.MustCompile(`(?is)<title[^>]*>([^<]{1,120})</title>`)

// pageTitle is an HTML page's title, what a sign-in page says it is.
func pageTitle(head []byte) string {
	if m := titleRe.FindSubmatch(head); m != nil {
		return strings.Join(strings.Fields(string(m[1])), " ")
	}
	return ""
}
