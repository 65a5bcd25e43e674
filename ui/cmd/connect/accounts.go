package connect

import (
	"context"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model/track"
)

// accounts is awsops.Profiles as the tracker asks for it.
type accounts struct{ p *awsops.Profiles }

func (a accounts) Open(ctx context.Context, profile string) (track.AccountAWS, error) {
	c, err := a.p.Open(ctx, profile)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// AccountsOf is p as the tracker asks for it: a run that opened profiles
// already hands them on (closed by p.Close).
func AccountsOf(p *awsops.Profiles) (a track.Accounts, close func()) {
	return accounts{p}, p.Close
}

// Accounts opens clients of other profiles beside home, with its
// endpoint override, deadlines and logger, one set per profile, for the
// tracker (TrackerOptions.Accounts). close closes the clients it opened.
func Accounts(home *awsops.Client) (a track.Accounts, close func()) {
	p := awsops.NewProfiles(home)
	return accounts{p}, p.Close
}
