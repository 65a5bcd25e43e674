package model

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// DefaultHostLockDir is the folder of the host's copy locks: in /var/tmp,
// sticky and writable by all like /tmp itself, so every user's snapcopy
// on the host meets the same locks (SNAPCOPY_LOCK_DIR moves it).
const DefaultHostLockDir = "/var/tmp/snapcopy-locks"

// HostLockName is the name of the host's lock of a copy of r's source to
// r's destination in account: two processes about to make the same copy
// take the same lock, whoever runs them. The name is a hash: what it
// stands for is nobody else's business on a shared host.
func HostLockName(account string, r CopyRequest) string {
	d := r.Destination()
	key := strings.Join([]string{account, r.SourceRegion, r.SourceSnapshotID, strconv.Itoa(int(d.Kind)), d.Region, d.OutpostArn, d.LocalZone}, "\x00")
	sum := sha256.Sum256([]byte(key))
	return "copy-" + hex.EncodeToString(sum[:16]) + ".lock"
}
