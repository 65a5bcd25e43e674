package ec2sim

// AWS's own strings, as the simulator writes and reads them. They are written
// here from the EC2 API reference and the enums and deserializers of
// aws-sdk-go-v2 (service/ec2/types/enums.go: SnapshotState, StorageTier,
// TransferType), never taken from the client's constants, so a wrong
// constant in the client cannot be confirmed by the simulator.

// Snapshot states (SnapshotState).
const (
	statePending   = "pending"
	stateCompleted = "completed"
	stateError     = "error"
)

// Storage tiers (StorageTier).
const (
	tierStandard = "standard"
	tierArchive  = "archive"
)

// Transfer types of a copy (TransferType).
const (
	transferStandard  = "standard"
	transferTimeBased = "time-based"
)

// Opt-in statuses of Regions and zones (DescribeRegions optInStatus,
// DescribeAvailabilityZones optInStatus).
const (
	optInNotRequired = "opt-in-not-required"
	optedIn          = "opted-in"
	notOptedIn       = "not-opted-in"
)

// Zone types (DescribeAvailabilityZones zoneType).
const (
	zoneTypeAZ        = "availability-zone"
	zoneTypeLocalZone = "local-zone"
)

// The Service Quotas quota of time-based copies: service ebs, code
// L-E137849C, "Cumulative throughput for time-based snapshot copies per
// source and destination Region pair", 2,000 MiB/s by default ("Time-based
// copies for Amazon EBS snapshots and EBS-backed AMIs").
const (
	timeBasedQuotaCode       = "L-E137849C"
	defaultTimeBasedQuotaMiB = 2000
)

// Provenance tags snapcopy puts on its copies. AWS keeps them as it keeps
// any tag; the simulator reads them only to tell a copy's lineage (which
// volume and Region it came from), as AWS's incremental copying follows the
// volume. They are snapcopy's names, written here as the simulator's own.
const (
	tagSourceSnapshot = "snapcopy:source-snapshot"
	tagSourceVolume   = "snapcopy:source-volume"
	tagSourceRegion   = "snapcopy:source-region"
)
