package awsops_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

// simStart is where the simulators' manual clocks stand at the start.
var simStart = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// newSim serves a simulator on a local port and returns it with its URL.
func newSim(t *testing.T, o ec2sim.Options) (*ec2sim.Server, string) {
	t.Helper()
	s := simtest.Start(t, simtest.Setup{Sim: o})
	return s.Server, s.URL
}

// simClient returns a simulator with a manual clock and an awsops client for it.
func simClient(t *testing.T, o ec2sim.Options, opts ...func(*awsops.Options)) (*ec2sim.Server, *ec2sim.ManualClock, *awsops.Client) {
	t.Helper()
	clock := ec2sim.NewManualClock(simStart)
	o.Clock = clock
	srv, url := newSim(t, o)
	return srv, clock, newClient(t, url, "us-west-2", opts...)
}

func TestSimSnapshotPaging(t *testing.T) {
	const extra = 2500
	// No SDK retries: every page must come back on the first attempt.
	srv, _, c := simClient(t, ec2sim.Options{Seed: 7, NoSeedWorld: true, ExtraSnapshots: extra},
		func(o *awsops.Options) { o.RetryMaxAttempts = 1 })
	ctx := context.Background()

	p := c.Snapshots("us-west-2", awsops.Owned)
	if !p.HasMore() || p.Pages() != 0 {
		t.Fatalf("new pager: HasMore %v Pages %d", p.HasMore(), p.Pages())
	}
	var sizes []int
	seen := map[string]bool{}
	for p.HasMore() {
		page, err := p.Next(ctx)
		if err != nil {
			t.Fatalf("page %d: %v", p.Pages()+1, err)
		}
		sizes = append(sizes, len(page))
		for _, s := range page {
			if seen[s.ID] {
				t.Errorf("%s listed twice", s.ID)
			}
			seen[s.ID] = true
		}
	}
	if want := []int{1000, 1000, 500}; !reflect.DeepEqual(sizes, want) {
		t.Errorf("page sizes %v, want %v", sizes, want)
	}
	if p.Pages() != 3 || len(seen) != extra {
		t.Errorf("Pages %d, distinct snapshots %d; want 3 and %d", p.Pages(), len(seen), extra)
	}
	if n := srv.Count("DescribeSnapshots", "us-west-2"); n != 3 {
		t.Errorf("DescribeSnapshots sent %d times, want 3", n)
	}
	reqs := srv.Requests("DescribeSnapshots")
	for i, r := range reqs {
		if r.Params.Get("MaxResults") != "1000" || r.Params.Get("Owner.1") != "self" {
			t.Errorf("request %d: %v", i, r.Params)
		}
		if hasToken := r.Params.Get("NextToken") != ""; hasToken != (i > 0) {
			t.Errorf("request %d: NextToken %q", i, r.Params.Get("NextToken"))
		}
	}

	// ListSnapshots reads the same pages and reports each; large answers
	// come back whole every time (a few rounds, as a failure was intermittent).
	for round := range 4 {
		srv.ResetCounts()
		var perPage []int
		all, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, func(page []model.Snapshot) { perPage = append(perPage, len(page)) })
		if err != nil {
			t.Fatalf("ListSnapshots, round %d: %v", round, err)
		}
		if len(all) != extra || !reflect.DeepEqual(perPage, sizes) || srv.Count("DescribeSnapshots", "us-west-2") != 3 {
			t.Errorf("ListSnapshots: %d snapshots, pages %v, %d calls", len(all), perPage, srv.Count("DescribeSnapshots", "us-west-2"))
		}
	}
	// Other Regions are untouched and empty in this world.
	if other, err := c.ListSnapshots(ctx, "eu-west-1", awsops.Owned, nil); err != nil || len(other) != 0 {
		t.Errorf("eu-west-1: %d snapshots, %v", len(other), err)
	}
}

