package model

import (
	"fmt"
	"strings"
	"time"
)

// A copy into another account is one tracked copy made in steps, the way
// "Share an Amazon EBS snapshot" and "Copy an Amazon EBS snapshot" describe
// it: the owner shares the snapshot (after re-encrypting it when it is
// under the AWS managed key, which cannot be shared), lets the other
// account use its key, and the other account copies the shared snapshot
// with its own credentials under a key it owns. Each step's progress is
// saved in the state file before and after its AWS call (statefile.go), so
// a restart resumes at the step the copy was on.

// CrossStep is the step a copy into another account is on. Its values are
// the state file's tokens: never change one.
type CrossStep string

const (
	// CrossReencrypt: the source is under the AWS managed key; a copy of it
	// in the source Region under a customer managed key of the source
	// account (the intermediate copy) is made first.
	CrossReencrypt CrossStep = "reencrypt"
	// CrossShare: the snapshot (the source or the intermediate copy) is
	// shared with the destination account (createVolumePermission add).
	CrossShare CrossStep = "share"
	// CrossKeyPolicy: the policy of the shared snapshot's key is checked
	// for the destination account's use of the key.
	CrossKeyPolicy CrossStep = "key-policy"
	// CrossCopy: CopySnapshot with the destination profile's credentials,
	// followed to the end like any copy.
	CrossCopy CrossStep = "copy"
	// CrossCleanup: the copy completed (or failed); the share snapcopy
	// added is removed and the intermediate copy deleted, unless kept.
	CrossCleanup CrossStep = "cleanup"
	// CrossDone: nothing is left to do in either account.
	CrossDone CrossStep = "done"
)

// CrossSteps are the steps in the order a copy goes through them.
var CrossSteps = []CrossStep{CrossReencrypt, CrossShare, CrossKeyPolicy, CrossCopy, CrossCleanup, CrossDone}

// Title is the step as the progress pane and watch name it.
func (s CrossStep) Title() string {
	switch s {
	case CrossReencrypt:
		return "re-encrypting"
	case CrossShare:
		return "sharing"
	case CrossKeyPolicy:
		return "key policy"
	case CrossCopy:
		return "copying"
	case CrossCleanup:
		return "cleaning up"
	case CrossDone:
		return "done"
	}
	return string(s)
}

// Known reports whether s is a step this snapcopy knows.
func (s CrossStep) Known() bool {
	for _, k := range CrossSteps {
		if s == k {
			return true
		}
	}
	return false
}

// CrossAccount says how a copy reaches another account, and how far it
// got. Its zero value is a copy within one account (Active is false).
type CrossAccount struct {
	// DestinationProfile is the AWS profile whose credentials make the
	// copy (CopySnapshot in the destination Region); DestinationAccount is
	// its account id (STS GetCallerIdentity).
	DestinationProfile string
	DestinationAccount string
	// SourceProfile is the profile that owns the source ("" the one the
	// state file belongs to); SourceAccount its account id.
	SourceProfile string
	SourceAccount string
	// SourceKey is the ARN of the source's KMS key ("" unencrypted).
	SourceKey string
	// ReencryptKey is the customer managed key of the source account the
	// intermediate copy is made under (key ARN); "" when the source is not
	// under the AWS managed key.
	ReencryptKey string
	// KeepShare keeps the share (and the intermediate copy) once the copy
	// has completed.
	KeepShare bool

	// Step is the step the copy is on.
	Step CrossStep
	// IntermediateRequestID is the request tag of the intermediate copy
	// (looked up by it like any copy); IntermediateSentAt when its
	// CopySnapshot last went out; IntermediateSnapshotID its id once known.
	IntermediateRequestID  string
	IntermediateSentAt     time.Time
	IntermediateSnapshotID string
	// ShareAdded records that snapcopy added the share: only such a share
	// is removed at the end (one that was there before is left alone).
	ShareAdded bool
	// PolicyLacking: the key policy's check found statements missing (or a
	// Deny): the copy waits for them (WaitsForKeyPolicy).
	PolicyLacking bool
	// Unshared and IntermediateDeleted record the cleanup's progress.
	Unshared            bool
	IntermediateDeleted bool
	// Outcome is the phase the copy ends in once cleaned up (completed or
	// failed), and OutcomeMessage AWS's words for a failure.
	Outcome        Phase
	OutcomeMessage string
}

