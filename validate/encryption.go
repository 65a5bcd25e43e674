package validate

import (
	"strings"

	"github.com/snapcopy/snapcopy/model"
)

// DefaultEBSKey is the account's default EBS key unless it was changed with
// ModifyEbsDefaultKmsKeyId.
const DefaultEBSKey = "alias/aws/ebs"

// Reasons encryption is forced on, as Outcome.ForcedReason says them.
const (
	ForcedBySource  = "the source is encrypted"
	ForcedByOutpost = "copies to an Outpost must be encrypted"
)

// Outcome is what the copy's encryption will be (spec section 2 table).
type Outcome struct {
	Encrypted bool
	// Key is the key as the user will recognise it: the KmsKeyId given,
	// else the destination's default key (e.g. "alias/aws/ebs"); "" when
	// unencrypted or while the destination's default key is not known.
	Key          string
	Reencrypted  bool   // encrypted source, copy under a KmsKeyId given for it
	Forced       bool   // encryption forced on regardless of the toggle
	ForcedReason string // ForcedBySource, ForcedByOutpost or "<region> encrypts new EBS snapshots by default"
	// Summary is the preview line, e.g. "encrypted with alias/backup
	// (re-encrypted; source used alias/aws/ebs)" or "unencrypted".
	Summary string
}

// Encryption is the single function that computes a copy's encryption; the
// form, the preview and Check all use it. def is the destination Region's
// encryption default; known is false while it is not loaded. kmsKey is the
// key as typed ("" for the default key).
func Encryption(src model.Snapshot, dest model.Destination, def model.EncryptionDefault, known bool, encrypt bool, kmsKey string) Outcome {
	kmsKey = strings.TrimSpace(kmsKey)
	region := dest.Region
	if region == "" {
		region = "the destination"
	}
	var o Outcome
	short := "" // the forced reason as a note of the summary
	switch {
	case src.Encrypted:
		o.Forced, o.ForcedReason, short = true, ForcedBySource, ForcedBySource
	case dest.Kind == model.ToOutpost:
		o.Forced, o.ForcedReason, short = true, ForcedByOutpost, ForcedByOutpost
	case known && def.Enabled:
		o.Forced, o.ForcedReason = true, region+" encrypts new EBS snapshots by default"
		short = region + " encrypts by default"
	}
	o.Encrypted = o.Forced || encrypt
	notLoaded := "encryption default of " + region + " not loaded yet"
	if dest.Region == "" {
		notLoaded = "destination not chosen yet"
	}

	if !o.Encrypted {
		switch {
		case !known:
			o.Summary = "unencrypted unless " + region + " encrypts by default (" + notLoaded + ")"
		default:
			o.Summary = "unencrypted"
		}
		if kmsKey != "" {
			o.Summary += "; the KMS key is used only when Encrypt is on"
		}
		return o
	}

	var notes []string
	with := ""
	switch {
	case kmsKey != "":
		o.Key, with = kmsKey, kmsKey
	case known:
		o.Key = def.KmsKeyID
		if o.Key == "" {
			o.Key = DefaultEBSKey
		}
		with = "the default EBS key " + o.Key
	default:
		with = "the default EBS key of " + region
		notes = append(notes, notLoaded)
	}
	var lead []string
	if src.Encrypted && kmsKey != "" && kmsKey != src.KmsKeyID {
		o.Reencrypted = true
		lead = []string{"re-encrypted"}
		if src.KmsKeyID != "" {
			lead = append(lead, "source used "+src.KmsKeyID)
		}
	} else if short != "" {
		lead = []string{short}
	}
	notes = append(lead, notes...)
	o.Summary = "encrypted with " + with
	if len(notes) > 0 {
		o.Summary += " (" + strings.Join(notes, "; ") + ")"
	}
	return o
}
