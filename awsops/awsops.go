// Package awsops is the only package that talks to AWS. It builds EC2 and
// KMS clients per Region from one aws.Config, turns SDK types into model
// types and AWS errors into *model.APIError.
package awsops

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
)

// Options say how to reach AWS. Empty fields follow the AWS CLI's chain:
// AWS_PROFILE, AWS_REGION, ~/.aws/config (SSO, assume-role), instance role.
type Options struct {
	Profile string
	Region  string
	// EndpointURL overrides the EC2 and KMS endpoints (--endpoint-url). The
	// SDK also honours AWS_ENDPOINT_URL_EC2 and AWS_ENDPOINT_URL by itself.
	EndpointURL string
	// StaticCredentials, when set, replace the default chain (demo mode and tests).
	StaticCredentials *credentials.StaticCredentialsProvider
	// HTTPClient replaces the SDK's default HTTP client. It keeps its own
	// TLS settings: AWS_CA_BUNDLE applies to the default client only.
	HTTPClient *http.Client
	// RetryMaxAttempts sets the SDK retryer's attempts for reads (0: SDK default, 3).
	RetryMaxAttempts int
	// Deadlines bound every call (zero fields: the defaults). Connect,
	// FirstByte and WholeAnswer apply to the default HTTP client only.
	Deadlines Deadlines
	// Files, when set, are the config and credentials files profiles are
	// read from instead of the SDK's (AWS_CONFIG_FILE, ~/.aws/config): the
	// demo's own, a test's.
	Files ProfileFiles
}

// ErrNoRegion is returned when no Region is configured anywhere.
var ErrNoRegion = errors.New("no AWS Region is set: pass --region or set AWS_REGION (or a region in your ~/.aws/config profile)")

// Client reaches EC2 and KMS in any Region with one configuration.
type Client struct {
	cfg      aws.Config
	profile  string
	endpoint string
	// opts are the options the client was made with: OpenProfile opens
	// other profiles with them (profileclient.go).
	opts Options

	mu        sync.Mutex
	ec2       map[string]*ec2.Client
	kms       map[string]*kms.Client
	seenCreds []aws.Credentials        // signed with; redacted from messages
	budgets   map[string]chan struct{} // per Region: see requestBudget
	sts       *sts.Client
	// account is the caller's account once STS answered (caller.go).
	account callerAccount
	// prices are the Price List's answers of the day (pricing.go).
	prices priceBook
	// notices reach whoever listens (OnNotice).
	notices *notices
	// deadlines bound every call (deadlines.go).
	deadlines Deadlines
	// endHelpers ends the credential_process still running (Close).
	endHelpers func()
	// clock is AWS's, from its answers (clock.go).
	clock *awsClock
}

// New loads the AWS configuration the way the AWS CLI does and returns a
// client. It fails with ErrNoRegion when no Region is known, and with a
// plain sentence when no credentials can be found.
func New(ctx context.Context, o Options) (*Client, error) {
	n := &notices{}
	dl := o.Deadlines.withDefaults()
	opts := []func(*config.LoadOptions) error{
		// The SDK's own log lines go through snapcopy's notices, never
		// straight to standard error (and over the screen).
		config.WithLogger(sdkLogger{n}),
		config.WithProcessCredentialOptions(func(po *processcreds.Options) { po.Timeout = DefaultCredentialsTimeout }),
	}
	if o.HTTPClient == nil {
		opts = append(opts, config.WithHTTPClient(dl.httpClient()))
	}
	if o.Region != "" {
		opts = append(opts, config.WithRegion(o.Region))
	}
	if o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.Profile))
	}
	if o.StaticCredentials != nil {
		opts = append(opts, config.WithCredentialsProvider(*o.StaticCredentials))
	}
	if o.RetryMaxAttempts > 0 {
		opts = append(opts, config.WithRetryMaxAttempts(o.RetryMaxAttempts))
	}
	if o.EndpointURL != "" {
		opts = append(opts, assumeRoleAt(o.EndpointURL))
	}
	opts = append(opts, o.Files.loadOptions()...)
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		var noProfile config.SharedConfigProfileNotExistError
		if errors.As(err, &noProfile) {
			return nil, fmt.Errorf("AWS profile %q is not in your AWS config files: check --profile or AWS_PROFILE (aws configure list-profiles shows them): %w", noProfile.Profile, redactedErr(err))
		}
		return nil, fmt.Errorf("load AWS configuration: %w", redactedErr(err))
	}
	if cfg.Region == "" {
		return nil, ErrNoRegion
	}
	endHelpers := helperCredentials(&cfg, DefaultCredentialsTimeout)
	// Set after loading: the loader refuses a plain *http.Client when
	// AWS_CA_BUNDLE is set, as it cannot add the bundle to it.
	if o.HTTPClient != nil {
		cfg.HTTPClient = o.HTTPClient
	}
	c := NewFromConfig(cfg, o.EndpointURL)
	c.notices, c.deadlines, c.endHelpers = n, dl, endHelpers
	c.profile, c.opts = o.Profile, o
	if c.profile == "" {
		c.profile = os.Getenv("AWS_PROFILE")
	}
	return c, nil
}

