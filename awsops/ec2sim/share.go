package ec2sim

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
)

// Sharing snapshots (createVolumePermission), as "Share an Amazon EBS
// snapshot" and the ModifySnapshotAttribute, DescribeSnapshotAttribute and
// DescribeSnapshots references describe it: an account may use a snapshot
// it owns (implicit permission), one its owner shared with it (explicit)
// or a public one (group all).

// Snapshot attributes (SnapshotAttributeName) and the one group (PermissionGroup).
const (
	attrCreateVolumePermission = "createVolumePermission"
	attrProductCodes           = "productCodes"
	groupAll                   = "all"
)

// maxShareChanges is how many accounts one ModifySnapshotAttribute may add
// or remove ("You can make up to 500 modifications to a snapshot in a
// single operation").
const maxShareChanges = 500

var reAccountID = regexp.MustCompile(`^\d{12}$`)

// The refusals of sharing. UNCONFIRMED, all in this one place: AWS
// documents the rules ("Snapshots encrypted with your default KMS key
// cannot be shared with other accounts", "Encrypted snapshots ... cannot be
// made public", only the owner modifies permissions, not both add and
// remove at once) but not the codes. The AWS managed key's is the answer
// AWS gives ModifyImageAttribute for such a snapshot
// (DataDog/stratus-red-team#109); the others are the codes EC2 gives
// parameters it refuses, and AuthFailure for another account's resource.
var (
	errShareManagedKey = errorf(http.StatusBadRequest, "InvalidParameter", "Snapshots encrypted with the AWS Managed CMK can't be shared. Specify another snapshot.")
	errPublicEncrypted = errorf(http.StatusBadRequest, "InvalidParameter", "Encrypted snapshots can't be made public. Share them with specific accounts instead.")
	errAddAndRemove    = invalidCombination("You cannot both add and remove create volume permissions in one request.")
	errProductCodes    = invalidValue("Only the createVolumePermission attribute of a snapshot can be modified.")
)

func errNotOwner(id string) *apiError {
	return errorf(http.StatusBadRequest, "AuthFailure", "Not authorized for snapshot %s: only its owner can change or read its permissions.", id)
}

func (sn *snapshot) ownedBy(account string) bool { return sn.ownerID == account }

// restorableBy reports whether account may create volumes from sn, and
// so see and copy it: it owns it, it was shared with it, or it is public.
func (sn *snapshot) restorableBy(account string) bool {
	rf := sn.r()
	return sn.ownerID == account || rf.public || contains(rf.sharedWith, account)
}

// ownSnapshot finds the snapshot id of the request's Region that the
// caller owns: one it cannot see is InvalidSnapshot.NotFound, one shared
// with it errNotOwner. The caller holds mu.
func (s *Server) ownSnapshot(rq *request, id string) (*snapshot, *apiError) {
	if id == "" {
		return nil, missingParameter("SnapshotId")
	}
	if !reSnapshotID.MatchString(id) {
		return nil, invalidValue("Value (%s) for parameter snapshotId is invalid. Expected: 'snap-...'.", id)
	}
	sn := s.world[rq.region].byID[id]
	if sn == nil || !sn.visible(rq.now, s.lag) || !sn.restorableBy(rq.caller.account) {
		return nil, snapshotNotFound(id)
	}
	if !sn.ownedBy(rq.caller.account) {
		return nil, errNotOwner(id)
	}
	return sn, nil
}

// shareChange is one ModifySnapshotAttribute: accounts and groups to add
// or remove.
type shareChange struct {
	add           bool
	users, groups []string
}

