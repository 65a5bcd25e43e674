package awsops

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// callerAccount remembers the caller's account once known.
type callerAccount struct {
	id    string
	known bool
}

// STS returns the STS client, built once, in the home Region and behind
// the endpoint override like EC2 and KMS.
func (c *Client) STS() *sts.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sts == nil {
		c.sts = sts.NewFromConfig(c.cfg, func(o *sts.Options) {
			if c.endpoint != "" {
				o.BaseEndpoint = aws.String(c.endpoint)
			}
			o.HTTPClient = c.transport(o.HTTPClient)
			o.APIOptions = append(o.APIOptions, c.apiOptions()...)
			o.Retryer = c.noticing(o.Retryer)
			o.HTTPSignerV4 = c.signer()
		})
	}
	return c.sts
}

// Account returns the caller's AWS account id, from STS GetCallerIdentity
// (which needs no permission), asked once.
func (c *Client) Account(ctx context.Context) (string, error) {
	c.mu.Lock()
	acct := c.account
	c.mu.Unlock()
	if acct.known {
		return acct.id, nil
	}
	out, err := c.STS().GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", c.apiError("GetCallerIdentity", c.cfg.Region, err)
	}
	id := aws.ToString(out.Account)
	if id == "" {
		return "", fmt.Errorf("GetCallerIdentity in %s answered no account", c.cfg.Region)
	}
	c.mu.Lock()
	c.account = callerAccount{id: id, known: true}
	c.mu.Unlock()
	return id, nil
}

// ownAccountIn is the account whose snapshots the shared view leaves out:
// the caller's account from STS, else the owner of any snapshot the caller
// owns in region. "" when STS is not reachable and the caller owns no
// snapshot there: then no listed snapshot can be the caller's own.
func (c *Client) ownAccountIn(ctx context.Context, region string) (string, error) {
	id, stsErr := c.Account(ctx)
	if stsErr == nil {
		return id, nil
	}
	out, err := c.EC2(region).DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, MaxResults: aws.Int32(5)})
	if err != nil {
		return "", fmt.Errorf("find the caller's account: %w (and %w)", stsErr, c.apiError("DescribeSnapshots", region, err))
	}
	for _, s := range out.Snapshots {
		if o := aws.ToString(s.OwnerId); o != "" {
			return o, nil
		}
	}
	return "", nil
}