// NewFromConfig wraps an existing configuration; endpoint, when not empty,
// overrides the EC2 and KMS endpoints.
func NewFromConfig(cfg aws.Config, endpoint string) *Client {
	return &Client{
		cfg:        cfg,
		endpoint:   endpoint,
		ec2:        map[string]*ec2.Client{},
		kms:        map[string]*kms.Client{},
		notices:    &notices{},
		deadlines:  Deadlines{}.withDefaults(),
		endHelpers: func() {},
		clock:      &awsClock{},
	}
}

// CheckCredentials asks the credential chain for credentials once, so a
// missing configuration is reported before the UI starts.
func (c *Client) CheckCredentials(ctx context.Context) error {
	if c.cfg.Credentials == nil {
		return errors.New("no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, run `aws sso login`, or use --demo")
	}
	if _, err := c.cfg.Credentials.Retrieve(ctx); err != nil {
		// snapcopy gives up here: a credential_process still running ends.
		c.Close()
		return fmt.Errorf("no usable AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, run `aws sso login`, or use --demo (the AWS SDK said: %w)", redactedErr(err))
	}
	return nil
}

// SetProfileFiles makes OpenProfile read profiles from f (the demo's own
// config, beside its state), for a client made without Options (NewLocal).
func (c *Client) SetProfileFiles(f ProfileFiles) { c.opts.Files = f }

// Region is the home (source) Region of the configuration.
func (c *Client) Region() string { return c.cfg.Region }

// Profile is the named profile in use, or "".
func (c *Client) Profile() string { return c.profile }

// Endpoint is the endpoint override, or "".
func (c *Client) Endpoint() string { return c.endpoint }

// EC2 returns the EC2 client of a Region, building it once.
func (c *Client) EC2(region string) *ec2.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.ec2[region]; ok {
		return cl
	}
	cl := ec2.NewFromConfig(c.cfg, func(o *ec2.Options) {
		o.Region = region
		if c.endpoint != "" {
			o.BaseEndpoint = aws.String(c.endpoint)
		}
		o.HTTPClient = c.transport(o.HTTPClient)
		o.APIOptions = append(o.APIOptions, c.apiOptions()...)
		o.Retryer = c.noticing(o.Retryer)
		o.HTTPSignerV4 = c.signer()
	})
	c.ec2[region] = cl
	return cl
}

// KMS returns the KMS client of a Region, building it once.
func (c *Client) KMS(region string) *kms.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.kms[region]; ok {
		return cl
	}
	cl := kms.NewFromConfig(c.cfg, func(o *kms.Options) {
		o.Region = region
		if c.endpoint != "" {
			o.BaseEndpoint = aws.String(c.endpoint)
		}
		o.HTTPClient = c.transport(o.HTTPClient)
		o.APIOptions = append(o.APIOptions, c.apiOptions()...)
		o.Retryer = c.noticing(o.Retryer)
		o.HTTPSignerV4 = c.signer()
	})
	c.kms[region] = cl
	return cl
}

// NewLocal returns a client for a local EC2 endpoint (the simulator, moto)
// with fixed credentials, ignoring the environment and ~/.aws entirely, so
// demo mode behaves the same on every machine.
func NewLocal(endpoint, region string) *Client {
	c := NewFromConfig(aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider("SNAPCOPYDEMO", "snapcopy-demo-secret", ""),
		HTTPClient:  Deadlines{}.withDefaults().httpClient(),
	}, endpoint)
	return c
}

// apiOptions are the steps snapcopy adds to every call of every client:
// its deadline, and the check of the answer. Every client is also built
// with c.transport, c.noticing and c.signer.
func (c *Client) apiOptions() []func(*middleware.Stack) error {
	return []func(*middleware.Stack) error{operationDeadline(c.deadlines.Operation), checkAnswers}
}

// transport is how every client sends: next, with bodies handled as
// readOnlyBodies says and AWS's clock noted.
func (c *Client) transport(next httpDoer) readOnlyBodies {
	return readOnlyBodies{next: next, clock: c.clock}
}

// signer signs every client's requests at AWS's time.
func (c *Client) signer() clockSigner { return clockSigner{next: v4.NewSigner(), clock: c.clock} }

// httpDoer is what the SDK's clients send requests with.
type httpDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// readOnlyBodies hands net/http request bodies that can only be read. The
// SDK closes a request's body as soon as the answer's headers arrive, and
// its body wrapper's WriteTo then answers io.EOF as an error; net/http,
// still checking the body for stray bytes, takes that for a failed write
// and closes the connection under the answer being read. Large answers (a
// page of 1000 snapshots) then fail with "use of closed network connection".
//
// It also notes AWS's clock from each answer's Date header (clock.go).
type readOnlyBodies struct {
	next  httpDoer
	clock *awsClock
}

func (c readOnlyBodies) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = readOnlyBody{r.Body}
	}
	sent := time.Now()
	resp, err := c.next.Do(r)
	if err == nil && c.clock != nil {
		c.clock.observe(resp.Header.Get("Date"), sent, time.Now())
	}
	if err == nil && resp.Body != nil {
		resp.Body = newAnswerBody(resp.Body)
	}
	return resp, err
}

// readOnlyBody has only Read and Close: io.Copy falls back to Read, which
// answers a plain io.EOF after Close.
type readOnlyBody struct{ io.ReadCloser }
