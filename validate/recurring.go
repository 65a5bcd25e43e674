package validate

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/snapcopy/snapcopy/model"
)

// The fields a recurring copy adds to a copy request: the panel's, and
// the `copy --output dlm` flags'.
const (
	FieldPolicyName Field = "policy description"
	FieldTargetTag  Field = "target tag"
	FieldSchedule   Field = "schedule"
	FieldRetain     Field = "retain at source"
	FieldDestRetain Field = "retain at destination"
	FieldAlsoTo     Field = "also copy to"
	FieldRole       Field = "execution role"
	FieldAccount    Field = "destination account"
	FieldDestRole   Field = "destination role"
	// FieldPolicy is the policy document itself, for a rule of DLM's
	// model the fields above cannot break by themselves.
	FieldPolicy Field = "policy"
)

// RecurringForm is what a recurring copy adds to a copy request, as typed.
type RecurringForm struct {
	// Name describes the policy and names its schedule; "" takes the
	// copy's description, else one made of the source and destination.
	Name string
	// TargetTag is KEY=VALUE: the policy snapshots the volumes tagged so.
	TargetTag string
	// Schedule is 12h, 12h@03:00, daily, daily@03:00 or cron(...).
	Schedule string
	// Retain is a count (14) or an age (30d, 4w, 6m, 1y) at the source.
	Retain string
	// DestRetain is an age at the destination: DLM keeps copies by age only.
	DestRetain string
	CopyTags   bool
	// Tags are the copy's own tags (the form's tag rows), added to every
	// snapshot the policy makes.
	Tags []model.Tag
	// AlsoTo lists more Regions to copy to, comma-separated.
	AlsoTo string
	// Role is the execution role: "" for AWSDataLifecycleManagerDefaultRole,
	// a role name of the source account, or a role ARN.
	Role string
	// DestinationAccount is another account to copy to ("" for none), and
	// DestinationRole its execution role, as Role.
	DestinationAccount string
	DestinationRole    string
	SourcePolicyID     string
}

// RecurringFacts are what the checks know beyond what was typed.
type RecurringFacts struct {
	// Account is the caller's account and Partition its ARN's partition;
	// "" while not known.
	Account   string
	Partition string
	// KeyArn is the copy's KMS key resolved to its ARN in the
	// destination Region; KeyResolved says the look-up answered.
	KeyArn      string
	KeyResolved bool
	// SourceAliases are the source Region's KMS aliases (nil: not
	// loaded), to tell a source under the AWS managed key.
	SourceAliases []model.KMSAlias
}

// RecurringResult is a recurring copy checked.
type RecurringResult struct {
	Copy     model.RecurringCopy
	Problems []Problem
	// Pending says what is still being looked up before the policy can
	// be shown as valid (the key's ARN, the account); "" when nothing is.
	Pending string
}

// OK reports whether the policy may be shown as valid, copied and created.
func (r RecurringResult) OK() bool {
	return r.Pending == "" && !hasError(r.Problems)
}

// DLM's limits (its model, botocore's dlm service-2.json, and its API
// reference).
const (
	MaxDLMCopies      = 3    // cross-Region copy rules per schedule, copies per event action
	MaxDLMRetainCount = 1000 // RetainRule.Count
	MaxDLMName        = 120  // ScheduleName; PolicyDescription allows 500
	MaxDLMTagsToAdd   = 45   // TagsToAdd
)

// dlmIntervals are CreateRule.Interval's allowed hours.
var dlmIntervals = []int{1, 2, 3, 4, 6, 8, 12, 24}

// dlmAgeMax is each unit's most: 100 years.
var dlmAgeMax = map[model.AgeUnit]int{model.Days: 36500, model.Weeks: 5200, model.Months: 1200, model.Years: 100}

