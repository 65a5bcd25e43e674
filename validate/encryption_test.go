package validate

import (
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

func TestEncryption(t *testing.T) {
	plain := snap()
	enc := snap()
	enc.Encrypted, enc.KmsKeyID = true, "alias/aws/ebs"
	east := model.Destination{Kind: model.ToRegion, Region: "us-east-1"}
	frankfurt := model.Destination{Kind: model.ToRegion, Region: "eu-central-1"}
	outpost := model.Destination{Kind: model.ToOutpost, Region: "us-west-2", OutpostArn: outpostW2}
	off := model.EncryptionDefault{KmsKeyID: "alias/aws/ebs"}
	on := model.EncryptionDefault{Enabled: true, KmsKeyID: "alias/aws/ebs"}
	onCustom := model.EncryptionDefault{Enabled: true, KmsKeyID: "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}

	tests := []struct {
		name    string
		src     model.Snapshot
		dest    model.Destination
		def     model.EncryptionDefault
		known   bool
		encrypt bool
		key     string
		want    Outcome
	}{
		// Spec section 2, encryption table, row by row.
		{"unencrypted, default off, no Encrypted", plain, east, off, true, false, "",
			Outcome{Summary: "unencrypted"}},
		{"unencrypted, default off, Encrypted, no key", plain, east, off, true, true, "",
			Outcome{Encrypted: true, Key: "alias/aws/ebs", Summary: "encrypted with the default EBS key alias/aws/ebs"}},
		{"unencrypted, default off, Encrypted, key", plain, east, off, true, true, "alias/backup",
			Outcome{Encrypted: true, Key: "alias/backup", Summary: "encrypted with alias/backup"}},
		{"unencrypted, default on, toggle off", plain, frankfurt, on, true, false, "",
			Outcome{Encrypted: true, Key: "alias/aws/ebs", Forced: true, ForcedReason: "eu-central-1 encrypts new EBS snapshots by default",
				Summary: "encrypted with the default EBS key alias/aws/ebs (eu-central-1 encrypts by default)"}},
		{"unencrypted, default on with a changed key", plain, frankfurt, onCustom, true, true, "",
			Outcome{Encrypted: true, Key: onCustom.KmsKeyID, Forced: true, ForcedReason: "eu-central-1 encrypts new EBS snapshots by default",
				Summary: "encrypted with the default EBS key " + onCustom.KmsKeyID + " (eu-central-1 encrypts by default)"}},
		{"unencrypted, default on, key", plain, frankfurt, on, true, false, "alias/backup",
			Outcome{Encrypted: true, Key: "alias/backup", Forced: true, ForcedReason: "eu-central-1 encrypts new EBS snapshots by default",
				Summary: "encrypted with alias/backup (eu-central-1 encrypts by default)"}},
		{"encrypted, no key: destination default key", enc, east, off, true, false, "",
			Outcome{Encrypted: true, Key: "alias/aws/ebs", Forced: true, ForcedReason: ForcedBySource,
				Summary: "encrypted with the default EBS key alias/aws/ebs (the source is encrypted)"}},
		{"encrypted, key: re-encrypted", enc, east, off, true, false, "alias/backup",
			Outcome{Encrypted: true, Key: "alias/backup", Reencrypted: true, Forced: true, ForcedReason: ForcedBySource,
				Summary: "encrypted with alias/backup (re-encrypted; source used alias/aws/ebs)"}},
		{"encrypted, its own key again", enc, east, off, true, true, "alias/aws/ebs",
			Outcome{Encrypted: true, Key: "alias/aws/ebs", Forced: true, ForcedReason: ForcedBySource,
				Summary: "encrypted with alias/aws/ebs (the source is encrypted)"}},
		{"Outpost, unencrypted source", plain, outpost, off, true, false, "",
			Outcome{Encrypted: true, Key: "alias/aws/ebs", Forced: true, ForcedReason: ForcedByOutpost,
				Summary: "encrypted with the default EBS key alias/aws/ebs (copies to an Outpost must be encrypted)"}},
		{"Outpost, default not loaded", plain, outpost, model.EncryptionDefault{}, false, false, "alias/op",
			Outcome{Encrypted: true, Key: "alias/op", Forced: true, ForcedReason: ForcedByOutpost,
				Summary: "encrypted with alias/op (copies to an Outpost must be encrypted)"}},
		// The default of the destination not loaded yet.
		{"not loaded, toggle off", plain, east, model.EncryptionDefault{}, false, false, "",
			Outcome{Summary: "unencrypted unless us-east-1 encrypts by default (encryption default of us-east-1 not loaded yet)"}},
		{"not loaded, whatever def holds", plain, east, on, false, false, "",
			Outcome{Summary: "unencrypted unless us-east-1 encrypts by default (encryption default of us-east-1 not loaded yet)"}},
		{"not loaded, toggle on", plain, east, model.EncryptionDefault{}, false, true, "",
			Outcome{Encrypted: true, Summary: "encrypted with the default EBS key of us-east-1 (encryption default of us-east-1 not loaded yet)"}},
		{"not loaded, toggle on, key", plain, east, model.EncryptionDefault{}, false, true, "alias/backup",
			Outcome{Encrypted: true, Key: "alias/backup", Summary: "encrypted with alias/backup"}},
		{"not loaded, encrypted source", enc, east, model.EncryptionDefault{}, false, false, "",
			Outcome{Encrypted: true, Forced: true, ForcedReason: ForcedBySource,
				Summary: "encrypted with the default EBS key of us-east-1 (the source is encrypted; encryption default of us-east-1 not loaded yet)"}},
		{"no destination yet", plain, model.Destination{}, model.EncryptionDefault{}, false, false, "",
			Outcome{Summary: "unencrypted unless the destination encrypts by default (destination not chosen yet)"}},
		{"default key left empty by AWS", plain, east, model.EncryptionDefault{}, true, true, "",
			Outcome{Encrypted: true, Key: DefaultEBSKey, Summary: "encrypted with the default EBS key alias/aws/ebs"}},
		{"key typed, toggle off", plain, east, off, true, false, " alias/backup ",
			Outcome{Summary: "unencrypted; the KMS key is used only when Encrypt is on"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Encryption(tc.src, tc.dest, tc.def, tc.known, tc.encrypt, tc.key)
			if got != tc.want {
				t.Errorf("Encryption =\n  %+v\nwant\n  %+v", got, tc.want)
			}
		})
	}
}
