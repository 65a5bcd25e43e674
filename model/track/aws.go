// Package track starts the copies of a watch list and follows them to the
// end: scheduling, backoff, pauses, the per-Region in-flight limits, when
// the state file is written, and the operator's status line. It reaches
// AWS through the small interface AWS, which *awsops.Client satisfies, and
// imports neither the SDK nor awsops: its logic is tested against an
// in-memory fake, and the whole path against the EC2 simulator in awsops.
package track

import (
	"context"

	"github.com/snapcopy/snapcopy/model"
)

// AWS is what the tracker asks of AWS. Errors are *model.APIError (or the
// context's error when canceled), sorted by Kind.
type AWS interface {
	// CopySnapshot sends one CopySnapshot for req to its destination Region,
	// never retried, and returns the new copy's id.
	CopySnapshot(ctx context.Context, req model.CopyRequest) (snapshotID string, err error)
	// FindByRequestID looks in region for a snapshot carrying the request
	// tag with value requestID: the copy an unanswered CopySnapshot made.
	FindByRequestID(ctx context.Context, region, requestID string) (model.Snapshot, bool, error)
	// PollCopies reads the copies with the given ids in region in one call;
	// ids AWS does not show (yet) are absent from the answer, not an error.
	PollCopies(ctx context.Context, region string, ids []string) (map[string]model.Snapshot, error)
	// SnapshotGone asks for one snapshot by id and reports whether AWS
	// answers that it does not exist.
	SnapshotGone(ctx context.Context, region, id string) (bool, error)
	// SnapshotByID reads one snapshot of region by id, with its tags;
	// false when AWS answers that it does not exist.
	SnapshotByID(ctx context.Context, region, id string) (model.Snapshot, bool, error)
	// DeleteSnapshot deletes one snapshot of region. The tracker calls it
	// only for a snapshot its copy owns (model.Copy.Owns).
	DeleteSnapshot(ctx context.Context, region, id string) error
	// CopiesOf lists the snapshots of region that snapcopy's provenance
	// tag (model.TagSourceSnapshot) names as copies of one of sourceIDs,
	// with their tags: the look for twins.
	CopiesOf(ctx context.Context, region string, sourceIDs []string) ([]model.Snapshot, error)
	// LockSnapshot locks one snapshot of region as spec says, never
	// retried, and returns the lock as AWS answered it (snaplock.go).
	LockSnapshot(ctx context.Context, region, id string, spec model.SnapLockSpec) (model.SnapLockInfo, error)
	// SnapshotLock reads one snapshot's lock (DescribeLockedSnapshots);
	// false when it has none.
	SnapshotLock(ctx context.Context, region, id string) (model.SnapLockInfo, bool, error)
	// Region is the home Region of the credentials in use.
	Region() string
	// Profile is the named AWS profile in use, or "".
	Profile() string
}
