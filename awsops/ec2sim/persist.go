package ec2sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// worldFormat marks a state file as the simulator's.
const worldFormat = "ec2sim-world/1"

type savedWorld struct {
	Format string `json:"format"`
	Seed   int64  `json:"seed"`
	// CopyIDsIssued is how many copy ids the world handed out (0 in files
	// written before it was kept).
	CopyIDsIssued uint64                     `json:"copy_ids_issued,omitempty"`
	SavedAt       time.Time                  `json:"saved_at"`
	Regions       map[string][]savedSnapshot `json:"regions"`
	// Sessions are the credentials AssumeRole handed out.
	Sessions []savedSession `json:"sessions,omitempty"`
	// KeyPolicies are the policies PutKeyPolicy set, by key ARN.
	KeyPolicies map[string]string `json:"key_policies,omitempty"`
	// LifecyclePolicies are DLM's policies, oldest first.
	LifecyclePolicies []savedPolicy `json:"lifecycle_policies,omitempty"`
}

type savedPolicy struct {
	ID          string            `json:"id"`
	Account     string            `json:"account"`
	Region      string            `json:"region"`
	Description string            `json:"description"`
	State       string            `json:"state"`
	Role        string            `json:"execution_role_arn"`
	Type        string            `json:"policy_type"`
	Details     json.RawMessage   `json:"policy_details"`
	Tags        map[string]string `json:"tags,omitempty"`
	Created     time.Time         `json:"created"`
	Modified    time.Time         `json:"modified"`
}

type savedSession struct {
	AccessKey   string    `json:"access_key_id"`
	Secret      string    `json:"secret_access_key"`
	Token       string    `json:"session_token"`
	Account     string    `json:"account"`
	RoleName    string    `json:"role_name"`
	RoleID      string    `json:"role_id"`
	SessionName string    `json:"session_name"`
	Expires     time.Time `json:"expiration"`
}

type savedSnapshot struct {
	ID           string `json:"id"`
	VolumeID     string `json:"volume_id"`
	Description  string `json:"description,omitempty"`
	KmsKeyID     string `json:"kms_key_id,omitempty"`
	OwnerID      string `json:"owner_id"`
	State        string `json:"state"`
	StateMessage string `json:"state_message,omitempty"`
	Tier         string `json:"tier"`
	Progress     int    `json:"progress"`
	Encrypted    bool   `json:"encrypted,omitempty"`
	// Shared, in files written before SharedWith was kept, shares another
	// owner's snapshot with AccountID.
	Shared        bool       `json:"shared,omitempty"`
	SharedWith    []string   `json:"shared_with,omitempty"`
	Public        bool       `json:"public,omitempty"`
	Lock          *savedLock `json:"lock,omitempty"`
	SizeGiB       int32      `json:"size_gib"`
	FullBytes     int64      `json:"full_bytes,omitempty"`
	Start         time.Time  `json:"start"`
	Completion    time.Time  `json:"completion,omitzero"`
	Tags          []savedTag `json:"tags,omitempty"`
	OwnerAlias    string     `json:"owner_alias,omitempty"`
	RestoreExpiry time.Time  `json:"restore_expiry,omitzero"`
	OutpostArn    string     `json:"outpost_arn,omitempty"`
	AZ            string     `json:"availability_zone,omitempty"`
	TransferType  string     `json:"transfer_type,omitempty"`
	DurationMin   int32      `json:"completion_duration_minutes,omitempty"`
	FromVolume    string     `json:"from_volume,omitempty"`
	FromRegion    string     `json:"from_region,omitempty"`
	FromSnapshot  string     `json:"from_snapshot,omitempty"`
	Copy          *savedCopy `json:"copy,omitempty"`
}

// savedTag is a tag in the state file, under the names files of this
// format have always used.
type savedTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// savedLock is a snapshot's lock as LockSnapshot set it.
type savedLock struct {
	Mode       string    `json:"mode"`
	Days       int32     `json:"duration_days,omitempty"`
	Expiration time.Time `json:"expiration,omitzero"`
	CoolOff    int32     `json:"cool_off_hours,omitempty"`
	Created    time.Time `json:"created"`
}

// savedCopy keeps what drives a copy's progress; its start is absolute, so
// a restarted simulator finds the copy as far along as the clock says.
type savedCopy struct {
	Created   time.Time     `json:"created"`
	Total     time.Duration `json:"total_ns"`
	FailAfter time.Duration `json:"fail_after_ns,omitempty"`
	FailMsg   string        `json:"fail_message,omitempty"`
	SrcRegion string        `json:"source_region,omitempty"`
	RateMiBps float64       `json:"rate_mibps,omitempty"`
}

