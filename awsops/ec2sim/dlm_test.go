package ec2sim

import (
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dlm"
	"github.com/aws/aws-sdk-go-v2/service/dlm/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func (h *harness) dlmWith(cfg aws.Config) *dlm.Client {
	return dlm.NewFromConfig(cfg, func(o *dlm.Options) { o.BaseEndpoint = aws.String(h.url) })
}

// dlmRole is AWSDataLifecycleManagerDefaultRole of account.
func dlmRole(account string) *string {
	return aws.String("arn:aws:iam::" + account + ":role/" + DLMDefaultRole)
}

// nightlyCopy is the snapshot policy a copy to us-east-1 under a KMS key
// becomes: daily at 03:00, keep 14, copy to us-east-1 kept 14 days, share
// with the DR account.
func nightlyCopy(cmk string) *types.PolicyDetails {
	return &types.PolicyDetails{
		PolicyType:    types.PolicyTypeValuesEbsSnapshotManagement,
		ResourceTypes: []types.ResourceTypeValues{types.ResourceTypeValuesVolume},
		TargetTags:    []types.Tag{{Key: aws.String("team"), Value: aws.String("data")}},
		Schedules: []types.Schedule{{
			Name:       aws.String("nightly to us-east-1"),
			CopyTags:   aws.Bool(true),
			TagsToAdd:  []types.Tag{{Key: aws.String("made-by"), Value: aws.String("snapcopy")}},
			CreateRule: &types.CreateRule{Interval: aws.Int32(24), IntervalUnit: types.IntervalUnitValuesHours, Times: []string{"03:00"}},
			RetainRule: &types.RetainRule{Count: aws.Int32(14)},
			CrossRegionCopyRules: []types.CrossRegionCopyRule{{
				Target: aws.String("us-east-1"), Encrypted: aws.Bool(true), CmkArn: aws.String(cmk), CopyTags: aws.Bool(true),
				RetainRule: &types.CrossRegionCopyRetainRule{Interval: aws.Int32(14), IntervalUnit: types.RetentionIntervalUnitValuesDays},
			}},
			ShareRules: []types.ShareRule{{TargetAccounts: []string{DRAccountID}}},
		}},
	}
}

// shareEvent is the DR account's event policy that copies what the first
// account shares with it.
func shareEvent(cmk string) *types.PolicyDetails {
	return &types.PolicyDetails{
		PolicyType: types.PolicyTypeValuesEventBasedPolicy,
		EventSource: &types.EventSource{Type: types.EventSourceValuesManagedCwe, Parameters: &types.EventParameters{
			EventType: types.EventTypeValuesShareSnapshot, SnapshotOwner: []string{AccountID}, DescriptionRegex: aws.String("^.*Created for policy: policy-.*$"),
		}},
		Actions: []types.Action{{Name: aws.String("copy-shared"), CrossRegionCopy: []types.CrossRegionCopyAction{{
			Target:                  aws.String("us-east-1"),
			EncryptionConfiguration: &types.EncryptionConfiguration{Encrypted: aws.Bool(true), CmkArn: aws.String(cmk)},
			RetainRule:              &types.CrossRegionCopyRetainRule{Interval: aws.Int32(30), IntervalUnit: types.RetentionIntervalUnitValuesDays},
		}}}},
	}
}

