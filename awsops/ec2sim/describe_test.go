package ec2sim

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestDescribeSnapshotsSeededWorld(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	out, err := h.ec2("us-west-2").DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Snapshots) != seedUSWest2Total {
		t.Fatalf("owned snapshots in us-west-2 = %d, want %d", len(out.Snapshots), seedUSWest2Total)
	}
	if out.NextToken != nil {
		t.Errorf("NextToken = %q without MaxResults", *out.NextToken)
	}
	states := map[types.SnapshotState]int{}
	for _, s := range out.Snapshots {
		states[s.State]++
		if aws.ToString(s.OwnerId) != AccountID {
			t.Errorf("%s owner = %s", aws.ToString(s.SnapshotId), aws.ToString(s.OwnerId))
		}
	}
	if states[types.SnapshotStatePending] != 1 || states[types.SnapshotStateError] != 1 {
		t.Errorf("states = %v, want one pending and one error", states)
	}
}

// The seeded description with ESC [ ... and BEL reaches the SDK as control
// characters (CSI, the C1 form of ESC [), so the app's sanitizer has work.
func TestDescribeSnapshotsEscapeDescriptionReachesSDK(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	id := h.byName("us-west-2", "restore-test")
	out, err := h.ec2("us-west-2").DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	got := aws.ToString(out.Snapshots[0].Description)
	want := "restore test \u009b31mRED ALERT\u009b0m ring the bell\uFFFD done"
	if got != want {
		t.Fatalf("description = %q, want %q", got, want)
	}
	if !strings.ContainsRune(got, 0x9b) {
		t.Fatal("no control character arrived")
	}
}

func describe(t *testing.T, c *ec2.Client, in *ec2.DescribeSnapshotsInput) []types.Snapshot {
	t.Helper()
	out, err := c.DescribeSnapshots(ctx, in)
	if err != nil {
		t.Fatalf("DescribeSnapshots: %v", err)
	}
	return out.Snapshots
}

func ids(snaps []types.Snapshot) []string {
	out := make([]string, len(snaps))
	for i, s := range snaps {
		out[i] = aws.ToString(s.SnapshotId)
	}
	return out
}

func TestDescribeSnapshotsPaging(t *testing.T) {
	h := newHarness(t, Options{Seed: 3})
	c := h.ec2("us-west-2")
	all := ids(describe(t, c, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}}))

	p := ec2.NewDescribeSnapshotsPaginator(c, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, MaxResults: aws.Int32(7)})
	var paged []string
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Snapshots) > 7 {
			t.Fatalf("page of %d with MaxResults 7", len(out.Snapshots))
		}
		pages++
		paged = append(paged, ids(out.Snapshots)...)
	}
	if want := (len(all) + 6) / 7; pages != want {
		t.Errorf("pages = %d, want %d", pages, want)
	}
	if strings.Join(paged, ",") != strings.Join(all, ",") {
		t.Errorf("paged ids differ from the unpaged listing:\n%v\n%v", paged, all)
	}
	if n := h.sim.Count("DescribeSnapshots", "us-west-2"); n != pages+1 {
		t.Errorf("count = %d, want %d", n, pages+1)
	}
	reqs := h.sim.Requests("DescribeSnapshots")
	if got := reqs[len(reqs)-1].Params.Get("NextToken"); got == "" {
		t.Error("the last page request carried no NextToken")
	}
}

