package ec2sim

import (
	"fmt"
	"math/rand"
	"strings"
	"time"
)

const gib = int64(1) << 30

// regionSeeds are the Regions of the world, in DescribeRegions order.
var regionSeeds = []struct {
	name, optIn      string
	encryptByDefault bool
}{
	{"us-east-1", optInNotRequired, false},
	{"us-west-2", optInNotRequired, false},
	{"eu-west-1", optInNotRequired, false},
	{"eu-central-1", optInNotRequired, true},
	{"ap-southeast-2", optInNotRequired, false},
	{"af-south-1", notOptedIn, false},
}

// zoneIDPrefix is the short Region code AWS uses in zone ids.
var zoneIDPrefix = map[string]string{
	"us-east-1": "use1", "us-west-2": "usw2", "eu-west-1": "euw1",
	"eu-central-1": "euc1", "ap-southeast-2": "apse2", "af-south-1": "afs1",
}

// localZoneSeeds are the Local Zones. us-west-2-den-1a is a second zone
// group of us-west-2, so "copy to a Local Zone of another group" can be tried.
var localZoneSeeds = []zone{
	{name: "us-west-2-lax-1a", id: "usw2-lax1-az1", region: "us-west-2", group: "us-west-2-lax-1", parent: "us-west-2d", parentID: "usw2-az4"},
	{name: "us-west-2-lax-1b", id: "usw2-lax1-az2", region: "us-west-2", group: "us-west-2-lax-1", parent: "us-west-2d", parentID: "usw2-az4"},
	{name: "us-west-2-den-1a", id: "usw2-den1-az1", region: "us-west-2", group: "us-west-2-den-1", parent: "us-west-2b", parentID: "usw2-az2"},
	{name: "us-east-1-bos-1a", id: "use1-bos1-az1", region: "us-east-1", group: "us-east-1-bos-1", parent: "us-east-1a", parentID: "use1-az4"},
}

// seedSpec describes one seeded snapshot; zero fields take plain defaults.
type seedSpec struct {
	name     string
	sizeGiB  int32
	ageHours float64
	key      string // alias name: the snapshot is encrypted with it
	desc     string
	tags     []string // key=value pairs after Name
	state    string
	msg      string
	progress int
	archived bool
	restored bool // archived but temporarily restored
	az       string
	outpost  string
	owner    string
	// sharedWith are the accounts another owner's snapshot is shared with.
	sharedWith []string
	copyOf     string // makes it a finished copy: "[Copied ... from REGION]"
	timed      int32  // completion duration of a finished time-based copy
}

// escapeDescription is the seeded description with terminal escape
// sequences (ESC [31m, BEL) that the app must not pass to the terminal.
const escapeDescription = "restore test \x1b[31mRED ALERT\x1b[0m ring the bell\x07 done"

// longDescription is exactly 255 characters, AWS's limit.
var longDescription = func() string {
	s := "Weekly full backup of the reporting cluster volume before schema migration; retained for compliance review. Contact the data platform team before deleting. "
	for len(s) < 255 {
		s += "x"
	}
	return s[:255]
}()

