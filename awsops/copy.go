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

// CopySnapshot sends one CopySnapshot for r to its destination Region, with
// the SDK's retries off, and returns the new copy's id. It only reports what
// AWS answered: the error is a *model.APIError whose Kind says whether AWS
// refused (no copy was made) or gave no answer (a copy may have been made,
// see model.JudgeSend), or the context's error when canceled.
func (c *Client) CopySnapshot(ctx context.Context, r model.CopyRequest) (string, error) {
	out, err := c.EC2(r.DestinationRegion).CopySnapshot(ctx, copyInput(r), noRetry)
	if err != nil {
		return "", c.apiError("CopySnapshot", r.DestinationRegion, err)
	}
	id := aws.ToString(out.SnapshotId)
	if id == "" && !r.DryRun {
		// EC2 answers every copy with its id: an answer without one is not
		// EC2's, and a copy is started only with an id.
		return "", &model.APIError{Op: "CopySnapshot", Region: r.DestinationRegion, Kind: model.ErrNotAWS, Status: 200,
			Message: "ec2." + r.DestinationRegion + " answered CopySnapshot without a snapshot id: not EC2's answer"}
	}
	return id, nil
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
	_, err := c.CopySnapshot(ctx, r)
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
