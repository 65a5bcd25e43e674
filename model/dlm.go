package model

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Recurring copies are Amazon Data Lifecycle Manager's job, not
// snapcopy's: a copy made recurring becomes a DLM lifecycle policy that
// AWS runs. This file holds the policy documents, as CreateLifecyclePolicy
// takes them (and `aws dlm create-lifecycle-policy --cli-input-json`), and
// how a recurring copy turns into them. The rules of what DLM accepts are
// package validate's.

// DLM's words, as its API spells them.
const (
	DLMDefaultRole      = "AWSDataLifecycleManagerDefaultRole"
	DLMSnapshotPolicy   = "EBS_SNAPSHOT_MANAGEMENT"
	DLMEventPolicy      = "EVENT_BASED_POLICY"
	DLMEnabled          = "ENABLED"
	DLMHours            = "HOURS"
	DLMVolume           = "VOLUME"
	DLMCloud            = "CLOUD"
	DLMManagedCWE       = "MANAGED_CWE"
	DLMShareSnapshot    = "shareSnapshot"
	dlmCopyActionName   = "snapcopy cross-account copy"
	dlmCreatedForPolicy = "Created for policy: "
)

// AgeUnit is a unit of DLM's retention by age.
type AgeUnit string

// DLM's retention units.
const (
	Days   AgeUnit = "DAYS"
	Weeks  AgeUnit = "WEEKS"
	Months AgeUnit = "MONTHS"
	Years  AgeUnit = "YEARS"
)

// Age is a retention by age: N units.
type Age struct {
	N    int
	Unit AgeUnit
}

// IsZero reports whether no age is set.
func (a Age) IsZero() bool { return a.N == 0 && a.Unit == "" }

// String is the age in words: "14 days", "1 week".
func (a Age) String() string {
	word := strings.ToLower(string(a.Unit))
	if a.N == 1 {
		word = strings.TrimSuffix(word, "s")
	}
	return strconv.Itoa(a.N) + " " + word
}

// Retention is how long a policy keeps the snapshots it makes at the
// source: the last Count of them, or each for Age. One of the two.
type Retention struct {
	Count int
	Age   Age
}

// Recurrence is when a policy makes snapshots: every Hours hours (from
// the UTC time At, "03:00", when set), or by a cron expression.
type Recurrence struct {
	Hours int
	At    string
	Cron  string
}

// RecurringTarget is one place a recurring copy goes: a Region or an
// Outpost ARN (DLM's Target), its encryption and how long copies stay.
type RecurringTarget struct {
	Target    string
	Encrypted bool
	// KeyArn is the key's ARN in the target's Region ("" for the
	// account's default EBS key): DLM takes ARNs, not aliases.
	KeyArn string
	Retain Age
}

// RecurringCopy is a copy made recurring: everything a DLM policy needs,
// checked (validate.Recurring makes it).
type RecurringCopy struct {
	// Name names the policy and its schedule ([0-9A-Za-z _-]).
	Name         string
	SourceRegion string
	// TargetTag picks the volumes whose snapshots are made and copied.
	TargetTag Tag
	Schedule  Recurrence
	Retain    Retention
	Copies    []RecurringTarget
	// CopyTags copies the volume's tags to its snapshots and the
	// snapshots' tags to their copies.
	CopyTags bool
	// Tags are added to every snapshot the policy makes (TagsToAdd).
	Tags []Tag
	// RoleArn is the execution role of the source account's policy.
	RoleArn string

	// DestinationAccount, when set, is another account: the source
	// account's policy shares the snapshots with it, and its own event
	// policy (DestinationRoleArn its role) copies them.
	DestinationAccount string
	DestinationRoleArn string
	// SourcePolicyID, once the source account's policy exists, narrows
	// the event policy to the snapshots that policy makes.
	SourcePolicyID string
}

// CrossAccount reports whether the copies go to another account.
func (r RecurringCopy) CrossAccount() bool { return r.DestinationAccount != "" }

// DLMPolicy is CreateLifecyclePolicy's input, as the AWS CLI's
// --cli-input-json takes it: DLM's member names, nothing else.
type DLMPolicy struct {
	ExecutionRoleArn string
	Description      string
	State            string
	PolicyDetails    DLMPolicyDetails
}