// Active reports whether the copy goes into another account.
func (x CrossAccount) Active() bool { return x.DestinationProfile != "" }

// SharedSnapshot is the snapshot shared with the destination account and
// copied from: the intermediate copy when there is one, else the source.
func (x CrossAccount) SharedSnapshot(source string) string {
	if x.ReencryptKey != "" {
		return x.IntermediateSnapshotID
	}
	return source
}

// SharedKey is the key of the shared snapshot: the re-encrypting key, else
// the source's own ("" unencrypted).
func (x CrossAccount) SharedKey() string {
	if x.ReencryptKey != "" {
		return x.ReencryptKey
	}
	return x.SourceKey
}

// FirstStep is the step a new copy into another account starts at.
func (x CrossAccount) FirstStep() CrossStep {
	if x.ReencryptKey != "" {
		return CrossReencrypt
	}
	return CrossShare
}

// BeforeCopy reports whether the copy still has steps to take before its
// CopySnapshot may be sent: it is not to be sent yet.
func (x CrossAccount) BeforeCopy() bool {
	return x.Active() && (x.Step == CrossReencrypt || x.Step == CrossShare || x.Step == CrossKeyPolicy)
}

// Account is the account a copy is made in, for display: the destination
// account of a copy into another account, else "" (the state file's own).
func (c *Copy) Account() string { return c.Cross.DestinationAccount }

// Outgoing is the CopySnapshot request as it is sent: for a copy into
// another account, from the shared snapshot (the intermediate copy when
// there is one). The provenance tags keep naming the source.
func (c *Copy) Outgoing() CopyRequest {
	r := c.Request
	if c.Cross.Active() {
		r.SourceSnapshotID = c.Cross.SharedSnapshot(r.SourceSnapshotID)
	}
	return r
}

// CrossFacts are what is known, before anything is sent, of a copy into
// another account: how the source is encrypted, whether it is shared
// already and what its key's policy says.
type CrossFacts struct {
	// SourceEncrypted and SourceKeyAWSManaged describe the source's key;
	// SourceKeyName is the key as the operator knows it (an alias, or its
	// ARN).
	SourceEncrypted     bool
	SourceKeyAWSManaged bool
	SourceKeyName       string
	// ReencryptKeyName names the re-encrypting key as the operator gave it.
	ReencryptKeyName string
	// AlreadyShared: the source already lists the destination account in
	// its createVolumePermission (known only when SharedKnown).
	AlreadyShared, SharedKnown bool
	// MissingStatements are the statements the shared key's policy lacks
	// for the destination account (MissingKeyStatements); PolicyKnown says
	// the policy was read.
	MissingStatements []KeyStatement
	PolicyKnown       bool
	// DestinationKey names the key the copy is made under in the
	// destination account ("" its default EBS key).
	DestinationKey string
}

// PlannedStep is one step of a copy into another account as the preview
// words it.
type PlannedStep struct {
	Step CrossStep
	// Text says what will happen, in one line.
	Text string
	// Skipped: nothing to do (already shared, the policy admits the account).
	Skipped bool
}

// ErrNeedsReencryptKey is the rule a copy into another account of a
// snapshot under the AWS managed key breaks without a re-encrypting key.
type ErrNeedsReencryptKey struct{ Snapshot string }

func (e ErrNeedsReencryptKey) Error() string {
	return fmt.Sprintf("%s is encrypted with the AWS managed key (alias/aws/ebs), which cannot be shared with another account: "+
		"a re-encrypting copy under a customer managed key of this account is made first; pick that key (--reencrypt-key)", e.Snapshot)
}

