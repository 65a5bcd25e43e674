package validate

import (
	"regexp"
	"strings"

	"github.com/snapcopy/snapcopy/model"
)

var (
	accountRe   = regexp.MustCompile(`^\d{12}$`)
	outpostIDRe = regexp.MustCompile(`^outpost/op-[0-9a-f]{17}$`)
)

// partitions are the ARN partitions of KMS keys (botocore's partitions.json).
var partitions = map[string]bool{
	"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true, "aws-iso-b": true,
	"aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true,
}

// partitionNames lists partitions for messages.
const partitionNames = "aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f or aws-eusc"

// outpostPartitions are the partitions an Outpost ARN may name (spec section 1).
var outpostPartitions = map[string]bool{"aws": true, "aws-cn": true, "aws-us-gov": true}

// regionPartitions map a Region code's prefix to its partition, most
// specific first, as botocore's partitions.json regionRegex does.
var regionPartitions = []struct{ prefix, partition string }{
	{"us-gov-", "aws-us-gov"},
	{"us-isob-", "aws-iso-b"},
	{"us-isof-", "aws-iso-f"},
	{"us-iso-", "aws-iso"},
	{"eu-isoe-", "aws-iso-e"},
	{"eusc-", "aws-eusc"},
	{"cn-", "aws-cn"},
}

// partitionOf is the partition a Region code belongs to.
func partitionOf(region string) string {
	for _, p := range regionPartitions {
		if strings.HasPrefix(region, p.prefix) {
			return p.partition
		}
	}
	return "aws"
}

// arnParts splits arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE; ok is
// false when s does not have that shape.
type arnParts struct{ partition, service, region, account, resource string }

func splitARN(s string) (arnParts, bool) {
	p := strings.SplitN(s, ":", 6)
	if len(p) != 6 || p[0] != "arn" {
		return arnParts{}, false
	}
	return arnParts{p[1], p[2], p[3], p[4], p[5]}, true
}

const outpostArnExample = "arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0"

// OutpostArn checks a destination Outpost ARN; its Region must be the
// source Region (sourceRegion "" skips that rule, e.g. before a source is known).
func OutpostArn(arn, sourceRegion string) []Problem {
	if arn == "" {
		return []Problem{errorf(FieldDestination, "Destination Outpost ARN is required, such as %s", outpostArnExample)}
	}
	a, ok := splitARN(arn)
	if !ok || a.service != "outposts" {
		return []Problem{errorf(FieldDestination, "Destination Outpost ARN %s must look like %s", quote(arn), outpostArnExample)}
	}
	switch {
	case !outpostPartitions[a.partition]:
		return []Problem{errorf(FieldDestination, "Destination Outpost ARN: partition %s must be aws, aws-cn or aws-us-gov", quote(a.partition))}
	case !regionCodeRe.MatchString(a.region):
		return []Problem{errorf(FieldDestination, "Destination Outpost ARN: %s is not a Region code such as us-west-2", quote(a.region))}
	case partitionOf(a.region) != a.partition:
		return []Problem{errorf(FieldDestination, "Destination Outpost ARN: Region %s is not in partition %s", a.region, a.partition)}
	case !accountRe.MatchString(a.account):
		return []Problem{errorf(FieldDestination, "Destination Outpost ARN: account %s must be 12 digits", quote(a.account))}
	case !outpostIDRe.MatchString(a.resource):
		return []Problem{errorf(FieldDestination, "Destination Outpost ARN must end in outpost/op- followed by 17 lower-case hex digits, not %s", quote(a.resource))}
	case sourceRegion != "" && a.region != sourceRegion:
		return []Problem{errorf(FieldDestination, "Destination Outpost is in %s: a snapshot can be copied only to an Outpost of its own Region (%s)", a.region, sourceRegion)}
	}
	return nil
}

// ResolveDestination turns the form's destination type and text into a
// Destination, with the problems of those two fields. sourceRegion is the
// batch's source Region ("" when unknown). The Destination's Region is set
// whenever the text names one, even while problems stand, so the form can
// load that Region's encryption default and KMS aliases.
func ResolveDestination(kind model.DestinationKind, raw, sourceRegion string, facts model.DestinationFacts) (model.Destination, []Problem) {
	name := strings.TrimSpace(raw)
	d := model.Destination{Kind: kind}
	switch kind {
	case model.ToRegion:
		if ps := RegionCode(FieldDestination, name); ps != nil {
			return d, ps
		}
		d.Region = name
		if len(facts.Regions) == 0 {
			return d, nil // not loaded yet: the code's shape is all we can check
		}
		r, ok := facts.RegionByName(name)
		switch {
		case !ok:
			return d, []Problem{errorf(FieldDestination, "Destination Region %s", UnknownRegion(name, facts.Regions))}
		case !r.Enabled():
			return d, []Problem{errorf(FieldDestination, "Destination Region %s is not enabled for this account: opt in to it first", name)}
		}
		return d, nil
	case model.ToLocalZone:
		if name == "" {
			return d, []Problem{errorf(FieldDestination, "Destination Local Zone is required")}
		}
		z, ok := facts.Zone(name)
		switch {
		case !ok && len(facts.LocalZones) == 0:
			return d, []Problem{errorf(FieldDestination, "Destination Local Zone %s cannot be checked: Local Zones are not loaded yet", quote(name))}
		case !ok:
			return d, []Problem{errorf(FieldDestination, "Destination Local Zone %s is not a Local Zone this account can see", quote(name))}
		}
		d.Region, d.LocalZone = z.Region, z.Name
		if !z.Enabled() {
			return d, []Problem{errorf(FieldDestination, "Destination Local Zone %s is not enabled for this account: opt in to its zone group %s first", z.Name, z.GroupName)}
		}
		if z.State != "" && z.State != "available" {
			return d, []Problem{warnf(FieldDestination, "Destination Local Zone %s is %s: the copy may fail", z.Name, z.State)}
		}
		return d, nil
	case model.ToOutpost:
		ps := OutpostArn(name, sourceRegion)
		if a, ok := splitARN(name); ok && regionCodeRe.MatchString(a.region) {
			d.Region = a.region
		}
		if ps == nil {
			d.OutpostArn = name
		}
		return d, ps
	}
	return d, []Problem{errorf(FieldDestKind, "Destination type must be a Region, an Outpost or a Local Zone")}
}

// RequestRegion says which Region a request for the destination goes to:
// the Region itself, or the parent Region of a Local Zone or an Outpost. It
// is "" while the destination does not name a Region yet.
func RequestRegion(kind model.DestinationKind, destination string, facts model.DestinationFacts) string {
	d, _ := ResolveDestination(kind, destination, "", facts)
	return d.Region
}

// UnknownRegion says a Region name is not one of the account's Regions,
// with the closest one it might have meant: "us-wset-2 is not a Region
// this account knows (did you mean us-west-2?)".
func UnknownRegion(name string, regions []model.Region) string {
	names := make([]string, len(regions))
	for i, r := range regions {
		names[i] = r.Name
	}
	msg := name + " is not a Region this account knows"
	if s, ok := SuggestRegion(name, names); ok {
		msg += " (did you mean " + s + "?)"
	}
	return msg
}
