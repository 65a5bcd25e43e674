// Package ec2sim simulates the parts of Amazon EC2 (and KMS) that snapcopy
// uses: an http.Handler speaking the EC2 Query protocol and the KMS JSON
// protocol as aws-sdk-go-v2 and the AWS CLI expect, over a seeded world of
// Regions, Local Zones, an Outpost, KMS keys and snapshots. Copies progress
// by a simulated throughput read from a Clock, new copies stay invisible for
// a while as on AWS, and faults (throttling, 5xx, dropped connections,
// expired credentials, denied permissions, hung and trickled answers,
// answers that are not AWS's, AWS's clock off the host's) can be switched
// on at run time.
package ec2sim

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
	mrand "math/rand"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultVisibilityLag is how long a new copy stays invisible to
// DescribeSnapshots when Options.VisibilityLag is zero.
const DefaultVisibilityLag = 2 * time.Second

// answerDelay holds every answer back a moment. aws-sdk-go-v2 closes a
// request body as soon as the answer arrives, and its closed body makes
// net/http's final "no bytes beyond Content-Length" check fail, which closes
// the connection under the answer being read ("use of closed network
// connection"). Against AWS the network's latency hides this; a local
// server answers within microseconds and about 3 % of first requests on a
// new connection failed. A millisecond lets the client finish writing.
const answerDelay = time.Millisecond

// maxRecorded bounds the request log kept for assertions.
const maxRecorded = 1000

// Options configure a simulator.
type Options struct {
	// Seed makes the world (ids, keys, sizes) and the fault dice repeatable.
	Seed int64
	// NoSeedWorld starts with Regions, zones and keys but no snapshots.
	NoSeedWorld bool
	// ExtraSnapshots adds that many generated snapshots to us-west-2.
	ExtraSnapshots int
	// TimeScale is simulated seconds per clock second for copy progress (0: 1).
	TimeScale float64
	// VisibilityLag hides a new copy from DescribeSnapshots for this long
	// (0: DefaultVisibilityLag; negative: no lag).
	VisibilityLag time.Duration
	// Clock tells the time (nil: real time).
	Clock Clock
	// StateFile, when set, keeps the world's snapshots on disk: loaded by
	// New, written atomically after every change.
	StateFile string
	// TimeBasedQuotaMiBps is the account's cumulative time-based copy
	// throughput per Region pair (0: AWS's default, 2,000 MiB/s).
	TimeBasedQuotaMiBps float64
	// Faults are in force from the start, as if set by SetFaults.
	Faults Faults
	// PageLatency and NoWildcards, when set, are in force from the start
	// over those of Faults (see Faults); SetFaults replaces them with the
	// rest, so change Faults() to keep them.
	PageLatency time.Duration
	NoWildcards bool
}

// Request is one request the simulator received, for assertions.
type Request struct {
	Action string
	Region string
	Params url.Values
	At     time.Time
}

// Server is the simulator. It implements http.Handler and is safe for
// concurrent use.
type Server struct {
	clock Clock
	lag   time.Duration
	scale float64
	seed  int64
	file  string
	quota float64 // time-based copy throughput per Region pair, MiB/s

	mu       sync.RWMutex
	world    map[string]*regionState
	ids      *copyIDs            // new copies' ids, under mu
	sessions map[string]*session // AssumeRole's credentials by access key, under mu
	roles    map[string]*role    // by ARN; never changed after New
	policies []*dlmPolicy        // DLM's lifecycle policies, under mu

	fmu       sync.Mutex
	faults    Faults
	faultsSet time.Time // wall clock: when a Hang's window opened
	dice      *mrand.Rand

	cmu    sync.Mutex
	counts map[string]int
	log    []Request // ring of the last maxRecorded requests
	logPos int

	saveMu  sync.Mutex
	loadErr error
	saveErr error
}