var seedsUSWest2 = []seedSpec{
	{name: "db-prod-primary", sizeGiB: 500, ageHours: 6, key: "alias/prod-ebs", desc: "Nightly backup of prod Postgres primary", tags: []string{"env=prod", "team=data", "backup=nightly"}},
	{name: "db-prod-replica", sizeGiB: 500, ageHours: 30, key: "alias/prod-ebs", desc: "Nightly backup of prod Postgres replica", tags: []string{"env=prod", "team=data", "backup=nightly"}},
	{name: "web-frontend-01", sizeGiB: 8, ageHours: 50, desc: "web root volume", tags: []string{"env=prod", "team=web"}},
	{name: "web-frontend-02", sizeGiB: 8, ageHours: 51, desc: "web root volume", tags: []string{"env=prod", "team=web"}},
	{name: "build-cache", sizeGiB: 200, ageHours: 3, desc: "CI build cache", tags: []string{"team=ci"}},
	{name: "analytics-warehouse", sizeGiB: 16384, ageHours: 75, key: "alias/backup", desc: "Warehouse data volume, monthly full", tags: []string{"env=prod", "team=analytics", "cost-center=4410"}},
	{name: "logs-archive-2025", sizeGiB: 2048, ageHours: 24 * 200, archived: true, desc: "Application logs 2025", tags: []string{"retention=7y", "team=platform"}},
	{name: "logs-archive-2024", sizeGiB: 1024, ageHours: 24 * 400, archived: true, restored: true, desc: "Application logs 2024 (restored for audit)", tags: []string{"retention=7y", "team=platform"}},
	{name: "ml-training-data", sizeGiB: 4096, ageHours: 120, key: "alias/aws/ebs", desc: "Training set v7", tags: []string{"team=ml", "env=dev"}},
	{name: "jenkins-home", sizeGiB: 100, ageHours: 0.5, state: statePending, progress: 37, desc: "Jenkins home, taken before upgrade", tags: []string{"team=ci"}},
	{name: "legacy-app-data", sizeGiB: 50, ageHours: 20, state: stateError, msg: "Snapshot creation failed: the source volume was detached while the snapshot was in progress.", desc: "legacy app data volume", tags: []string{"env=prod", "team=legacy"}},
	{name: "lax-render-cache", sizeGiB: 250, ageHours: 10, az: "us-west-2-lax-1a", desc: "Render farm cache in Los Angeles", tags: []string{"team=media"}},
	{name: "factory-floor-db", sizeGiB: 120, ageHours: 15, key: "alias/aws/ebs", outpost: OutpostArn, desc: "Factory floor database on the Outpost", tags: []string{"team=ot", "env=prod"}},
	{name: "restore-test", sizeGiB: 16, ageHours: 40, desc: escapeDescription, tags: []string{"team=qa"}},
	{name: "reporting-weekly", sizeGiB: 300, ageHours: 170, desc: longDescription, tags: []string{"team=reporting", "env=prod"}},
	{name: "", sizeGiB: 30, ageHours: 300},
	{name: "", sizeGiB: 8, ageHours: 500, desc: "Created by CreateImage(i-0a1b2c3d4e5f67890) for ami-0fedcba9876543210"},
	{name: "staging-db", sizeGiB: 100, ageHours: 26, key: "alias/backup", desc: "staging database", tags: []string{"env=staging", "team=data"}},
	{name: "dev-sandbox", sizeGiB: 20, ageHours: 90, desc: "scratch", tags: []string{"env=dev"}},
	{name: "east-db-dr-copy", sizeGiB: 200, ageHours: 48, key: "alias/backup", copyOf: "us-east-1", timed: 120, tags: []string{"env=prod", "team=data", "dr=true"}},
	{name: "données-clients", sizeGiB: 64, ageHours: 100, desc: "Sauvegarde des données clients (équipe EU)", tags: []string{"team=eu", "env=prod"}},
	{name: "kafka-broker-1", sizeGiB: 1000, ageHours: 12, key: "alias/prod-ebs", desc: "Kafka broker 1 data", tags: []string{"env=prod", "team=streaming"}},
	{name: "kafka-broker-2", sizeGiB: 1000, ageHours: 12.2, key: "alias/prod-ebs", desc: "Kafka broker 2 data", tags: []string{"env=prod", "team=streaming"}},
	{name: "search-index", sizeGiB: 750, ageHours: 60, desc: "OpenSearch index volume", tags: []string{"env=prod", "team=search"}},
}

var seedsUSEast1 = []seedSpec{
	{name: "east-db-backup", sizeGiB: 200, ageHours: 8, key: "alias/backup", desc: "us-east-1 database backup", tags: []string{"env=prod", "team=data"}},
	{name: "east-web", sizeGiB: 8, ageHours: 33, desc: "web root volume", tags: []string{"env=prod", "team=web"}},
	{name: "east-logs", sizeGiB: 500, ageHours: 80, desc: "log volume", tags: []string{"team=platform"}},
	{name: "bos-edge-cache", sizeGiB: 100, ageHours: 16, az: "us-east-1-bos-1a", desc: "Boston edge cache", tags: []string{"team=media"}},
}

var seedsEUWest1 = []seedSpec{
	{name: "eu-db-backup", sizeGiB: 250, ageHours: 9, key: "alias/prod-ebs", desc: "EU database backup", tags: []string{"env=prod", "team=data"}},
	{name: "eu-web", sizeGiB: 16, ageHours: 44, desc: "EU web root", tags: []string{"env=prod", "team=web"}},
	{name: "", sizeGiB: 40, ageHours: 700},
}

var seedsEUCentral1 = []seedSpec{
	{name: "fra-db-backup", sizeGiB: 150, ageHours: 14, key: "alias/aws/ebs", desc: "Frankfurt database backup", tags: []string{"env=prod", "team=data"}},
}

var seedsAPSoutheast2 = []seedSpec{
	{name: "syd-web", sizeGiB: 8, ageHours: 70, desc: "Sydney web root", tags: []string{"env=prod", "team=web"}},
}

