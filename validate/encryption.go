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

// Encryption is EncryptionWithAliases without the destination's aliases:
// an alias cannot then be told to be the source's own key.
func Encryption(src model.Snapshot, dest model.Destination, def model.EncryptionDefault, known bool, encrypt bool, kmsKey string) Outcome {
	return EncryptionWithAliases(src, dest, def, known, encrypt, kmsKey, nil)
}

// EncryptionWithAliases is the single function that computes a copy's
// encryption; the form, the preview and Check all use it. def is the
// destination Region's encryption default; known is false while it is not
// loaded. kmsKey is the key as typed ("" for the default key). aliases are
// the destination's KMS aliases (ListAliases, with TargetKeyId): through
// them an alias naming the source's own key is not a re-encryption, and a
// change of key is named.
func EncryptionWithAliases(src model.Snapshot, dest model.Destination, def model.EncryptionDefault, known bool, encrypt bool, kmsKey string, aliases []model.KMSAlias) Outcome {
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
	rel := keyUnknown
	if src.Encrypted && o.Key != "" {
		rel = sourceKey(src, region, o.Key, aliases)
	}
	switch {
	case rel == keySame:
		lead = []string{"the source's own key"}
	case rel == keyChanged:
		// AWS: changing the key of an encrypted snapshot makes a full copy.
		o.Reencrypted = true
		lead = []string{"re-encrypted", "source used " + src.KmsKeyID, "a different key: a full copy, not incremental"}
	case src.Encrypted && kmsKey != "" && kmsKey != src.KmsKeyID:
		o.Reencrypted = true
		lead = []string{"re-encrypted"}
		if src.KmsKeyID != "" {
			lead = append(lead, "source used "+src.KmsKeyID)
		}
	case short != "":
		lead = []string{short}
	}
	notes = append(lead, notes...)
	o.Summary = "encrypted with " + with
	if len(notes) > 0 {
		o.Summary += " (" + strings.Join(notes, "; ") + ")"
	}
	return o
}

// keyRelation is how a copy's key relates to its source's.
type keyRelation int

const (
	keyUnknown keyRelation = iota // not resolvable, or keys of different Regions
	keySame
	keyChanged
)

// sourceKey compares the copy's key (as typed or the default key) with the
// source's, both resolved to key ids through the destination's aliases. A
// KMS key belongs to one Region, so only keys of one Region compare
// (multi-Region keys keep their id across Regions).
func sourceKey(src model.Snapshot, destRegion, copyKey string, aliases []model.KMSAlias) keyRelation {
	srcID, copyID := KeyID(src.KmsKeyID, aliases), KeyID(copyKey, aliases)
	if srcID == "" || copyID == "" {
		return keyUnknown
	}
	srcRegion, copyRegion := src.Region, destRegion
	if a, ok := splitARN(src.KmsKeyID); ok {
		srcRegion = a.region
	}
	if a, ok := splitARN(copyKey); ok {
		copyRegion = a.region
	}
	multiRegion := strings.HasPrefix(srcID, "mrk-")
	switch {
	case srcRegion != copyRegion && !multiRegion:
		return keyUnknown
	case strings.EqualFold(srcID, copyID):
		return keySame
	}
	return keyChanged
}