// DLMPolicyDetails is PolicyDetails of a snapshot policy (ResourceTypes,
// TargetTags, Schedules) or of an event policy (EventSource, Actions).
type DLMPolicyDetails struct {
	PolicyType        string
	ResourceTypes     []string         `json:",omitempty"`
	ResourceLocations []string         `json:",omitempty"`
	TargetTags        []Tag            `json:",omitempty"`
	Schedules         []DLMSchedule    `json:",omitempty"`
	EventSource       *DLMEventSource  `json:",omitempty"`
	Actions           []DLMEventAction `json:",omitempty"`
}

// DLMSchedule is one schedule of a snapshot policy.
type DLMSchedule struct {
	Name                 string
	CopyTags             bool
	TagsToAdd            []Tag `json:",omitempty"`
	CreateRule           DLMCreateRule
	RetainRule           DLMRetainRule
	CrossRegionCopyRules []DLMCopyRule  `json:",omitempty"`
	ShareRules           []DLMShareRule `json:",omitempty"`
}

// DLMCreateRule is when snapshots are made: Interval hours (from Times)
// or a CronExpression.
type DLMCreateRule struct {
	Location       string   `json:",omitempty"`
	Interval       int      `json:",omitempty"`
	IntervalUnit   string   `json:",omitempty"`
	Times          []string `json:",omitempty"`
	CronExpression string   `json:",omitempty"`
}

// DLMRetainRule keeps snapshots by Count or by age.
type DLMRetainRule struct {
	Count        int    `json:",omitempty"`
	Interval     int    `json:",omitempty"`
	IntervalUnit string `json:",omitempty"`
}

// DLMAgeRule is a retention by age, the only kind a copy takes.
type DLMAgeRule struct {
	Interval     int
	IntervalUnit string
}

// DLMCopyRule is a snapshot policy's cross-Region copy rule.
type DLMCopyRule struct {
	Target     string
	Encrypted  bool
	CmkArn     string `json:",omitempty"`
	CopyTags   bool
	RetainRule *DLMAgeRule `json:",omitempty"`
}

// DLMShareRule shares a snapshot policy's snapshots with other accounts.
type DLMShareRule struct {
	TargetAccounts []string
}

// DLMEventSource is what starts an event policy: snapshots shared with
// the account.
type DLMEventSource struct {
	Type       string
	Parameters DLMEventParameters
}

// DLMEventParameters names which shared snapshots start the policy.
type DLMEventParameters struct {
	EventType        string
	SnapshotOwner    []string
	DescriptionRegex string
}

// DLMEventAction is an event policy's one action: its copies.
type DLMEventAction struct {
	Name            string
	CrossRegionCopy []DLMCopyAction
}

// DLMCopyAction is one copy of an event policy.
type DLMCopyAction struct {
	Target                  string
	EncryptionConfiguration DLMEncryption
	RetainRule              *DLMAgeRule `json:",omitempty"`
}

// DLMEncryption is a copy action's encryption.
type DLMEncryption struct {
	Encrypted bool
	CmkArn    string `json:",omitempty"`
}

// JSON is the document indented for people and for
// `aws dlm create-lifecycle-policy --cli-input-json`.
func (p DLMPolicy) JSON() string {
	b, _ := json.MarshalIndent(p, "", "  ") // plain structs of strings, ints and bools: cannot fail
	return string(b)
}

// SourcePolicy is the policy of the source account: it snapshots the
// tagged volumes on the schedule, keeps them as Retain says, and copies
// them to each target, or, across accounts, shares them with the
// destination account, whose EventPolicy copies them.
func (r RecurringCopy) SourcePolicy() DLMPolicy {
	s := DLMSchedule{
		Name:       r.Name,
		CopyTags:   r.CopyTags,
		TagsToAdd:  r.Tags,
		CreateRule: r.Schedule.createRule(),
		RetainRule: r.Retain.rule(),
	}
	if r.CrossAccount() {
		s.ShareRules = []DLMShareRule{{TargetAccounts: []string{r.DestinationAccount}}}
	} else {
		for _, c := range r.Copies {
			s.CrossRegionCopyRules = append(s.CrossRegionCopyRules, DLMCopyRule{
				Target: c.Target, Encrypted: c.Encrypted, CmkArn: c.KeyArn, CopyTags: r.CopyTags, RetainRule: c.Retain.rule(),
			})
		}
	}
	return DLMPolicy{
		ExecutionRoleArn: r.RoleArn,
		Description:      r.Name,
		State:            DLMEnabled,
		PolicyDetails: DLMPolicyDetails{
			PolicyType:        DLMSnapshotPolicy,
			ResourceTypes:     []string{DLMVolume},
			ResourceLocations: []string{DLMCloud},
			TargetTags:        []Tag{r.TargetTag},
			Schedules:         []DLMSchedule{s},
		},
	}
}