// parseShareChange reads both forms the API takes: OperationType with
// UserId.N and UserGroup.N, or CreateVolumePermission.Add.N / .Remove.N
// with UserId or Group (the form aws-sdk-go-v2 sends for its
// CreateVolumePermission member).
func parseShareChange(p map[string][]string) (shareChange, *apiError) {
	get := func(k string) string {
		if v := p[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	attr := get("Attribute")
	switch attr {
	case "", attrCreateVolumePermission:
	case attrProductCodes:
		return shareChange{}, errProductCodes
	default:
		return shareChange{}, invalidValue("Value (%s) for parameter attribute is invalid. Valid values: productCodes | createVolumePermission.", attr)
	}
	var c shareChange
	var added, removed shareChange
	read := func(prefix string, into *shareChange) {
		for _, n := range indexes(p, prefix) {
			k := prefix + "." + strconv.Itoa(n) + "."
			if u := get(k + "UserId"); u != "" {
				into.users = append(into.users, u)
			}
			if g := get(k + "Group"); g != "" {
				into.groups = append(into.groups, g)
			}
		}
	}
	read("CreateVolumePermission.Add", &added)
	read("CreateVolumePermission.Remove", &removed)
	flatUsers, flatGroups := listParam(p, "UserId"), listParam(p, "UserGroup")
	op := get("OperationType")
	switch {
	case len(flatUsers)+len(flatGroups) > 0 && op == "":
		return c, missingParameter("OperationType")
	case op != "" && op != "add" && op != "remove":
		return c, invalidValue("Value (%s) for parameter operationType is invalid. Valid values: add | remove.", op)
	}
	adds := len(added.users)+len(added.groups) > 0 || op == "add" && len(flatUsers)+len(flatGroups) > 0
	removes := len(removed.users)+len(removed.groups) > 0 || op == "remove" && len(flatUsers)+len(flatGroups) > 0
	switch {
	case adds && removes:
		return c, errAddAndRemove
	case adds:
		c = added
		c.add = true
	case removes:
		c = removed
	default:
		if attr == "" {
			return c, missingParameter("Attribute")
		}
		return c, missingParameter("UserId")
	}
	c.users = append(c.users, flatUsers...)
	c.groups = append(c.groups, flatGroups...)
	if len(c.users)+len(c.groups) > maxShareChanges {
		return c, invalidValue("A request may make at most %d modifications to a snapshot's create volume permissions, not %d.", maxShareChanges, len(c.users)+len(c.groups))
	}
	for _, u := range c.users {
		if !reAccountID.MatchString(u) {
			return c, errorf(http.StatusBadRequest, "InvalidUserID.Malformed", "The user ID '%s' is not valid.", u)
		}
	}
	for _, g := range c.groups {
		if g != groupAll {
			return c, invalidValue("Value (%s) for parameter group is invalid. Valid value: all.", g)
		}
	}
	return c, nil
}

func (s *Server) modifySnapshotAttribute(rq *request) ([]byte, *apiError) {
	c, err := parseShareChange(rq.params)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sn, err := s.ownSnapshot(rq, rq.params.Get("SnapshotId"))
	if err != nil {
		return nil, err
	}
	if c.add && sn.encrypted {
		if len(c.groups) > 0 {
			return nil, errPublicEncrypted
		}
		if k := s.world[rq.region].keyByArn(sn.kmsKeyID); k != nil && k.managed {
			return nil, errShareManagedKey
		}
	}
	users, public := slices.Clone(sn.r().sharedWith), sn.r().public
	for _, u := range c.users {
		switch {
		case c.add && !contains(users, u) && u != sn.ownerID:
			users = append(users, u)
		case !c.add:
			users = slices.DeleteFunc(users, func(x string) bool { return x == u })
		}
	}
	if len(c.groups) > 0 {
		public = c.add
	}
	if len(users) == 0 {
		users = nil
	}
	sn.setRare(func(f *rareFields) { f.sharedWith, f.public = users, public })
	sn.extra = false // changed: the state file keeps it now
	rq.changed = true
	w := newXMLWriter(rq, "ModifySnapshotAttributeResponse", 256)
	w.bool("return", true)
	return w.finish("ModifySnapshotAttributeResponse"), nil
}

// snapshotAttribute reads the Attribute a Describe or Reset names.
func snapshotAttribute(rq *request) (string, *apiError) {
	switch a := rq.params.Get("Attribute"); a {
	case "":
		return "", missingParameter("Attribute")
	case attrCreateVolumePermission, attrProductCodes:
		return a, nil
	default:
		return "", invalidValue("Value (%s) for parameter attribute is invalid. Valid values: productCodes | createVolumePermission.", a)
	}
}

// describeSnapshotAttribute answers the owner the accounts and groups a
// snapshot is shared with, or its product codes (none in this world).
func (s *Server) describeSnapshotAttribute(rq *request) ([]byte, *apiError) {
	attr, err := snapshotAttribute(rq)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	sn, err := s.ownSnapshot(rq, rq.params.Get("SnapshotId"))
	if err != nil {
		return nil, err
	}
	w := newXMLWriter(rq, "DescribeSnapshotAttributeResponse", 512)
	w.text("snapshotId", sn.id)
	if attr == attrProductCodes {
		w.open("productCodes")
		w.close("productCodes")
		return w.finish("DescribeSnapshotAttributeResponse"), nil
	}
	w.open("createVolumePermission")
	rf := sn.r()
	if rf.public {
		w.open("item")
		w.text("group", groupAll)
		w.close("item")
	}
	for _, u := range rf.sharedWith {
		w.open("item")
		w.text("userId", u)
		w.close("item")
	}
	w.close("createVolumePermission")
	return w.finish("DescribeSnapshotAttributeResponse"), nil
}

// resetSnapshotAttribute takes every create volume permission away.
func (s *Server) resetSnapshotAttribute(rq *request) ([]byte, *apiError) {
	attr, err := snapshotAttribute(rq)
	if err != nil {
		return nil, err
	}
	if attr == attrProductCodes {
		return nil, errProductCodes
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sn, err := s.ownSnapshot(rq, rq.params.Get("SnapshotId"))
	if err != nil {
		return nil, err
	}
	if rf := sn.r(); len(rf.sharedWith) > 0 || rf.public {
		sn.setRare(func(f *rareFields) { f.sharedWith, f.public = nil, false })
		rq.changed = true
	}
	w := newXMLWriter(rq, "ResetSnapshotAttributeResponse", 256)
	w.bool("return", true)
	return w.finish("ResetSnapshotAttributeResponse"), nil
}
