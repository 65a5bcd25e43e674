package track

import (
	"context"
	"sync/atomic"

	"github.com/snapcopy/snapcopy/model"
)

// heard is the tracker's AWS, noting whether the calls since the last
// reset got an answer from AWS (a success, or an error AWS answered with)
// and whether any went without one (model.Unanswered): a step that met
// only silence counts towards FollowOptions.GiveUp.
type heard struct {
	AWS
	answered, silent atomic.Bool
	// lastSilence is the last call's error that was an unanswered one.
	lastSilence atomic.Pointer[error]
	// refusedProfile is the profile of another account whose credentials
	// AWS refused (accounts.go), nil when none.
	refusedProfile atomic.Pointer[string]
}

func (h *heard) reset() {
	h.answered.Store(false)
	h.silent.Store(false)
	h.lastSilence.Store(nil)
	h.refusedProfile.Store(nil)
}

// profileRefused is the profile whose credentials AWS refused since the
// reset: another account's, else home.
func (h *heard) profileRefused(home string) string {
	if p := h.refusedProfile.Load(); p != nil {
		return *p
	}
	return home
}

// silence is the last error of a call without an answer since the reset,
// nil when none.
func (h *heard) silence() error {
	if p := h.lastSilence.Load(); p != nil {
		return *p
	}
	return nil
}

// unanswered reports calls without an answer and none with one.
func (h *heard) unanswered() bool { return h.silent.Load() && !h.answered.Load() }

func (h *heard) note(err error) {
	_, fromAWS := model.AsAPIError(err)
	switch {
	case model.Unanswered(err):
		h.silent.Store(true)
		h.lastSilence.Store(&err)
	case err == nil || fromAWS:
		h.answered.Store(true)
	} // a cancellation tells nothing
}

func (h *heard) CopySnapshot(ctx context.Context, req model.CopyRequest) (string, error) {
	id, err := h.AWS.CopySnapshot(ctx, req)
	h.note(err)
	return id, err
}

func (h *heard) FindByRequestID(ctx context.Context, region, requestID string) (model.Snapshot, bool, error) {
	s, ok, err := h.AWS.FindByRequestID(ctx, region, requestID)
	h.note(err)
	return s, ok, err
}

func (h *heard) PollCopies(ctx context.Context, region string, ids []string) (map[string]model.Snapshot, error) {
	m, err := h.AWS.PollCopies(ctx, region, ids)
	h.note(err)
	return m, err
}

func (h *heard) SnapshotGone(ctx context.Context, region, id string) (bool, error) {
	gone, err := h.AWS.SnapshotGone(ctx, region, id)
	h.note(err)
	return gone, err
}

func (h *heard) SnapshotByID(ctx context.Context, region, id string) (model.Snapshot, bool, error) {
	s, ok, err := h.AWS.SnapshotByID(ctx, region, id)
	h.note(err)
	return s, ok, err
}

func (h *heard) DeleteSnapshot(ctx context.Context, region, id string) error {
	err := h.AWS.DeleteSnapshot(ctx, region, id)
	h.note(err)
	return err
}

func (h *heard) CopiesOf(ctx context.Context, region string, sourceIDs []string) ([]model.Snapshot, error) {
	found, err := h.AWS.CopiesOf(ctx, region, sourceIDs)
	h.note(err)
	return found, err
}
