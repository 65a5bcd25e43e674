package ec2sim

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Data Lifecycle Manager's REST-JSON front: CreateLifecyclePolicy
// (POST /policies), GetLifecyclePolicies (GET /policies), GetLifecyclePolicy
// and DeleteLifecyclePolicy (GET and DELETE /policies/{policyId}, with or
// without a trailing slash), on the same listener as EC2: told apart by
// path. Policies belong to the caller's account and the request's Region
// and are kept with the world. Errors carry X-Amzn-ErrorType, which the
// SDK reads, and DLM's statuses: InvalidRequestException 400,
// ResourceNotFoundException 404, LimitExceededException 429,
// InternalServerException 500. UpdateLifecyclePolicy and the tagging
// actions are not simulated.

// dlmPolicy is one stored lifecycle policy.
type dlmPolicy struct {
	id, account, region string
	description, state  string
	role, policyType    string
	details             json.RawMessage // as the caller sent it
	tags                map[string]string
	created, modified   time.Time
}

// isDLMPath reports whether a request's path is DLM's.
func isDLMPath(path string) bool { return path == "/policies" || strings.HasPrefix(path, "/policies/") }

// dlmError is one of DLM's error answers.
type dlmError struct {
	status int
	code   string
	msg    string
	extra  map[string]any
}

