package awsops

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dlm"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/snapcopy/snapcopy/model"
)

// DLM returns the Data Lifecycle Manager client of a Region, behind the
// endpoint override like EC2 and KMS. Policies are few and created by
// hand, so a client is built per call rather than kept.
func (c *Client) DLM(region string) *dlm.Client {
	return dlm.NewFromConfig(c.cfg, func(o *dlm.Options) {
		o.Region = region
		if c.endpoint != "" {
			o.BaseEndpoint = aws.String(c.endpoint)
		}
		o.HTTPClient = c.transport(o.HTTPClient)
		o.APIOptions = append(o.APIOptions, c.apiOptions()...)
		o.Retryer = c.noticing(o.Retryer)
		o.HTTPSignerV4 = c.signer()
	})
}

// CreateDLMPolicy creates the lifecycle policy p in region and returns its
// id. The document goes to the SDK member for member as it is printed for
// the AWS CLI (the same names), so what is created is what was shown.
// CreateLifecyclePolicy has no client token: a call whose answer was lost
// is not sent again by snapcopy (the SDK's retryer retries only answers
// that say nothing was done, such as throttling).
func (c *Client) CreateDLMPolicy(ctx context.Context, region string, p model.DLMPolicy) (string, error) {
	var in dlm.CreateLifecyclePolicyInput
	if err := convert(p, &in); err != nil {
		return "", fmt.Errorf("CreateLifecyclePolicy in %s: the policy does not fit the SDK's input: %w", region, err)
	}
	out, err := c.DLM(region).CreateLifecyclePolicy(ctx, &in)
	if err != nil {
		return "", c.apiError("CreateLifecyclePolicy", region, err)
	}
	id := aws.ToString(out.PolicyId)
	if id == "" {
		return "", fmt.Errorf("CreateLifecyclePolicy in %s answered no policy id", region)
	}
	return id, nil
}

// DLMPolicyInfo is a stored policy as GetLifecyclePolicy answers it.
type DLMPolicyInfo struct {
	ID, Arn string
	// State is ENABLED, DISABLED or ERROR; StatusMessage says why.
	State, StatusMessage string
	Policy               model.DLMPolicy
}

// DLMPolicy reads policy id of region back.
func (c *Client) DLMPolicy(ctx context.Context, region, id string) (DLMPolicyInfo, error) {
	out, err := c.DLM(region).GetLifecyclePolicy(ctx, &dlm.GetLifecyclePolicyInput{PolicyId: aws.String(id)})
	if err != nil {
		return DLMPolicyInfo{}, c.apiError("GetLifecyclePolicy", region, err)
	}
	lp := out.Policy
	if lp == nil || lp.PolicyDetails == nil {
		return DLMPolicyInfo{}, fmt.Errorf("GetLifecyclePolicy in %s answered no policy for %s", region, id)
	}
	info := DLMPolicyInfo{
		ID: aws.ToString(lp.PolicyId), Arn: aws.ToString(lp.PolicyArn),
		State: string(lp.State), StatusMessage: aws.ToString(lp.StatusMessage),
		Policy: model.DLMPolicy{ExecutionRoleArn: aws.ToString(lp.ExecutionRoleArn), Description: aws.ToString(lp.Description), State: string(lp.State)},
	}
	if err := convert(lp.PolicyDetails, &info.Policy.PolicyDetails); err != nil {
		return info, fmt.Errorf("GetLifecyclePolicy in %s: the policy's details do not read back: %w", region, err)
	}
	return info, nil
}

// DeleteDLMPolicy deletes policy id of region.
func (c *Client) DeleteDLMPolicy(ctx context.Context, region, id string) error {
	_, err := c.DLM(region).DeleteLifecyclePolicy(ctx, &dlm.DeleteLifecyclePolicyInput{PolicyId: aws.String(id)})
	return c.apiError("DeleteLifecyclePolicy", region, err)
}

// convert copies a document between the model's and the SDK's types,
// which use the same member names, through their JSON.
func convert(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// KMSKey is a KMS key as DescribeKey describes it.
type KMSKey struct {
	Arn string
	// AWSManaged is a key AWS manages (alias/aws/ebs): it cannot be
	// used by another account.
	AWSManaged bool
}

// DescribeKey resolves key (an alias, alias ARN, key id or key ARN) to
// its key in region: DLM takes key ARNs, not aliases.
func (c *Client) DescribeKey(ctx context.Context, region, key string) (KMSKey, error) {
	out, err := c.KMS(region).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(key)})
	if err != nil {
		return KMSKey{}, c.apiError("DescribeKey", region, err)
	}
	if out.KeyMetadata == nil || aws.ToString(out.KeyMetadata.Arn) == "" {
		return KMSKey{}, fmt.Errorf("DescribeKey in %s answered no key ARN for %s", region, key)
	}
	return KMSKey{Arn: aws.ToString(out.KeyMetadata.Arn), AWSManaged: out.KeyMetadata.KeyManager == kmstypes.KeyManagerTypeAws}, nil
}
