package model

import "time"

// savedCross is a copy into another account as the state file holds it
// (the field cross_account, absent for a copy within one account: files
// without it read as they always did). step is a CrossStep token.
type savedCross struct {
	DestinationProfile     string    `json:"destination_profile"`
	DestinationAccount     string    `json:"destination_account,omitzero"`
	SourceProfile          string    `json:"source_profile,omitzero"`
	SourceAccount          string    `json:"source_account,omitzero"`
	SourceKey              string    `json:"source_key,omitzero"`
	ReencryptKey           string    `json:"reencrypt_key,omitzero"`
	KeepShare              bool      `json:"keep_share,omitzero"`
	Step                   string    `json:"step"`
	IntermediateRequestID  string    `json:"intermediate_request_id,omitzero"`
	IntermediateSentAt     time.Time `json:"intermediate_sent_at,omitzero"`
	IntermediateSnapshotID string    `json:"intermediate_snapshot_id,omitzero"`
	ShareAdded             bool      `json:"share_added,omitzero"`
	PolicyLacking          bool      `json:"policy_lacking,omitzero"`
	Unshared               bool      `json:"unshared,omitzero"`
	IntermediateDeleted    bool      `json:"intermediate_deleted,omitzero"`
	Outcome                string    `json:"outcome,omitzero"`
	OutcomeMessage         string    `json:"outcome_message,omitzero"`
}

func toSavedCross(x CrossAccount) *savedCross {
	if !x.Active() {
		return nil
	}
	return &savedCross{
		DestinationProfile:     x.DestinationProfile,
		DestinationAccount:     x.DestinationAccount,
		SourceProfile:          x.SourceProfile,
		SourceAccount:          x.SourceAccount,
		SourceKey:              x.SourceKey,
		ReencryptKey:           x.ReencryptKey,
		KeepShare:              x.KeepShare,
		Step:                   string(x.Step),
		IntermediateRequestID:  x.IntermediateRequestID,
		IntermediateSentAt:     x.IntermediateSentAt,
		IntermediateSnapshotID: x.IntermediateSnapshotID,
		ShareAdded:             x.ShareAdded,
		PolicyLacking:          x.PolicyLacking,
		Unshared:               x.Unshared,
		IntermediateDeleted:    x.IntermediateDeleted,
		Outcome:                string(x.Outcome),
		OutcomeMessage:         x.OutcomeMessage,
	}
}

func fromSavedCross(s *savedCross) CrossAccount {
	if s == nil {
		return CrossAccount{}
	}
	return CrossAccount{
		DestinationProfile:     s.DestinationProfile,
		DestinationAccount:     s.DestinationAccount,
		SourceProfile:          s.SourceProfile,
		SourceAccount:          s.SourceAccount,
		SourceKey:              s.SourceKey,
		ReencryptKey:           s.ReencryptKey,
		KeepShare:              s.KeepShare,
		Step:                   CrossStep(s.Step),
		IntermediateRequestID:  s.IntermediateRequestID,
		IntermediateSentAt:     s.IntermediateSentAt,
		IntermediateSnapshotID: s.IntermediateSnapshotID,
		ShareAdded:             s.ShareAdded,
		PolicyLacking:          s.PolicyLacking,
		Unshared:               s.Unshared,
		IntermediateDeleted:    s.IntermediateDeleted,
		Outcome:                Phase(s.Outcome),
		OutcomeMessage:         s.OutcomeMessage,
	}
}
