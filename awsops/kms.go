package awsops

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

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

// DescribeKMSKey tells whether key (a key id, a key or alias ARN, or an
// alias) names a KMS key in region, and the key's state: CopySnapshot
// accepts any well-formed key and the copy fails later when the key is
// missing, disabled or pending deletion. A key KMS does not find there is
// Found false, not an error.
func (c *Client) DescribeKMSKey(ctx context.Context, region, key string) (model.KMSKey, error) {
	out, err := c.KMS(region).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(key)})
	if err != nil {
		var nf *types.NotFoundException
		if errors.As(err, &nf) {
			return model.KMSKey{}, nil
		}
		return model.KMSKey{}, c.apiError("DescribeKey", region, err)
	}
	md := out.KeyMetadata
	if md == nil || aws.ToString(md.Arn) == "" {
		return model.KMSKey{}, c.apiError("DescribeKey", region, errors.New("the answer holds no key"))
	}
	return model.KMSKey{
		Found:        true,
		Arn:          aws.ToString(md.Arn),
		State:        string(md.KeyState),
		DeletionDate: aws.ToTime(md.DeletionDate),
	}, nil
}
