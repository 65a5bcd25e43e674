package awsops

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/snapcopy/snapcopy/model"
)

// Regions lists every Region of the partition, enabled or not (AllRegions).
func (c *Client) Regions(ctx context.Context) ([]model.Region, error) {
	return c.regionsAskedIn(ctx, c.Region())
}

// PartitionRegions lists every Region of the home Region's partition, asked
// of the partition's first Region rather than of the home Region itself: a
// mistyped home Region has no endpoint to ask.
func (c *Client) PartitionRegions(ctx context.Context) ([]model.Region, error) {
	return c.regionsAskedIn(ctx, partitionAnchor(c.Region()))
}

// partitionAnchor is a Region every account of the partition of region has
// (botocore's partitions.json: aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc).
func partitionAnchor(region string) string {
	for _, p := range []struct{ prefix, anchor string }{
		{"cn-", "cn-north-1"},
		{"us-gov-", "us-gov-west-1"},
		{"us-isob-", "us-isob-east-1"},
		{"us-isof-", "us-isof-south-1"},
		{"us-iso-", "us-iso-east-1"},
		{"eu-isoe-", "eu-isoe-west-1"},
		{"eusc-", "eusc-de-east-1"},
	} {
		if strings.HasPrefix(region, p.prefix) {
			return p.anchor
		}
	}
	return "us-east-1"
}

func (c *Client) regionsAskedIn(ctx context.Context, in string) ([]model.Region, error) {
	out, err := c.EC2(in).DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(true)})
	if err != nil {
		return nil, c.apiError("DescribeRegions", in, err)
	}
	regions := make([]model.Region, 0, len(out.Regions))
	for _, r := range out.Regions {
		regions = append(regions, model.Region{
			Name:        aws.ToString(r.RegionName),
			Endpoint:    aws.ToString(r.Endpoint),
			OptInStatus: aws.ToString(r.OptInStatus),
		})
	}
	return regions, nil
}

// LocalZones lists the Local Zones of region, opted in or not.
func (c *Client) LocalZones(ctx context.Context, region string) ([]model.LocalZone, error) {
	out, err := c.EC2(region).DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{
		AllAvailabilityZones: aws.Bool(true),
		Filters:              []types.Filter{{Name: aws.String("zone-type"), Values: []string{"local-zone"}}},
	})
	if err != nil {
		return nil, c.apiError("DescribeAvailabilityZones", region, err)
	}
	zones := make([]model.LocalZone, 0, len(out.AvailabilityZones))
	for _, z := range out.AvailabilityZones {
		if aws.ToString(z.ZoneType) != "local-zone" {
			continue
		}
		zones = append(zones, model.LocalZone{
			Name:        aws.ToString(z.ZoneName),
			ZoneID:      aws.ToString(z.ZoneId),
			Region:      aws.ToString(z.RegionName),
			GroupName:   aws.ToString(z.GroupName),
			ParentZone:  aws.ToString(z.ParentZoneName),
			State:       string(z.State),
			OptInStatus: string(z.OptInStatus),
		})
	}
	return zones, nil
}

// EncryptionDefault reads whether region encrypts new EBS volumes and
// snapshots by default, and its default EBS KMS key.
func (c *Client) EncryptionDefault(ctx context.Context, region string) (model.EncryptionDefault, error) {
	cl := c.EC2(region)
	on, err := cl.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{})
	if err != nil {
		return model.EncryptionDefault{}, c.apiError("GetEbsEncryptionByDefault", region, err)
	}
	key, err := cl.GetEbsDefaultKmsKeyId(ctx, &ec2.GetEbsDefaultKmsKeyIdInput{})
	if err != nil {
		return model.EncryptionDefault{}, c.apiError("GetEbsDefaultKmsKeyId", region, err)
	}
	return model.EncryptionDefault{Enabled: aws.ToBool(on.EbsEncryptionByDefault), KmsKeyID: aws.ToString(key.KmsKeyId)}, nil
}