// A copy made between two pages does not shift the pages: tokens resume
// after an id, not at an offset.
func TestDescribeSnapshotsPagingStableUnderInserts(t *testing.T) {
	h := newHarness(t, Options{Seed: 3})
	c := h.ec2("us-west-2")
	first, err := c.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, MaxResults: aws.Int32(10)})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := c.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(h.byName("us-west-2", "build-cache"))}); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for _, id := range ids(first.Snapshots) {
		seen[id] = true
	}
	in := &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, MaxResults: aws.Int32(10), NextToken: first.NextToken}
	for {
		out, err := c.DescribeSnapshots(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids(out.Snapshots) {
			if seen[id] {
				t.Fatalf("%s listed twice", id)
			}
			seen[id] = true
		}
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	for _, id := range ids(first.Snapshots) {
		if !seen[id] {
			t.Fatalf("%s lost", id)
		}
	}
	if len(seen) < seedUSWest2Total {
		t.Fatalf("saw %d snapshots, want at least %d", len(seen), seedUSWest2Total)
	}
}

func TestDescribeSnapshotsErrors(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	known := h.byName("us-west-2", "web-frontend-01")
	cases := []struct {
		name string
		in   ec2.DescribeSnapshotsInput
		code string
	}{
		{"MaxResults below 5", ec2.DescribeSnapshotsInput{MaxResults: aws.Int32(4)}, "InvalidParameterValue"},
		{"MaxResults with SnapshotIds", ec2.DescribeSnapshotsInput{MaxResults: aws.Int32(5), SnapshotIds: []string{known}}, "InvalidParameterCombination"},
		{"one unknown id fails the call", ec2.DescribeSnapshotsInput{SnapshotIds: []string{known, "snap-0123456789abcdef0"}}, "InvalidSnapshot.NotFound"},
		{"malformed id", ec2.DescribeSnapshotsInput{SnapshotIds: []string{"snap-XYZ"}}, "InvalidParameterValue"},
		{"bad token", ec2.DescribeSnapshotsInput{MaxResults: aws.Int32(5), NextToken: aws.String("garbage")}, "InvalidPaginationToken"},
		{"unknown filter", ec2.DescribeSnapshotsInput{Filters: []types.Filter{{Name: aws.String("colour"), Values: []string{"red"}}}}, "InvalidParameterValue"},
		// kms-key-id is a filter of other calls, not among DescribeSnapshots'.
		{"undocumented filter", ec2.DescribeSnapshotsInput{Filters: []types.Filter{{Name: aws.String("kms-key-id"), Values: []string{"*"}}}}, "InvalidParameterValue"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.DescribeSnapshots(ctx, &tc.in)
			if got := apiCode(err); got != tc.code {
				t.Fatalf("error = %v, want code %s", err, tc.code)
			}
		})
	}
}

func TestDescribeSnapshotsOwnersAndSharing(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	// RestorableBy=self: the snapshots the account owns or may restore from
	// another account, as AWS answers (the app drops its own).
	restorable := describe(t, c, &ec2.DescribeSnapshotsInput{RestorableByUserIds: []string{"self"}})
	var shared []types.Snapshot
	own := 0
	for _, s := range restorable {
		switch aws.ToString(s.OwnerId) {
		case SharingAccountID:
			shared = append(shared, s)
		case AccountID:
			own++
		default:
			t.Errorf("restorable snapshot owned by %s", aws.ToString(s.OwnerId))
		}
	}
	if len(shared) != len(sharedSeeds["us-west-2"]) || own != seedUSWest2Total {
		t.Fatalf("restorable by self: %d shared and %d own, want %d and %d", len(shared), own, len(sharedSeeds["us-west-2"]), seedUSWest2Total)
	}
	everything := describe(t, c, &ec2.DescribeSnapshotsInput{})
	if len(everything) != seedUSWest2Total+len(shared) {
		t.Errorf("without owner = %d, want owned+shared = %d", len(everything), seedUSWest2Total+len(shared))
	}
	byOwner := describe(t, c, &ec2.DescribeSnapshotsInput{OwnerIds: []string{SharingAccountID}})
	if len(byOwner) != len(shared) {
		t.Errorf("Owner=%s gives %d", SharingAccountID, len(byOwner))
	}
	east := describe(t, h.ec2("us-east-1"), &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}})
	if len(east) != len(seedsUSEast1)+1 { // and the lineage volume's copy
		t.Errorf("us-east-1 owned = %d, want %d", len(east), len(seedsUSEast1)+1)
	}
}

