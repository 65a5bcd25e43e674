package validate

import (
	"regexp"
	"strings"

	"github.com/snapcopy/snapcopy/model"
)

// copiedRe reads the description the console and the CLI give a copy.
var copiedRe = regexp.MustCompile(`^\[Copied (snap-[0-9a-f]+) from ([a-z0-9-]+)\]`)

// CopiedFrom reads a copy's origin from its provenance tags, or else from
// a "[Copied snap-… from REGION]" description; volume is "" when only the
// description tells.
func CopiedFrom(s model.Snapshot) (snapshot, volume, region string) {
	snapshot, volume, region = s.Tag(model.TagSourceSnapshot), s.Tag(model.TagSourceVolume), s.Tag(model.TagSourceRegion)
	if m := copiedRe.FindStringSubmatch(s.Description); m != nil {
		if snapshot == "" {
			snapshot = m[1]
		}
		if region == "" {
			region = m[2]
		}
	}
	return snapshot, volume, region
}

// CopyKind says whether a copy will be incremental or full.
type CopyKind struct {
	Incremental bool
	// Earlier is the earlier copy the decision rests on, when there is one.
	Earlier model.Snapshot
	// Reason, for a full copy, says why.
	Reason string
	// Summary is the preview's line: "incremental: builds on snap-… of
	// 2026-11-29" or "full copy: no earlier copy of vol-… in us-east-1".
	Summary string
}

// Incremental decides whether a copy of src into destRegion is
// incremental ("Copy an Amazon EBS snapshot", Incremental snapshot
// copying): a copy to another Region is incremental when an earlier copy of
// a snapshot of the same volume is in the destination, the latest such
// copy is not archived, and both are unencrypted or under the same KMS key.
// earlier are the destination's copies (awsops EarlierCopies); volumes maps
// source snapshot ids to their volumes, for copies that only name their
// source snapshot; enc is the new copy's encryption (Encryption) and
// aliases the destination's KMS aliases, to tell an alias from its key.
func Incremental(src model.Snapshot, destRegion string, earlier []model.Snapshot, volumes map[string]string, enc Outcome, aliases []model.KMSAlias) CopyKind {
	full := func(e model.Snapshot, why string) CopyKind {
		return CopyKind{Earlier: e, Reason: why, Summary: "full copy: " + why}
	}
	vol := src.SourceVolume()
	switch {
	case destRegion == src.Region:
		return full(model.Snapshot{}, "a copy within its Region is not incremental")
	case vol == "" || vol == model.CopyVolumeID:
		return full(model.Snapshot{}, "the source's volume is unknown")
	}
	var latest model.Snapshot
	found, pending := false, ""
	for _, e := range earlier {
		if e.ID == src.ID {
			continue
		}
		from, v, _ := CopiedFrom(e)
		if v == "" {
			v = volumes[from]
		}
		if v != vol {
			continue
		}
		if e.State != model.StateCompleted {
			if e.State == model.StatePending {
				pending = e.ID
			}
			continue
		}
		if !found || e.StartTime.After(latest.StartTime) {
			latest, found = e, true
		}
	}
	switch {
	case !found && pending != "":
		// Said so, beside the warning that a copy is in flight there.
		return full(model.Snapshot{}, "no completed copy of "+vol+" in "+destRegion+" yet to build on ("+pending+" is still in flight)")
	case !found:
		return full(model.Snapshot{}, "no earlier copy of "+vol+" in "+destRegion)
	}
	when := latest.StartTime.UTC().Format("2006-01-02")
	named := latest.ID + " of " + when
	if n := latest.Name(); n != "" {
		named = latest.ID + " (" + n + ") of " + when
	}
	switch {
	case latest.StorageTier == model.TierArchive:
		return full(latest, "the latest earlier copy "+named+" is archived")
	case latest.Encrypted != enc.Encrypted:
		if enc.Encrypted {
			return full(latest, "the earlier copy "+named+" is unencrypted and this one will be encrypted")
		}
		return full(latest, "the earlier copy "+named+" is encrypted and this one will not be")
	case enc.Encrypted:
		mine, theirs := KeyID(enc.Key, aliases), KeyID(latest.KmsKeyID, aliases)
		switch {
		case enc.Key == "" || mine == "":
			return full(latest, "the key "+enc.Key+" cannot be resolved; the copy is incremental only if it is the key of the earlier copy "+named)
		case !strings.EqualFold(mine, theirs):
			return full(latest, "a different KMS key from the earlier copy "+named)
		}
	}
	return CopyKind{Incremental: true, Earlier: latest, Summary: "incremental: builds on the earlier copy " + named}
}

// KeyID is the key id (a UUID or mrk-…) a KMS key reference names: a key
// id, a key ARN, or an alias (name or ARN) resolved through the aliases'
// TargetKeyId. "" when an alias is not among the aliases.
func KeyID(key string, aliases []model.KMSAlias) string {
	key = strings.TrimSpace(key)
	name := key
	if a, ok := splitARN(key); ok {
		name = a.resource
	}
	if id, ok := strings.CutPrefix(name, "key/"); ok {
		return id
	}
	if !strings.HasPrefix(name, "alias/") {
		return name // a bare key id
	}
	for _, a := range aliases {
		if (a.Name == name || a.Arn == key) && a.TargetKeyID != "" {
			return a.TargetKeyID
		}
	}
	return ""
}
