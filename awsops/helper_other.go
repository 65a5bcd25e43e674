//go:build !unix

package awsops

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// helperCredentials leaves the SDK's runner of a credential_process where
// process groups are not available.
func helperCredentials(*aws.Config, time.Duration) (end func()) { return func() {} }