func TestDescribeSnapshotsFilters(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	f := func(name string, values ...string) []types.Filter {
		return []types.Filter{{Name: aws.String(name), Values: values}}
	}
	primary := h.byName("us-west-2", "db-prod-primary")
	replica := h.byName("us-west-2", "db-prod-replica")
	primarySnap, _ := h.sim.Snapshot("us-west-2", primary)
	cases := []struct {
		name    string
		filters []types.Filter
		check   func(types.Snapshot) bool
		min     int
	}{
		{"snapshot-id", f("snapshot-id", primary, replica, "snap-0000000000000000f"), nil, 2},
		{"status", f("status", "pending"), func(s types.Snapshot) bool { return s.State == types.SnapshotStatePending }, 1},
		{"description wildcard", f("description", "Nightly backup*"), func(s types.Snapshot) bool { return strings.HasPrefix(aws.ToString(s.Description), "Nightly backup") }, 2},
		{"volume-id", f("volume-id", primarySnap.VolumeID), func(s types.Snapshot) bool { return aws.ToString(s.VolumeId) == primarySnap.VolumeID }, 1},
		{"tag:env", f("tag:env", "prod"), func(s types.Snapshot) bool { return tagOf(s, "env") == "prod" }, 5},
		{"tag-key", f("tag-key", "cost-center"), func(s types.Snapshot) bool { return tagOf(s, "cost-center") != "" }, 1},
		{"storage-tier", f("storage-tier", "archive"), func(s types.Snapshot) bool { return s.StorageTier == types.StorageTierArchive }, 1},
		{"storage-tier of a restored snapshot", f("storage-tier", "standard"), func(s types.Snapshot) bool { return s.StorageTier == types.StorageTierStandard }, 2},
		{"encrypted", f("encrypted", "true"), func(s types.Snapshot) bool { return aws.ToBool(s.Encrypted) }, 5},
		{"owner-id", f("owner-id", SharingAccountID), func(s types.Snapshot) bool { return aws.ToString(s.OwnerId) == SharingAccountID }, 3},
		{"tag:Name ?", f("tag:Name", "web-frontend-0?"), func(s types.Snapshot) bool { return strings.HasPrefix(tagOf(s, "Name"), "web-frontend-0") }, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := describe(t, c, &ec2.DescribeSnapshotsInput{Filters: tc.filters})
			if len(got) < tc.min {
				t.Fatalf("%d results, want at least %d", len(got), tc.min)
			}
			for _, s := range got {
				if tc.check != nil && !tc.check(s) {
					t.Errorf("%s does not match", aws.ToString(s.SnapshotId))
				}
			}
		})
	}
	// Filters AND; values of one filter OR.
	got := describe(t, c, &ec2.DescribeSnapshotsInput{Filters: []types.Filter{
		{Name: aws.String("tag:team"), Values: []string{"data", "web"}},
		{Name: aws.String("encrypted"), Values: []string{"false"}},
	}})
	for _, s := range got {
		team := tagOf(s, "team")
		if aws.ToBool(s.Encrypted) || (team != "data" && team != "web") {
			t.Errorf("%s (team %s, encrypted %v) should not match", aws.ToString(s.SnapshotId), team, aws.ToBool(s.Encrypted))
		}
	}
	if len(got) == 0 {
		t.Error("no unencrypted data/web snapshot found")
	}
}

func tagOf(s types.Snapshot, key string) string {
	for _, t := range s.Tags {
		if aws.ToString(t.Key) == key {
			return aws.ToString(t.Value)
		}
	}
	return ""
}

// Every field of a snapshot that the SDK reads arrives.
func TestDescribeSnapshotsFields(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	get := func(name string) types.Snapshot {
		t.Helper()
		s := describe(t, c, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{h.byName("us-west-2", name)}})
		return s[0]
	}
	p := get("db-prod-primary")
	if p.State != types.SnapshotStateCompleted || aws.ToString(p.Progress) != "100%" || aws.ToInt32(p.VolumeSize) != 500 ||
		!aws.ToBool(p.Encrypted) || !strings.HasPrefix(aws.ToString(p.KmsKeyId), "arn:aws:kms:us-west-2:123456789012:key/") ||
		p.StartTime == nil || p.CompletionTime == nil || aws.ToInt64(p.FullSnapshotSizeInBytes) <= 0 ||
		p.StorageTier != types.StorageTierStandard || tagOf(p, "Name") != "db-prod-primary" {
		t.Errorf("db-prod-primary arrived as %+v", p)
	}
	if e := get("legacy-app-data"); e.State != types.SnapshotStateError || aws.ToString(e.StateMessage) == "" {
		t.Errorf("error snapshot: state %s message %q", e.State, aws.ToString(e.StateMessage))
	}
	// A temporarily restored archived snapshot reports the standard tier and its expiry.
	if r := get("logs-archive-2024"); r.StorageTier != types.StorageTierStandard || r.RestoreExpiryTime == nil || !r.RestoreExpiryTime.After(t0) {
		t.Errorf("restored archive: tier %s expiry %v", r.StorageTier, r.RestoreExpiryTime)
	}
	if a := get("logs-archive-2025"); a.StorageTier != types.StorageTierArchive || a.RestoreExpiryTime != nil {
		t.Errorf("archive: tier %s expiry %v", a.StorageTier, a.RestoreExpiryTime)
	}
	if lz := get("lax-render-cache"); aws.ToString(lz.AvailabilityZone) != "us-west-2-lax-1a" {
		t.Errorf("Local Zone snapshot AZ = %q", aws.ToString(lz.AvailabilityZone))
	}
	if op := get("factory-floor-db"); aws.ToString(op.OutpostArn) != OutpostArn {
		t.Errorf("Outpost snapshot ARN = %q", aws.ToString(op.OutpostArn))
	}
	if tc := get("east-db-dr-copy"); tc.TransferType != types.TransferTypeTimeBased || aws.ToInt32(tc.CompletionDurationMinutes) != 120 {
		t.Errorf("time-based copy: %s %d", tc.TransferType, aws.ToInt32(tc.CompletionDurationMinutes))
	}
	if l := get("reporting-weekly"); len([]rune(aws.ToString(l.Description))) != 255 {
		t.Errorf("long description has %d characters", len([]rune(aws.ToString(l.Description))))
	}
}