// sharedSeeds are snapshots of SharingAccountID shared with AccountID.
var sharedSeeds = map[string][]seedSpec{
	"us-west-2": {
		{name: "partner-golden-image", sizeGiB: 30, ageHours: 240, desc: "Partner golden image v3", tags: []string{"vendor=acme"}},
		{name: "partner-dataset", sizeGiB: 512, ageHours: 400, desc: "Shared reference dataset", tags: []string{"vendor=acme"}},
		{name: "partner-encrypted", sizeGiB: 64, ageHours: 100, key: "shared", desc: "Encrypted share from the partner account"},
	},
	"us-east-1": {
		{name: "partner-east-image", sizeGiB: 30, ageHours: 260, desc: "Partner image in us-east-1", tags: []string{"vendor=acme"}},
	},
}

// seedUSWest2Total is about how many snapshots us-west-2 owns in the seeded
// world; generated ones fill up to it.
const seedUSWest2Total = 40

// gen is the world's deterministic source of ids and figures.
type gen struct{ r *rand.Rand }

func (g gen) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.r.Intn(16)]
	}
	return string(b)
}

func (g gen) uuid() string {
	return g.hex(8) + "-" + g.hex(4) + "-4" + g.hex(3) + "-" + "89ab"[g.r.Intn(4):][:1] + g.hex(3) + "-" + g.hex(12)
}

// seedWorld builds the Regions, zones and keys, and unless noSnapshots the
// seeded snapshots, all deterministic from seed, with times relative to now.
func seedWorld(seed int64, now time.Time, noSnapshots bool) map[string]*regionState {
	g := gen{rand.New(rand.NewSource(seed))}
	now = now.UTC().Truncate(time.Second)
	world := map[string]*regionState{}
	for _, rs := range regionSeeds {
		r := &regionState{name: rs.name, optIn: rs.optIn, encryptByDefault: rs.encryptByDefault, defaultKey: "alias/aws/ebs", byID: map[string]*snapshot{}}
		created := now.Add(-time.Duration(400+g.r.Intn(300)) * 24 * time.Hour)
		for _, a := range []struct{ alias, desc string }{
			{"alias/aws/ebs", "Default key that protects my EBS volumes when no other key is defined"},
			{"alias/backup", "Backups"},
			{"alias/prod-ebs", "Production EBS volumes and snapshots"},
		} {
			id := g.uuid()
			r.addKey(AccountID, a.alias, id, a.desc, created)
		}
		p := zoneIDPrefix[rs.name]
		for i, l := range "abcd" {
			if i == 3 && rs.name != "us-west-2" && rs.name != "us-east-1" {
				break
			}
			r.zones = append(r.zones, zone{name: rs.name + string(l), id: fmt.Sprintf("%s-az%d", p, i+1), region: rs.name,
				typ: zoneTypeAZ, group: rs.name, optIn: optInNotRequired, state: "available"})
		}
		for _, z := range localZoneSeeds {
			if z.region == rs.name {
				z.typ, z.optIn, z.state = zoneTypeLocalZone, optedIn, "available"
				r.zones = append(r.zones, z)
			}
		}
		if !r.enabled() {
			for i := range r.zones {
				r.zones[i].optIn = notOptedIn
			}
		}
		world[rs.name] = r
	}
	seedDRKeys(world, seed, now)
	if noSnapshots {
		return world
	}
	add := func(region string, specs []seedSpec, owner string) {
		r := world[region]
		for _, sp := range specs {
			sp.owner = owner
			r.insert(g.snapshot(r, sp, now))
		}
	}
	add("us-west-2", seedsUSWest2, AccountID)
	for i := len(seedsUSWest2); i < seedUSWest2Total; i++ {
		sp := g.filler(i)
		sp.owner = AccountID
		sn := g.snapshot(world["us-west-2"], sp, now)
		// The last fillers make room for the lineage snapshots; they are
		// still drawn, so every other seeded id stays as it was.
		if i < seedUSWest2Total-len(lineageDays) {
			world["us-west-2"].insert(sn)
		}
	}
	add("us-east-1", seedsUSEast1, AccountID)
	add("eu-west-1", seedsEUWest1, AccountID)
	add("eu-central-1", seedsEUCentral1, AccountID)
	add("ap-southeast-2", seedsAPSoutheast2, AccountID)
	for _, region := range []string{"us-west-2", "us-east-1"} {
		for _, sp := range sharedSeeds[region] {
			sp.owner, sp.sharedWith = SharingAccountID, []string{AccountID}
			r := world[region]
			r.insert(g.snapshot(r, sp, now))
		}
	}
	seedLineage(world, seed, now)
	seedPartnerKeys(world)
	seedDRSnapshots(world, seed, now)
	return world
}

