package validate

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

func TestCopyable(t *testing.T) {
	tests := []struct {
		name   string
		change func(*model.Snapshot)
		ok     bool
		words  []string
	}{
		{"completed", func(*model.Snapshot) {}, true, nil},
		{"pending", func(s *model.Snapshot) { s.State = model.StatePending }, false, []string{"pending:", "only a completed snapshot"}},
		{"error", func(s *model.Snapshot) { s.State = model.StateError }, false, []string{"error:", "only a completed snapshot"}},
		{"recoverable", func(s *model.Snapshot) { s.State = model.StateRecoverable }, false, []string{"recoverable:", "only a completed"}},
		{"recovering", func(s *model.Snapshot) { s.State = model.StateRecovering }, false, []string{"recovering:", "only a completed"}},
		{"no state", func(s *model.Snapshot) { s.State = "" }, false, []string{"state unknown", "only a completed"}},
		{"archived", func(s *model.Snapshot) { s.StorageTier = model.TierArchive }, false, []string{"archived", "restore it first"}},
		{"restored, restore expired", func(s *model.Snapshot) {
			s.RestoreExpiry = now.Add(-time.Hour)
		}, false, []string{"archived", "expired"}},
		// AWS reports a temporarily restored snapshot in the standard tier.
		{"temporarily restored: standard tier with a restore expiry", func(s *model.Snapshot) {
			s.RestoreExpiry = now.Add(time.Hour)
		}, true, nil},
		{"archived, restore expired", func(s *model.Snapshot) {
			s.StorageTier = model.TierArchive
			s.RestoreExpiry = now.Add(-time.Hour)
		}, false, []string{"archived", "expired"}},
		{"archived, restored", func(s *model.Snapshot) {
			s.StorageTier = model.TierArchive
			s.RestoreExpiry = now.Add(time.Hour)
		}, true, nil},
		{"on an Outpost", func(s *model.Snapshot) { s.OutpostArn = outpostW2 }, false, []string{"on an Outpost:", "cannot be copied"}},
		{"in a Local Zone", func(s *model.Snapshot) { s.AvailabilityZone = "us-west-2-lax-1a" }, true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := snap()
			tc.change(&s)
			ok, why := Copyable(s, now)
			if ok != tc.ok {
				t.Fatalf("Copyable = %v (%q), want %v", ok, why, tc.ok)
			}
			if ok && why != "" {
				t.Errorf("copyable with a reason %q", why)
			}
			for _, w := range tc.words {
				if !strings.Contains(why, w) {
					t.Errorf("reason %q lacks %q", why, w)
				}
			}
		})
	}
}