// PlanCrossAccount says, step by step, what a copy of source into another
// account will do, for the form's preview and `copy`. It fails with
// ErrNeedsReencryptKey for a source under the AWS managed key without a
// re-encrypting key.
func PlanCrossAccount(source string, x CrossAccount, f CrossFacts) ([]PlannedStep, error) {
	var out []PlannedStep
	shared := source
	if f.SourceEncrypted && f.SourceKeyAWSManaged {
		if x.ReencryptKey == "" {
			return nil, ErrNeedsReencryptKey{Snapshot: source}
		}
		shared = "the re-encrypted copy"
		out = append(out, PlannedStep{Step: CrossReencrypt, Text: fmt.Sprintf(
			"copy %s in the source Region under %s: a snapshot under the AWS managed key cannot be shared", source, orName(f.ReencryptKeyName, x.ReencryptKey))})
	}
	dest := accountWords(x)
	switch {
	case f.SharedKnown && f.AlreadyShared && shared == source:
		out = append(out, PlannedStep{Step: CrossShare, Skipped: true, Text: fmt.Sprintf("%s is already shared with %s: nothing to add (and nothing removed at the end)", source, dest)})
	default:
		out = append(out, PlannedStep{Step: CrossShare, Text: fmt.Sprintf("share %s with %s (createVolumePermission)", shared, dest)})
	}
	if f.SourceEncrypted {
		key := orName(f.SourceKeyName, x.SourceKey)
		if x.ReencryptKey != "" {
			key = orName(f.ReencryptKeyName, x.ReencryptKey)
		}
		switch {
		case !f.PolicyKnown:
			out = append(out, PlannedStep{Step: CrossKeyPolicy, Text: fmt.Sprintf("check that the policy of %s lets %s use the key", key, dest)})
		case len(f.MissingStatements) == 0:
			out = append(out, PlannedStep{Step: CrossKeyPolicy, Skipped: true, Text: fmt.Sprintf("the policy of %s lets %s use the key", key, dest)})
		default:
			out = append(out, PlannedStep{Step: CrossKeyPolicy, Text: fmt.Sprintf("the policy of %s lacks %d statement(s) for %s: they must be added first (PutKeyPolicy)", key, len(f.MissingStatements), dest)})
		}
	}
	under := "its default EBS key"
	if f.DestinationKey != "" {
		under = f.DestinationKey
	}
	enc := "under " + under
	if !f.SourceEncrypted && f.DestinationKey == "" {
		enc = "unencrypted unless the account encrypts by default"
	}
	out = append(out, PlannedStep{Step: CrossCopy, Text: fmt.Sprintf("copy it into %s with that profile's credentials, %s", dest, enc)})
	var clean []string
	if !x.KeepShare {
		if !(f.SharedKnown && f.AlreadyShared && shared == source) {
			clean = append(clean, "remove the share")
		}
		if x.ReencryptKey != "" && f.SourceKeyAWSManaged {
			clean = append(clean, "delete the re-encrypted copy")
		}
	}
	switch {
	case x.KeepShare:
		out = append(out, PlannedStep{Step: CrossCleanup, Skipped: true, Text: "then keep the share" + map[bool]string{true: " and the re-encrypted copy", false: ""}[x.ReencryptKey != ""]})
	case len(clean) > 0:
		out = append(out, PlannedStep{Step: CrossCleanup, Text: "when the copy completes: " + strings.Join(clean, " and ")})
	}
	return out, nil
}

// accountWords names the destination account: "account 111122223333
// (profile dr)".
func accountWords(x CrossAccount) string {
	switch {
	case x.DestinationAccount != "" && x.DestinationProfile != "":
		return "account " + x.DestinationAccount + " (profile " + x.DestinationProfile + ")"
	case x.DestinationAccount != "":
		return "account " + x.DestinationAccount
	}
	return "profile " + x.DestinationProfile + "'s account"
}

func orName(name, fallback string) string {
	if name != "" {
		return name
	}
	return fallback
}

// MadeIn keeps the copies of tracked made in destAccount ("" the state
// file's own account): only those can duplicate a copy into that account
// (FindDuplicate).
func MadeIn(tracked []*Copy, destAccount string) []*Copy {
	var out []*Copy
	for _, c := range tracked {
		if c.Cross.DestinationAccount == destAccount {
			out = append(out, c)
		}
	}
	return out
}
