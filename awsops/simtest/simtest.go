// Package simtest starts the EC2 simulator (awsops/ec2sim) for a test,
// with a real awsops client on it: the set-up the awsops and ui tests
// share. Everything it starts ends with the test.
package simtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
)

// Region is the client's home Region.
const Region = "us-west-2"

// Setup is what to start.
type Setup struct {
	// Sim configures the simulator.
	Sim ec2sim.Options
	// Wrap, when set, stands in front of the simulator: a test watching or
	// changing the requests.
	Wrap func(http.Handler) http.Handler
	// Client changes the client's options (retries, credentials, Region).
	Client func(*awsops.Options)
}

// Sim is a simulator serving on a loopback port and a client on it.
type Sim struct {
	Server *ec2sim.Server
	URL    string
	// Client reaches the simulator as the app reaches AWS: the SDK over
	// HTTP, static credentials, home Region us-west-2.
	Client *awsops.Client
}

// Start serves a simulator as s says until the test ends, and connects a
// client to it.
func Start(tb testing.TB, s Setup) *Sim {
	tb.Helper()
	srv := ec2sim.New(s.Sim)
	var h http.Handler = srv
	if s.Wrap != nil {
		h = s.Wrap(srv)
	}
	hs := httptest.NewServer(h)
	tb.Cleanup(hs.Close)
	return &Sim{Server: srv, URL: hs.URL, Client: Client(tb, hs.URL, s.Client)}
}

// Client is a client of the endpoint at url, as Start makes it.
func Client(tb testing.TB, url string, change func(*awsops.Options)) *awsops.Client {
	tb.Helper()
	creds := credentials.NewStaticCredentialsProvider("AKIDTEST", "test-secret", "")
	o := awsops.Options{Region: Region, EndpointURL: url, StaticCredentials: &creds}
	if change != nil {
		change(&o)
	}
	c, err := awsops.New(context.Background(), o)
	if err != nil {
		tb.Fatalf("awsops.New: %v", err)
	}
	return c
}
