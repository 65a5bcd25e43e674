package ec2sim

import "strings"

// The KMS keys and aliases of a Region belong to accounts: a key id or an
// alias name is read in the caller's account, a key or alias ARN names its
// account itself (the only way to name another account's key, as KMS
// requires).

// keyArn is the ARN of key id of account in region.
func keyArn(region, account, id string) string {
	return "arn:aws:kms:" + region + ":" + account + ":key/" + id
}

// keyByArn finds a key of any account by its ARN.
func (r *regionState) keyByArn(arn string) *kmsKey {
	for _, k := range r.keys {
		if strings.EqualFold(k.arn, arn) {
			return k
		}
	}
	return nil
}

// keyOf finds account's key by its id.
func (r *regionState) keyOf(account, id string) *kmsKey {
	for _, k := range r.keys {
		if k.account == account && strings.EqualFold(k.id, id) {
			return k
		}
	}
	return nil
}

// aliasOf finds account's alias by its name (alias/backup).
func (r *regionState) aliasOf(account, name string) (kmsAlias, bool) {
	for _, a := range r.aliases {
		if a.account == account && a.name == name {
			return a, true
		}
	}
	return kmsAlias{}, false
}

// resolveKey turns a KmsKeyId, read for account, into the ARN a copy
// reports and the key it names, nil when the Region has no such key. A
// missing key is not an error here: AWS checks keys asynchronously and
// fails the copy.
func (r *regionState) resolveKey(account, id string) (string, *kmsKey, *apiError) {
	switch {
	case reKeyUUID.MatchString(id) || reKeyMRK.MatchString(id):
		return keyArn(r.name, account, id), r.keyOf(account, id), nil
	case strings.HasPrefix(id, "alias/"):
		if !reAliasName.MatchString(id) {
			return "", nil, invalidValue("Value (%s) for parameter KmsKeyId is invalid. An alias name may contain only A-Z, a-z, 0-9, /, _ and -.", id)
		}
		if a, ok := r.aliasOf(account, id); ok {
			return keyArn(r.name, account, a.keyID), r.keyOf(account, a.keyID), nil
		}
		return "arn:aws:kms:" + r.name + ":" + account + ":" + id, nil, nil
	case strings.HasPrefix(id, "arn:"):
		m := reKMSArn.FindStringSubmatch(id)
		if m == nil {
			return "", nil, invalidValue("Value (%s) for parameter KmsKeyId is invalid. Expected a KMS key ARN or alias ARN.", id)
		}
		if m[2] != r.name {
			return "", nil, invalidValue("The KMS key %s is in %s; a copy made in %s needs a key of that Region.", id, m[2], r.name)
		}
		owner, res := m[3], m[4]
		if keyID, ok := strings.CutPrefix(res, "key/"); ok {
			if !reKeyUUID.MatchString(keyID) && !reKeyMRK.MatchString(keyID) {
				return "", nil, invalidValue("Value (%s) for parameter KmsKeyId is invalid. The key id is malformed.", id)
			}
			return id, r.keyOf(owner, keyID), nil
		}
		if !reAliasName.MatchString(res) {
			return "", nil, invalidValue("Value (%s) for parameter KmsKeyId is invalid. An alias name may contain only A-Z, a-z, 0-9, /, _ and -.", id)
		}
		if a, ok := r.aliasOf(owner, res); ok {
			return keyArn(r.name, owner, a.keyID), r.keyOf(owner, a.keyID), nil
		}
		return id, nil, nil
	}
	return "", nil, invalidValue("Value (%s) for parameter KmsKeyId is invalid. Expected a key id, key ARN, alias name (alias/NAME) or alias ARN.", id)
}

// usableKey reports whether a copy made for who may use key (nil: none):
// AWS accepts the copy either way and fails it later when not.
func (r *regionState) usableKey(key *kmsKey, who caller) bool {
	return key != nil && key.usableForEBS(r.name, who)
}