func TestSimListOwnedAndShared(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1})
	ctx := context.Background()

	owned, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	if err != nil {
		t.Fatalf("owned: %v", err)
	}
	shared, err := c.ListSnapshots(ctx, "us-west-2", awsops.SharedWithMe, nil)
	if err != nil {
		t.Fatalf("shared: %v", err)
	}
	if len(owned)+len(shared) != srv.SnapshotCount("us-west-2") {
		t.Errorf("owned %d + shared %d != the Region's %d snapshots", len(owned), len(shared), srv.SnapshotCount("us-west-2"))
	}
	names := func(ss []model.Snapshot) map[string]bool {
		m := map[string]bool{}
		for _, s := range ss {
			m[s.Name()] = true
		}
		return m
	}
	for _, s := range owned {
		if s.OwnerID != ec2sim.AccountID {
			t.Errorf("owned listing holds %s of %s", s.ID, s.OwnerID)
		}
	}
	for _, s := range shared {
		if s.OwnerID != ec2sim.SharingAccountID {
			t.Errorf("shared listing holds %s of %s", s.ID, s.OwnerID)
		}
	}
	if n := names(owned); !n["db-prod-primary"] || !n["lax-render-cache"] || n["partner-dataset"] {
		t.Errorf("owned names %v", n)
	}
	if n := names(shared); len(shared) != 3 || !n["partner-dataset"] || !n["partner-encrypted"] {
		t.Errorf("shared names %v", n)
	}

	// Every field the simulator holds arrives through the wire intact.
	for _, got := range append(owned, shared...) {
		want, ok := simtest.Snapshot(srv, "us-west-2", got.ID)
		if !ok {
			t.Errorf("%s listed but unknown to the simulator", got.ID)
			continue
		}
		if want.State != model.StateCompleted {
			want.FullSizeBytes = 0 // AWS reports the full size of completed snapshots only
		}
		if want.Name() == "restore-test" {
			want.Description = restoreTestDescription
		}
		if !sameSnapshot(got, want) {
			t.Errorf("%s (%s):\n got %+v\nwant %+v", got.ID, got.Name(), got, want)
		}
	}
}

// restoreTestDescription is the seeded escape-sequence description as it
// arrives through XML.
const restoreTestDescription = "restore test \u009b31mRED ALERT\u009b0m ring the bell\ufffd done"

// sameSnapshot compares two snapshots, times by instant.
func sameSnapshot(a, b model.Snapshot) bool {
	for _, p := range [][2]*time.Time{{&a.StartTime, &b.StartTime}, {&a.CompletionTime, &b.CompletionTime}, {&a.RestoreExpiry, &b.RestoreExpiry}} {
		if !p[0].Equal(*p[1]) {
			return false
		}
		*p[0], *p[1] = time.Time{}, time.Time{}
	}
	return reflect.DeepEqual(a, b)
}

