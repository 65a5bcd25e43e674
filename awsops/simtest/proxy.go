package simtest

import "github.com/snapcopy/snapcopy/awsops/ec2sim"

// ProxyAnswer is an answer a proxy gives in AWS's place, as a fault of the
// simulator makes it, and what snapcopy says came back, after the
// endpoint's name ("ec2.us-west-2 (127.0.0.1:4566) " + Says).
type ProxyAnswer struct {
	Name   string
	Faults ec2sim.Faults
	Says   string
}

// ProxyAnswers are a captive portal's sign-in page, a proxy's buffer of
// padding and bytes that only claim to be gzip.
var ProxyAnswers = []ProxyAnswer{
	{"html", ec2sim.Faults{HTMLPage: true}, `answered with an HTML page: a proxy or a captive portal? (HTTP 200, text/html; charset=utf-8, "Network sign-in required")`},
	{"oversized", ec2sim.Faults{OversizedBody: 10 << 20}, "answered with a document that is not EC2's (<ProxyBuffer>, where EC2 answers "},
	{"gzip", ec2sim.Faults{GzipGarbage: true}, "answered with a body that says it is gzip and is not (gzip: invalid header): not EC2's answer"},
}
