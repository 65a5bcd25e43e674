package track

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// The tracker's status line is model.Explain's text behind what the
// tracker does: one wording of an AWS error, with the advice once.
func TestStatusLine(t *testing.T) {
	expired := &model.APIError{Op: "CopySnapshot", Region: "us-east-1", Code: "RequestExpired", Message: "Request has expired.", Kind: model.ErrCredentials}
	throttled := &model.APIError{Op: "DescribeSnapshots", Region: "eu-west-1", Code: "RequestLimitExceeded", Message: "Request limit exceeded.", Kind: model.ErrThrottled}
	tests := []struct {
		name    string
		trouble error
		paused  bool
		wait    time.Duration
		profile string
		retry   string
		want    string
	}{
		{"fine", nil, false, 0, "", "", ""},
		{"retrying: the wait rounded up", throttled, false, 1500 * time.Millisecond, "", "",
			"retrying in 2 s: DescribeSnapshots in eu-west-1: RequestLimitExceeded — AWS is throttling requests; snapcopy backs off and retries. AWS says: Request limit exceeded."},
		{"paused, the profile named", expired, true, 0, "prod-admin", "",
			"paused: credentials expired or invalid: renew them (for example `aws sso login --profile prod-admin`), then try again — CopySnapshot in us-east-1: RequestExpired: Request has expired."},
		{"paused, a screen's key", expired, true, 0, "", "press r",
			"paused: credentials expired or invalid: renew them (for example `aws sso login --profile NAME`), then press r — CopySnapshot in us-east-1: RequestExpired: Request has expired."},
		{"not from AWS", errors.New("save state: disk full"), false, 4 * time.Second, "", "press r",
			"retrying in 4 s: save state: disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := statusLine(tt.trouble, tt.paused, tt.wait, tt.profile, tt.retry); got != tt.want {
				t.Errorf("statusLine =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// StatusTo words a Step's trouble again with a front end's key; Status is
// the same text with "try again", and a paused Step repeats both.
func TestStatusToPutsTheKeyInTheAdvice(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	b.aws.profile = "ops"
	b.aws.regionErr["us-east-1"] = apiErr("CopySnapshot", "us-east-1", "RequestExpired", model.ErrCredentials)
	b.add("us-east-1")
	res := b.tr.Step(context.Background())
	want := "paused: " + model.Explain(res.Trouble, model.AdviceFirst(), model.ForProfile("ops"), model.RetryBy("press r"))
	if got := res.StatusTo("press r"); got != want {
		t.Errorf("StatusTo = %q, want %q", got, want)
	}
	if res.Status != res.StatusTo("") {
		t.Errorf("Status %q is not StatusTo(\"\") %q", res.Status, res.StatusTo(""))
	}
	if again := b.tr.Step(context.Background()); again.StatusTo("press r") != want {
		t.Errorf("a paused Step says %q, want %q", again.StatusTo("press r"), want)
	}
	if (StepResult{Status: "as given"}).StatusTo("press r") != "as given" {
		t.Error("a result without Trouble is not its Status")
	}
}
