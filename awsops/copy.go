package awsops

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/snapcopy/snapcopy/model"
)

// copyInput turns a request into the SDK's input field by field. Encrypted
// is sent only as true: AWS rejects Encrypted=false.
func copyInput(r model.CopyRequest) *ec2.CopySnapshotInput {
	in := &ec2.CopySnapshotInput{
		SourceRegion:     aws.String(r.SourceRegion),
		SourceSnapshotId: aws.String(r.SourceSnapshotID),
	}
	if r.Description != "" {
		in.Description = aws.String(r.Description)
	}
	if r.Encrypted {
		in.Encrypted = aws.Bool(true)
	}
	if r.KmsKeyID != "" {
		in.KmsKeyId = aws.String(r.KmsKeyID)
	}
	if len(r.Tags) > 0 {
		tags := make([]types.Tag, len(r.Tags))
		for i, t := range r.Tags {
			tags[i] = types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)}
		}
		in.TagSpecifications = []types.TagSpecification{{ResourceType: types.ResourceTypeSnapshot, Tags: tags}}
	}
	if r.CompletionDurationMinutes > 0 {
		in.CompletionDurationMinutes = aws.Int32(r.CompletionDurationMinutes)
	}
	if r.DestinationOutpostArn != "" {
		in.DestinationOutpostArn = aws.String(r.DestinationOutpostArn)
	}
	if r.DestinationAvailabilityZone != "" {
		in.DestinationAvailabilityZone = aws.String(r.DestinationAvailabilityZone)
	}
	if r.DryRun {
		in.DryRun = aws.Bool(true)
	}
	return in
}

// noRetry turns the SDK's retryer off for one call: a CopySnapshot retried
// blindly after a lost answer could start a second copy.
func noRetry(o *ec2.Options) { o.RetryMaxAttempts = 1 }

// copySnapshot sends one CopySnapshot to the request's destination Region.
func (c *Client) copySnapshot(ctx context.Context, r model.CopyRequest) (string, error) {
	out, err := c.EC2(r.DestinationRegion).CopySnapshot(ctx, copyInput(r), noRetry)
	if err != nil {
		return "", apiError("CopySnapshot", r.DestinationRegion, err)
	}
	return aws.ToString(out.SnapshotId), nil
}

// DryRunResult is AWS's answer to a dry-run copy.
type DryRunResult struct {
	Allowed bool
	Message string // AWS's message, in plain words
}

// DryRun asks AWS whether the caller may make the copy, without making it.
// DryRunOperation means allowed; UnauthorizedOperation means not. Any other
// error is returned as it is.
func (c *Client) DryRun(ctx context.Context, r model.CopyRequest) (DryRunResult, error) {
	r.DryRun = true
	// A real copy carries the request tag, and tagging on create is
	// authorized on its own: the dry run asks for the same.
	r = r.WithTag(model.RequestTagKey, "dry-run")
	_, err := c.copySnapshot(ctx, r)
	if err == nil {
		return DryRunResult{}, fmt.Errorf("dry run of CopySnapshot in %s: AWS made no dry-run answer", r.DestinationRegion)
	}
	ae, ok := model.AsAPIError(err)
	switch {
	case ok && ae.Code == "DryRunOperation":
		return DryRunResult{Allowed: true, Message: "permission granted: the copy would be accepted (" + ae.Message + ")"}, nil
	case ok && ae.Code == "UnauthorizedOperation":
		return DryRunResult{Allowed: false, Message: "permission missing (UnauthorizedOperation): " + ae.Message + " Ask for ec2:CopySnapshot (and kms:CreateGrant for encrypted copies) or switch profile."}, nil
	}
	return DryRunResult{}, err
}

// StartCopy moves a queued copy one step towards running, never starting
// it twice:
//   - queued: CopySnapshot is sent (retries off). On success the copy is
//     starting. Throttling, a refused connection, expired credentials or
//     ResourceLimitExceeded leave it queued with a note; other refusals fail it.
//     No answer, a 5xx, a dropped connection or a cancellation while the
//     request was out make it "sending".
//   - sending: the app looks for a snapshot carrying the copy's request tag.
//     Found: the copy is starting with that id. Not found, and the last send
//     is older than the settle delay (longer than AWS's visibility lag): it
//     is sent again. Otherwise it waits.
//
// The returned error is the AWS error met, if any, for the caller's backoff.
// Other phases are left alone.
func (c *Client) StartCopy(ctx context.Context, cp *model.Copy) error {
	now := c.now()
	switch cp.Phase {
	case model.PhaseQueued:
	case model.PhaseSending:
		snap, ok, err := c.FindByRequestID(ctx, cp.Request.DestinationRegion, cp.RequestID)
		if err != nil {
			cp.Note = "checking whether the copy was made: " + short(err)
			return err
		}
		if ok {
			// The copy an unanswered request made: it started when AWS
			// says, which the time left of a time-based copy counts from.
			started := now
			if !snap.StartTime.IsZero() {
				started = snap.StartTime
			}
			cp.Started(snap.ID, started)
			return nil
		}
		if now.Sub(cp.AttemptedAt) < c.settle {
			cp.Note = "no answer from AWS; checking whether the copy was made"
			return nil
		}
	default:
		return nil
	}

	if err := ctx.Err(); err != nil {
		return err // nothing was sent
	}
	cp.Attempts++
	cp.AttemptedAt = now
	id, err := c.copySnapshot(ctx, cp.Request)
	if err == nil {
		cp.Started(id, c.now())
		return nil
	}
	ae, _ := model.AsAPIError(err)
	if ae == nil || Ambiguous(err) {
		// The settle delay counts from when the failure was seen, not from
		// the send: a request that reached AWS late made its copy late.
		cp.AttemptedAt = c.now()
	}
	switch {
	case ae == nil:
		// Canceled while the request was out: AWS may have made the copy,
		// so the next step looks for it by its tag before sending again.
		cp.Phase = model.PhaseSending
		cp.Note = "canceled before AWS answered; checking whether the copy was made"
	case Ambiguous(err):
		cp.Phase = model.PhaseSending
		cp.Note = "no answer from AWS (" + ae.Message + "); checking whether the copy was made"
	case ae.Retryable() || ae.Kind == model.ErrCredentials:
		cp.Phase = model.PhaseQueued
		cp.Note = "waiting: " + ae.Code + ": " + ae.Message
		if ae.Code == "" {
			cp.Note = "waiting: " + ae.Message
		}
	default:
		cp.Fail(ae.Code+": "+ae.Message, c.now())
	}
	cp.UpdatedAt = c.now()
	return err
}

func short(err error) string {
	if ae, ok := model.AsAPIError(err); ok {
		if ae.Code != "" {
			return ae.Code + ": " + ae.Message
		}
		return ae.Message
	}
	return err.Error()
}
