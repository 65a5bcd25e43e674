package model

// CopyRequest is exactly what one CopySnapshot call carries: awsops turns it
// field by field into the SDK's CopySnapshotInput. Zero values mean "not sent".
type CopyRequest struct {
	// DestinationRegion is the Region the request is sent to (the client's
	// Region). For an Outpost or Local Zone it is their parent Region.
	DestinationRegion string
	SourceRegion      string
	SourceSnapshotID  string
	Description       string
	// Encrypted true sends Encrypted=true; false sends nothing (never false).
	Encrypted bool
	KmsKeyID  string
	// Tags go in one TagSpecification with ResourceType=snapshot.
	Tags                        []Tag
	CompletionDurationMinutes   int32 // 0: standard copy
	DestinationOutpostArn       string
	DestinationAvailabilityZone string
	DryRun                      bool
	// SnapLock is not part of CopySnapshot: the lock the tracker sets on
	// the copy once AWS has its id (snaplock.go); zero for none.
	SnapLock SnapLockSpec
}

// Destination reports where the request puts the copy.
func (r CopyRequest) Destination() Destination {
	switch {
	case r.DestinationOutpostArn != "":
		return Destination{Kind: ToOutpost, Region: r.DestinationRegion, OutpostArn: r.DestinationOutpostArn}
	case r.DestinationAvailabilityZone != "":
		return Destination{Kind: ToLocalZone, Region: r.DestinationRegion, LocalZone: r.DestinationAvailabilityZone}
	default:
		return Destination{Kind: ToRegion, Region: r.DestinationRegion}
	}
}

// WithTag returns a copy of r whose tags include key=value, replacing an
// existing tag with that key.
func (r CopyRequest) WithTag(key, value string) CopyRequest {
	tags := make([]Tag, 0, len(r.Tags)+1)
	for _, t := range r.Tags {
		if t.Key != key {
			tags = append(tags, t)
		}
	}
	r.Tags = append(tags, Tag{Key: key, Value: value})
	return r
}

// Missing names the fields a CopySnapshot cannot go without that r lacks
// (its source Region, its source snapshot, its destination Region), nil
// when it has them all. AWS would refuse such a request (MissingParameter),
// or, without a destination, it could not even be addressed.
func (r CopyRequest) Missing() []string {
	var out []string
	if r.SourceRegion == "" {
		out = append(out, "source Region")
	}
	if r.SourceSnapshotID == "" {
		out = append(out, "source snapshot id")
	}
	if r.DestinationRegion == "" {
		out = append(out, "destination Region")
	}
	return out
}
