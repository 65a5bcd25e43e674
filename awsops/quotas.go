package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"

	"github.com/snapcopy/snapcopy/model"
)

// ebsServiceCode is EBS's service code in Service Quotas.
const ebsServiceCode = "ebs"

// TimeBasedCopyQuota reads the account's cumulative time-based copy
// throughput quota in region (the copies' destination Region) from Service
// Quotas. When it cannot be read (servicequotas:GetServiceQuota denied,
// Service Quotas unreachable) the quota is AWS's default, marked Default,
// and the error says why; the quota is usable either way.
func (c *Client) TimeBasedCopyQuota(ctx context.Context, region string) (model.ThroughputQuota, error) {
	def := model.ThroughputQuota{MiBps: model.DefaultTimeBasedQuotaMiBps, Default: true}
	cl := servicequotas.NewFromConfig(c.cfg, func(o *servicequotas.Options) {
		o.Region = region
		if c.endpoint != "" {
			o.BaseEndpoint = aws.String(c.endpoint)
		}
		o.HTTPClient = c.transport(o.HTTPClient)
		o.APIOptions = append(o.APIOptions, c.apiOptions()...)
		o.Retryer = c.noticing(o.Retryer)
		o.HTTPSignerV4 = c.signer()
	})
	out, err := cl.GetServiceQuota(ctx, &servicequotas.GetServiceQuotaInput{
		ServiceCode: aws.String(ebsServiceCode),
		QuotaCode:   aws.String(model.TimeBasedQuotaCode),
	})
	if err != nil {
		return def, c.apiError("GetServiceQuota", region, err)
	}
	if out.Quota == nil || out.Quota.Value == nil || *out.Quota.Value <= 0 {
		return def, nil
	}
	return model.ThroughputQuota{MiBps: *out.Quota.Value}, nil
}
