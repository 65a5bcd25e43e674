package awsops

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/snapcopy/snapcopy/model"
)

// CrossCheck is what the source account tells, before anything is sent,
// of copying a snapshot into another account: the facts the preview's
// steps are worded from (model.PlanCrossAccount) and the keys by ARN.
type CrossCheck struct {
	Facts model.CrossFacts
	// SourceKey is the source's key ARN ("" unencrypted); ReencryptKey the
	// re-encrypting key's ARN, looked up only for a source under the AWS
	// managed key ("" otherwise).
	SourceKey, ReencryptKey string
	// Policy is the shared key's policy document as read, "" when it was
	// not (unencrypted, or PolicyErr says why); the y/n before PutKeyPolicy
	// shows it and model.WithKeyStatements(Policy, Facts.MissingStatements).
	Policy    string
	PolicyErr error
}

// ErrReencryptKeyManaged: the re-encrypting key is an AWS managed key,
// whose snapshots cannot be shared either.
var ErrReencryptKeyManaged = errors.New("an AWS managed key cannot be shared either: name a customer managed key of the source account")

// CrossKeyError is a key of a copy into another account that cannot be
// used: the source's, or (Reencrypt) the re-encrypting key. Err is KMS's
// error (a *model.APIError) or ErrReencryptKeyManaged.
type CrossKeyError struct {
	Key       string
	Reencrypt bool
	Err       error
}

func (e *CrossKeyError) Error() string {
	if e.Reencrypt {
		return fmt.Sprintf("the re-encrypting key %s: %v", e.Key, e.Err)
	}
	return fmt.Sprintf("the KMS key %s: %v", e.Key, e.Err)
}

func (e *CrossKeyError) Unwrap() error { return e.Err }

// CheckCross reads, in src's Region and with the source account's
// credentials, how src is encrypted (KMS DescribeKey), whether it is
// shared with account already (DescribeSnapshotAttribute), and the policy
// of the key the shared snapshot is under (GetKeyPolicy: the source's own,
// or reencryptKey when src is under the AWS managed key). A key that
// cannot be described is a *CrossKeyError; a policy or share that cannot
// be read leaves that fact unknown.
func (c *Client) CheckCross(ctx context.Context, src model.Snapshot, account, reencryptKey string) (CrossCheck, error) {
	region := src.Region
	if region == "" {
		region = c.Region()
	}
	var cc CrossCheck
	f := &cc.Facts
	f.SourceEncrypted, f.SourceKeyName, f.ReencryptKeyName = src.Encrypted, src.KmsKeyID, reencryptKey
	if src.Encrypted {
		arn, managed, err := c.KeyIdentity(ctx, region, src.KmsKeyID)
		if err != nil {
			return cc, &CrossKeyError{Key: src.KmsKeyID, Err: err}
		}
		cc.SourceKey, f.SourceKeyAWSManaged = arn, managed
		if managed && reencryptKey != "" {
			arn, managed, err := c.KeyIdentity(ctx, region, reencryptKey)
			switch {
			case err != nil:
				return cc, &CrossKeyError{Key: reencryptKey, Reencrypt: true, Err: err}
			case managed:
				return cc, &CrossKeyError{Key: reencryptKey, Reencrypt: true, Err: ErrReencryptKeyManaged}
			}
			cc.ReencryptKey = arn
		}
	}
	if with, err := c.SnapshotSharedWith(ctx, region, src.ID); err == nil {
		f.SharedKnown, f.AlreadyShared = true, slices.Contains(with, account)
	}
	key := cc.SourceKey
	if f.SourceKeyAWSManaged {
		key = cc.ReencryptKey
	}
	if key == "" {
		return cc, nil
	}
	cc.Policy, cc.PolicyErr = c.KeyPolicy(ctx, region, key)
	if cc.PolicyErr != nil {
		cc.Policy = ""
		return cc, nil
	}
	missing, err := model.MissingKeyStatements(cc.Policy, account)
	if err != nil {
		cc.PolicyErr = err
		return cc, nil
	}
	f.PolicyKnown, f.MissingStatements = true, missing
	return cc, nil
}
