package simulate

import "github.com/snapcopy/snapcopy/ui/cmd"

// doc is the help of `snapcopy simulate`.
var doc = cmd.Doc{
	Use:   "simulate",
	Short: "run the EC2 simulator alone, for scripts and the AWS CLI",
	Long: `snapcopy simulate serves a simulated EC2 (and KMS, STS, Service Quotas)
endpoint for the AWS SDK and CLI until SIGINT or SIGTERM (exit 0). It prints
"ec2sim listening on URL" once it listens. Faults can be changed while it runs:
PUT /_sim/faults with the JSON --faults takes (see the README).

--page-latency and --no-wildcards are faults too (pageLatency, noWildcards):
given with --faults, the flag wins.`,
	Example: `  snapcopy simulate --listen 127.0.0.1:4566 &
  AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y aws --endpoint-url http://127.0.0.1:4566 \
      --region us-west-2 ec2 describe-snapshots --owner-ids self
  snapcopy simulate --extra-snapshots 100000 --page-latency 500ms`,
}