// Recurring checks what a recurring copy adds to the copy requests the
// form validated (one per source, to one destination) and builds it.
// Every rule of DLM it knows is checked here, before anything is shown
// as valid: the fields, then the policy documents themselves (DLMPolicy).
func Recurring(reqs []model.CopyRequest, sources []model.Snapshot, f RecurringForm, facts RecurringFacts) RecurringResult {
	var res RecurringResult
	if len(reqs) == 0 {
		res.Problems = []Problem{errorf(FieldSource, "Source: no copy to make recurring: fix the copy form first")}
		return res
	}
	req := reqs[0]
	var ps []Problem
	rc := model.RecurringCopy{SourceRegion: req.SourceRegion, CopyTags: f.CopyTags, SourcePolicyID: f.SourcePolicyID}

	for _, s := range sources {
		if site := s.Site(); site.Kind != model.ToRegion {
			ps = append(ps, errorf(FieldSource, "Source %s is on %s: DLM copies across Regions only the snapshots it makes in a Region", s.ID, site))
			break
		}
	}
	rc.Name, ps = recurringName(f.Name, req, ps)
	rc.TargetTag, ps = targetTag(f.TargetTag, ps)
	var p []Problem
	rc.Schedule, p = Schedule(f.Schedule)
	ps = append(ps, p...)
	rc.Retain, p = Retain(f.Retain)
	ps = append(ps, p...)
	destAge, p := DestRetain(f.DestRetain)
	ps = append(ps, p...)
	rc.Tags, ps = tagsToAdd(f.Tags, ps)
	if req.CompletionDurationMinutes > 0 {
		ps = append(ps, warnf(FieldDuration, "Completion duration (%d minutes) is not a DLM setting: DLM's cross-Region copy rules have no completion duration, so the recurring copies are standard copies", req.CompletionDurationMinutes))
	}

	if f.DestinationAccount != "" {
		rc.DestinationAccount = strings.TrimSpace(f.DestinationAccount)
		ps = append(ps, crossAccount(rc.DestinationAccount, facts, sources, req)...)
	}
	rc.RoleArn, ps = roleArn(FieldRole, f.Role, facts.Account, facts.Partition, ps)
	if rc.CrossAccount() {
		rc.DestinationRoleArn, ps = roleArn(FieldDestRole, f.DestinationRole, rc.DestinationAccount, facts.Partition, ps)
	}

	main, pending, p := mainTarget(req, rc, facts)
	ps = append(ps, p...)
	res.Pending = pending
	main.Retain = destAge
	rc.Copies = []model.RecurringTarget{main}
	more, p := alsoTo(f.AlsoTo, req, rc)
	ps = append(ps, p...)
	for _, region := range more {
		// A key serves its own Region: the other Regions' copies use
		// their default EBS key.
		rc.Copies = append(rc.Copies, model.RecurringTarget{Target: region, Encrypted: req.Encrypted, Retain: destAge})
	}
	if facts.Account == "" && res.Pending == "" {
		res.Pending = "asking AWS for the account, for the execution role's ARN…"
	}
	if !hasError(ps) && res.Pending == "" {
		ps = append(ps, DLMPolicy(rc.SourcePolicy())...)
		if rc.CrossAccount() {
			ps = append(ps, DLMPolicy(rc.EventPolicy())...)
		}
	}
	res.Copy, res.Problems = rc, ps
	return res
}

// recurringName is the policy's description and schedule name: as typed,
// else the copy's description, else the source and destination.
func recurringName(typed string, req model.CopyRequest, ps []Problem) (string, []Problem) {
	name := strings.TrimSpace(typed)
	if name == "" {
		name = strings.TrimSpace(req.Description)
	}
	if name == "" {
		name = DLMText("snapcopy " + req.SourceRegion + " to " + req.Destination().Short())
	}
	if p := dlmText(FieldPolicyName, "Policy description", name, MaxDLMName); p != nil {
		ps = append(ps, *p)
	}
	return name, ps
}

// dlmText checks a DLM name or description: [0-9A-Za-z _-]+, at most max
// characters; nil when it fits.
func dlmText(f Field, what, v string, max int) *Problem {
	n := utf8.RuneCountInString(v)
	if n > max {
		p := errorf(f, "%s has %d characters; DLM takes at most %d", what, n, max)
		return &p
	}
	var bad []string
	for _, r := range v {
		if !dlmTextRune(r) && !slices.Contains(bad, string(r)) {
			bad = append(bad, string(r))
		}
	}
	if len(bad) == 0 && v != "" {
		return nil
	}
	if v == "" {
		p := errorf(f, "%s is required (DLM: letters, digits, spaces, _ and -)", what)
		return &p
	}
	p := errorf(f, "%s may hold only letters, digits, spaces, _ and - (DLM's rule [0-9A-Za-z _-]), not %s: for example %s",
		what, quote(strings.Join(bad, "")), quote(DLMText(v)))
	return &p
}

func dlmTextRune(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == ' ' || r == '_' || r == '-'
}

