package nav

import "github.com/snapcopy/snapcopy/model"

// OpenRecurring asks for the panel that makes the form's copy recurring
// with a Data Lifecycle Manager policy: the copy as the form validated it.
type OpenRecurring struct {
	// Sources are the form's snapshots and Requests its validated
	// requests, one per source (to one destination).
	Sources  []model.Snapshot
	Requests []model.CopyRequest
	// Tags are the tags the operator typed (not the sources' own).
	Tags []model.Tag
	// SourceTags is the form's choice of the sources' tags.
	SourceTags model.SourceTags
	// SourceAliases are the source Region's KMS aliases (nil while not
	// loaded), to tell a source under the AWS managed key.
	SourceAliases []model.KMSAlias
	// DestinationAccount and DestinationProfile are the form's
	// destination account when it is another one ("" this account): the
	// panel's "To account" and its profile.
	DestinationAccount, DestinationProfile string
}
