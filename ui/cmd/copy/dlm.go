package copy

import (
	"context"
	"fmt"
	"strings"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/textsafe"
	"github.com/snapcopy/snapcopy/validate"
)

// dlmPolicyFile is the file name the printed command reads the policy
// from: the JSON on standard output, saved there.
const dlmPolicyFile = "dlm-policy.json"

// dlm prints the DLM policy that repeats the copy the requests make: the
// JSON on standard output (for --cli-input-json), the command that
// creates it and the profile it runs under on standard error. Nothing is
// sent: the look-ups are the account (for the role's ARN) and the KMS
// key's ARN in the destination Region.
func (c *run) dlm(reqs []model.CopyRequest, sources []model.Snapshot) int {
	ctx, cancel := context.WithTimeout(c.ctx, lookupTimeout)
	defer cancel()
	f := c.o.dlm.form(c.o)
	facts, err := c.dlmFacts(ctx, reqs[0], f)
	if err != nil {
		if code, ok := c.stopped(0); ok {
			return code
		}
		c.say("%s", textsafe.Clean(model.Explain(err)))
		return cmd.ExitFailed
	}
	res := validate.Recurring(reqs, sources, f, facts)
	bad := false
	for _, p := range res.Problems {
		if p.Severity == validate.Error {
			bad = true
			c.say("%s: %s", p.Field, textsafe.Clean(p.Message))
		}
	}
	if bad || !res.OK() {
		c.say("no policy printed")
		return cmd.ExitUsage
	}
	for _, p := range res.Problems {
		c.say("warning: %s: %s", p.Field, textsafe.Clean(p.Message))
	}
	rc := res.Copy
	policy, profile := rc.SourcePolicy(), c.client.Profile()
	if c.o.output == outputDLMEvent {
		policy, profile = rc.EventPolicy(), c.o.dlm.accountProfile
	}
	fmt.Fprintln(c.env.Stdout, policy.JSON())
	c.say("save the policy as %s and create it with:", dlmPolicyFile)
	c.say("  %s", model.DLMCommand(rc.SourceRegion, profile, policy, dlmPolicyFile))
	if rc.CrossAccount() && c.o.output == outputDLM {
		c.say("then, in account %s, its event policy (--output dlm-event) copies what is shared", rc.DestinationAccount)
	}
	return cmd.ExitOK
}

// dlmFacts looks up what the recurring copy needs beyond the flags: the
// caller's account, the copy's key as an ARN, and (across accounts) the
// source Region's aliases, to tell a source under the AWS managed key.
func (c *run) dlmFacts(ctx context.Context, req model.CopyRequest, f validate.RecurringForm) (validate.RecurringFacts, error) {
	facts := validate.RecurringFacts{Partition: model.Partition(req.SourceRegion)}
	var err error
	if facts.Account, err = c.client.Account(ctx); err != nil {
		return facts, fmt.Errorf("find the account for the execution role's ARN: %w", err)
	}
	key := strings.TrimSpace(req.KmsKeyID)
	if key != "" && f.DestinationAccount == "" && !strings.Contains(key, ":key/") {
		k, err := c.client.DescribeKey(ctx, req.DestinationRegion, key)
		if err != nil {
			return facts, fmt.Errorf("resolve %s to its key's ARN in %s (DLM takes key ARNs): %w", key, req.DestinationRegion, err)
		}
		facts.KeyArn, facts.KeyResolved = k.Arn, true
	}
	if f.DestinationAccount != "" {
		if facts.SourceAliases, err = c.client.KMSAliases(ctx, req.SourceRegion); err != nil {
			c.say("warning: could not list the KMS aliases of %s to tell a source under the AWS managed key: %s",
				req.SourceRegion, textsafe.Clean(model.Explain(err, model.Brief())))
		}
	}
	return facts, nil
}