// lineageVolumeName names the seeded volume with several snapshots.
const lineageVolumeName = "orders-db"

// lineageDays are the ages in hours of the lineage volume's snapshots in
// us-west-2, oldest first; the oldest already has a copy in us-east-1, so
// a copy of a newer one there is incremental.
var lineageDays = []float64{72, 48, 24}

// seedLineage adds one volume with several completed snapshots in
// us-west-2 and a completed copy of the oldest in us-east-1, tagged with
// its provenance as snapcopy tags its copies. Its own random source keeps
// the rest of the world's ids unchanged.
func seedLineage(world map[string]*regionState, seed int64, now time.Time) {
	g := gen{rand.New(rand.NewSource(seed ^ 0x11ea9e))}
	west, east := world["us-west-2"], world["us-east-1"]
	vol := "vol-0" + g.hex(16)
	var first *snapshot
	for i, age := range lineageDays {
		sn := g.snapshot(west, seedSpec{name: fmt.Sprintf("%s-day%d", lineageVolumeName, i+1), sizeGiB: 400, ageHours: age,
			desc: "Daily snapshot of the orders database volume", tags: []string{"env=prod", "team=orders"}, owner: AccountID}, now)
		sn.volumeID = vol
		west.insert(sn)
		if first == nil {
			first = sn
		}
	}
	cp := g.snapshot(east, seedSpec{name: lineageVolumeName + "-day1-dr", sizeGiB: 400, ageHours: lineageDays[0] - 2,
		desc: "[Copied " + first.id + " from us-west-2]", owner: AccountID,
		tags: []string{tagSourceSnapshot + "=" + first.id, tagSourceVolume + "=" + vol, tagSourceRegion + "=us-west-2"}}, now)
	cp.volumeID, cp.fullBytes = copyVolumeID, first.fullBytes
	cp.setRare(func(f *rareFields) {
		f.transferType = transferStandard
		f.fromVolume, f.fromRegion, f.fromSnapshot = vol, "us-west-2", first.id
	})
	east.insert(cp)
}

var fillerSizes = []int32{8, 16, 20, 32, 50, 64, 100, 128, 200, 256, 500, 512, 1000, 1024}
var fillerTeams = []string{"data", "web", "ci", "platform", "ml", "search"}
var fillerEnvs = []string{"prod", "staging", "dev"}

// filler makes an ordinary seeded snapshot, to bring a Region to a
// realistic size.
func (g gen) filler(i int) seedSpec {
	sp := seedSpec{
		sizeGiB:  fillerSizes[g.r.Intn(len(fillerSizes))],
		ageHours: float64(1 + g.r.Intn(24*90)),
	}
	team := fillerTeams[g.r.Intn(len(fillerTeams))]
	sp.name = fmt.Sprintf("%s-vol-%02d", team, i)
	sp.desc = fmt.Sprintf("Daily snapshot of %s volume %d", team, i)
	switch g.r.Intn(4) {
	case 0:
		sp.name, sp.desc = "", "" // untagged, undescribed
	case 1:
		sp.tags = []string{"team=" + team}
	default:
		sp.tags = []string{"team=" + team, "env=" + fillerEnvs[g.r.Intn(len(fillerEnvs))]}
	}
	if g.r.Intn(3) == 0 {
		sp.key = "alias/aws/ebs"
	}
	return sp
}

