package awsops

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// defaultPolicyName is the only key policy name KMS has.
const defaultPolicyName = "default"

// KeyPolicy reads the policy document of key (a key id or key ARN) in
// region: GetKeyPolicy, by the key's account.
func (c *Client) KeyPolicy(ctx context.Context, region, key string) (string, error) {
	out, err := c.KMS(region).GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(key), PolicyName: aws.String(defaultPolicyName)})
	if err != nil {
		return "", c.apiError("GetKeyPolicy", region, err)
	}
	if aws.ToString(out.Policy) == "" {
		return "", c.apiError("GetKeyPolicy", region, errors.New("the answer holds no policy"))
	}
	return aws.ToString(out.Policy), nil
}

// PutKeyPolicy replaces the policy of key in region with policy (a whole
// document: model.WithKeyStatements makes it from the one read).
func (c *Client) PutKeyPolicy(ctx context.Context, region, key, policy string) error {
	_, err := c.KMS(region).PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(key), PolicyName: aws.String(defaultPolicyName), Policy: aws.String(policy)})
	return c.apiError("PutKeyPolicy", region, err)
}

// KeyIdentity says of key (an id, ARN or alias) in region its key ARN and
// whether AWS manages it (alias/aws/ebs: such a key's snapshots cannot be
// shared, nor its policy changed).
func (c *Client) KeyIdentity(ctx context.Context, region, key string) (arn string, awsManaged bool, err error) {
	out, err := c.KMS(region).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(key)})
	if err != nil {
		return "", false, c.apiError("DescribeKey", region, err)
	}
	md := out.KeyMetadata
	if md == nil || aws.ToString(md.Arn) == "" {
		return "", false, c.apiError("DescribeKey", region, errors.New("the answer holds no key"))
	}
	return aws.ToString(md.Arn), md.KeyManager == types.KeyManagerTypeAws, nil
}
