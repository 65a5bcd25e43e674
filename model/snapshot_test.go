package model

import "testing"

func TestSnapshotSiteAndLocation(t *testing.T) {
	const arn = "arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0"
	tests := []struct {
		name     string
		snap     Snapshot
		site     Destination
		location string
		text     string
	}{
		{"Region", Snapshot{Region: "us-west-2"},
			Destination{Kind: ToRegion, Region: "us-west-2"}, "us-west-2", "Region us-west-2"},
		{"Local Zone", Snapshot{Region: "us-west-2", AvailabilityZone: "us-west-2-lax-1a"},
			Destination{Kind: ToLocalZone, Region: "us-west-2", LocalZone: "us-west-2-lax-1a"}, "us-west-2-lax-1a", "Local Zone us-west-2-lax-1a"},
		{"Outpost: named by its id", Snapshot{Region: "us-west-2", OutpostArn: arn},
			Destination{Kind: ToOutpost, Region: "us-west-2", OutpostArn: arn}, "op-0123456789abcdef0", "Outpost " + arn},
		{"an ordinary Availability Zone is its Region", Snapshot{Region: "us-west-2", AvailabilityZone: "us-west-2b"},
			Destination{Kind: ToRegion, Region: "us-west-2"}, "us-west-2", "Region us-west-2"},
		{"Outpost wins over a zone", Snapshot{Region: "us-west-2", OutpostArn: arn, AvailabilityZone: "us-west-2-lax-1a"},
			Destination{Kind: ToOutpost, Region: "us-west-2", OutpostArn: arn}, "op-0123456789abcdef0", "Outpost " + arn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.snap.Site(); got != tt.site {
				t.Errorf("Site = %+v, want %+v", got, tt.site)
			}
			if got := tt.snap.Location(); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
			if got := tt.snap.Site().String(); got != tt.text {
				t.Errorf("Site().String() = %q, want %q", got, tt.text)
			}
		})
	}
}

func TestDestinationShort(t *testing.T) {
	tests := []struct {
		d    Destination
		want string
	}{
		{Destination{Kind: ToRegion, Region: "eu-west-1"}, "eu-west-1"},
		{Destination{Kind: ToLocalZone, Region: "us-west-2", LocalZone: "us-west-2-lax-1a"}, "us-west-2-lax-1a"},
		{Destination{Kind: ToOutpost, Region: "us-west-2", OutpostArn: "arn:aws:outposts:us-west-2:123456789012:outpost/op-0abc"}, "op-0abc"},
		// A typed ARN without an id part is shown as typed.
		{Destination{Kind: ToOutpost, OutpostArn: "arn:aws:outposts:us-west-2:123456789012:outpost/"}, "arn:aws:outposts:us-west-2:123456789012:outpost/"},
		{Destination{Kind: ToOutpost, OutpostArn: "op-0abc"}, "op-0abc"},
	}
	for _, tt := range tests {
		if got := tt.d.Short(); got != tt.want {
			t.Errorf("%+v: Short = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// One rule tells a Local Zone from an ordinary Availability Zone, by name,
// in every partition.
func TestIsLocalZone(t *testing.T) {
	tests := []struct {
		zone string
		want bool
	}{
		{"", false},
		{"us-west-2a", false},
		{"us-west-2b", false},
		{"cn-north-1a", false},
		{"us-gov-west-1a", false},
		{"eusc-de-east-1a", false},
		{"us-west-2-lax-1a", true},
		{"us-east-1-bos-1a", true},
		{"us-east-1-wl1-bos-wlz-1", true}, // a Wavelength Zone is not its Region either
	}
	for _, tt := range tests {
		if got := IsLocalZone(tt.zone); got != tt.want {
			t.Errorf("IsLocalZone(%q) = %v, want %v", tt.zone, got, tt.want)
		}
	}
}