func writeDLMError(w http.ResponseWriter, e *dlmError, requestID string) {
	body := map[string]any{"message": e.msg, "Code": e.code}
	for k, v := range e.extra {
		body[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", e.code)
	w.Header().Set("x-amzn-RequestId", requestID)
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(body)
}

func dlmBadRequest(msg string) *dlmError {
	return &dlmError{status: http.StatusBadRequest, code: "InvalidRequestException", msg: msg}
}

func dlmNotFound(id string) *dlmError {
	return &dlmError{status: http.StatusNotFound, code: "ResourceNotFoundException", msg: "Lifecycle policy " + id + " was not found.",
		extra: map[string]any{"ResourceType": "LifecyclePolicy", "ResourceIds": []string{id}}}
}

// dlmFault is the DLM form of an EC2-worded fault.
func dlmFault(e *apiError, who caller, action string) *dlmError {
	switch e.code {
	case "UnauthorizedOperation":
		return &dlmError{status: http.StatusForbidden, code: "AccessDeniedException", msg: "User: " + who.arn + " is not authorized to perform: dlm:" + action}
	case "RequestLimitExceeded":
		return &dlmError{status: http.StatusTooManyRequests, code: "ThrottlingException", msg: "Rate exceeded"}
	case "InternalError":
		return &dlmError{status: http.StatusInternalServerError, code: "InternalServerException", msg: "An internal error has occurred"}
	}
	k := kmsFault(e, who, action)
	return &dlmError{status: k.status, code: k.typ, msg: k.msg}
}

// dlmRoute names the action of a DLM request and its policy id, if any.
func dlmRoute(r *http.Request) (action, id string) {
	rest := strings.Trim(strings.TrimPrefix(r.URL.Path, "/policies"), "/")
	switch {
	case rest == "" && r.Method == http.MethodPost:
		return "CreateLifecyclePolicy", ""
	case rest == "" && r.Method == http.MethodGet:
		return "GetLifecyclePolicies", ""
	case rest != "" && !strings.Contains(rest, "/") && r.Method == http.MethodGet:
		return "GetLifecyclePolicy", rest
	case rest != "" && !strings.Contains(rest, "/") && r.Method == http.MethodDelete:
		return "DeleteLifecyclePolicy", rest
	}
	return "", ""
}

func (s *Server) serveDLM(w http.ResponseWriter, r *http.Request) {
	action, id := dlmRoute(r)
	rq := &request{action: action, region: regionOf(r), now: s.clock.Now(), id: newRequestID(), params: r.URL.Query(), caller: s.callerOf(r)}
	if id != "" {
		rq.params.Set("PolicyId", id)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	s.record(rq)
	if err != nil {
		writeDLMError(w, dlmBadRequest("The request body could not be read."), rq.id)
		return
	}
	aw := s.jsonFront(w, r, rq)
	if aw == nil {
		return
	}
	defer aw.finish()
	w = aw
	if action == "" {
		writeDLMError(w, &dlmError{status: http.StatusNotFound, code: "UnknownOperationException", msg: r.Method + " " + r.URL.Path + " is not a Data Lifecycle Manager operation the simulator serves."}, rq.id)
		return
	}
	act := s.roll(action, nil)
	if !act.wait(r) {
		return
	}
	if act.err != nil {
		writeDLMError(w, dlmFault(act.err, rq.caller, action), rq.id)
		return
	}
	if act.drop && !act.afterApply {
		dropConnection(w)
		return
	}
	time.Sleep(answerDelay)
	s.mu.RLock()
	reg := s.world[rq.region]
	s.mu.RUnlock()
	var out any
	var derr *dlmError
	switch {
	case reg == nil || !reg.enabled():
		derr = dlmFault(errAuth, rq.caller, action)
	case action == "CreateLifecyclePolicy":
		out, derr = s.createLifecyclePolicy(rq, body)
	case action == "GetLifecyclePolicies":
		out, derr = s.getLifecyclePolicies(rq)
	case action == "GetLifecyclePolicy":
		out, derr = s.getLifecyclePolicy(rq, id)
	default:
		out, derr = s.deleteLifecyclePolicy(rq, id)
	}
	if rq.changed {
		s.save()
	}
	if act.drop {
		dropConnection(w)
		return
	}
	if derr != nil {
		writeDLMError(w, derr, rq.id)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-amzn-RequestId", rq.id)
	_ = json.NewEncoder(w).Encode(out)
}

func (s *Server) createLifecyclePolicy(rq *request, body []byte) (any, *dlmError) {
	var in dlmCreateInput
	if err := decodeStrict(body, &in); err != nil {
		return nil, dlmBadRequest(err.msg)
	}
	typ, ierr := checkCreate(&in)
	if ierr != nil {
		return nil, dlmBadRequest(ierr.msg)
	}
	m := reDLMRoleArn.FindStringSubmatch(*in.ExecutionRoleArn)
	if m[2] != rq.caller.account || s.roles[*in.ExecutionRoleArn] == nil {
		// UNCONFIRMED: DLM documents that the execution role must exist
		// and let DLM act, not its answer when it does not.
		return nil, dlmBadRequest("The execution role " + *in.ExecutionRoleArn + " does not exist in account " + rq.caller.account +
			", or Data Lifecycle Manager cannot assume it. Create it (aws dlm create-default-role) or name a role of this account.")
	}
	var buf [9]byte
	_, _ = rand.Read(buf[:])
	p := &dlmPolicy{
		id: dlmPolicyIDPrefix + hex.EncodeToString(buf[:])[:17], account: rq.caller.account, region: rq.region,
		description: *in.Description, state: *in.State, role: *in.ExecutionRoleArn, policyType: typ,
		details: in.PolicyDetails, tags: in.Tags, created: rq.now, modified: rq.now,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.policiesOf(rq.caller.account, rq.region)); n >= dlmMaxPolicies {
		return nil, &dlmError{status: http.StatusTooManyRequests, code: "LimitExceededException",
			msg:   "The account already has " + strconv.Itoa(n) + " lifecycle policies in " + rq.region + ", DLM's quota.",
			extra: map[string]any{"ResourceType": "LifecyclePolicy"}}
	}
	s.policies = append(s.policies, p)
	rq.changed = true
	return map[string]any{"PolicyId": p.id}, nil
}

// policiesOf are account's policies in region, oldest first. The caller
// holds mu.
func (s *Server) policiesOf(account, region string) []*dlmPolicy {
	var out []*dlmPolicy
	for _, p := range s.policies {
		if p.account == account && p.region == region {
			out = append(out, p)
		}
	}
	return out
}

// policy finds the caller's policy id in the request's Region.
func (s *Server) policy(rq *request, id string) (*dlmPolicy, *dlmError) {
	if !reDLMPolicyID.MatchString(id) || len(id) > 64 {
		return nil, dlmBadRequest("PolicyId " + id + " is not a policy id (policy- and hexadecimal digits).")
	}
	for _, p := range s.policiesOf(rq.caller.account, rq.region) {
		if p.id == id {
			return p, nil
		}
	}
	return nil, dlmNotFound(id)
}

func (s *Server) getLifecyclePolicy(rq *request, id string) (any, *dlmError) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, derr := s.policy(rq, id)
	if derr != nil {
		return nil, derr
	}
	policy := map[string]any{
		"PolicyId": p.id, "Description": p.description, "State": p.state, "StatusMessage": p.state,
		"ExecutionRoleArn": p.role, "PolicyDetails": p.details, "DefaultPolicy": false,
		"DateCreated":  p.created.Add(rq.offset).UTC().Format(awsTimeLayout),
		"DateModified": p.modified.Add(rq.offset).UTC().Format(awsTimeLayout),
		"PolicyArn":    "arn:aws:dlm:" + p.region + ":" + p.account + ":policy/" + p.id,
	}
	if p.tags != nil {
		policy["Tags"] = p.tags
	}
	return map[string]any{"Policy": policy}, nil
}

func (s *Server) deleteLifecyclePolicy(rq *request, id string) (any, *dlmError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, derr := s.policy(rq, id)
	if derr != nil {
		return nil, derr
	}
	s.policies = slices.DeleteFunc(s.policies, func(x *dlmPolicy) bool { return x == p })
	rq.changed = true
	return map[string]any{}, nil
}

// getLifecyclePolicies lists the caller's policies of the Region that
// pass every query filter: policyIds, state, resourceTypes, targetTags and
// tagsToAdd (key=value), defaultPolicyType (no default policy is ever
// stored, so VOLUME and INSTANCE find none).
func (s *Server) getLifecyclePolicies(rq *request) (any, *dlmError) {
	q := rq.params
	if st := q.Get("state"); st != "" && !slices.Contains([]string{"ENABLED", "DISABLED", "ERROR"}, st) {
		return nil, dlmBadRequest("state " + st + " is not one of ENABLED, DISABLED, ERROR.")
	}
	for _, rt := range q["resourceTypes"] {
		if !slices.Contains(dlmResourceTypes, rt) {
			return nil, dlmBadRequest("resourceTypes " + rt + " is not one of VOLUME, INSTANCE.")
		}
	}
	if dt := q.Get("defaultPolicyType"); dt != "" && !slices.Contains([]string{"VOLUME", "INSTANCE", "ALL"}, dt) {
		return nil, dlmBadRequest("defaultPolicyType " + dt + " is not one of VOLUME, INSTANCE, ALL.")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	summaries := []map[string]any{}
	for _, p := range s.policiesOf(rq.caller.account, rq.region) {
		if !p.passes(q) {
			continue
		}
		sum := map[string]any{"PolicyId": p.id, "Description": p.description, "State": p.state, "PolicyType": p.policyType, "DefaultPolicy": false}
		if p.tags != nil {
			sum["Tags"] = p.tags
		}
		summaries = append(summaries, sum)
	}
	sort.SliceStable(summaries, func(i, j int) bool { return summaries[i]["PolicyId"].(string) < summaries[j]["PolicyId"].(string) })
	return map[string]any{"Policies": summaries}, nil
}

// passes applies GetLifecyclePolicies' query filters to p.
func (p *dlmPolicy) passes(q map[string][]string) bool {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	var d dlmDetails
	_ = json.Unmarshal(p.details, &d)
	pairs := func(tags []dlmTag) []string {
		var out []string
		for _, t := range tags {
			if t.Key != nil && t.Value != nil {
				out = append(out, *t.Key+"="+*t.Value)
			}
		}
		return out
	}
	var toAdd []string
	for _, sc := range d.Schedules {
		toAdd = append(toAdd, pairs(sc.TagsToAdd)...)
	}
	matchesAny := func(want, have []string) bool {
		return len(want) == 0 || slices.ContainsFunc(want, func(w string) bool { return slices.Contains(have, w) })
	}
	switch dt := get("defaultPolicyType"); {
	case len(q["policyIds"]) > 0 && !slices.Contains(q["policyIds"], p.id):
		return false
	case get("state") != "" && get("state") != p.state:
		return false
	case !matchesAny(q["resourceTypes"], d.ResourceTypes), !matchesAny(q["targetTags"], pairs(d.TargetTags)), !matchesAny(q["tagsToAdd"], toAdd):
		return false
	case dt == "VOLUME" || dt == "INSTANCE":
		return false
	}
	return true
}
