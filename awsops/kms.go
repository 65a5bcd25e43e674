package awsops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/snapcopy/snapcopy/model"
)

// KMSAliases lists the KMS aliases of region, for the key picker.
func (c *Client) KMSAliases(ctx context.Context, region string) ([]model.KMSAlias, error) {
	p := kms.NewListAliasesPaginator(c.KMS(region), &kms.ListAliasesInput{})
	var aliases []model.KMSAlias
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return aliases, c.apiError("ListAliases", region, err)
		}
		for _, a := range out.Aliases {
			aliases = append(aliases, model.KMSAlias{
				Name:        aws.ToString(a.AliasName),
				Arn:         aws.ToString(a.AliasArn),
				TargetKeyID: aws.ToString(a.TargetKeyId),
			})
		}
	}
	return aliases, nil
}