// New builds a simulator from o. With o.StateFile naming an existing file,
// the snapshots saved there replace the seeded ones.
func New(o Options) *Server {
	s := &Server{
		clock:  o.Clock,
		lag:    o.VisibilityLag,
		scale:  o.TimeScale,
		seed:   o.Seed,
		file:   o.StateFile,
		quota:  o.TimeBasedQuotaMiBps,
		ids:    newCopyIDs(o.Seed),
		dice:   mrand.New(mrand.NewSource(o.Seed)),
		counts: map[string]int{},
		roles:  seededRoles(),
	}
	s.SetFaults(o.Faults)
	if o.PageLatency != 0 {
		s.faults.PageLatency = Duration(o.PageLatency)
	}
	if o.NoWildcards {
		s.faults.NoWildcards = true
	}
	if s.clock == nil {
		s.clock = realClock{}
	}
	if s.scale <= 0 {
		s.scale = 1
	}
	if s.quota <= 0 {
		s.quota = defaultTimeBasedQuotaMiB
	}
	switch {
	case s.lag == 0:
		s.lag = DefaultVisibilityLag
	case s.lag < 0:
		s.lag = 0
	}
	now := s.clock.Now()
	loaded := false
	if s.file != "" {
		world, issued, sessions, policies, err := loadWorld(s.file, now)
		switch {
		case err != nil:
			s.loadErr = err
		case world != nil:
			s.world, s.sessions, s.policies, loaded = world, sessions, policies, true
			s.ids.skip(issued)
		}
	}
	if !loaded {
		s.world = seedWorld(o.Seed, now, o.NoSeedWorld)
		s.sessions = map[string]*session{}
	}
	addExtras(s.world["us-west-2"], o.Seed, o.ExtraSnapshots, now)
	if s.file != "" && !loaded && s.loadErr == nil {
		s.save()
	}
	return s
}

// StateError reports a state file that could not be read at New (it was
// kept aside and the seeded world used instead), or the last failed save.
func (s *Server) StateError() error {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	if s.saveErr != nil {
		return s.saveErr
	}
	return s.loadErr
}

// Clock returns the simulator's clock.
func (s *Server) Clock() Clock { return s.clock }

// request is one EC2 or KMS call being answered.
type request struct {
	action  string
	region  string
	params  url.Values
	now     time.Time
	id      string
	caller  caller        // who signed it: the account it acts as
	changed bool          // the world changed: save it
	offset  time.Duration // AWS's clock from the simulator's (Faults.ClockOffset)
	items   int           // snapshots in a DescribeSnapshots answer, for its latency
}

type ec2Handler func(*Server, *request) ([]byte, *apiError)

// ec2Actions are the EC2 actions the simulator answers.
var ec2Actions = map[string]ec2Handler{
	"DescribeSnapshots":         (*Server).describeSnapshots,
	"CopySnapshot":              (*Server).copySnapshot,
	"CreateTags":                (*Server).createTags,
	"DeleteSnapshot":            (*Server).deleteSnapshot,
	"DescribeRegions":           (*Server).describeRegions,
	"DescribeAvailabilityZones": (*Server).describeAvailabilityZones,
	"GetEbsEncryptionByDefault": (*Server).getEbsEncryptionByDefault,
	"GetEbsDefaultKmsKeyId":     (*Server).getEbsDefaultKmsKeyID,
	"ModifySnapshotAttribute":   (*Server).modifySnapshotAttribute,
	"DescribeSnapshotAttribute": (*Server).describeSnapshotAttribute,
	"ResetSnapshotAttribute":    (*Server).resetSnapshotAttribute,
	"LockSnapshot":              (*Server).lockSnapshot,
	"UnlockSnapshot":            (*Server).unlockSnapshot,
	"DescribeLockedSnapshots":   (*Server).describeLockedSnapshots,
}

// ServeHTTP answers EC2 and STS Query requests, the JSON services' requests
// (X-Amz-Target: KMS, Service Quotas, the Price List API), DLM's REST-JSON
// requests (/policies) and the control endpoints under /_sim/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		s.serveControl(w, r)
		return
	}
	if isDLMPath(r.URL.Path) {
		s.serveDLM(w, r)
		return
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		js, ok := jsonServiceOf(target)
		if !ok {
			js = jsonService{targetPrefix: target[:strings.LastIndex(target, ".")+1]}
		}
		s.serveJSON(w, r, js, target)
		return
	}
	s.serveEC2(w, r)
}

