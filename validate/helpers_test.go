package validate

import (
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

const (
	keyARNWest = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	outpostW2  = "arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0"
	outpostE1  = "arn:aws:outposts:us-east-1:123456789012:outpost/op-0123456789abcdef0"
)

// facts is a small account: three Regions (eu-central-1 encrypts by
// default), one not opted in, Local Zones in two groups of us-west-2, one in
// us-east-1, and KMS aliases known for us-east-1 only.
func facts() model.DestinationFacts {
	return model.DestinationFacts{
		Regions: []model.Region{
			{Name: "us-west-2", OptInStatus: "opt-in-not-required"},
			{Name: "us-east-1", OptInStatus: "opt-in-not-required"},
			{Name: "eu-central-1", OptInStatus: "opt-in-not-required"},
			{Name: "ap-east-1", OptInStatus: "not-opted-in"},
		},
		LocalZones: []model.LocalZone{
			{Name: "us-west-2-lax-1a", Region: "us-west-2", GroupName: "us-west-2-lax-1", State: "available", OptInStatus: "opted-in"},
			{Name: "us-west-2-lax-1b", Region: "us-west-2", GroupName: "us-west-2-lax-1", State: "available", OptInStatus: "opted-in"},
			{Name: "us-west-2-den-1a", Region: "us-west-2", GroupName: "us-west-2-den-1", State: "available", OptInStatus: "opted-in"},
			{Name: "us-west-2-phx-2a", Region: "us-west-2", GroupName: "us-west-2-phx-2", State: "available", OptInStatus: "not-opted-in"},
			{Name: "us-west-2-sea-1a", Region: "us-west-2", GroupName: "us-west-2-sea-1", State: "impaired", OptInStatus: "opted-in"},
			{Name: "us-east-1-bos-1a", Region: "us-east-1", GroupName: "us-east-1-bos-1", State: "available", OptInStatus: "opted-in"},
		},
		Encryption: map[string]model.EncryptionDefault{
			"us-west-2":    {Enabled: false, KmsKeyID: "alias/aws/ebs"},
			"us-east-1":    {Enabled: false, KmsKeyID: "alias/aws/ebs"},
			"eu-central-1": {Enabled: true, KmsKeyID: "alias/aws/ebs"},
		},
		Aliases: map[string][]model.KMSAlias{
			"us-east-1": {{Name: "alias/backup", Arn: "arn:aws:kms:us-east-1:111122223333:alias/backup"}},
		},
	}
}

// snap is a completed, unencrypted 100 GiB snapshot in us-west-2.
func snap() model.Snapshot {
	return model.Snapshot{
		ID: "snap-0123456789abcdef0", Region: "us-west-2", State: model.StateCompleted,
		StorageTier: model.TierStandard, VolumeSizeGiB: 100, Progress: 100,
	}
}

func lzSnap() model.Snapshot {
	s := snap()
	s.ID = "snap-0aaaaaaaaaaaaaaa1"
	s.AvailabilityZone = "us-west-2-lax-1a"
	return s
}

func encSnap() model.Snapshot {
	s := snap()
	s.ID = "snap-0eeeeeeeeeeeeeee1"
	s.Encrypted = true
	s.KmsKeyID = keyARNWest
	return s
}

// wantProblem fails unless ps holds a problem of the field and severity
// whose message contains every word.
func wantProblem(t *testing.T, ps []Problem, f Field, sev Severity, words ...string) {
	t.Helper()
	for _, p := range ps {
		if p.Field != f || p.Severity != sev {
			continue
		}
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(p.Message, w)
		}
		if ok {
			return
		}
	}
	t.Errorf("no %s on %q with %q among:\n%s", sev, f, words, dump(ps))
}

func dump(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  " + p.String() + "\n")
	}
	if len(ps) == 0 {
		b.WriteString("  (none)\n")
	}
	return b.String()
}