// EventPolicy is the destination account's policy of a cross-account
// recurring copy: it copies the snapshots the source account shares with
// it (those its policy made, by their description) to each target. It is
// created in the source Region, as the source account's policy is.
func (r RecurringCopy) EventPolicy() DLMPolicy {
	var copies []DLMCopyAction
	for _, c := range r.Copies {
		copies = append(copies, DLMCopyAction{
			Target:                  c.Target,
			EncryptionConfiguration: DLMEncryption{Encrypted: c.Encrypted, CmkArn: c.KeyArn},
			RetainRule:              c.Retain.rule(),
		})
	}
	return DLMPolicy{
		ExecutionRoleArn: r.DestinationRoleArn,
		Description:      r.Name,
		State:            DLMEnabled,
		PolicyDetails: DLMPolicyDetails{
			PolicyType: DLMEventPolicy,
			EventSource: &DLMEventSource{Type: DLMManagedCWE, Parameters: DLMEventParameters{
				EventType:        DLMShareSnapshot,
				SnapshotOwner:    []string{r.SourceAccount()},
				DescriptionRegex: r.DescriptionRegex(),
			}},
			Actions: []DLMEventAction{{Name: dlmCopyActionName, CrossRegionCopy: copies}},
		},
	}
}

// SourceAccount is the account of the source policy's role.
func (r RecurringCopy) SourceAccount() string { return ARNAccount(r.RoleArn) }

// DescriptionRegex picks the shared snapshots the event policy copies: a
// DLM snapshot's description names the policy that made it ("Created for
// policy: policy-…", as DLM's API reference shows), so before the source
// policy exists any DLM policy's snapshots of the source account match.
func (r RecurringCopy) DescriptionRegex() string {
	id := `policy-[0-9a-f]+`
	if r.SourcePolicyID != "" {
		id = r.SourcePolicyID
	}
	return "^.*" + dlmCreatedForPolicy + id + ".*$"
}

func (s Recurrence) createRule() DLMCreateRule {
	if s.Cron != "" {
		return DLMCreateRule{Location: DLMCloud, CronExpression: s.Cron}
	}
	c := DLMCreateRule{Location: DLMCloud, Interval: s.Hours, IntervalUnit: DLMHours}
	if s.At != "" {
		c.Times = []string{s.At}
	}
	return c
}

func (r Retention) rule() DLMRetainRule {
	if r.Count > 0 {
		return DLMRetainRule{Count: r.Count}
	}
	return DLMRetainRule{Interval: r.Age.N, IntervalUnit: string(r.Age.Unit)}
}

func (a Age) rule() *DLMAgeRule {
	if a.IsZero() {
		return nil
	}
	return &DLMAgeRule{Interval: a.N, IntervalUnit: string(a.Unit)}
}

// ARNAccount is the account field of an ARN (arn:PARTITION:SERVICE:
// REGION:ACCOUNT:…), "" when it has none.
func ARNAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[4]
}

// DLMRoleArn is the ARN of an IAM role named name in account, in the
// partition of the caller's ARN ("aws" when it is not one).
func DLMRoleArn(partition, account, name string) string {
	if partition == "" {
		partition = "aws"
	}
	return "arn:" + partition + ":iam::" + account + ":role/" + name
}

// DLMCommandArgs is the AWS CLI's arguments (after "aws") that create p
// in region under profile ("" for the default chain): the document read
// from file (file://…), or inline when file is "".
func DLMCommandArgs(region, profile string, p DLMPolicy, file string) []string {
	args := []string{"dlm", "create-lifecycle-policy", "--region", region}
	if profile != "" {
		args = append(args, "--profile", profile)
	}
	if file != "" {
		return append(args, "--cli-input-json", "file://"+file)
	}
	b, _ := json.Marshal(p) // cannot fail, as in JSON
	return append(args, "--cli-input-json", string(b))
}

// DLMCommand is DLMCommandArgs as one POSIX shell line, ready to paste.
func DLMCommand(region, profile string, p DLMPolicy, file string) string {
	words := []string{"aws"}
	for _, a := range DLMCommandArgs(region, profile, p, file) {
		words = append(words, ShellQuote(a))
	}
	return strings.Join(words, " ")
}
