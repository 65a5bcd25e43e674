package copy

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/cmd"
	"github.com/snapcopy/snapcopy/ui/cmd/completion"
	"github.com/snapcopy/snapcopy/ui/cmd/connect"
	"github.com/snapcopy/snapcopy/ui/textsafe"
)

// stopAfterStepEnv names a step of a copy into another account after which
// `copy` kills itself (SIGKILL) once the step is in the state file: the
// tests' way to stop it between any two steps. Never set in use.
const stopAfterStepEnv = "SNAPCOPY_TEST_KILL_AFTER_STEP"

// crossOptions are the flags of a copy into another account.
type crossOptions struct {
	toProfile    string
	reencryptKey string
	keepShare    bool
}

func (o *crossOptions) define(fs *pflag.FlagSet) {
	fs.StringVar(&o.toProfile, "to-profile", "", "make the copies in the account of AWS profile `NAME` (shared with it, then copied with its credentials)")
	completion.Profiles(fs, "to-profile")
	fs.StringVar(&o.reencryptKey, "reencrypt-key", "", "with --to-profile: the customer managed `KEY` of the source account a source under the AWS managed key is first copied under (it cannot be shared)")
	fs.BoolVar(&o.keepShare, "keep-share", false, "with --to-profile: keep the share (and the re-encrypted copy) once the copy completed")
}

// check checks the flags of a copy into another account with the others.
func (o *crossOptions) check(all *options) error {
	switch {
	case o.toProfile == "" && o.reencryptKey != "":
		return errors.New("--reencrypt-key: only with --to-profile")
	case o.toProfile == "" && o.keepShare:
		return errors.New("--keep-share: only with --to-profile")
	case o.toProfile != "" && (all.dryRun || isDLM(all.output)):
		return errors.New("--to-profile: not with --dry-run or --output dlm (a copy into another account is made in steps)")
	case o.toProfile != "" && (all.outpost != "" || all.localZone != ""):
		return errors.New("--to-profile: copies into another account go to a Region (--to)")
	}
	return nil
}

// crossRun is what a run of `copy --to-profile` knows of the two accounts.
type crossRun struct {
	profiles *awsops.Profiles
	dest     *awsops.Client
	// destAccount and srcAccount are the accounts' ids.
	destAccount, srcAccount string
	// into is each source's CrossAccount, by source snapshot id.
	into map[string]model.CrossAccount
}

// openDestination opens the destination profile and both accounts' ids
// (GetCallerIdentity).
func (c *run) openDestination(ctx context.Context) error {
	if c.o.cross.toProfile == "" {
		return nil
	}
	x := &crossRun{profiles: awsops.NewProfiles(c.client)}
	c.cross = x // closed by run, whatever happens next
	var err error
	if x.dest, err = x.profiles.Open(ctx, c.o.cross.toProfile); err != nil {
		return fmt.Errorf("--to-profile %s: %w", c.o.cross.toProfile, err)
	}
	if x.destAccount, err = x.dest.Account(ctx); err != nil {
		return fmt.Errorf("--to-profile %s: its account: %w", c.o.cross.toProfile, err)
	}
	if x.srcAccount, err = c.client.Account(ctx); err != nil {
		return fmt.Errorf("the source account: %w", err)
	}
	if x.destAccount == x.srcAccount {
		return fmt.Errorf("--to-profile %s: it is the source's own account (%s): copy without --to-profile", c.o.cross.toProfile, x.srcAccount)
	}
	return nil
}

// destClient is the client of the destination account: the one its
// Regions' facts (encryption default, aliases, keys) and copies are read with.
func (c *run) destClient() *awsops.Client {
	if c.cross != nil {
		return c.cross.dest
	}
	return c.client
}

// lockAccount is the account part of a copy's host lock: the destination
// account too for a copy into another account.
func (c *run) lockAccount(source string) string {
	if c.cross != nil {
		return source + ">" + c.cross.destAccount
	}
	return source
}

// sameAccount keeps the tracked copies made in the run's destination
// account: only those can duplicate its copies.
func (c *run) sameAccount(tracked []*model.Copy) []*model.Copy {
	if c.cross != nil {
		return model.MadeIn(tracked, c.cross.destAccount)
	}
	return model.MadeIn(tracked, "")
}

