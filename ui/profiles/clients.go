package profiles

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/snapcopy/snapcopy/awsops"
)

// Opener opens an AWS client under a named profile and checks that it has
// credentials: what the command line does at start, for another profile.
type Opener func(ctx context.Context, profile string) (*awsops.Client, error)

// Clients are the AWS clients of the profiles the operator reaches from
// the screen: each opened once, when first needed, and closed at the end.
// Opening may run a credential_process or assume a role, so it is only
// ever called from a tea.Cmd.
type Clients struct {
	files awsops.ProfileFiles
	open  Opener

	mu     sync.Mutex
	byName map[string]*opening
	// given are the clients handed in (Add): their owner closes them.
	given map[*awsops.Client]bool
	// closed: a client whose opening ends after Close is closed at once.
	closed bool
}

// opening is a profile's client, being opened or opened.
type opening struct {
	done   chan struct{}
	client *awsops.Client
	err    error
}

// NewClients reads the profiles of files and opens them with open.
func NewClients(files awsops.ProfileFiles, open Opener) *Clients {
	return &Clients{files: files, open: open, byName: map[string]*opening{}, given: map[*awsops.Client]bool{}}
}

// Add hands in a client already open under profile (the one snapcopy
// started with); Close leaves it to its owner.
func (c *Clients) Add(profile string, client *awsops.Client) {
	o := &opening{done: make(chan struct{}), client: client}
	close(o.done)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byName[profile] = o
	c.given[client] = true
}

// Profiles reads the profiles of the AWS config and credentials files.
func (c *Clients) Profiles() ([]awsops.Profile, error) { return awsops.ListProfiles(c.files) }

// Files are the AWS config and credentials files the profiles come from.
func (c *Clients) Files() awsops.ProfileFiles { return c.files }

// Client is profile's client, opened the first time it is asked for. A
// profile that could not be opened is tried again next time (the operator
// may have run `aws sso login` since).
func (c *Clients) Client(ctx context.Context, profile string) (*awsops.Client, error) {
	c.mu.Lock()
	o := c.byName[profile]
	if o == nil {
		o = &opening{done: make(chan struct{})}
		c.byName[profile] = o
		c.mu.Unlock()
		client, err := c.open(ctx, profile)
		c.mu.Lock()
		closed := c.closed
		if err != nil || closed {
			if c.byName[profile] == o {
				delete(c.byName, profile)
			}
		}
		c.mu.Unlock()
		if err == nil && closed {
			client.Close()
			client, err = nil, errClosed
		}
		if err != nil {
			err = fmt.Errorf("profile %s: %w", profile, err)
		}
		o.client, o.err = client, err
		close(o.done)
		return o.client, o.err
	}
	c.mu.Unlock()
	select {
	case <-o.done:
		return o.client, o.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Account is the account profile's credentials act in, from STS
// GetCallerIdentity (asked once per client).
func (c *Clients) Account(ctx context.Context, profile string) (string, error) {
	cl, err := c.Client(ctx, profile)
	if err != nil {
		return "", err
	}
	id, err := cl.Account(ctx)
	if err != nil {
		return "", fmt.Errorf("profile %s: %w", profile, err)
	}
	return id, nil
}

// errClosed is the answer to an opening that ended after Close.
var errClosed = errors.New("snapcopy is ending")

// Close closes the clients it opened (ending their credential helpers).
// It does not wait for an opening under way: that one closes its client
// when it ends.
func (c *Clients) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for name, o := range c.byName {
		select {
		case <-o.done:
			if o.client != nil && !c.given[o.client] {
				o.client.Close()
			}
			delete(c.byName, name)
		default:
		}
	}
}

// OpenBeside opens profiles as home's: behind its endpoint (which also
// reaches the profile's STS calls), in its Region when the profile names
// none (awsops.Client.OpenProfile), with its credentials checked.
func OpenBeside(home *awsops.Client) Opener {
	return func(ctx context.Context, profile string) (*awsops.Client, error) {
		c, err := home.OpenProfile(ctx, profile)
		if err != nil {
			return nil, err
		}
		if err := c.CheckCredentials(ctx); err != nil {
			return nil, err
		}
		return c, nil
	}
}