func TestSimSnapshotFields(t *testing.T) {
	srv, clock, c := simClient(t, ec2sim.Options{Seed: 1})
	ctx := context.Background()
	list, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]model.Snapshot{}
	for _, s := range list {
		if s.Name() != "" {
			byName[s.Name()] = s
		}
	}
	get := func(name string) model.Snapshot {
		t.Helper()
		s, ok := byName[name]
		if !ok {
			t.Fatalf("no snapshot named %s", name)
		}
		return s
	}

	// Terminal control sequences reach the app (the UI makes them safe). XML
	// cannot carry ESC or BEL, so the simulator sends ESC [ as CSI (U+009B),
	// which terminals obey the same, and BEL as U+FFFD.
	if s := get("restore-test"); s.Description != restoreTestDescription {
		t.Errorf("restore-test description %q", s.Description)
	}
	if s := get("données-clients"); s.Description != "Sauvegarde des données clients (équipe EU)" {
		t.Errorf("données-clients description %q", s.Description)
	}
	if s := get("reporting-weekly"); len(s.Description) != 255 {
		t.Errorf("reporting-weekly description has %d characters, want 255", len(s.Description))
	}
	if s := get("jenkins-home"); s.State != model.StatePending || s.Progress != 37 || s.FullSizeBytes != 0 || !s.CompletionTime.IsZero() {
		t.Errorf("jenkins-home: state %q progress %d full %d completion %v", s.State, s.Progress, s.FullSizeBytes, s.CompletionTime)
	}
	if s := get("legacy-app-data"); s.State != model.StateError || !strings.Contains(s.StateMessage, "detached") {
		t.Errorf("legacy-app-data: state %q message %q", s.State, s.StateMessage)
	}
	if s := get("db-prod-primary"); !s.Encrypted || !strings.HasPrefix(s.KmsKeyID, "arn:aws:kms:us-west-2:") || s.VolumeSizeGiB != 500 ||
		s.FullSizeBytes <= 0 || s.Progress != 100 || s.CompletionTime.IsZero() || s.Tag("backup") != "nightly" {
		t.Errorf("db-prod-primary: %+v", s)
	}
	if s := get("logs-archive-2025"); s.StorageTier != model.TierArchive || !s.RestoreExpiry.IsZero() || s.Restored(clock.Now()) {
		t.Errorf("logs-archive-2025: tier %q restore expiry %v", s.StorageTier, s.RestoreExpiry)
	}
	// A temporarily restored archived snapshot reports the standard tier.
	if s := get("logs-archive-2024"); s.StorageTier != model.TierStandard || !s.Restored(clock.Now()) {
		t.Errorf("logs-archive-2024: tier %q restore expiry %v", s.StorageTier, s.RestoreExpiry)
	}
	if s := get("web-frontend-01"); s.StorageTier != model.TierStandard || s.Encrypted || s.KmsKeyID != "" {
		t.Errorf("web-frontend-01: tier %q encrypted %v key %q", s.StorageTier, s.Encrypted, s.KmsKeyID)
	}
	if s := get("lax-render-cache"); s.AvailabilityZone != "us-west-2-lax-1a" || s.Location() != "us-west-2-lax-1a" {
		t.Errorf("lax-render-cache: zone %q location %q", s.AvailabilityZone, s.Location())
	}
	if s := get("factory-floor-db"); s.OutpostArn != ec2sim.OutpostArn || s.Location() != model.OutpostID(ec2sim.OutpostArn) {
		t.Errorf("factory-floor-db: outpost %q", s.OutpostArn)
	}
	if s := get("east-db-dr-copy"); s.TransferType != model.TransferTimeBased || s.CompletionMinutes != 120 || s.VolumeID != "vol-ffffffff" {
		t.Errorf("east-db-dr-copy: transfer %q minutes %d volume %q", s.TransferType, s.CompletionMinutes, s.VolumeID)
	}

	// A snapshot with every field set, as AWS could report it. Its zone is
	// an ordinary AZ, which is no location of its own: the app drops it.
	start := simStart.Add(-48 * time.Hour)
	in := model.Snapshot{
		ID: "snap-0123456789abcdef0", VolumeID: "vol-0123456789abcdef0", VolumeSizeGiB: 1500, FullSizeBytes: 1234567890123,
		State: model.StateCompleted, Progress: 100, StartTime: start, CompletionTime: start.Add(95 * time.Minute),
		Description: "tabs\tand <angle> & \"quotes\" 'single' ümlaut 漢字 \U0001F600",
		Encrypted:   true, KmsKeyID: "arn:aws:kms:us-west-2:123456789012:key/mrk-0123456789abcdef0123456789abcdef",
		OwnerID: ec2sim.AccountID, OwnerAlias: "amazon", StorageTier: model.TierStandard, RestoreExpiry: simStart.Add(5 * time.Hour),
		AvailabilityZone: "us-west-2b", TransferType: model.TransferStandard,
		Tags: []model.Tag{{Key: "Name", Value: "all-fields"}, {Key: "a&b", Value: "<c>"}, {Key: "Name2", Value: ""}},
	}
	simtest.Add(srv, "us-west-2", in)
	found, err := c.PollCopies(ctx, "us-west-2", []string{in.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := in
	want.Region = "us-west-2"
	want.AvailabilityZone = ""
	if got := found[in.ID]; !sameSnapshot(got, want) {
		t.Errorf("all fields:\n got %+v\nwant %+v", got, want)
	}
}

func TestSimRegions(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1, NoSeedWorld: true})
	regions, err := c.Regions(context.Background())
	if err != nil {
		t.Fatalf("Regions: %v", err)
	}
	enabled := map[string]bool{}
	for _, r := range regions {
		enabled[r.Name] = r.Enabled()
		if r.Endpoint != "ec2."+r.Name+".amazonaws.com" {
			t.Errorf("%s endpoint %q", r.Name, r.Endpoint)
		}
	}
	want := map[string]bool{"us-east-1": true, "us-west-2": true, "eu-west-1": true, "eu-central-1": true, "ap-southeast-2": true, "af-south-1": false}
	if !reflect.DeepEqual(enabled, want) {
		t.Errorf("Regions (name: enabled) = %v, want %v", enabled, want)
	}
	// Asked in the home Region, with every Region (opted in or not).
	reqs := srv.Requests("DescribeRegions")
	if len(reqs) != 1 || reqs[0].Region != "us-west-2" || reqs[0].Params.Get("AllRegions") != "true" {
		t.Errorf("DescribeRegions requests %+v", reqs)
	}
}

