package model

import (
	"regexp"
	"strings"
	"time"
)

// Region is an AWS Region as DescribeRegions reports it.
type Region struct {
	Name     string
	Endpoint string
	// OptInStatus is "opt-in-not-required", "opted-in" or "not-opted-in".
	OptInStatus string
}

// Enabled reports whether the account can use the Region.
func (r Region) Enabled() bool { return r.OptInStatus != "not-opted-in" }

// LocalZone is a Local Zone as DescribeAvailabilityZones reports it.
type LocalZone struct {
	Name        string // us-west-2-lax-1a
	ZoneID      string
	Region      string // parent Region
	GroupName   string // us-west-2-lax-1
	ParentZone  string
	State       string // available, ...
	OptInStatus string
}

// Enabled reports whether the account can use the zone.
func (z LocalZone) Enabled() bool { return z.OptInStatus != "not-opted-in" }

// ordinaryZoneRe is an ordinary Availability Zone: its Region plus a letter
// (us-west-2a, cn-north-1b, us-gov-west-1a).
var ordinaryZoneRe = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-\d+[a-z]$`)

// IsLocalZone reports whether a snapshot's zone is a Local Zone
// (us-west-2-lax-1a), a place of its own, rather than an ordinary
// Availability Zone of its Region (us-west-2a) or none. The one rule for
// where a snapshot lives (Snapshot.Site) and for which zone awsops keeps.
func IsLocalZone(zone string) bool { return zone != "" && !ordinaryZoneRe.MatchString(zone) }

// EncryptionDefault is a Region's EBS encryption-by-default setting and the
// account's default EBS KMS key there.
type EncryptionDefault struct {
	Enabled bool
	// KmsKeyID is GetEbsDefaultKmsKeyId's answer: "alias/aws/ebs" unless changed.
	KmsKeyID string
}

// KMSAlias is one KMS alias of a Region, for the key picker.
type KMSAlias struct {
	Name        string // alias/backup
	Arn         string
	TargetKeyID string
}

// KMSKey is what DescribeKey tells of a KMS key in a Region.
type KMSKey struct {
	// Found is false when KMS answered that no such key (or alias) is
	// there (NotFoundException).
	Found bool
	Arn   string
	// State is KMS's KeyState: KeyEnabled, KeyDisabled,
	// KeyPendingDeletion, or another state in which the key cannot be
	// used (PendingImport, Unavailable, Creating, Updating, ...).
	State string
	// DeletionDate is when a key pending deletion is deleted.
	DeletionDate time.Time
}

// KMS key states (KeyState) the checks name.
const (
	KeyEnabled         = "Enabled"
	KeyDisabled        = "Disabled"
	KeyPendingDeletion = "PendingDeletion"
)

// DestinationKind is where a copy goes: a Region, an Outpost or a Local Zone.
type DestinationKind int

const (
	ToRegion DestinationKind = iota
	ToOutpost
	ToLocalZone
)

// String is the kind as screens show it.
func (k DestinationKind) String() string {
	switch k {
	case ToOutpost:
		return "Outpost"
	case ToLocalZone:
		return "Local Zone"
	default:
		return "Region"
	}
}

// destinationKindTokens are the kinds as saved files spell them.
var destinationKindTokens = tokens[DestinationKind]{
	{ToRegion, "region"}, {ToOutpost, "outpost"}, {ToLocalZone, "local-zone"},
}

// MarshalText is the kind's stable token: region, outpost or local-zone.
func (k DestinationKind) MarshalText() ([]byte, error) {
	return destinationKindTokens.marshal(k, "destination kind")
}

// UnmarshalText reads a token MarshalText writes.
func (k *DestinationKind) UnmarshalText(b []byte) error {
	return destinationKindTokens.unmarshal(k, b, "destination kind")
}

// Destination is the chosen target of a copy.
type Destination struct {
	Kind DestinationKind
	// Region is the destination Region; for an Outpost or Local Zone, their
	// parent Region. The CopySnapshot request is sent there.
	Region     string
	LocalZone  string // with ToLocalZone
	OutpostArn string // with ToOutpost
}

// String names the destination for people.
func (d Destination) String() string {
	switch d.Kind {
	case ToOutpost:
		return "Outpost " + d.OutpostArn
	case ToLocalZone:
		return "Local Zone " + d.LocalZone
	default:
		return "Region " + d.Region
	}
}

// Short names the destination in a column's width: the Region, the Local
// Zone, or the Outpost's id (op-…).
func (d Destination) Short() string {
	switch d.Kind {
	case ToOutpost:
		return OutpostID(d.OutpostArn)
	case ToLocalZone:
		return d.LocalZone
	default:
		return d.Region
	}
}

// OutpostID is the op-… id at the end of an Outpost ARN
// (arn:aws:outposts:REGION:ACCOUNT:outpost/op-…), or the text itself when
// it has no such end.
func OutpostID(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 && i < len(arn)-1 {
		return arn[i+1:]
	}
	return arn
}

// DestinationFacts is what the form and the validator know about where
// copies can go: fetched from DescribeRegions, DescribeAvailabilityZones,
// GetEbsEncryptionByDefault / GetEbsDefaultKmsKeyId and snapshot Outposts.
type DestinationFacts struct {
	Regions    []Region
	LocalZones []LocalZone
	// Outposts are Outpost ARNs known to the app (seen on snapshots or given
	// on the command line); any well-formed ARN may still be typed.
	Outposts []string
	// Encryption maps a Region name to its encryption default. A Region
	// missing here is treated as "unknown" by the preview.
	Encryption map[string]EncryptionDefault
	// Aliases maps a Region name to its KMS aliases, for completion.
	Aliases map[string][]KMSAlias
	// Keys holds what DescribeKey told of the KMS keys asked about, by
	// KeyFact(Region, key as typed).
	Keys map[string]KMSKey
}

// KeyFact is the key of Keys for a KMS key (an id, ARN or alias, as
// typed) asked about in region.
func KeyFact(region, key string) string { return region + " " + key }

// Key is what DescribeKey told of key in region, and whether it was asked.
func (f DestinationFacts) Key(region, key string) (KMSKey, bool) {
	k, ok := f.Keys[KeyFact(region, key)]
	return k, ok
}

// Zone finds a Local Zone by name.
func (f DestinationFacts) Zone(name string) (LocalZone, bool) {
	for _, z := range f.LocalZones {
		if z.Name == name {
			return z, true
		}
	}
	return LocalZone{}, false
}

// RegionByName finds a Region by name.
func (f DestinationFacts) RegionByName(name string) (Region, bool) {
	for _, r := range f.Regions {
		if r.Name == name {
			return r, true
		}
	}
	return Region{}, false
}
