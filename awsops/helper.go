package awsops

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
)

// DefaultCredentialsTimeout is how long snapcopy waits for credentials:
// the check before anything starts, and a credential_process each time it
// runs (processcreds' own default is a minute).
const DefaultCredentialsTimeout = 20 * time.Second

// credentialProcessOf is the credential_process the configuration loaded
// resolved to: the profile's own, when its credentials come from the
// SDK's process provider directly (not through a role it assumes).
func credentialProcessOf(cfg aws.Config) (string, bool) {
	cache, ok := cfg.Credentials.(*aws.CredentialsCache)
	if !ok || !cache.IsCredentialsProvider(&processcreds.Provider{}) {
		return "", false
	}
	for _, src := range cfg.ConfigSources {
		if sc, ok := src.(config.SharedConfig); ok && sc.CredentialProcess != "" {
			return sc.CredentialProcess, true
		}
	}
	return "", false
}

// Close ends what the client started that may still run: a
// credential_process and the processes it started, at once. Calls made
// after it cannot run a credential_process.
func (c *Client) Close() { c.endHelpers() }