// save writes the world to the state file, atomically. saveMu orders the
// writes, so a later state never loses to an earlier one.
func (s *Server) save() {
	if s.file == "" {
		return
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	s.mu.RLock()
	sw := savedWorld{Format: worldFormat, Seed: s.seed, CopyIDsIssued: s.ids.issued, SavedAt: s.clock.Now().UTC(), Regions: map[string][]savedSnapshot{}}
	for name, r := range s.world {
		for _, sn := range r.snaps {
			if !sn.extra {
				sw.Regions[name] = append(sw.Regions[name], toSaved(sn))
			}
		}
		for _, k := range r.keys {
			if k.policy != "" {
				if sw.KeyPolicies == nil {
					sw.KeyPolicies = map[string]string{}
				}
				sw.KeyPolicies[k.arn] = k.policy
			}
		}
	}
	for _, ss := range s.sessions {
		sw.Sessions = append(sw.Sessions, savedSession{AccessKey: ss.accessKey, Secret: ss.secret, Token: ss.token,
			Account: ss.account, RoleName: ss.roleName, RoleID: ss.roleID, SessionName: ss.name, Expires: ss.expires})
	}
	sort.Slice(sw.Sessions, func(i, j int) bool { return sw.Sessions[i].AccessKey < sw.Sessions[j].AccessKey })
	for _, p := range s.policies {
		sw.LifecyclePolicies = append(sw.LifecyclePolicies, savedPolicy{ID: p.id, Account: p.account, Region: p.region, Description: p.description,
			State: p.state, Role: p.role, Type: p.policyType, Details: p.details, Tags: p.tags, Created: p.created, Modified: p.modified})
	}
	s.mu.RUnlock()
	data, err := json.Marshal(sw)
	if err == nil {
		err = writeFileAtomic(s.file, data)
	}
	if err != nil {
		s.saveErr = fmt.Errorf("save simulator state to %s: %w", s.file, err)
		return
	}
	s.saveErr = nil
}

func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ec2sim-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// loadWorld reads a state file, how many copy ids its world handed out,
// the credentials AssumeRole handed out and DLM's policies: nil without
// error when there is none. A file that cannot be used is
// renamed aside (never overwritten) and reported; the caller then starts
// from the seeded world.
func loadWorld(path string, now time.Time) (map[string]*regionState, uint64, map[string]*session, []*dlmPolicy, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil, nil, nil
	}
	if err != nil {
		return nil, 0, nil, nil, fmt.Errorf("read simulator state %s: %w", path, err)
	}
	var sw savedWorld
	problem := ""
	if err := json.Unmarshal(data, &sw); err != nil {
		problem = "is not valid JSON (" + err.Error() + ")"
	} else if sw.Format != worldFormat {
		problem = "is not a simulator state file"
	}
	if problem != "" {
		aside := path + ".bad-" + now.UTC().Format("20060102T150405Z")
		if err := os.Rename(path, aside); err != nil {
			return nil, 0, nil, nil, fmt.Errorf("simulator state %s %s and could not be kept aside: %w", path, problem, err)
		}
		return nil, 0, nil, nil, fmt.Errorf("simulator state %s %s; it was kept aside as %s and the seeded world is used", path, problem, aside)
	}
	// Keys and zones come from the seed the file was written with, so the
	// key ARNs saved on snapshots still name keys of this world.
	world := seedWorld(sw.Seed, now, true)
	for name, snaps := range sw.Regions {
		r := world[name]
		if r == nil {
			continue
		}
		list := make([]*snapshot, 0, len(snaps))
		for _, ss := range snaps {
			sn := fromSaved(ss)
			if r.byID[sn.id] != nil {
				continue
			}
			r.byID[sn.id] = sn
			list = append(list, sn)
			if sn.copy != nil {
				r.copies = append(r.copies, sn)
			}
		}
		sort.Slice(list, func(i, j int) bool { return list[i].id < list[j].id })
		r.snaps = list
	}
	seedPartnerKeys(world)
	for _, r := range world {
		for _, k := range r.keys {
			if p, ok := sw.KeyPolicies[k.arn]; ok {
				k.policy = p
			}
		}
	}
	sessions := map[string]*session{}
	for _, ss := range sw.Sessions {
		sessions[ss.AccessKey] = &session{accessKey: ss.AccessKey, secret: ss.Secret, token: ss.Token, account: ss.Account,
			roleName: ss.RoleName, roleID: ss.RoleID, name: ss.SessionName, expires: ss.Expires}
	}
	var policies []*dlmPolicy
	for _, sp := range sw.LifecyclePolicies {
		policies = append(policies, &dlmPolicy{id: sp.ID, account: sp.Account, region: sp.Region, description: sp.Description, state: sp.State,
			role: sp.Role, policyType: sp.Type, details: sp.Details, tags: sp.Tags, created: sp.Created, modified: sp.Modified})
	}
	return world, sw.CopyIDsIssued, sessions, policies, nil
}