// DLMText is s with every run of characters DLM's names refuse made one
// space, cut to DLM's length: a description DLM takes.
func DLMText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if dlmTextRune(r) && r != ' ' {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
			continue
		}
		space = true
	}
	out := b.String()
	if len(out) > MaxDLMName {
		out = strings.TrimSpace(out[:MaxDLMName])
	}
	return out
}

// targetTag reads KEY=VALUE: a tag of the volumes, by EC2's rules.
func targetTag(typed string, ps []Problem) (model.Tag, []Problem) {
	k, v, ok := strings.Cut(strings.TrimSpace(typed), "=")
	t := model.Tag{Key: strings.TrimSpace(k), Value: strings.TrimSpace(v)}
	switch {
	case strings.TrimSpace(typed) == "":
		return t, append(ps, errorf(FieldTargetTag, "Target tag is required: KEY=VALUE, a tag of the volumes DLM snapshots (the source's volume, or a tag to add to it)"))
	case !ok || t.Key == "":
		return t, append(ps, errorf(FieldTargetTag, "Target tag must be KEY=VALUE, not %s", quote(typed)))
	case strings.HasPrefix(strings.ToLower(t.Key), reservedPrefix):
		return t, append(ps, errorf(FieldTargetTag, "Target tag key %s may not begin with aws: (reserved by AWS)", quote(t.Key)))
	case utf8.RuneCountInString(t.Key) > MaxTagKey:
		return t, append(ps, errorf(FieldTargetTag, "Target tag key must be at most %d characters", MaxTagKey))
	case utf8.RuneCountInString(t.Value) > MaxTagValue:
		return t, append(ps, errorf(FieldTargetTag, "Target tag value must be at most %d characters", MaxTagValue))
	}
	if bad := plainText(t.Key + t.Value); bad != "" {
		return t, append(ps, errorf(FieldTargetTag, "Target tag %s", bad))
	}
	return t, ps
}

// tagsToAdd are the copy's own tags, for every snapshot the policy makes:
// snapcopy's own tags name one copy and are left out.
func tagsToAdd(tags []model.Tag, ps []Problem) ([]model.Tag, []Problem) {
	var out []model.Tag
	for _, t := range tags {
		if !strings.HasPrefix(t.Key, "snapcopy:") {
			out = append(out, t)
		}
	}
	if len(out) > MaxDLMTagsToAdd {
		ps = append(ps, errorf(FieldTags, "Tags: DLM adds at most %d tags to the snapshots a policy makes (TagsToAdd), not %d", MaxDLMTagsToAdd, len(out)))
	}
	return out, ps
}

// roleArn is the execution role's ARN: the default role, a role name of
// account, or an ARN as typed.
func roleArn(f Field, typed, account, partition string, ps []Problem) (string, []Problem) {
	name := strings.TrimSpace(typed)
	if name == "" {
		name = model.DLMDefaultRole
	}
	if strings.HasPrefix(name, "arn:") {
		if !dlmRoleArnRe.MatchString(name) {
			return name, append(ps, errorf(f, "Execution role %s is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)", quote(name)))
		}
		if account != "" && model.ARNAccount(name) != account {
			return name, append(ps, errorf(f, "Execution role %s is a role of account %s; the policy runs in account %s and needs a role of its own", quote(name), model.ARNAccount(name), account))
		}
		return name, ps
	}
	if !roleNameRe.MatchString(name) {
		return name, append(ps, errorf(f, "Execution role %s is not a role name (letters, digits and +=,.@_-, up to 64) nor a role ARN", quote(name)))
	}
	if account == "" {
		return "", ps // the ARN once the account is known
	}
	return model.DLMRoleArn(partition, account, name), ps
}

// crossAccount checks a copy to another account: its id, and that the
// source's snapshots can be shared with it.
func crossAccount(account string, facts RecurringFacts, sources []model.Snapshot, req model.CopyRequest) []Problem {
	var ps []Problem
	if !accountIDRe.MatchString(account) {
		return append(ps, errorf(FieldAccount, "Destination account must be a 12-digit account id, not %s", quote(account)))
	}
	if account == facts.Account {
		return append(ps, errorf(FieldAccount, "Destination account %s is the source account: leave it empty for a copy within the account", account))
	}
	managed := ""
	for _, a := range facts.SourceAliases {
		if a.Name == DefaultEBSKey {
			managed = a.TargetKeyID
		}
	}
	for _, s := range sources {
		if s.Encrypted && managed != "" && KeyID(s.KmsKeyID, facts.SourceAliases) == managed {
			ps = append(ps, errorf(FieldAccount, "Source %s is encrypted with the AWS managed key (%s): DLM cannot share snapshots under an AWS managed key with another account; encrypt the volume with a customer managed key and share that key with %s",
				s.ID, DefaultEBSKey, account))
			break
		}
	}
	return ps
}