// A snapshot policy is stored as sent and answered back with its ARN and
// dates; listed, filtered, deleted; kept across a restart.
func TestLifecyclePolicyRoundTrip(t *testing.T) {
	file := t.TempDir() + "/world.json"
	h := newHarness(t, Options{Seed: 1, StateFile: file})
	c := h.dlmWith(h.config("us-west-2"))
	cmk, _ := h.sim.KMSKeyArn("us-east-1", "alias/backup")
	details := nightlyCopy(cmk)
	out, err := c.CreateLifecyclePolicy(ctx, &dlm.CreateLifecyclePolicyInput{ExecutionRoleArn: dlmRole(AccountID), Description: aws.String("nightly copy of db volumes"),
		State: types.SettablePolicyStateValuesEnabled, PolicyDetails: details, Tags: map[string]string{"made-by": "snapcopy"}})
	if err != nil {
		t.Fatal(err)
	}
	if !reDLMPolicyID.MatchString(*out.PolicyId) {
		t.Fatalf("policy id %q", *out.PolicyId)
	}
	h2 := newHarness(t, Options{Seed: 1, StateFile: file}) // a restart
	c2 := h2.dlmWith(h2.config("us-west-2"))
	got, err := c2.GetLifecyclePolicy(ctx, &dlm.GetLifecyclePolicyInput{PolicyId: out.PolicyId})
	if err != nil {
		t.Fatal(err)
	}
	p := got.Policy
	if !reflect.DeepEqual(p.PolicyDetails, details) {
		t.Errorf("PolicyDetails did not round-trip:\n got %+v\nwant %+v", p.PolicyDetails.Schedules, details.Schedules)
	}
	wantArn := "arn:aws:dlm:us-west-2:" + AccountID + ":policy/" + *out.PolicyId
	if *p.PolicyArn != wantArn || p.State != types.GettablePolicyStateValuesEnabled || *p.ExecutionRoleArn != *dlmRole(AccountID) ||
		!p.DateCreated.Equal(t0) || !p.DateModified.Equal(t0) || p.Tags["made-by"] != "snapcopy" || *p.Description != "nightly copy of db volumes" {
		t.Errorf("policy %+v", p)
	}
	for name, tc := range map[string]struct {
		in   dlm.GetLifecyclePoliciesInput
		want int
	}{
		"all":                 {dlm.GetLifecyclePoliciesInput{}, 1},
		"by id":               {dlm.GetLifecyclePoliciesInput{PolicyIds: []string{*out.PolicyId}}, 1},
		"enabled, team=data":  {dlm.GetLifecyclePoliciesInput{State: types.GettablePolicyStateValuesEnabled, TargetTags: []string{"team=data"}}, 1},
		"disabled":            {dlm.GetLifecyclePoliciesInput{State: types.GettablePolicyStateValuesDisabled}, 0},
		"instances":           {dlm.GetLifecyclePoliciesInput{ResourceTypes: []types.ResourceTypeValues{types.ResourceTypeValuesInstance}}, 0},
		"tags to add":         {dlm.GetLifecyclePoliciesInput{TagsToAdd: []string{"made-by=snapcopy"}}, 1},
		"default volume ones": {dlm.GetLifecyclePoliciesInput{DefaultPolicyType: types.DefaultPoliciesTypeValuesVolume}, 0},
	} {
		list, err := c2.GetLifecyclePolicies(ctx, &tc.in)
		if err != nil || len(list.Policies) != tc.want {
			t.Errorf("%s: %d policies, %v; want %d", name, len(list.Policies), err, tc.want)
			continue
		}
		if tc.want == 1 && (list.Policies[0].PolicyType != types.PolicyTypeValuesEbsSnapshotManagement || *list.Policies[0].PolicyId != *out.PolicyId) {
			t.Errorf("%s: summary %+v", name, list.Policies[0])
		}
	}
	// Another Region and another account see none of it.
	if list, _ := h2.dlmWith(h2.config("eu-west-1")).GetLifecyclePolicies(ctx, &dlm.GetLifecyclePoliciesInput{}); len(list.Policies) != 0 {
		t.Error("eu-west-1 lists a us-west-2 policy")
	}
	if _, err := h2.dlmWith(h2.assume("us-west-2", DRRoleArn)).GetLifecyclePolicy(ctx, &dlm.GetLifecyclePolicyInput{PolicyId: out.PolicyId}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("the DR account reads the first's policy: %v", err)
	}
	if _, err := c2.DeleteLifecyclePolicy(ctx, &dlm.DeleteLifecyclePolicyInput{PolicyId: out.PolicyId}); err != nil {
		t.Fatal(err)
	}
	_, err = c2.GetLifecyclePolicy(ctx, &dlm.GetLifecyclePolicyInput{PolicyId: out.PolicyId})
	var nf *types.ResourceNotFoundException
	var re *smithyhttp.ResponseError
	if !errors.As(err, &nf) || !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusNotFound || nf.ResourceIds[0] != *out.PolicyId {
		t.Errorf("a deleted policy: %v", err)
	}
}

// The cross-account pair: the DR account's event policy, under its own
// execution role and key.
func TestEventPolicyInTheDRAccount(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.dlmWith(h.assume("us-west-2", DRRoleArn))
	details := shareEvent(drKey(t, h, "us-east-1", "alias/dr-backup"))
	out, err := c.CreateLifecyclePolicy(ctx, &dlm.CreateLifecyclePolicyInput{ExecutionRoleArn: dlmRole(DRAccountID), Description: aws.String("copy what ops shares"),
		State: types.SettablePolicyStateValuesEnabled, PolicyDetails: details})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetLifecyclePolicy(ctx, &dlm.GetLifecyclePolicyInput{PolicyId: out.PolicyId})
	if err != nil || !reflect.DeepEqual(got.Policy.PolicyDetails, details) || !strings.Contains(*got.Policy.PolicyArn, ":"+DRAccountID+":") {
		t.Fatalf("event policy: %+v %v", got, err)
	}
	if list, _ := h.dlmWith(h.config("us-west-2")).GetLifecyclePolicies(ctx, &dlm.GetLifecyclePoliciesInput{}); len(list.Policies) != 0 {
		t.Error("the first account lists the DR account's policy")
	}
}

