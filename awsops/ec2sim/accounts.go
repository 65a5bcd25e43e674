package ec2sim

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
	"time"
)

// The world's accounts: AccountID (the seeded operator's account, which
// any static credentials act as), DRAccountID (a second account of the
// same organisation, reached by assuming DRRoleArn, with its own snapshots
// and keys: the disaster-recovery account of the demo's dr profile), and
// SharingAccountID (a partner that shares a few snapshots with AccountID
// and cannot be signed in to).
const (
	// DRAccountID is the second account one may sign in to, by AssumeRole.
	DRAccountID = "111122223333"
	// DRRoleName is the role of DRAccountID that AccountID may assume.
	DRRoleName = "dr-copy"
	// DRRoleArn is DRRoleName's ARN, a profile's role_arn.
	DRRoleArn = "arn:aws:iam::" + DRAccountID + ":role/" + DRRoleName
	// DLMDefaultRole is the execution role Data Lifecycle Manager's console
	// creates (AWSDataLifecycleManagerDefaultRole): seeded in AccountID and
	// DRAccountID, so a policy naming it is accepted in either.
	DLMDefaultRole = "AWSDataLifecycleManagerDefaultRole"
)

// staticUserID is GetCallerIdentity's UserId for static credentials.
const staticUserID = "AIDASNAPCOPYSIMULATOR"

// role is an IAM role of the world. trusted lists the accounts whose
// principals its trust policy lets assume it (none: a service role).
type role struct {
	account, name, id string
	trusted           []string
}

func (r *role) arn() string { return "arn:aws:iam::" + r.account + ":role/" + r.name }

// seededRoles are the world's roles, by ARN. Roles are not persisted: the
// world has no IAM API that changes them.
func seededRoles() map[string]*role {
	out := map[string]*role{}
	for _, r := range []*role{
		{account: DRAccountID, name: DRRoleName, id: "AROADRCOPYSIMULATOR01", trusted: []string{AccountID}},
		{account: AccountID, name: DLMDefaultRole, id: "AROADLMSIMULATOR00001"},
		{account: DRAccountID, name: DLMDefaultRole, id: "AROADLMSIMULATOR00002"},
	} {
		out[r.arn()] = r
	}
	return out
}

// session is a set of temporary credentials AssumeRole handed out: every
// request signed with its access key acts as the role's account.
type session struct {
	accessKey, secret, token string
	account, roleName        string
	roleID, name             string
	expires                  time.Time
}

// caller is who signed a request: the account it acts as and its identity.
type caller struct {
	account string
	arn     string // a user's ARN, or the assumed role's session ARN
	userID  string
}

// staticCaller is what any credentials the simulator did not hand out act as.
var staticCaller = caller{account: AccountID, arn: CallerArn, userID: staticUserID}

func (ss *session) caller() caller {
	return caller{
		account: ss.account,
		arn:     "arn:aws:sts::" + ss.account + ":assumed-role/" + ss.roleName + "/" + ss.name,
		userID:  ss.roleID + ":" + ss.name,
	}
}

// accessKeyOf is the access key id a SigV4 request was signed with.
func accessKeyOf(r *http.Request) string {
	cred := authField(r.Header.Get("Authorization"), "Credential")
	if cred == "" {
		cred = r.URL.Query().Get("X-Amz-Credential")
	}
	key, _, _ := strings.Cut(cred, "/")
	return key
}

// callerOf tells who signed r: the account of the role whose temporary
// credentials signed it, else the static credentials' AccountID (any
// access key the simulator did not hand out).
func (s *Server) callerOf(r *http.Request) caller {
	key := accessKeyOf(r)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if ss := s.sessions[key]; ss != nil {
		return ss.caller()
	}
	return staticCaller
}

// randomText is n characters of alphabet from the system's random source:
// credentials must not repeat across restarts, so they are not seeded.
func randomText(n int, alphabet string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// newSession makes the temporary credentials of one AssumeRole.
func newSession(ro *role, name string, expires time.Time) *session {
	token := make([]byte, 96)
	_, _ = rand.Read(token)
	return &session{
		accessKey: "ASIA" + randomText(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
		secret:    randomText(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
		token:     "IQoJb3JpZ2luX2VjE" + base64.StdEncoding.EncodeToString(token),
		account:   ro.account, roleName: ro.name, roleID: ro.id, name: name,
		expires: expires,
	}
}