func (s *Server) serveEC2(w http.ResponseWriter, r *http.Request) {
	rq := &request{region: regionOf(r), now: s.clock.Now(), id: newRequestID(), caller: s.callerOf(r)}
	// The body is kept for the payload hash a SignatureDoesNotMatch answer quotes.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 10<<20))
	if err == nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		err = r.ParseForm()
	}
	if err != nil {
		writeEC2Error(w, errorf(http.StatusBadRequest, "InvalidParameterValue", "The request body could not be read: %v", err), rq.id)
		return
	}
	rq.params = r.Form
	rq.action = rq.params.Get("Action")
	s.record(rq)
	aw := s.front(w, r, rq)
	if aw == nil {
		return
	}
	defer aw.finish()
	w = aw
	if stsActions[rq.action] {
		s.serveSTS(w, r, rq)
		return
	}
	if _, skewed := requestSkew(r, rq.offset); skewed {
		writeEC2Error(w, errExpired, rq.id)
		return
	}

	act := s.roll(rq.action, rq.params)
	if !act.wait(r) {
		return
	}
	if act.signature {
		w.Header().Set("Date", awsDate(time.Now(), rq.offset+act.skew))
		writeEC2Error(w, signatureMismatch(r, body), rq.id)
		return
	}
	if act.err != nil {
		if act.skew != 0 {
			w.Header().Set("Date", awsDate(time.Now(), rq.offset+act.skew))
		}
		writeEC2Error(w, act.err, rq.id)
		return
	}
	if act.drop && !act.afterApply {
		dropConnection(w)
		return
	}
	time.Sleep(answerDelay)
	body, aerr := s.answerEC2(rq)
	if rq.changed {
		s.save()
	}
	if !s.pageDelay(r, rq) {
		return
	}
	if act.drop {
		dropConnection(w)
		return
	}
	if aerr != nil {
		writeEC2Error(w, aerr, rq.id)
		return
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.Header().Set("x-amzn-RequestId", rq.id)
	_, _ = w.Write(body)
}

// answerEC2 runs one action after the checks every action shares.
func (s *Server) answerEC2(rq *request) ([]byte, *apiError) {
	if rq.action == "" {
		return nil, errorf(http.StatusBadRequest, "MissingAction", "The request must contain the parameter Action.")
	}
	h, ok := ec2Actions[rq.action]
	if !ok {
		return nil, errorf(http.StatusBadRequest, "InvalidAction", "The action %s is not valid for this web service.", rq.action)
	}
	// A Region the account has not opted in to refuses every call, as AWS does.
	s.mu.RLock()
	reg := s.world[rq.region]
	enabled := reg != nil && reg.enabled()
	s.mu.RUnlock()
	if !enabled {
		return nil, errAuth
	}
	if dry, err := boolParam(rq.params, "DryRun"); err != nil {
		return nil, err
	} else if dry && rq.action != "CopySnapshot" {
		return nil, errDryRun // CopySnapshot checks its parameters first
	}
	return h(s, rq)
}

// regionOf reads the Region from the SigV4 credential scope
// (Credential=AKID/20261125/us-west-2/ec2/aws4_request); us-east-1 without one.
func regionOf(r *http.Request) string {
	cred := ""
	if a := r.Header.Get("Authorization"); a != "" {
		if i := strings.Index(a, "Credential="); i >= 0 {
			cred = a[i+len("Credential="):]
			if j := strings.IndexAny(cred, ", "); j >= 0 {
				cred = cred[:j]
			}
		}
	}
	if cred == "" {
		cred = r.URL.Query().Get("X-Amz-Credential")
	}
	parts := strings.Split(cred, "/")
	if len(parts) >= 5 && parts[len(parts)-3] != "" {
		return parts[len(parts)-3]
	}
	return "us-east-1"
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // HTTP/2: abort the stream instead
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // reset, as a lost answer looks from the client
	}
	_ = conn.Close()
}
