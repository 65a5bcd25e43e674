package awsops_test

import (
	"errors"

	"context"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
)

// An HTTP 200 that is not EC2's document is an error naming the endpoint
// and what came back, never an empty answer: a CopySnapshot answered so
// may have reached AWS (it is ambiguous), a listing is not "no snapshots".
func TestAnAnswerNotEC2sIsAnErrorNamingTheEndpoint(t *testing.T) {
	for _, c := range simtest.ProxyAnswers {
		t.Run(c.Name, func(t *testing.T) {
			srv, url, cl := answerSim(t)
			src := firstSnapshot(t, cl)
			srv.SetFaults(c.Faults)
			host := strings.TrimPrefix(url, "http://")

			id, err := cl.CopySnapshot(context.Background(), model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src})
			ae, ok := model.AsAPIError(err)
			if id != "" || !ok || ae.Kind != model.ErrNotAWS || ae.Status != 200 || !awsops.Ambiguous(err) {
				t.Fatalf("CopySnapshot = %q, %v (%+v), want an ambiguous ErrNotAWS", id, err, ae)
			}
			if want := "ec2.us-east-1 (" + host + ") " + c.Says; !strings.HasPrefix(ae.Message, want) {
				t.Errorf("message %q\nwant     %q", ae.Message, want)
			}
			if model.JudgeSend(err) != model.SendUnanswered {
				t.Errorf("JudgeSend = %v, want unanswered: the copy is looked up by its tag", model.JudgeSend(err))
			}
			snaps, err := cl.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
			if ae, ok := model.AsAPIError(err); len(snaps) != 0 || !ok || ae.Kind != model.ErrNotAWS || !strings.Contains(ae.Message, "ec2.us-west-2 ("+host+") "+c.Says[:30]) {
				t.Errorf("ListSnapshots = %d snapshots, %v", len(snaps), err)
			}
			if h := model.Explain(err); !strings.Contains(h, "sign in to the network's portal or proxy") {
				t.Errorf("Explain = %q, lacks the advice", h)
			}
		})
	}
}

// A copy whose CopySnapshot was answered by a proxy is never marked
// started: it has no id, is looked for by its tag and, once AWS answers
// again, made exactly once.
func TestTrackerNeverStartsACopyWithoutAnID(t *testing.T) {
	for _, c := range simtest.ProxyAnswers {
		t.Run(c.Name, func(t *testing.T) {
			k := newTrack(t, trackSetup{})
			tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
			before := k.sim.SnapshotCount("us-east-1")
			if err := tr.Add(k.copyTo(k.source(8), "us-east-1")); err != nil {
				t.Fatal(err)
			}
			f := c.Faults
			f.Actions = []string{"CopySnapshot"}
			k.sim.SetFaults(f)
			for i := 0; i < 3; i++ {
				k.step(tr)
				got := tr.Copies()[0]
				if got.Phase != model.PhaseSending || got.SnapshotID != "" || !strings.Contains(got.Note, "answered with") {
					t.Fatalf("step %d: copy %s %q, note %q; want sending without an id", i+1, got.Phase, got.SnapshotID, got.Note)
				}
			}
			k.sim.SetFaults(ec2sim.Faults{})
			k.untilDone(tr, 100, nil)
			if got, n := tr.Copies()[0], k.sim.SnapshotCount("us-east-1")-before; got.Phase != model.PhaseCompleted || n != 1 {
				t.Errorf("copy ended %s, with %d copies made", got.Phase, n)
			}
		})
	}
}

// An answer with EC2's root that goes on past any answer of EC2's is cut
// at the bound; a CopySnapshot answer without the new copy's id is not
// EC2's.
func TestAnswersAreBoundedAndACopyNeedsItsID(t *testing.T) {
	endless := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><DescribeSnapshotsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><snapshotSet>`)
		pad := strings.Repeat(" ", 1<<20)
		for i := 0; i < 40; i++ {
			if _, err := fmt.Fprint(w, pad); err != nil {
				return
			}
		}
	}))
	t.Cleanup(endless.Close)
	_, err := newClient(t, endless.URL, "us-west-2", noRetries).ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
	if ae, ok := model.AsAPIError(err); !ok || ae.Kind != model.ErrNotAWS || !strings.Contains(ae.Message, "answered with more than 32 MiB") {
		t.Errorf("an endless answer: %v", err)
	}

	noID := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><CopySnapshotResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId></CopySnapshotResponse>`)
	}))
	t.Cleanup(noID.Close)
	id, err := newClient(t, noID.URL, "us-west-2").CopySnapshot(context.Background(),
		model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0123456789abcdef0"})
	if ae, ok := model.AsAPIError(err); id != "" || !ok || ae.Kind != model.ErrNotAWS || model.JudgeSend(err) != model.SendUnanswered ||
		ae.Message != "ec2.us-east-1 answered CopySnapshot without a snapshot id: not EC2's answer" {
		t.Errorf("a copy without an id: %q, %v", id, err)
	}
}

// answerSim is the seeded simulator and a client without the SDK's retries.
func answerSim(t *testing.T) (*ec2sim.Server, string, *awsops.Client) {
	t.Helper()
	srv, url := newSim(t, ec2sim.Options{Seed: 1})
	return srv, url, newClient(t, url, "us-west-2", noRetries)
}

// firstSnapshot is the id of a completed snapshot the account owns.
func firstSnapshot(t *testing.T, c *awsops.Client) string {
	t.Helper()
	snaps, err := c.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range snaps {
		if s.State == model.StateCompleted && s.StorageTier != "archive" && s.OutpostArn == "" {
			return s.ID
		}
	}
	t.Fatal("no completed snapshot")
	return ""
}

// KMS answers an operation without output, DisableKey, with an empty body
// (some emulators label it text/html): that is the whole answer. An empty
// body to DescribeKey, which has output, is not KMS's answer.
func TestAnEmptyAnswerIsKMSsOnlyForAnOperationWithoutOutput(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}))
	t.Cleanup(srv.Close)
	creds := credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")
	cl, err := awsops.New(context.Background(), awsops.Options{Region: "eu-central-1", EndpointURL: srv.URL, StaticCredentials: &creds, RetryMaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	k := cl.KMS("eu-central-1")
	if _, err := k.DisableKey(context.Background(), &kms.DisableKeyInput{KeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab")}); err != nil {
		t.Errorf("DisableKey answered with an empty body: %v, want no error", err)
	}
	_, err = k.DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab")})
	var bad *awsops.NotAWSAnswer
	if !errors.As(err, &bad) {
		t.Errorf("DescribeKey answered with an empty body: %v, want a NotAWSAnswer", err)
	}
}
