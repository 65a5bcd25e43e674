package ec2sim

import (
	"sort"
	"time"
)

// The simulated accounts.
const (
	// AccountID owns the simulated world.
	AccountID = "123456789012"
	// SharingAccountID is another account that shares a few snapshots with
	// AccountID (see accounts.go for the world's accounts).
	SharingAccountID = "210987654321"
)

// BaseThroughputMiBps is the simulated per-snapshot copy throughput, before
// Options.TimeScale speeds simulated time up.
const BaseThroughputMiBps = 60

// MaxPendingCopies is how many copies may be pending into one Region before
// CopySnapshot answers ResourceLimitExceeded. UNCONFIRMED in the spec (AWS's
// default quota of concurrent copies per destination Region is believed to be 20).
const MaxPendingCopies = 20

// OutpostArn is the one Outpost of the simulated account, in us-west-2.
const OutpostArn = "arn:aws:outposts:us-west-2:123456789012:outpost/op-0abc1234def567890"

// regionState is one Region of the world: its settings, KMS keys, zones and
// snapshots. snaps is kept sorted by id, so paging can resume after any id
// even while copies are added between pages.
type regionState struct {
	name             string
	optIn            string // opt-in-not-required, opted-in, not-opted-in
	encryptByDefault bool
	// defaultKey is what GetEbsDefaultKmsKeyId answers: an alias name or
	// key id, read in the caller's account.
	defaultKey string
	keys       []*kmsKey  // every account's
	aliases    []kmsAlias // every account's; each account's sorted by name
	zones      []zone

	snaps []*snapshot
	byID  map[string]*snapshot
	// copies are the copies made into this Region, for the pending limit.
	copies []*snapshot
}

func (r *regionState) enabled() bool { return r.optIn != notOptedIn }

type kmsKey struct {
	id          string
	arn         string
	account     string
	description string
	managed     bool // an AWS managed key (alias/aws/...)
	created     time.Time
	// policy is the key policy (JSON), "" for the default one of its kind
	// (defaultKeyPolicy).
	policy string
}

type kmsAlias struct {
	name    string // alias/backup
	arn     string
	keyID   string
	account string
}

type zone struct {
	name, id, region, typ, group, parent, parentID, optIn, state string
}

func (z zone) local() bool { return z.typ == zoneTypeLocalZone }

// snapshot is one snapshot of the world, kept compact because a scale test
// holds 100,000 of them: fields most snapshots lack sit in *rareFields.
type snapshot struct {
	id           string
	volumeID     string
	description  string
	kmsKeyID     string
	ownerID      string
	state        string
	stateMessage string
	tier         string
	progress     int8 // for snapshots that are not copies; -1: none reported
	encrypted    bool
	// extra marks a generated snapshot (Options.ExtraSnapshots): it is made
	// again from the seed at start, so the state file leaves it out.
	extra      bool
	sizeGiB    int32
	fullBytes  int64
	start      time.Time
	completion time.Time
	tags       []Tag // replaced, never changed in place: extras share slices
	rare       *rareFields
	copy       *copyProgress
}

type rareFields struct {
	ownerAlias    string
	restoreExpiry time.Time
	outpostArn    string
	az            string
	transferType  string
	durationMin   int32
	// A copy's lineage: the volume, Region and snapshot it was copied from
	// (a copy's own volume id is the meaningless vol-ffffffff).
	fromVolume, fromRegion, fromSnapshot string
	// createVolumePermission: the accounts the owner shared the snapshot
	// with, and whether it is public (group all).
	sharedWith []string
	public     bool
	lock       *snapshotLock
}

// copyProgress drives a copy made with CopySnapshot: its state is computed
// from the clock on every read, so nothing runs in the background.
type copyProgress struct {
	created time.Time
	// total is the clock time the copy takes.
	total time.Duration
	// failAfter, when > 0, is the clock time after which the copy ends in error.
	failAfter time.Duration
	failMsg   string
	// srcRegion and rateMiBps are a time-based copy's Region pair and its
	// share of the pair's cumulative throughput quota (0: standard copy).
	srcRegion string
	rateMiBps float64
}

// noRare stands in for absent rare fields; never written to.
var noRare rareFields

// r returns the rare fields for reading.
func (s *snapshot) r() *rareFields {
	if s.rare == nil {
		return &noRare
	}
	return s.rare
}

func (s *snapshot) setRare(f func(*rareFields)) {
	if s.rare == nil {
		s.rare = &rareFields{}
	}
	f(s.rare)
}

// view is a snapshot's state at one instant.
type view struct {
	state      string
	progress   int // -1: none
	completion time.Time
	message    string
	// tier is the storage tier at that instant: a temporarily restored
	// snapshot is standard until its restore expires, then archive again.
	tier string
}

// at computes the snapshot's state at now.
func (s *snapshot) at(now time.Time) view {
	c := s.copy
	if c == nil {
		tier := s.tier
		if exp := s.r().restoreExpiry; tier == tierStandard && !exp.IsZero() && !exp.After(now) {
			tier = tierArchive
		}
		return view{state: s.state, progress: int(s.progress), completion: s.completion, message: s.stateMessage, tier: tier}
	}
	elapsed := now.Sub(c.created)
	if elapsed < 0 {
		elapsed = 0
	}
	pct := func(d time.Duration) int {
		if c.total <= 0 {
			return 100
		}
		p := int(float64(d) / float64(c.total) * 100)
		if p > 99 {
			p = 99
		}
		return p
	}
	if c.failAfter > 0 && elapsed >= c.failAfter && c.failAfter < c.total {
		return view{state: stateError, progress: pct(c.failAfter), message: c.failMsg, tier: s.tier}
	}
	if elapsed >= c.total {
		return view{state: stateCompleted, progress: 100, completion: c.created.Add(c.total), tier: s.tier}
	}
	return view{state: statePending, progress: pct(elapsed), tier: s.tier}
}

// visible reports whether DescribeSnapshots shows the snapshot at now: a
// new copy stays hidden for the visibility lag, as on AWS.
func (s *snapshot) visible(now time.Time, lag time.Duration) bool {
	return s.copy == nil || !now.Before(s.copy.created.Add(lag))
}

// tag returns the value of key and whether the tag is there.
func (s *snapshot) tag(key string) (string, bool) {
	for _, t := range s.tags {
		if t.Key == key {
			return t.Value, true
		}
	}
	return "", false
}

// insert adds sn to the Region, keeping snaps sorted by id.
func (r *regionState) insert(sn *snapshot) {
	if old, ok := r.byID[sn.id]; ok {
		*old = *sn
		return
	}
	i := sort.Search(len(r.snaps), func(i int) bool { return r.snaps[i].id >= sn.id })
	r.snaps = append(r.snaps, nil)
	copy(r.snaps[i+1:], r.snaps[i:])
	r.snaps[i] = sn
	r.byID[sn.id] = sn
}

func (r *regionState) zone(name string) (zone, bool) {
	for _, z := range r.zones {
		if z.name == name {
			return z, true
		}
	}
	return zone{}, false
}

// mergeSorted merges b (any order) into a (sorted by id).
func mergeSorted(a, b []*snapshot) []*snapshot {
	sort.Slice(b, func(i, j int) bool { return b[i].id < b[j].id })
	out := make([]*snapshot, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i].id < b[j].id {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}