func TestSimLocalZones(t *testing.T) {
	_, _, c := simClient(t, ec2sim.Options{Seed: 1, NoSeedWorld: true})
	ctx := context.Background()
	zones, err := c.LocalZones(ctx, "us-west-2")
	if err != nil {
		t.Fatalf("LocalZones: %v", err)
	}
	byName := map[string]model.LocalZone{}
	for _, z := range zones {
		byName[z.Name] = z
	}
	if len(zones) != 3 || len(byName) != 3 {
		t.Fatalf("us-west-2 Local Zones %+v, want lax-1a, lax-1b and den-1a only", zones)
	}
	lax := byName["us-west-2-lax-1a"]
	if want := (model.LocalZone{Name: "us-west-2-lax-1a", ZoneID: "usw2-lax1-az1", Region: "us-west-2", GroupName: "us-west-2-lax-1",
		ParentZone: "us-west-2d", State: "available", OptInStatus: "opted-in"}); lax != want || !lax.Enabled() {
		t.Errorf("lax-1a = %+v, want %+v", lax, want)
	}
	if den := byName["us-west-2-den-1a"]; den.GroupName != "us-west-2-den-1" || den.GroupName == lax.GroupName {
		t.Errorf("den-1a = %+v", den)
	}
	if east, err := c.LocalZones(ctx, "us-east-1"); err != nil || len(east) != 1 || east[0].Name != "us-east-1-bos-1a" || east[0].Region != "us-east-1" {
		t.Errorf("us-east-1 Local Zones %+v, %v", east, err)
	}
	if eu, err := c.LocalZones(ctx, "eu-west-1"); err != nil || len(eu) != 0 {
		t.Errorf("eu-west-1 Local Zones %+v, %v; want none", eu, err)
	}
}

func TestSimEncryptionDefault(t *testing.T) {
	_, _, c := simClient(t, ec2sim.Options{Seed: 1, NoSeedWorld: true})
	ctx := context.Background()
	for region, want := range map[string]model.EncryptionDefault{
		"eu-central-1": {Enabled: true, KmsKeyID: "alias/aws/ebs"},
		"us-west-2":    {Enabled: false, KmsKeyID: "alias/aws/ebs"},
	} {
		got, err := c.EncryptionDefault(ctx, region)
		if err != nil || got != want {
			t.Errorf("EncryptionDefault(%s) = %+v, %v; want %+v", region, got, err, want)
		}
	}
}

func TestSimKMSAliases(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1, NoSeedWorld: true})
	ctx := context.Background()
	aliases, err := c.KMSAliases(ctx, "eu-west-1")
	if err != nil {
		t.Fatalf("KMSAliases: %v", err)
	}
	got := map[string]model.KMSAlias{}
	for _, a := range aliases {
		got[a.Name] = a
	}
	for _, name := range []string{"alias/aws/ebs", "alias/backup", "alias/prod-ebs"} {
		a, ok := got[name]
		arn, _ := srv.KMSKeyArn("eu-west-1", name)
		if !ok || a.Arn != "arn:aws:kms:eu-west-1:"+ec2sim.AccountID+":"+name || a.TargetKeyID == "" || !strings.HasSuffix(arn, "key/"+a.TargetKeyID) {
			t.Errorf("%s = %+v (key %s)", name, a, arn)
		}
	}
	if len(aliases) != 3 {
		t.Errorf("%d aliases, want 3: %+v", len(aliases), aliases)
	}
	// Keys belong to their Region: the same alias names another key elsewhere.
	west, err := c.KMSAliases(ctx, "us-west-2")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range west {
		if a.Name == "alias/backup" && a.TargetKeyID == got["alias/backup"].TargetKeyID {
			t.Errorf("alias/backup names the same key in us-west-2 and eu-west-1")
		}
	}
}