// Every rule DLM's model and reference state, one row each: refused with
// InvalidRequestException, and nothing created.
func TestLifecyclePolicyRules(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.dlmWith(h.config("us-west-2"))
	cmk, _ := h.sim.KMSKeyArn("us-east-1", "alias/backup")
	westKey, _ := h.sim.KMSKeyArn("us-west-2", "alias/backup")
	with := func(change func(d *types.PolicyDetails)) *types.PolicyDetails {
		d := nightlyCopy(cmk)
		change(d)
		return d
	}
	rule := func(d *types.PolicyDetails) *types.CrossRegionCopyRule {
		return &d.Schedules[0].CrossRegionCopyRules[0]
	}
	cases := []struct {
		name        string
		role, desc  *string
		state       types.SettablePolicyStateValues
		details     *types.PolicyDetails
		defaultType types.DefaultPolicyTypeValues
	}{
		{name: "description with !", desc: aws.String("nightly copy!")},
		{name: "description of 501 characters", desc: aws.String(strings.Repeat("d", 501))},
		{name: "state PAUSED", state: "PAUSED"},
		{name: "a role that does not exist", role: aws.String("arn:aws:iam::" + AccountID + ":role/nope")},
		{name: "another account's role", role: dlmRole(DRAccountID)},
		{name: "not a role ARN", role: aws.String("AWSDataLifecycleManagerDefaultRole")},
		{name: "a default policy", defaultType: types.DefaultPolicyTypeValuesVolume},
		{name: "four copy rules", details: with(func(d *types.PolicyDetails) {
			r := d.Schedules[0].CrossRegionCopyRules[0]
			d.Schedules[0].CrossRegionCopyRules = []types.CrossRegionCopyRule{r, r, r, r}
		})},
		{name: "Target and TargetRegion", details: with(func(d *types.PolicyDetails) { rule(d).TargetRegion = aws.String("us-east-1") })},
		{name: "an alias as CmkArn", details: with(func(d *types.PolicyDetails) { rule(d).CmkArn = aws.String("alias/backup") })},
		{name: "a key of another Region", details: with(func(d *types.PolicyDetails) { rule(d).CmkArn = aws.String(westKey) })},
		{name: "a copy kept by count", details: with(func(d *types.PolicyDetails) {
			rule(d).RetainRule = &types.CrossRegionCopyRetainRule{Interval: aws.Int32(14)}
		})},
		{name: "a target that is not a Region", details: with(func(d *types.PolicyDetails) { rule(d).Target = aws.String("virginia") })},
		{name: "every 5 hours", details: with(func(d *types.PolicyDetails) { d.Schedules[0].CreateRule.Interval = aws.Int32(5) })},
		{name: "interval and cron", details: with(func(d *types.PolicyDetails) {
			d.Schedules[0].CreateRule.CronExpression = aws.String("cron(0 3 * * ? *)")
		})},
		{name: "a time of 3:00", details: with(func(d *types.PolicyDetails) { d.Schedules[0].CreateRule.Times = []string{"3:00"} })},
		{name: "count and age", details: with(func(d *types.PolicyDetails) {
			d.Schedules[0].RetainRule.Interval, d.Schedules[0].RetainRule.IntervalUnit = aws.Int32(7), types.RetentionIntervalUnitValuesDays
		})},
		{name: "keep 1001", details: with(func(d *types.PolicyDetails) { d.Schedules[0].RetainRule.Count = aws.Int32(1001) })},
		{name: "five schedules", details: with(func(d *types.PolicyDetails) {
			s := d.Schedules[0]
			d.Schedules = []types.Schedule{s, s, s, s, s}
		})},
		{name: "no target tags", details: with(func(d *types.PolicyDetails) { d.TargetTags = nil })},
		{name: "a schedule name with /", details: with(func(d *types.PolicyDetails) { d.Schedules[0].Name = aws.String("nightly/us-east-1") })},
		{name: "share with a malformed account", details: with(func(d *types.PolicyDetails) { d.Schedules[0].ShareRules[0].TargetAccounts = []string{"1111"} })},
		{name: "event policy with schedules", details: func() *types.PolicyDetails {
			d := shareEvent(cmk)
			d.Schedules = nightlyCopy(cmk).Schedules
			return d
		}()},
		{name: "event policy with a malformed owner", details: func() *types.PolicyDetails {
			d := shareEvent(cmk)
			d.EventSource.Parameters.SnapshotOwner = []string{"1234"}
			return d
		}()},
		{name: "event policy with a bad regex", details: func() *types.PolicyDetails {
			d := shareEvent(cmk)
			d.EventSource.Parameters.DescriptionRegex = aws.String("([")
			return d
		}()},
	}
	for _, tc := range cases {
		in := &dlm.CreateLifecyclePolicyInput{ExecutionRoleArn: dlmRole(AccountID), Description: aws.String("nightly copy"), State: types.SettablePolicyStateValuesEnabled,
			PolicyDetails: nightlyCopy(cmk), DefaultPolicy: tc.defaultType}
		if tc.role != nil {
			in.ExecutionRoleArn = tc.role
		}
		if tc.desc != nil {
			in.Description = tc.desc
		}
		if tc.state != "" {
			in.State = tc.state
		}
		if tc.details != nil {
			in.PolicyDetails = tc.details
		}
		_, err := c.CreateLifecyclePolicy(ctx, in)
		var ir *types.InvalidRequestException
		if !errors.As(err, &ir) {
			t.Errorf("%s: %v, want InvalidRequestException", tc.name, err)
		}
	}
	if list, err := c.GetLifecyclePolicies(ctx, &dlm.GetLifecyclePoliciesInput{}); err != nil || len(list.Policies) != 0 {
		t.Errorf("refused policies were created: %d %v", len(list.Policies), err)
	}
}

