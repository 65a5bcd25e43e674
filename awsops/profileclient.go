package awsops

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// assumeRoleAt sends the assume-role call of a profile's credential chain
// (role_arn with source_profile) to endpoint. aws-sdk-go-v2's config
// builds that STS client before it reads AWS_ENDPOINT_URL or a base
// endpoint option, so without this --endpoint-url would reach EC2 and KMS
// while the role was assumed at AWS.
func assumeRoleAt(endpoint string) func(*config.LoadOptions) error {
	return config.WithAssumeRoleCredentialOptions(func(o *stscreds.AssumeRoleOptions) {
		cl, ok := o.Client.(*sts.Client)
		if !ok {
			return // the loader's early check of the options: no client yet
		}
		o.Client = sts.New(cl.Options(), func(so *sts.Options) { so.BaseEndpoint = aws.String(endpoint) })
	})
}

// OpenProfile opens a client under another named profile of the AWS config
// files (an assume-role or SSO profile included), with c's endpoint
// override (which also reaches STS and the profile's assume-role call),
// HTTP client, retries and deadlines. A profile without a Region of its own
// gets c's. The caller closes it (Close) unless it came from Profiles.
func (c *Client) OpenProfile(ctx context.Context, profile string) (*Client, error) {
	if profile == "" {
		return nil, errors.New("open a profile: no profile named")
	}
	o := c.opts
	o.Profile, o.Region, o.StaticCredentials = profile, "", nil
	if o.EndpointURL == "" {
		o.EndpointURL = c.endpoint // NewLocal's clients (the demo) keep no options
	}
	files := o.Files
	if files.Config == "" && files.Credentials == "" {
		files = DefaultProfileFiles()
	}
	if known, err := ListProfiles(files); err == nil && !slices.ContainsFunc(known, func(p Profile) bool { return p.Name == profile }) {
		// Said here: New's words send the operator to --profile.
		return nil, fmt.Errorf("AWS profile %q is not in your AWS config files (%s, %s; aws configure list-profiles shows them)", profile, files.Config, files.Credentials)
	}
	pc, err := New(ctx, o)
	if errors.Is(err, ErrNoRegion) {
		o.Region = c.Region()
		pc, err = New(ctx, o)
	}
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", profile, err)
	}
	pc.clock = c.clock // one AWS clock for every account's answers
	pc.OnNotice(func(text string) { c.notices.tell(text) })
	return pc, nil
}

// Profiles opens clients per profile on demand, once each, beside a home
// client (the profile the state file belongs to), so a tracker follows
// copies of several accounts with one client set per account. Safe for
// concurrent use.
type Profiles struct {
	home *Client
	mu   sync.Mutex
	open map[string]*Client
}

// NewProfiles is the clients per profile beside home, which answers for
// the profile "" and its own profile name.
func NewProfiles(home *Client) *Profiles {
	return &Profiles{home: home, open: map[string]*Client{}}
}

// Open returns the client of profile, opening it the first time; "" (or
// the home client's own profile) is the home client.
func (p *Profiles) Open(ctx context.Context, profile string) (*Client, error) {
	if profile == "" || profile == p.home.Profile() {
		return p.home, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.open[profile]; ok {
		return c, nil
	}
	c, err := p.home.OpenProfile(ctx, profile)
	if err != nil {
		return nil, err
	}
	p.open[profile] = c
	return c, nil
}

// Close closes the clients Open opened (not the home client).
func (p *Profiles) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for name, c := range p.open {
		c.Close()
		delete(p.open, name)
	}
}

// loadOptions read the profiles from f's files, where set.
func (f ProfileFiles) loadOptions() []func(*config.LoadOptions) error {
	var out []func(*config.LoadOptions) error
	if f.Config != "" {
		out = append(out, config.WithSharedConfigFiles([]string{f.Config}))
	}
	if f.Credentials != "" {
		out = append(out, config.WithSharedCredentialsFiles([]string{f.Credentials}))
	}
	return out
}