// snapshot makes a seeded snapshot of sp in r.
func (g gen) snapshot(r *regionState, sp seedSpec, now time.Time) *snapshot {
	s := &snapshot{
		id:          "snap-0" + g.hex(16),
		volumeID:    "vol-0" + g.hex(16),
		description: sp.desc,
		ownerID:     sp.owner,
		state:       stateCompleted,
		tier:        tierStandard,
		progress:    100,
		sizeGiB:     sp.sizeGiB,
		start:       now.Add(-time.Duration(sp.ageHours*float64(time.Hour)) - time.Duration(g.r.Intn(3600))*time.Second),
	}
	for r.byID[s.id] != nil {
		s.id = "snap-0" + g.hex(16)
	}
	// Used blocks: 30-90 % of the volume.
	s.fullBytes = int64(sp.sizeGiB) * gib * int64(30+g.r.Intn(61)) / 100
	copyMinutes := time.Duration(int64(sp.sizeGiB)*1024/BaseThroughputMiBps/60+2) * time.Minute
	s.completion = s.start.Add(copyMinutes)
	if sp.state != "" && sp.state != stateCompleted {
		s.state, s.stateMessage, s.progress = sp.state, sp.msg, int8(sp.progress)
		s.completion, s.fullBytes = time.Time{}, 0
	}
	if sp.archived {
		s.tier = tierArchive
		if sp.restored {
			// A temporarily restored snapshot reports the standard tier and
			// when the restore expires (DescribeSnapshots' archive example).
			s.tier = tierStandard
			s.setRare(func(f *rareFields) { f.restoreExpiry = now.Add(36 * time.Hour) })
		}
	}
	switch {
	case sp.key == "shared":
		s.encrypted, s.kmsKeyID = true, keyArn(r.name, SharingAccountID, g.uuid())
	case sp.key != "":
		if a, ok := r.aliasOf(sp.owner, sp.key); ok {
			s.encrypted, s.kmsKeyID = true, keyArn(r.name, sp.owner, a.keyID)
		}
	}
	if sp.owner != AccountID && sp.owner != "" {
		s.setRare(func(f *rareFields) { f.sharedWith = sp.sharedWith })
	}
	if sp.az != "" {
		s.setRare(func(f *rareFields) { f.az = sp.az })
	}
	if sp.outpost != "" {
		s.setRare(func(f *rareFields) { f.outpostArn = sp.outpost })
	}
	if sp.copyOf != "" {
		s.volumeID = "vol-ffffffff"
		if s.description == "" {
			s.description = "[Copied snap-0" + g.hex(16) + " from " + sp.copyOf + "]"
		}
		s.setRare(func(f *rareFields) {
			f.transferType = transferStandard
			if sp.timed > 0 {
				f.transferType, f.durationMin = transferTimeBased, sp.timed
			}
		})
	}
	if sp.name != "" {
		s.tags = append(s.tags, Tag{Key: "Name", Value: sp.name})
	}
	for _, kv := range sp.tags {
		k, v, _ := strings.Cut(kv, "=")
		s.tags = append(s.tags, Tag{Key: k, Value: v})
	}
	return s
}

var extraDescriptions = []string{"", "daily", "weekly full", "pre-deploy", "Created by AWS Backup"}

// extraTags are shared, never changed in place (CreateTags replaces a
// snapshot's slice), so 100,000 extras cost no tag memory.
var extraTags = [][]Tag{
	nil,
	{{Key: "env", Value: "prod"}},
	{{Key: "env", Value: "dev"}, {Key: "team", Value: "bulk"}},
	{{Key: "team", Value: "bulk"}},
}

// addExtras adds n generated snapshots to us-west-2 for scale tests. Ids
// come from a bijective mix of the index, so they are distinct without a
// look-up; they start with "e" after "snap-", which seeded ids never do.
func addExtras(r *regionState, seed int64, n int, now time.Time) {
	if n <= 0 {
		return
	}
	now = now.UTC().Truncate(time.Second)
	extra := make([]*snapshot, 0, n)
	block := make([]snapshot, n) // one allocation for all
	for i := 0; i < n; i++ {
		h := mix64(uint64(seed)*0x9e3779b97f4a7c15 + uint64(i))
		s := &block[i]
		*s = snapshot{
			id:          fmt.Sprintf("snap-0%016x", h), // as AWS's ids: 0 and 16 hex digits
			volumeID:    fmt.Sprintf("vol-0%016x", mix64(h)),
			description: extraDescriptions[h%uint64(len(extraDescriptions))],
			ownerID:     AccountID,
			state:       stateCompleted,
			tier:        tierStandard,
			progress:    100,
			sizeGiB:     fillerSizes[(h>>8)%uint64(len(fillerSizes))],
			start:       now.Add(-time.Duration((h>>16)%(90*24*3600)) * time.Second),
			tags:        extraTags[(h>>24)%uint64(len(extraTags))],
			extra:       true,
		}
		s.fullBytes = int64(s.sizeGiB) * gib / 2
		s.completion = s.start.Add(10 * time.Minute)
		if (h>>32)%3 == 0 {
			s.encrypted = true
			s.kmsKeyID = keyArn(r.name, AccountID, r.aliases[0].keyID)
		}
		if r.byID[s.id] != nil {
			continue
		}
		extra = append(extra, s)
		r.byID[s.id] = s
	}
	r.snaps = mergeSorted(r.snaps, extra)
}

// mix64 is SplitMix64's finalizer: a bijection on uint64.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