func toSaved(sn *snapshot) savedSnapshot {
	rf := sn.r()
	ss := savedSnapshot{
		ID: sn.id, VolumeID: sn.volumeID, Description: sn.description, KmsKeyID: sn.kmsKeyID,
		OwnerID: sn.ownerID, State: sn.state, StateMessage: sn.stateMessage, Tier: sn.tier,
		Progress: int(sn.progress), Encrypted: sn.encrypted, SizeGiB: sn.sizeGiB,
		FullBytes: sn.fullBytes, Start: sn.start, Completion: sn.completion, Tags: savedTags(sn.tags),
		OwnerAlias: rf.ownerAlias, RestoreExpiry: rf.restoreExpiry, OutpostArn: rf.outpostArn,
		AZ: rf.az, TransferType: rf.transferType, DurationMin: rf.durationMin,
		FromVolume: rf.fromVolume, FromRegion: rf.fromRegion, FromSnapshot: rf.fromSnapshot,
		SharedWith: rf.sharedWith, Public: rf.public,
	}
	if l := rf.lock; l != nil {
		ss.Lock = &savedLock{Mode: l.mode, Days: l.days, Expiration: l.expiration, CoolOff: l.coolOff, Created: l.created}
	}
	if c := sn.copy; c != nil {
		ss.Copy = &savedCopy{Created: c.created, Total: c.total, FailAfter: c.failAfter, FailMsg: c.failMsg, SrcRegion: c.srcRegion, RateMiBps: c.rateMiBps}
	}
	return ss
}

func fromSaved(ss savedSnapshot) *snapshot {
	sn := &snapshot{
		id: ss.ID, volumeID: ss.VolumeID, description: ss.Description, kmsKeyID: ss.KmsKeyID,
		ownerID: ss.OwnerID, state: ss.State, stateMessage: ss.StateMessage, tier: ss.Tier,
		progress: int8(ss.Progress), encrypted: ss.Encrypted, sizeGiB: ss.SizeGiB,
		fullBytes: ss.FullBytes, start: ss.Start, completion: ss.Completion, tags: worldTags(ss.Tags),
	}
	shared := ss.SharedWith
	if ss.Shared && len(shared) == 0 {
		shared = []string{AccountID}
	}
	if ss.OwnerAlias != "" || !ss.RestoreExpiry.IsZero() || ss.OutpostArn != "" || ss.AZ != "" || ss.TransferType != "" || ss.DurationMin != 0 ||
		ss.FromVolume != "" || ss.FromRegion != "" || ss.FromSnapshot != "" || len(shared) > 0 || ss.Public || ss.Lock != nil {
		sn.rare = &rareFields{ownerAlias: ss.OwnerAlias, restoreExpiry: ss.RestoreExpiry, outpostArn: ss.OutpostArn,
			az: ss.AZ, transferType: ss.TransferType, durationMin: ss.DurationMin,
			fromVolume: ss.FromVolume, fromRegion: ss.FromRegion, fromSnapshot: ss.FromSnapshot,
			sharedWith: shared, public: ss.Public}
	}
	if l := ss.Lock; l != nil {
		sn.rare.lock = &snapshotLock{mode: l.Mode, days: l.Days, expiration: l.Expiration, coolOff: l.CoolOff, created: l.Created}
	}
	if c := ss.Copy; c != nil {
		sn.copy = &copyProgress{created: c.Created, total: c.Total, failAfter: c.FailAfter, failMsg: c.FailMsg, srcRegion: c.SrcRegion, rateMiBps: c.RateMiBps}
	}
	return sn
}

func savedTags(tags []Tag) []savedTag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]savedTag, len(tags))
	for i, t := range tags {
		out[i] = savedTag(t)
	}
	return out
}

func worldTags(tags []savedTag) []Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]Tag, len(tags))
	for i, t := range tags {
		out[i] = Tag(t)
	}
	return out
}
