package validate

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// Check validates the form against the sources and destination facts and
// builds the requests. sources: one or more snapshots (a batch); all share
// one source Region (s.Region). Sources the destination does not allow, or
// that cannot be copied at all, are skipped with the reason; when every
// source is skipped, the reasons become errors.
func Check(sources []model.Snapshot, facts model.DestinationFacts, f Form, now time.Time) Result {
	var r Result
	var ps []Problem
	srcRegion := ""
	if len(sources) == 0 {
		ps = append(ps, errorf(FieldSource, "Source: choose at least one snapshot to copy"))
	} else {
		srcRegion = sources[0].Region
	}

	dest, dps := ResolveDestination(f.Kind, f.Destination, srcRegion, facts)
	r.Destination = dest
	destOK := !hasError(dps)
	ps = append(ps, dps...)

	desc := strings.TrimSpace(f.Description)
	ps = append(ps, Description(desc)...)
	key := strings.TrimSpace(f.KmsKey)
	keyPs := KmsKey(key, dest.Region)
	ps = append(ps, keyPs...)
	if key != "" && keyPs == nil && destOK {
		ps = append(ps, KnownKey(key, srcRegion, dest.Region, facts)...)
	}
	tags, tagPs := Tags(f.Tags)
	ps = append(ps, tagPs...)
	ps = append(ps, sourceTagsProblems(f.SourceTags)...)
	minutes, durPs := Duration(f.Duration, dest.Kind)
	ps = append(ps, durPs...)
	lock, lockPs := SnapLock(f.Lock, f.LockCoolOff, dest.Kind, now)
	ps = append(ps, lockPs...)

	// Sort the sources into sendable and skipped.
	type blocked struct {
		field  Field
		reason string
	}
	var reasons []blocked
	var send []model.Snapshot
	seen := map[string]bool{}
	for _, s := range sources {
		b := blocked{FieldSource, ""}
		if seen[s.Region+" "+s.ID] {
			b.reason = "listed twice: it is copied once"
		} else if ok, why := Copyable(s, now); !ok {
			b.reason = why
		} else if p := append(SnapshotID(s.ID), RegionCode(FieldSource, s.Region)...); len(p) > 0 {
			b.reason = strings.TrimPrefix(p[0].Message, "Source ")
		} else if destOK {
			if ok, field, why := destinationAllows(s, dest, facts); !ok {
				b = blocked{field, why}
			} else if minutes > 0 && s.Site().Kind != model.ToRegion {
				b = blocked{FieldDuration, "in Local Zone " + s.AvailabilityZone + ": a time-based copy (completion duration) is not available from a Local Zone"}
			}
		}
		if b.reason != "" {
			r.Skipped = append(r.Skipped, Skip{Snapshot: s, Reason: b.reason})
			reasons = append(reasons, b)
			continue
		}
		seen[s.Region+" "+s.ID] = true
		send = append(send, s)
	}
	switch {
	case len(sources) > 0 && len(send) == 0:
		// Nothing left to send: each distinct reason is an error on its
		// field, naming the sources it stands for.
		ids := map[blocked][]string{}
		for i, b := range reasons {
			ids[b] = append(ids[b], r.Skipped[i].Snapshot.ID)
		}
		for _, b := range reasons {
			of, ok := ids[b]
			if !ok {
				continue
			}
			delete(ids, b)
			msg := capitalize(b.reason)
			if len(sources) > 1 {
				msg = fmt.Sprintf("%s (%d of %d snapshots)", msg, len(of), len(sources))
			}
			p := errorf(b.field, "%s", msg)
			p.Snapshots = of
			ps = append(ps, p)
		}
	case len(r.Skipped) > 0:
		ps = append(ps, warnf(FieldSource, "%d of %s cannot be copied there and will be skipped", len(r.Skipped), plural(len(sources), "snapshot")))
	}

	def, known := facts.Encryption[dest.Region]
	needsEncrypt := false
	for _, s := range send {
		o := EncryptionWithAliases(s, dest, def, known, f.Encrypt, key, facts.Aliases[dest.Region])
		r.Outcomes = append(r.Outcomes, o)
		needsEncrypt = needsEncrypt || !o.Encrypted
	}
	if key != "" && needsEncrypt {
		ps = append(ps, errorf(FieldKmsKey, "KMS key is used only for an encrypted copy: turn Encrypt on or clear the key"))
	}
	if minutes > 0 {
		ps = append(ps, DurationFits(minutes, send)...)
	}
	if minutes > 0 && dest.Kind == model.ToRegion && len(send) > 0 {
		r.Quota = TimeBasedQuota(send, srcRegion, dest.Region, minutes, f.InFlight, f.Quota)
		ps = append(ps, r.Quota.Problem()...)
	}
	r.TagsLeft = TagsLeft(f.Tags)

	// Each copy's tags: its source's (as chosen), then the operator's.
	// The tags left for the operator are those of the copy that carries
	// the most.
	copyTags := make([][]model.Tag, len(send))
	var over []int // sources whose copy would carry too many tags
	fullest := -1
	for i, s := range send {
		own := SourceTagsOf(s, send, f.SourceTags)
		copyTags[i] = withSourceTags(own, tags)
		if len(copyTags[i]) > MaxUserTags && len(tags) <= MaxUserTags {
			over = append(over, i)
		}
		if fullest < 0 || len(copyTags[i]) > len(copyTags[fullest]) {
			fullest = i
		}
	}
	if fullest >= 0 {
		r.SourceTagsCarried = len(copyTags[fullest]) - len(tags)
		r.TagsLeft = max(r.TagsLeft-r.SourceTagsCarried, 0)
	}
	if len(over) > 0 {
		i := over[0]
		own := SourceTagsOf(send[i], send, f.SourceTags)
		ps = append(ps, tooManyTags(send[i], len(own), len(tags), len(copyTags[i]), len(over)-1))
	}

	slices.SortStableFunc(ps, func(a, b Problem) int { return fieldOrder[a.Field] - fieldOrder[b.Field] })
	r.Problems = ps
	if hasError(ps) {
		return r
	}
	for i, s := range send {
		req := model.CopyRequest{
			DestinationRegion: dest.Region,
			SourceRegion:      s.Region,
			SourceSnapshotID:  s.ID,
			Description:       desc,
			// Encrypted is sent only as true; a key needs it, and so do
			// forced cases (an Outpost requires it, elsewhere it is harmless).
			Encrypted: f.Encrypt || r.Outcomes[i].Forced,
			KmsKeyID:  key,
			// The source's tags as chosen and the operator's, then the
			// copy's origin: a copy's volume id is meaningless.
			Tags:     append(slices.Clone(copyTags[i]), model.ProvenanceTags(s)...),
			DryRun:   f.DryRun,
			SnapLock: lock,
		}
		switch dest.Kind {
		case model.ToRegion:
			req.CompletionDurationMinutes = minutes
		case model.ToOutpost:
			req.DestinationOutpostArn = dest.OutpostArn
		case model.ToLocalZone:
			req.DestinationAvailabilityZone = dest.LocalZone
		}
		r.Requests = append(r.Requests, req)
	}
	return r
}
