package ec2sim

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of a CopySnapshot request (spec section 2).
const (
	maxDescription  = 255
	maxTags         = 50
	maxTagKey       = 127
	maxTagValue     = 256
	minDuration     = 15
	maxDuration     = 2880
	durationStep    = 15
	copyVolumeID    = "vol-ffffffff" // AWS gives every copy this meaningless volume id
	kmsFailFraction = 0.1            // a copy with a missing key fails this far in...
	kmsFailMax      = 30 * time.Second
	// ...or after this much simulated time, whichever comes first.
)

// kmsKeyNotAccessible is the StateMessage AWS gives a copy whose KMS key it
// cannot use.
const kmsKeyNotAccessible = "Given key ID is not accessible"

// copyParams is a parsed CopySnapshot request.
type copyParams struct {
	sourceRegion string
	sourceID     string
	description  string
	hasDesc      bool
	encrypted    bool
	kmsKey       string
	tags         []Tag
	duration     int32
	outpost      string
	zone         string
	dryRun       bool
}

// parseCopy checks everything that needs no look-up in the world.
func parseCopy(p map[string][]string, destRegion string) (*copyParams, *apiError) {
	get := func(k string) string {
		if v := p[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	c := &copyParams{
		sourceRegion: get("SourceRegion"),
		sourceID:     get("SourceSnapshotId"),
		description:  get("Description"),
		kmsKey:       get("KmsKeyId"),
		outpost:      get("DestinationOutpostArn"),
		zone:         get("DestinationAvailabilityZone"),
	}
	_, c.hasDesc = p["Description"]
	if c.sourceRegion == "" {
		return nil, missingParameter("SourceRegion")
	}
	if c.sourceID == "" {
		return nil, missingParameter("SourceSnapshotId")
	}
	if !reRegion.MatchString(c.sourceRegion) {
		return nil, invalidValue("Value (%s) for parameter SourceRegion is invalid. Expected a Region code such as us-west-2.", c.sourceRegion)
	}
	if !reSnapshotID.MatchString(c.sourceID) {
		return nil, invalidValue("Value (%s) for parameter sourceSnapshotId is invalid. Expected: 'snap-...'.", c.sourceID)
	}
	if n := utf8.RuneCountInString(c.description); n > maxDescription {
		return nil, invalidValue("Value for parameter Description is invalid. The description has %d characters; it cannot exceed %d characters.", n, maxDescription)
	}
	if hasControl(c.description) {
		return nil, invalidValue("Value for parameter Description is invalid. Character sets beyond ASCII are supported, but control characters are not.")
	}
	var err *apiError
	if _, ok := p["Encrypted"]; ok {
		switch strings.ToLower(get("Encrypted")) {
		case "true":
			c.encrypted = true
		case "false":
			// AWS refuses an explicit false: there is no unencrypted copy of an encrypted snapshot.
			return nil, invalidValue("Value (false) for parameter Encrypted is invalid. Omit the parameter or set it to true.")
		default:
			return nil, invalidValue("Invalid value '%s' for Encrypted. Valid values are true or false.", get("Encrypted"))
		}
	}
	if c.dryRun, err = boolParam(p, "DryRun"); err != nil {
		return nil, err
	}
	_, hasDuration := p["CompletionDurationMinutes"]
	exclusive := 0
	for _, b := range []bool{c.outpost != "", c.zone != "", hasDuration} {
		if b {
			exclusive++
		}
	}
	if exclusive > 1 {
		return nil, invalidCombination("The parameters DestinationOutpostArn, DestinationAvailabilityZone and CompletionDurationMinutes are mutually exclusive.")
	}
	if hasDuration {
		n, convErr := strconv.Atoi(get("CompletionDurationMinutes"))
		if convErr != nil || n < minDuration || n > maxDuration || n%durationStep != 0 {
			return nil, invalidValue("Value (%s) for parameter CompletionDurationMinutes is invalid. It must be a multiple of %d from %d to %d.", get("CompletionDurationMinutes"), durationStep, minDuration, maxDuration)
		}
		c.duration = int32(n)
	}
	if c.kmsKey != "" && !c.encrypted {
		return nil, errorf(http.StatusBadRequest, "InvalidParameterDependency", "The parameter KmsKeyId requires the parameter Encrypted to be set.")
	}
	if c.tags, err = parseTagSpecifications(p); err != nil {
		return nil, err
	}
	if err = checkTags(c.tags); err != nil {
		return nil, err
	}
	if c.outpost != "" {
		m := reOutpostArn.FindStringSubmatch(c.outpost)
		if m == nil {
			return nil, invalidValue("Value (%s) for parameter DestinationOutpostArn is invalid. Expected an Outpost ARN such as arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0.", c.outpost)
		}
		if m[2] != c.sourceRegion {
			return nil, invalidValue("The Outpost %s is in %s; a snapshot can be copied only to an Outpost of its own Region (%s).", c.outpost, m[2], c.sourceRegion)
		}
		if m[2] != destRegion {
			return nil, invalidValue("The Outpost %s is in %s; send the request to that Region, not %s.", c.outpost, m[2], destRegion)
		}
	}
	return c, nil
}

// parseTagSpecifications reads TagSpecification.N: one, for snapshots.
func parseTagSpecifications(p map[string][]string) ([]Tag, *apiError) {
	var tags []Tag
	seen := false
	for _, n := range indexes(p, "TagSpecification") {
		prefix := "TagSpecification." + strconv.Itoa(n) + "."
		rt := ""
		if v := p[prefix+"ResourceType"]; len(v) > 0 {
			rt = v[0]
		}
		switch {
		case rt == "":
			return nil, invalidValue("Tag specification resource type must have a value")
		case rt != "snapshot":
			return nil, invalidValue("'%s' is not a valid taggable resource type for this operation.", rt)
		case seen:
			return nil, invalidValue("The same resource type may not be specified more than once in tag specifications")
		}
		seen = true
		tags = parseTagList(p, prefix+"Tag")
	}
	return tags, nil
}

// parseTagList reads PREFIX.N.Key / PREFIX.N.Value.
func parseTagList(p map[string][]string, prefix string) []Tag {
	var tags []Tag
	for _, n := range indexes(p, prefix) {
		k := prefix + "." + strconv.Itoa(n) + "."
		t := Tag{}
		if v := p[k+"Key"]; len(v) > 0 {
			t.Key = v[0]
		}
		if v := p[k+"Value"]; len(v) > 0 {
			t.Value = v[0]
		}
		tags = append(tags, t)
	}
	return tags
}

// checkTags enforces AWS's tag rules.
func checkTags(tags []Tag) *apiError {
	if len(tags) > maxTags {
		return errorf(http.StatusBadRequest, "TagLimitExceeded", "The maximum number of tags for a resource (%d) has been exceeded: %d tags were given.", maxTags, len(tags))
	}
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		switch {
		case t.Key == "":
			return invalidValue("Tag key must have a value")
		case utf8.RuneCountInString(t.Key) > maxTagKey:
			return invalidValue("Tag key exceeds the maximum length of %d characters", maxTagKey)
		case utf8.RuneCountInString(t.Value) > maxTagValue:
			return invalidValue("Tag value exceeds the maximum length of %d characters", maxTagValue)
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return invalidValue("Tag keys starting with 'aws:' are reserved for internal use")
		case hasControl(t.Key) || hasControl(t.Value):
			return invalidValue("Tag keys and values cannot contain control characters")
		case seen[t.Key]:
			return invalidValue("Duplicate tag key '%s' specified", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

func (s *Server) copySnapshot(rq *request) ([]byte, *apiError) {
	c, err := parseCopy(rq.params, rq.region)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	dest := s.world[rq.region]

	who := rq.caller
	keyArn, keyUsable := "", true
	if c.kmsKey != "" {
		var key *kmsKey
		if keyArn, key, err = dest.resolveKey(who.account, c.kmsKey); err != nil {
			return nil, err
		}
		keyUsable = dest.usableKey(key, who)
	}
	if c.outpost != "" && (c.outpost != OutpostArn || who.account != AccountID) {
		return nil, invalidValue("The Outpost %s does not exist or is not associated with this account.", c.outpost)
	}
	var destZone zone
	if c.zone != "" {
		z, ok := dest.zone(c.zone)
		if !ok || !z.local() {
			return nil, invalidValue("Value (%s) for parameter DestinationAvailabilityZone is invalid. It must be a Local Zone of %s.", c.zone, rq.region)
		}
		if z.optIn == notOptedIn {
			return nil, invalidValue("The Local Zone %s is not enabled for this account.", c.zone)
		}
		destZone = z
	}

	src := s.world[c.sourceRegion]
	if src == nil || !src.enabled() {
		return nil, invalidValue("Value (%s) for parameter SourceRegion is invalid. The Region does not exist or is not enabled for this account.", c.sourceRegion)
	}
	sn := src.byID[c.sourceID]
	// Another account's snapshot not shared with the caller is as if it
	// did not exist. UNCONFIRMED: AWS does not document the answer to a
	// copy of a snapshot the caller may not use.
	if sn == nil || !sn.visible(rq.now, s.lag) || !sn.restorableBy(who.account) {
		return nil, snapshotNotFound(c.sourceID)
	}
	if err := copyableSource(sn, rq.now); err != nil {
		return nil, err
	}
	if c.zone != "" && c.sourceRegion != rq.region {
		return nil, invalidValue("A snapshot can be copied only to a Local Zone of its own Region (%s), not to %s.", c.sourceRegion, c.zone)
	}
	if az := sn.r().az; az != "" {
		if srcZone, ok := src.zone(az); ok && srcZone.local() {
			switch {
			case rq.region != c.sourceRegion:
				return nil, invalidValue("The snapshot %s is in the Local Zone %s; it can be copied only within zone group %s or to its parent Region %s.", sn.id, az, srcZone.group, srcZone.region)
			case c.outpost != "":
				return nil, invalidValue("The snapshot %s is in a Local Zone and cannot be copied to an Outpost.", sn.id)
			case c.duration > 0:
				return nil, invalidCombination("CompletionDurationMinutes is not supported for a snapshot in a Local Zone.")
			case c.zone != "" && destZone.group != srcZone.group:
				return nil, invalidValue("The snapshot %s is in zone group %s; it cannot be copied to %s in zone group %s.", sn.id, srcZone.group, c.zone, destZone.group)
			}
		}
	}

	// Encryption outcome, spec section 2.
	encrypted := c.encrypted || sn.encrypted || dest.encryptByDefault || c.outpost != ""
	if encrypted && keyArn == "" {
		var key *kmsKey
		keyArn, key, _ = dest.resolveKey(who.account, dest.defaultKey)
		keyUsable = dest.usableKey(key, who)
	}
	if !encrypted {
		keyArn = ""
	}
	// Another account's encrypted snapshot is copied with its owner's key,
	// which that key's policy must let the caller use; the owner's own use
	// of its keys is not checked.
	if sn.encrypted && !sn.ownedBy(who.account) && !src.usableKey(src.keyByArn(sn.kmsKeyID), who) {
		keyUsable = false
	}

	// A dry run checks the request and the permission, not how many copies
	// are in flight.
	if c.dryRun {
		return nil, errDryRun
	}
	if s.pendingCopies(dest, who.account, rq.now) >= MaxPendingCopies {
		return nil, errorf(http.StatusBadRequest, "ResourceLimitExceeded", "You have reached the limit of %d concurrent snapshot copies into %s. Wait for a copy to finish, then try again.", MaxPendingCopies, rq.region)
	}

	// An incremental copy moves only the blocks changed since the earlier
	// copy of the same volume; the quota counts the data that moves.
	base := dest.incrementalBase(sn, who.account, c.sourceRegion, encrypted, keyArn, rq.now)
	moved := movedBytes(sn, base != nil)
	late := 1.0 // how much longer than requested a time-based copy takes
	var rate float64
	if c.duration > 0 {
		need := float64(moved) / (1 << 20) / (float64(c.duration) * 60)
		avail := s.quota - dest.timeBasedLoad(who.account, c.sourceRegion, rq.now)
		if avail <= 0 {
			return nil, errQuotaExceeded(c.sourceRegion, rq.region, s.quota)
		}
		// Less than it needs but above zero: accepted, and it finishes
		// late in proportion (billed for the time it really takes).
		rate = min(need, avail)
		if need > avail {
			late = need / avail
		}
	}

	cp := s.newCopy(dest, sn, c, who.account, rq.now, base != nil, late)
	cp.copy.srcRegion, cp.copy.rateMiBps = c.sourceRegion, rate
	cp.encrypted, cp.kmsKeyID = encrypted, keyArn
	if !keyUsable && encrypted {
		cp.copy.failAfter = min(time.Duration(float64(cp.copy.total)*kmsFailFraction), time.Duration(float64(kmsFailMax)/s.scale))
		cp.copy.failMsg = kmsKeyNotAccessible
	}
	if c.zone != "" {
		cp.setRare(func(f *rareFields) { f.az = c.zone })
	}
	if c.outpost != "" {
		cp.setRare(func(f *rareFields) { f.outpostArn = c.outpost })
	}
	dest.insert(cp)
	dest.copies = append(dest.copies, cp)
	rq.changed = true

	w := newXMLWriter(rq, "CopySnapshotResponse", 512)
	w.text("snapshotId", cp.id)
	writeTags(w, cp.tags)
	return w.finish("CopySnapshotResponse"), nil
}

// idTaken reports whether a snapshot of any Region has id: snapshot ids
// are unique across Regions. The caller holds mu.
func (s *Server) idTaken(id string) bool {
	for _, r := range s.world {
		if r.byID[id] != nil {
			return true
		}
	}
	return false
}

// copyableSource refuses a source that is not completed, archived and not
// restored, or on an Outpost.
func copyableSource(sn *snapshot, now time.Time) *apiError {
	if sn.r().outpostArn != "" {
		return invalidValue("The snapshot %s is on an Outpost. A snapshot on an Outpost cannot be copied.", sn.id)
	}
	if v := sn.at(now); v.state != stateCompleted {
		return errorf(http.StatusBadRequest, "IncorrectState", "Snapshot '%s' is in state '%s'. Only a completed snapshot can be copied.", sn.id, v.state)
	}
	if sn.at(now).tier == tierArchive {
		return errorf(http.StatusBadRequest, "IncorrectState", "Snapshot '%s' is in the archive tier. Restore it temporarily before copying it.", sn.id)
	}
	return nil
}

// pendingCopies counts account's copies into r still pending at now,
// forgetting finished ones (of every account).
func (s *Server) pendingCopies(r *regionState, account string, now time.Time) int {
	kept := r.copies[:0]
	n := 0
	for _, cp := range r.copies {
		if cp.at(now).state == statePending {
			kept = append(kept, cp)
			if cp.ownerID == account {
				n++
			}
		}
	}
	clear(r.copies[len(kept):])
	r.copies = kept
	return n
}

// newCopy makes the pending copy of src into dest: a fresh id, the source's
// size, its lineage, and a duration from the simulated throughput (shorter
// for an incremental copy), or the requested completion duration times late.
func (s *Server) newCopy(dest *regionState, src *snapshot, c *copyParams, owner string, now time.Time, incremental bool, late float64) *snapshot {
	id := s.ids.id()
	for s.idTaken(id) { // a snapshot added with AddSnapshot, or seeded
		id = s.ids.id()
	}
	desc := c.description
	if !c.hasDesc {
		desc = "[Copied " + src.id + " from " + c.sourceRegion + "]"
	}
	cp := &snapshot{
		id:          id,
		volumeID:    copyVolumeID,
		description: desc,
		ownerID:     owner,
		state:       statePending,
		tier:        tierStandard,
		sizeGiB:     src.sizeGiB,
		fullBytes:   src.fullBytes,
		start:       now.UTC().Truncate(time.Millisecond),
		tags:        c.tags,
	}
	simSeconds := float64(src.sizeGiB) * 1024 / BaseThroughputMiBps
	if incremental {
		simSeconds *= incrementalFraction
	}
	transfer := transferStandard
	if c.duration > 0 {
		simSeconds = float64(c.duration) * 60 * late
		transfer = transferTimeBased
	}
	total := time.Duration(simSeconds / s.scale * float64(time.Second))
	if total < time.Second {
		total = time.Second
	}
	cp.copy = &copyProgress{created: now, total: total}
	vol, _ := src.lineage()
	cp.setRare(func(f *rareFields) {
		f.transferType, f.durationMin = transfer, c.duration
		f.fromVolume, f.fromRegion, f.fromSnapshot = vol, c.sourceRegion, src.id
	})
	return cp
}