// planCross checks each source's way into the other account before
// anything is sent (awsops.CheckCross): a source under the AWS managed key
// needs --reencrypt-key (a customer managed key of the source account);
// the shared key's policy must let the destination account use it, else
// the statements to add are printed. It prints the steps of each copy. A
// rule broken exits 2, nothing sent.
func (c *run) planCross(ctx context.Context, reqs []model.CopyRequest, sources []model.Snapshot) (int, bool) {
	if c.cross == nil {
		return 0, true
	}
	c.cross.into = map[string]model.CrossAccount{}
	bad := false
	for _, r := range reqs {
		i := slices.IndexFunc(sources, func(s model.Snapshot) bool { return s.ID == r.SourceSnapshotID })
		if i < 0 {
			continue
		}
		s := sources[i]
		cc, err := c.client.CheckCross(ctx, s, c.cross.destAccount, c.o.cross.reencryptKey)
		var ke *awsops.CrossKeyError
		switch {
		case errors.As(err, &ke) && ke.Reencrypt:
			c.say("--reencrypt-key %s: %s", textsafe.Clean(ke.Key), textsafe.Clean(model.Explain(ke.Err, model.Brief())))
		case errors.As(err, &ke):
			c.say("source: %s: its KMS key %s: %s", textsafe.Clean(s.ID), textsafe.Clean(ke.Key), textsafe.Clean(model.Explain(ke.Err, model.Brief())))
		case err != nil:
			c.say("source: %s: %s", textsafe.Clean(s.ID), textsafe.Clean(model.Explain(err, model.Brief())))
		}
		if err != nil {
			bad = true
			continue
		}
		if !cc.Facts.SourceKeyAWSManaged && c.o.cross.reencryptKey != "" {
			c.say("warning: --reencrypt-key: %s is not under the AWS managed key: it is shared as it is", textsafe.Clean(s.ID))
		}
		x := model.CrossAccount{
			DestinationProfile: c.o.cross.toProfile, DestinationAccount: c.cross.destAccount,
			SourceAccount: c.cross.srcAccount, KeepShare: c.o.cross.keepShare,
			SourceKey: cc.SourceKey, ReencryptKey: cc.ReencryptKey,
		}
		cc.Facts.DestinationKey = r.KmsKeyID
		steps, err := model.PlanCrossAccount(s.ID, x, cc.Facts)
		if err != nil {
			c.say("source: %s", textsafe.Clean(err.Error()))
			bad = true
			continue
		}
		c.say("%s into account %s (profile %s), in steps:", textsafe.Clean(s.ID), c.cross.destAccount, textsafe.Clean(c.o.cross.toProfile))
		for n, st := range steps {
			c.say("  %d. %s", n+1, textsafe.Clean(st.Text))
		}
		if c.keyPolicyRefused(x, cc) {
			bad = true
		}
		c.cross.into[s.ID] = x
	}
	if bad {
		c.say("nothing was sent")
		return cmd.ExitUsage, false
	}
	return 0, true
}

// keyPolicyRefused says what the shared key's policy lacks for the
// destination account: the statements to add, with who may add them, or
// the Deny in the way; true when the copy must not go. A policy snapcopy
// may not read is a warning: the copy goes on, and fails with AWS's
// "Given key ID is not accessible" if the policy lacks them.
func (c *run) keyPolicyRefused(x model.CrossAccount, cc awsops.CrossCheck) bool {
	key := x.SharedKey()
	switch {
	case key == "":
		return false
	case errors.Is(cc.PolicyErr, model.ErrKeyPolicyDenies):
		c.say("the policy of KMS key %s: %s", textsafe.Clean(key), cc.PolicyErr)
		return true
	case cc.PolicyErr != nil:
		c.say("warning: could not read the policy of KMS key %s: %s; the copy fails later if it does not let account %s use the key",
			textsafe.Clean(key), textsafe.Clean(model.Explain(cc.PolicyErr, model.Brief())), c.cross.destAccount)
		return false
	case len(cc.Facts.MissingStatements) == 0:
		return false
	}
	c.say("the policy of KMS key %s does not let account %s use the key for the copy; add these statements to its Statement list "+
		"(an administrator of the key in account %s, with kms:PutKeyPolicy: aws kms put-key-policy --key-id KEY --policy-name default --policy file://policy.json), then run again:",
		textsafe.Clean(key), c.cross.destAccount, c.cross.srcAccount)
	for _, line := range strings.Split(model.StatementsJSON(cc.Facts.MissingStatements), "\n") {
		fmt.Fprintln(c.env.Stderr, line)
	}
	return true
}

// crossInto makes cp a copy into the other account, as planned.
func (c *run) crossInto(cp *model.Copy) {
	if c.cross == nil {
		return
	}
	if x, ok := c.cross.into[cp.Request.SourceSnapshotID]; ok {
		cp.StartCrossAccount(x)
	}
}

// trackerOptions are the tracker's options of the run: the accounts of
// copies into other accounts, and the tests' stop between two steps.
func (c *run) trackerOptions() track.TrackerOptions {
	o := track.TrackerOptions{SettleDelay: c.env.SettleDelay}
	accounts, closeAccounts := connect.Accounts(c.client)
	if c.cross != nil {
		// The clients opened for the checks, closed by run.
		accounts, _ = connect.AccountsOf(c.cross.profiles)
		closeAccounts = func() {}
	}
	c.closeAccounts = closeAccounts
	o.Accounts = accounts
	if name := os.Getenv(stopAfterStepEnv); name != "" {
		o.AfterCrossStep = func(step string) {
			if step == name {
				_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {}
			}
		}
	}
	return o
}