// mainTarget is the form's destination as DLM's Target, with the copy's
// encryption and its key's ARN; pending says what is still looked up.
func mainTarget(req model.CopyRequest, rc model.RecurringCopy, facts RecurringFacts) (model.RecurringTarget, string, []Problem) {
	d := req.Destination()
	t := model.RecurringTarget{Target: d.Region, Encrypted: req.Encrypted}
	var ps []Problem
	switch {
	case d.Kind == model.ToLocalZone:
		ps = append(ps, errorf(FieldDestination, "Destination: DLM copies to a Region or an Outpost, not to Local Zone %s", d.LocalZone))
	case d.Kind == model.ToOutpost:
		t.Target = d.OutpostArn
	case !rc.CrossAccount() && d.Region == req.SourceRegion:
		// UNCONFIRMED: DLM documents copy rules to other Regions or
		// Outposts, not its answer to a rule naming the policy's own
		// Region; across accounts the event policy's copy may stay in
		// the Region (the user guide: "to different destination Regions
		// as needed").
		ps = append(ps, errorf(FieldDestination, "Destination: the policy's snapshots are already in %s; DLM copies them to another Region or an Outpost", d.Region))
	}
	key := strings.TrimSpace(req.KmsKeyID)
	if key == "" {
		return t, "", ps
	}
	arn, isARN := splitARN(key)
	managed := strings.HasPrefix(key, "alias/aws/") || isARN && strings.HasPrefix(arn.resource, "alias/aws/")
	switch {
	case rc.CrossAccount() && managed:
		ps = append(ps, errorf(FieldKmsKey, "KMS key %s is an AWS managed key: it cannot be used across accounts; name a customer managed key of account %s by its ARN", key, rc.DestinationAccount))
	case isARN && strings.HasPrefix(arn.resource, "key/"):
		t.KeyArn = key
	case rc.CrossAccount():
		ps = append(ps, errorf(FieldKmsKey, "KMS key: across accounts, name the key of account %s by its ARN (arn:aws:kms:%s:%s:key/ID): snapcopy resolves %s with the source account's credentials only",
			rc.DestinationAccount, d.Region, rc.DestinationAccount, key))
	case !facts.KeyResolved:
		return t, "resolving " + key + " to its key's ARN in " + d.Region + " (DLM takes key ARNs, not aliases)…", ps
	default:
		t.KeyArn = facts.KeyArn
	}
	if t.KeyArn != "" && rc.CrossAccount() && model.ARNAccount(t.KeyArn) != rc.DestinationAccount {
		ps = append(ps, warnf(FieldKmsKey, "KMS key %s is of account %s: the copies are made in account %s, whose role must be allowed to use it", t.KeyArn, model.ARNAccount(t.KeyArn), rc.DestinationAccount))
	}
	return t, "", ps
}

// alsoTo reads the other Regions to copy to, and checks DLM's limit of
// three copies per schedule.
func alsoTo(typed string, req model.CopyRequest, rc model.RecurringCopy) ([]string, []Problem) {
	var out []string
	var ps []Problem
	for _, r := range strings.FieldsFunc(typed, func(c rune) bool { return c == ',' || c == ' ' }) {
		switch {
		case RegionCode(FieldAlsoTo, r) != nil:
			ps = append(ps, errorf(FieldAlsoTo, "Also copy to: %s is not a Region code (such as us-east-1)", quote(r)))
		case r == req.DestinationRegion && req.DestinationOutpostArn == "" || slices.Contains(out, r):
			ps = append(ps, errorf(FieldAlsoTo, "Also copy to: %s is named twice: DLM copies once per Region", r))
		case r == req.SourceRegion && !rc.CrossAccount():
			ps = append(ps, errorf(FieldAlsoTo, "Also copy to: %s is the source Region, where the policy's snapshots already are", r))
		default:
			out = append(out, r)
		}
	}
	if n := len(out) + 1; n > MaxDLMCopies {
		ps = append(ps, errorf(FieldAlsoTo, "Also copy to: DLM takes at most %d cross-Region copy rules per schedule; this makes %d (the destination and %s)", MaxDLMCopies, n, strings.Join(out, ", ")))
	}
	return out, ps
}