// Encrypted is required by the model: a client that leaves it out (the
// SDK refuses to) is answered InvalidRequestException, 400, with
// X-Amzn-ErrorType.
func TestLifecyclePolicyWireErrors(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	body := `{"ExecutionRoleArn":"arn:aws:iam::` + AccountID + `:role/` + DLMDefaultRole + `","Description":"x","State":"ENABLED",
		"PolicyDetails":{"ResourceTypes":["VOLUME"],"TargetTags":[{"Key":"a","Value":"b"}],
		"Schedules":[{"CreateRule":{"Interval":12,"IntervalUnit":"HOURS"},"CrossRegionCopyRules":[{"Target":"us-east-1"}]}]}}`
	req, _ := http.NewRequest(http.MethodPost, h.url+"/policies", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-west-2/dlm/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("X-Amzn-ErrorType") != "InvalidRequestException" || !strings.Contains(string(b), "Encrypted is required") {
		t.Errorf("%d %q %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), b)
	}
	// Denied, as many credentials are.
	h.sim.SetFaults(Faults{DenyPermission: true, Actions: []string{"CreateLifecyclePolicy"}})
	_, err = h.dlmWith(h.config("us-west-2")).CreateLifecyclePolicy(ctx, &dlm.CreateLifecyclePolicyInput{ExecutionRoleArn: dlmRole(AccountID),
		Description: aws.String("x"), State: types.SettablePolicyStateValuesEnabled, PolicyDetails: nightlyCopy("arn:aws:kms:us-east-1:" + AccountID + ":key/x")})
	var re *smithyhttp.ResponseError
	if apiCode(err) != "AccessDeniedException" || !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusForbidden {
		t.Errorf("denied: %v", err)
	}
}

// DLM's quota of policies per account and Region: the next one is
// LimitExceededException (429).
func TestLifecyclePolicyLimit(t *testing.T) {
	h := newHarness(t, Options{Seed: 1})
	c := h.dlmWith(h.config("us-west-2"))
	cmk, _ := h.sim.KMSKeyArn("us-east-1", "alias/backup")
	in := &dlm.CreateLifecyclePolicyInput{ExecutionRoleArn: dlmRole(AccountID), Description: aws.String("p"), State: types.SettablePolicyStateValuesDisabled, PolicyDetails: nightlyCopy(cmk)}
	for i := 0; i < dlmMaxPolicies; i++ {
		if _, err := c.CreateLifecyclePolicy(ctx, in); err != nil {
			t.Fatalf("policy %d: %v", i+1, err)
		}
	}
	_, err := c.CreateLifecyclePolicy(ctx, in)
	var le *types.LimitExceededException
	if !errors.As(err, &le) {
		t.Errorf("policy %d: %v, want LimitExceededException", dlmMaxPolicies+1, err)
	}
}