func TestAllowedKinds(t *testing.T) {
	region, lz, op := snap(), lzSnap(), snap()
	op.OutpostArn = outpostW2
	ordinaryAZ := snap()
	ordinaryAZ.AvailabilityZone = "us-west-2a"
	tests := []struct {
		name string
		s    model.Snapshot
		want []model.DestinationKind
	}{
		{"Region source", region, []model.DestinationKind{model.ToRegion, model.ToOutpost, model.ToLocalZone}},
		{"ordinary AZ is a Region source", ordinaryAZ, []model.DestinationKind{model.ToRegion, model.ToOutpost, model.ToLocalZone}},
		{"Local Zone source", lz, []model.DestinationKind{model.ToRegion, model.ToLocalZone}},
		{"Outpost source", op, nil},
	}
	for _, tc := range tests {
		if got := AllowedKinds(tc.s); !slices.Equal(got, tc.want) {
			t.Errorf("%s: AllowedKinds = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestAllowedLocalZones(t *testing.T) {
	names := func(zs []model.LocalZone) []string {
		var out []string
		for _, z := range zs {
			out = append(out, z.Name)
		}
		return out
	}
	fs := facts()
	// A Region source: the enabled zones of its Region, none of another Region's.
	if got, want := names(AllowedLocalZones(snap(), fs)), []string{"us-west-2-lax-1a", "us-west-2-lax-1b", "us-west-2-den-1a", "us-west-2-sea-1a"}; !slices.Equal(got, want) {
		t.Errorf("Region source: %v, want %v", got, want)
	}
	// A Local Zone source: its zone group only, itself included.
	if got, want := names(AllowedLocalZones(lzSnap(), fs)), []string{"us-west-2-lax-1a", "us-west-2-lax-1b"}; !slices.Equal(got, want) {
		t.Errorf("Local Zone source: %v, want %v", got, want)
	}
	op := snap()
	op.OutpostArn = outpostW2
	if got := AllowedLocalZones(op, fs); got != nil {
		t.Errorf("Outpost source: %v, want none", names(got))
	}
	east := snap()
	east.Region = "us-east-1"
	if got, want := names(AllowedLocalZones(east, fs)), []string{"us-east-1-bos-1a"}; !slices.Equal(got, want) {
		t.Errorf("us-east-1 source: %v, want %v", got, want)
	}
}

func TestRegionCode(t *testing.T) {
	for _, good := range []string{"us-west-2", "eu-central-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1",
		"eusc-de-east-1", "us-iso-east-1", "us-isob-east-1"} {
		if ps := RegionCode(FieldDestination, good); ps != nil {
			t.Errorf("%s: %s", good, dump(ps))
		}
	}
	tests := []struct {
		f     Field
		code  string
		words []string
	}{
		{FieldDestination, "", []string{"Destination Region is required"}},
		{FieldDestination, "US-WEST-2", []string{"Destination Region", "not a Region code"}},
		{FieldDestination, "us-west", []string{"not a Region code"}},
		{FieldDestination, "us-west-2a", []string{"not a Region code"}},
		{FieldSource, "uswest2", []string{"Source Region", "not a Region code"}},
		{FieldSource, "abcde-west-1", []string{"not a Region code"}},
	}
	for _, tc := range tests {
		wantProblem(t, RegionCode(tc.f, tc.code), tc.f, Error, tc.words...)
	}
}

func TestSnapshotID(t *testing.T) {
	for _, good := range []string{"snap-01234567", "snap-0123456789abcdef0"} {
		if ps := SnapshotID(good); ps != nil {
			t.Errorf("%s: %s", good, dump(ps))
		}
	}
	for _, bad := range []string{"", "snap-0123456", "snap-0123456789", "snap-0123456789ABCDEF0", "vol-0123456789abcdef0", "snap-0123456789abcdef0 ", "snap-0123456g"} {
		wantProblem(t, SnapshotID(bad), FieldSource, Error, "snap-", "8 or 17 lower-case hex")
	}
}

func TestOutpostArn(t *testing.T) {
	if ps := OutpostArn(outpostW2, "us-west-2"); ps != nil {
		t.Errorf("valid ARN: %s", dump(ps))
	}
	if ps := OutpostArn("arn:aws-us-gov:outposts:us-gov-west-1:123456789012:outpost/op-0123456789abcdef0", "us-gov-west-1"); ps != nil {
		t.Errorf("GovCloud ARN: %s", dump(ps))
	}
	if ps := OutpostArn(outpostE1, ""); ps != nil {
		t.Errorf("no source Region known yet: %s", dump(ps))
	}
	tests := []struct {
		name, arn string
		words     []string
	}{
		{"empty", "", []string{"Outpost ARN is required"}},
		{"not an ARN", "op-0123456789abcdef0", []string{"Outpost ARN", "must look like arn:aws:outposts"}},
		{"another service", "arn:aws:ec2:us-west-2:123456789012:outpost/op-0123456789abcdef0", []string{"must look like"}},
		{"partition", "arn:aws-iso:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0", []string{"partition", "aws, aws-cn or aws-us-gov"}},
		{"Region code", "arn:aws:outposts:uswest2:123456789012:outpost/op-0123456789abcdef0", []string{"not a Region code"}},
		{"partition of Region", "arn:aws-cn:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0", []string{"us-west-2 is not in partition aws-cn"}},
		{"account", "arn:aws:outposts:us-west-2:12345:outpost/op-0123456789abcdef0", []string{"account", "12 digits"}},
		{"short id", "arn:aws:outposts:us-west-2:123456789012:outpost/op-0123", []string{"op-", "17 lower-case hex"}},
		{"upper-case id", "arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789ABCDEF0", []string{"17 lower-case hex"}},
		{"other Region", outpostE1, []string{"in us-east-1", "only to an Outpost of its own Region (us-west-2)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, OutpostArn(tc.arn, "us-west-2"), FieldDestination, Error, tc.words...)
		})
	}
}

func TestResolveDestination(t *testing.T) {
	fs := facts()
	tests := []struct {
		name  string
		kind  model.DestinationKind
		raw   string
		want  model.Destination
		field Field
		sev   Severity
		words []string // nil: no problem
	}{
		{"Region", model.ToRegion, " us-east-1 ", model.Destination{Kind: model.ToRegion, Region: "us-east-1"}, "", 0, nil},
		{"Region empty", model.ToRegion, "", model.Destination{Kind: model.ToRegion}, FieldDestination, Error, []string{"Destination Region is required"}},
		{"Region unknown", model.ToRegion, "xx-nowhere-9", model.Destination{Kind: model.ToRegion, Region: "xx-nowhere-9"}, FieldDestination, Error, []string{"Destination Region xx-nowhere-9 is not a Region this account knows"}},
		{"Region mistyped", model.ToRegion, "us-wset-2", model.Destination{Kind: model.ToRegion, Region: "us-wset-2"}, FieldDestination, Error, []string{"Destination Region us-wset-2 is not a Region this account knows (did you mean us-west-2?)"}},
		{"Region not opted in", model.ToRegion, "ap-east-1", model.Destination{Kind: model.ToRegion, Region: "ap-east-1"}, FieldDestination, Error, []string{"ap-east-1", "not enabled", "opt in"}},
		{"Local Zone", model.ToLocalZone, "us-west-2-lax-1b", model.Destination{Kind: model.ToLocalZone, Region: "us-west-2", LocalZone: "us-west-2-lax-1b"}, "", 0, nil},
		{"Local Zone empty", model.ToLocalZone, " ", model.Destination{Kind: model.ToLocalZone}, FieldDestination, Error, []string{"Local Zone is required"}},
		{"Local Zone unknown", model.ToLocalZone, "us-west-2-xyz-1a", model.Destination{Kind: model.ToLocalZone}, FieldDestination, Error, []string{"us-west-2-xyz-1a", "not a Local Zone this account can see"}},
		{"Local Zone not opted in", model.ToLocalZone, "us-west-2-phx-2a", model.Destination{Kind: model.ToLocalZone, Region: "us-west-2", LocalZone: "us-west-2-phx-2a"}, FieldDestination, Error, []string{"not enabled", "us-west-2-phx-2"}},
		{"Local Zone impaired", model.ToLocalZone, "us-west-2-sea-1a", model.Destination{Kind: model.ToLocalZone, Region: "us-west-2", LocalZone: "us-west-2-sea-1a"}, FieldDestination, Warning, []string{"impaired", "may fail"}},
		{"Outpost", model.ToOutpost, outpostW2, model.Destination{Kind: model.ToOutpost, Region: "us-west-2", OutpostArn: outpostW2}, "", 0, nil},
		{"Outpost of another Region", model.ToOutpost, outpostE1, model.Destination{Kind: model.ToOutpost, Region: "us-east-1"}, FieldDestination, Error, []string{"us-east-1", "own Region (us-west-2)"}},
		{"unknown type", model.DestinationKind(9), "us-east-1", model.Destination{Kind: 9}, FieldDestKind, Error, []string{"Destination type must be a Region, an Outpost or a Local Zone"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, ps := ResolveDestination(tc.kind, tc.raw, "us-west-2", fs)
			if d != tc.want {
				t.Errorf("destination = %+v, want %+v", d, tc.want)
			}
			if tc.words == nil {
				if ps != nil {
					t.Errorf("unexpected problems:\n%s", dump(ps))
				}
				return
			}
			wantProblem(t, ps, tc.field, tc.sev, tc.words...)
		})
	}

	// Local Zones not loaded yet: say so rather than "unknown zone".
	_, ps := ResolveDestination(model.ToLocalZone, "us-west-2-lax-1a", "us-west-2", model.DestinationFacts{})
	wantProblem(t, ps, FieldDestination, Error, "not loaded yet")
	// Regions not loaded yet: a well-formed code is accepted.
	if d, ps := ResolveDestination(model.ToRegion, "eu-west-3", "us-west-2", model.DestinationFacts{}); ps != nil || d.Region != "eu-west-3" {
		t.Errorf("Regions not loaded: %+v\n%s", d, dump(ps))
	}
}

func TestRequestRegion(t *testing.T) {
	fs := facts()
	tests := []struct {
		kind model.DestinationKind
		raw  string
		want string
	}{
		{model.ToRegion, "eu-central-1", "eu-central-1"},
		{model.ToLocalZone, "us-east-1-bos-1a", "us-east-1"},
		{model.ToOutpost, outpostE1, "us-east-1"},
		{model.ToOutpost, "arn:aws:outposts", ""},
		{model.ToRegion, "eu-", ""},
		{model.ToLocalZone, "nowhere", ""},
	}
	for _, tc := range tests {
		if got := RequestRegion(tc.kind, tc.raw, fs); got != tc.want {
			t.Errorf("RequestRegion(%v, %q) = %q, want %q", tc.kind, tc.raw, got, tc.want)
		}
	}
}

// Where a snapshot may go by Region: any, only its parent Region from a
// Local Zone, none from an Outpost.
func TestRegionAllowed(t *testing.T) {
	region, lz, outpost := snap(), snap(), snap()
	lz.AvailabilityZone = "us-west-2-lax-1a"
	outpost.OutpostArn = "arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0"
	for _, tc := range []struct {
		name string
		s    model.Snapshot
		to   string
		want bool
	}{
		{"Region to another", region, "eu-west-1", true},
		{"Local Zone to its parent", lz, region.Region, true},
		{"Local Zone to another Region", lz, "eu-west-1", false},
		{"Outpost to its Region", outpost, region.Region, false},
	} {
		if got := RegionAllowed(tc.s, tc.to); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