// The same seed gives the same world; another seed another.
func TestSeededWorldIsDeterministic(t *testing.T) {
	a, b, c := New(Options{Seed: 9, Clock: NewManualClock(t0)}), New(Options{Seed: 9, Clock: NewManualClock(t0)}), New(Options{Seed: 10, Clock: NewManualClock(t0)})
	ia, _ := a.SnapshotByName("us-west-2", "db-prod-primary")
	ib, _ := b.SnapshotByName("us-west-2", "db-prod-primary")
	ic, _ := c.SnapshotByName("us-west-2", "db-prod-primary")
	if ia.ID != ib.ID || !ia.StartTime.Equal(ib.StartTime) || ia.KmsKeyID != ib.KmsKeyID {
		t.Errorf("seed 9 twice: %+v vs %+v", ia, ib)
	}
	if ia.ID == ic.ID {
		t.Errorf("seeds 9 and 10 gave the same id %s", ia.ID)
	}
	if !ia.StartTime.Before(t0) {
		t.Errorf("start %v is not before the clock's now", ia.StartTime)
	}
}

func TestExtraSnapshots(t *testing.T) {
	h := newHarness(t, Options{Seed: 1, ExtraSnapshots: 2500})
	if n := h.sim.SnapshotCount("us-west-2"); n != seedUSWest2Total+len(sharedSeeds["us-west-2"])+2500 {
		t.Fatalf("SnapshotCount = %d", n)
	}
	p := ec2.NewDescribeSnapshotsPaginator(h.ec2("us-west-2"), &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, MaxResults: aws.Int32(1000)})
	total := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		total += len(out.Snapshots)
	}
	if total != seedUSWest2Total+2500 {
		t.Fatalf("listed %d, want %d", total, seedUSWest2Total+2500)
	}
}

// AWS answers a MaxResults above 1000 with a page of 1000, not an error.
func TestDescribeSnapshotsMaxResultsAbove1000(t *testing.T) {
	h := newHarness(t, Options{Seed: 1, ExtraSnapshots: 1100})
	out, err := h.ec2("us-west-2").DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, MaxResults: aws.Int32(5000)})
	if err != nil {
		t.Fatalf("MaxResults 5000: %v", err)
	}
	if len(out.Snapshots) != 1000 || aws.ToString(out.NextToken) == "" {
		t.Errorf("MaxResults 5000 answered %d snapshots, token %q; want a page of 1000 and a token", len(out.Snapshots), aws.ToString(out.NextToken))
	}
}

// A temporary restore ends: the snapshot goes back to the archive tier and
// can no longer be copied.
func TestRestoredSnapshotExpires(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.ec2("us-west-2")
	id := h.byName("us-west-2", "logs-archive-2024")
	h.clock.Advance(37 * time.Hour)
	s := describeOne(t, c, id)
	if s.StorageTier != types.StorageTierArchive || s.RestoreExpiryTime != nil {
		t.Errorf("after the restore expired: tier %s expiry %v, want archive and no expiry", s.StorageTier, s.RestoreExpiryTime)
	}
	_, err := c.CopySnapshot(ctx, &ec2.CopySnapshotInput{SourceRegion: aws.String("us-west-2"), SourceSnapshotId: aws.String(id)})
	if got := apiCode(err); got != "IncorrectState" {
		t.Errorf("copy after the restore expired: %v, want IncorrectState", err)
	}
}
