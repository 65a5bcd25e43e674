package ec2sim

import (
	"math/rand"
	"strings"
	"time"
)

// The seeded world beyond AccountID: DRAccountID's keys and snapshots, and
// the partner's key of its encrypted share. Each draws from a random
// source of its own, so AccountID's seeded ids stay what they were.

// addKey adds account's key id under alias (an AWS managed key for
// alias/aws/...).
func (r *regionState) addKey(account, alias, id, desc string, created time.Time) *kmsKey {
	k := &kmsKey{id: id, arn: keyArn(r.name, account, id), account: account, description: desc,
		managed: strings.HasPrefix(alias, "alias/aws/"), created: created}
	r.keys = append(r.keys, k)
	if alias != "" {
		r.aliases = append(r.aliases, kmsAlias{name: alias, arn: "arn:aws:kms:" + r.name + ":" + account + ":" + alias, keyID: id, account: account})
	}
	return k
}

// drKeyAliases are DRAccountID's keys in every Region.
var drKeyAliases = []struct{ alias, desc string }{
	{"alias/aws/ebs", "Default key that protects my EBS volumes when no other key is defined"},
	{"alias/dr-backup", "Disaster recovery copies"},
}

// seedDRKeys gives DRAccountID its AWS managed EBS key and a customer
// managed key (alias/dr-backup) in every Region, with default policies:
// only the account itself may use them.
func seedDRKeys(world map[string]*regionState, seed int64, now time.Time) {
	g := gen{rand.New(rand.NewSource(seed ^ 0xd2acc0))}
	for _, rs := range regionSeeds {
		r := world[rs.name]
		created := now.UTC().Truncate(time.Second).Add(-time.Duration(100+g.r.Intn(200)) * 24 * time.Hour)
		for _, a := range drKeyAliases {
			r.addKey(DRAccountID, a.alias, g.uuid(), a.desc, created)
		}
	}
}

// drSeeds are DRAccountID's own snapshots: copies made there before, so
// its listing is not empty.
var drSeeds = map[string][]seedSpec{
	"us-east-1": {
		{name: "dr-orders-db", sizeGiB: 400, ageHours: 30, key: "alias/dr-backup", copyOf: "us-west-2", tags: []string{"env=dr", "team=orders"}},
		{name: "dr-web-root", sizeGiB: 8, ageHours: 54, desc: "web root volume, DR copy", tags: []string{"env=dr", "team=web"}},
	},
	"us-west-2": {
		{name: "dr-staging-db", sizeGiB: 100, ageHours: 80, key: "alias/aws/ebs", desc: "staging database, DR account", tags: []string{"env=dr", "team=data"}},
	},
	"eu-west-1": {
		{name: "dr-eu-archive", sizeGiB: 50, ageHours: 200, key: "alias/dr-backup", desc: "EU archive, DR account", tags: []string{"env=dr"}},
	},
}

// seedDRSnapshots adds DRAccountID's snapshots; none is shared.
func seedDRSnapshots(world map[string]*regionState, seed int64, now time.Time) {
	g := gen{rand.New(rand.NewSource(seed ^ 0xd25a5))}
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		r := world[region]
		for _, sp := range drSeeds[region] {
			sp.owner = DRAccountID
			r.insert(g.snapshot(r, sp, now))
		}
	}
}

// seedPartnerKeys gives SharingAccountID the keys its encrypted shares
// name, with a policy that shares them with AccountID as AWS's "Share the
// KMS key" page shows: a partner who shares an encrypted snapshot shares
// its key too.
func seedPartnerKeys(world map[string]*regionState) {
	for _, r := range world {
		for _, sn := range r.snaps {
			if sn.ownerID != SharingAccountID || !sn.encrypted || r.keyByArn(sn.kmsKeyID) != nil {
				continue
			}
			m := reKMSArn.FindStringSubmatch(sn.kmsKeyID)
			if m == nil {
				continue
			}
			k := r.addKey(SharingAccountID, "", strings.TrimPrefix(m[4], "key/"), "Partner share key", sn.start)
			k.policy = sharedKeyPolicy(SharingAccountID, AccountID)
		}
	}
}

// sharedKeyPolicy is the default policy plus the two statements "Share the
// KMS key used to encrypt a shared Amazon EBS snapshot" adds for another
// account: the key's use, and grants for AWS resources.
func sharedKeyPolicy(owner, other string) string {
	return `{
  "Version": "2012-10-17",
  "Id": "key-shared-1",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::` + owner + `:root"},
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "Allow use of the key",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::` + other + `:root"},
      "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      "Resource": "*"
    },
    {
      "Sid": "Allow attachment of persistent resources",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::` + other + `:root"},
      "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      "Resource": "*",
      "Condition": {"Bool": {"kms:GrantIsForAWSResource": true}}
    }
  ]
}`
}
