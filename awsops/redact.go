package awsops

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// redacted stands in for a secret removed from a message.
const redacted = "[redacted]"

// keptKeyIDPrefix is how much of an access key id a message keeps: enough
// to tell keys apart (AKIA long-term, ASIA temporary), too little to use.
const keptKeyIDPrefix = 4

// minSecretLen is the shortest known secret replaced wherever it occurs:
// shorter values (never real AWS secrets) would garble ordinary words.
const minSecretLen = 8

// secretValue is a credential's value: up to a space, quote, & or
// separator, where %XX (a URL-encoded byte) belongs to it except %26, an
// encoded & that starts the next query parameter.
const secretValue = `(?:[^\s&'",<>%]|%(?:[013-9A-F][0-9A-F]|2[0-57-9A-F]))+`

var (
	// A session token as a signed header (canonical request) or as a
	// presigned URL's query parameter, and a secret or token named in
	// configuration-like text; either may sit URL-encoded in a query (%3D).
	reTokenOrSecret = regexp.MustCompile(`(?i)(x-amz-security-token\s*(?:[:=]|%3D)\s*|(?:aws_)?(?:session_?token|secret_?access_?key)["']?\s*(?:[:=]|%3D)\s*["']?)` + secretValue)
	// A SigV4 signature: Authorization header (Signature=), presigned URL
	// (X-Amz-Signature=).
	reSignature = regexp.MustCompile(`(?i)(signature\s*(?:=|%3D)\s*)` + secretValue)
	// An access key id: AKIA (long-term) or ASIA (temporary) and 16 more,
	// also right after an encoded = (%3DASIA...), so without a word boundary.
	reAccessKeyID = regexp.MustCompile(`(AKIA|ASIA)[A-Z0-9]{12,}`)
)

// redact removes credentials from text that came from AWS or the SDK
// before it is shown, logged or stored: session tokens, secret keys and
// signatures wherever a pattern names them, access key ids beyond their
// first 4 characters, and every value of creds (the credentials in use) as
// such or URL-encoded. AWS quotes the canonical request, session token
// included, in SignatureDoesNotMatch answers.
func redact(s string, creds ...aws.Credentials) string {
	if s == "" {
		return s
	}
	for _, c := range creds {
		for _, secret := range []string{c.SessionToken, c.SecretAccessKey} {
			if len(secret) >= minSecretLen {
				s = strings.ReplaceAll(s, secret, redacted)
				s = strings.ReplaceAll(s, url.QueryEscape(secret), redacted)
			}
		}
		if id := c.AccessKeyID; len(id) >= minSecretLen {
			s = strings.ReplaceAll(s, id, id[:keptKeyIDPrefix]+"****")
		}
	}
	s = reTokenOrSecret.ReplaceAllString(s, "${1}"+redacted)
	s = reSignature.ReplaceAllString(s, "${1}"+redacted)
	return reAccessKeyID.ReplaceAllString(s, "${1}****")
}

// credentialsTimeout bounds asking the credential chain for the
// credentials in use while an error is being reported.
const credentialsTimeout = 2 * time.Second

// maxSeenCredentials bounds the credentials kept for redaction (renewals
// of a long run).
const maxSeenCredentials = 16

// credentialsInUse are the credentials the client has signed with, so
// their values can be redacted from messages. The provider answers from
// its cache; every set seen is kept, so an earlier session's token is
// still redacted after the credentials were renewed. With noAsk (the
// credential chain itself failed) the chain is not asked again.
func (c *Client) credentialsInUse(noAsk bool) []aws.Credentials {
	if c.cfg.Credentials != nil && !noAsk {
		ctx, cancel := context.WithTimeout(context.Background(), credentialsTimeout)
		creds, err := c.cfg.Credentials.Retrieve(ctx)
		cancel()
		if err == nil {
			creds = aws.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken}
			c.mu.Lock()
			if !slices.Contains(c.seenCreds, creds) {
				c.seenCreds = append(c.seenCreds, creds)
				if len(c.seenCreds) > maxSeenCredentials {
					c.seenCreds = slices.Delete(c.seenCreds, 0, 1)
				}
			}
			c.mu.Unlock()
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.seenCreds)
}

// redact removes credentials, the client's own included, from AWS text.
func (c *Client) redact(s string) string {
	if s == "" {
		return s
	}
	return redact(s, c.credentialsInUse(false)...)
}

// redactedError shows err's text with credentials removed, and unwraps to
// err so the SDK's error types can still be inspected.
type redactedError struct {
	err  error
	text string
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

// redactedErr is err with credentials named by a pattern removed from its
// text, for errors met before any credentials are known (loading the
// configuration, a failing credential chain).
func redactedErr(err error) error {
	return &redactedError{err: err, text: redact(err.Error())}
}
