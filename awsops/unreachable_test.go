package awsops_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
)

// closedEndpoint is a local address where nothing listens.
func closedEndpoint(t *testing.T) string {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	return "http://127.0.0.1:" + strconv.Itoa(port)
}

func TestUnreachableEndpoint(t *testing.T) {
	c := newClient(t, closedEndpoint(t), "us-west-2", func(o *awsops.Options) { o.RetryMaxAttempts = 2 })
	ctx := context.Background()

	_, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	ae, ok := model.AsAPIError(err)
	if !ok {
		t.Fatalf("ListSnapshots error %v is not an APIError", err)
	}
	if ae.Kind != model.ErrUnreachable || ae.Code != "" || ae.Status != 0 || ae.Op != "DescribeSnapshots" || ae.Region != "us-west-2" {
		t.Errorf("error %+v", ae)
	}
	if !ae.Retryable() || awsops.Ambiguous(err) || !strings.Contains(ae.Hint(), "cannot be reached") {
		t.Errorf("retryable %v ambiguous %v hint %q", ae.Retryable(), awsops.Ambiguous(err), ae.Hint())
	}

	// Nothing reached AWS, so the copy stays queued and is sent again later
	// without a tag look-up.
	cp := model.NewCopy(model.CopyRequest{
		DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0123456789abcdef0",
	}, model.Snapshot{}, time.Now())
	err = c.StartCopy(ctx, cp)
	if ae, ok := model.AsAPIError(err); !ok || ae.Kind != model.ErrUnreachable || ae.Op != "CopySnapshot" {
		t.Fatalf("StartCopy error %v", err)
	}
	if cp.Phase != model.PhaseQueued || cp.Attempts != 1 || !strings.HasPrefix(cp.Note, "waiting: ") {
		t.Errorf("copy: phase %q attempts %d note %q", cp.Phase, cp.Attempts, cp.Note)
	}
}

func TestNewWithoutRegion(t *testing.T) {
	_, err := awsops.New(context.Background(), awsops.Options{EndpointURL: closedEndpoint(t)})
	if !errors.Is(err, awsops.ErrNoRegion) {
		t.Errorf("New without a Region: %v, want ErrNoRegion", err)
	}
}

func TestCheckCredentials(t *testing.T) {
	c := newClient(t, closedEndpoint(t), "us-west-2")
	if err := c.CheckCredentials(context.Background()); err != nil {
		t.Errorf("CheckCredentials with static credentials: %v", err)
	}
	if c.Region() != "us-west-2" || c.Profile() != "" {
		t.Errorf("Region %q Profile %q", c.Region(), c.Profile())
	}
	// No credentials anywhere (TestMain empties the environment and IMDS is off).
	bare, err := awsops.New(context.Background(), awsops.Options{Region: "us-west-2", EndpointURL: closedEndpoint(t)})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := bare.CheckCredentials(context.Background()); err == nil || !strings.Contains(err.Error(), "--demo") {
		t.Errorf("CheckCredentials without credentials: %v", err)
	}
}
