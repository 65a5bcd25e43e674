package validate

import (
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

const (
	recAccount = "123456789012"
	recDRAcct  = "111122223333"
	recKeyE1   = "arn:aws:kms:us-east-1:123456789012:key/0e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7"
	recDRKey   = "arn:aws:kms:us-east-1:111122223333:key/9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4"
	recManaged = "arn:aws:kms:us-west-2:123456789012:key/aaaaaaaa-0000-0000-0000-000000000001"
)

// recReq is a copy the form validated: us-west-2 to us-east-1, encrypted
// with alias/dr.
func recReq() model.CopyRequest {
	return model.CopyRequest{
		SourceRegion: "us-west-2", DestinationRegion: "us-east-1", SourceSnapshotID: "snap-0123456789abcdef0",
		Description: "db nightly", Encrypted: true, KmsKeyID: "alias/dr",
	}
}

func recSource() model.Snapshot {
	return model.Snapshot{ID: "snap-0123456789abcdef0", Region: "us-west-2", VolumeID: "vol-0123456789abcdef0", State: model.StateCompleted,
		Encrypted: true, KmsKeyID: recManaged}
}

func recForm() RecurringForm {
	return RecurringForm{TargetTag: "backup=nightly", Schedule: "daily@03:00", Retain: "14", DestRetain: "30d", CopyTags: true}
}

func recFacts() RecurringFacts {
	return RecurringFacts{Account: recAccount, Partition: "aws", KeyArn: recKeyE1, KeyResolved: true}
}

func recCheck(edit func(*model.CopyRequest, *RecurringForm, *RecurringFacts)) RecurringResult {
	req, f, facts := recReq(), recForm(), recFacts()
	if edit != nil {
		edit(&req, &f, &facts)
	}
	return Recurring([]model.CopyRequest{req}, []model.Snapshot{recSource()}, f, facts)
}

func TestRecurringBuildsThePolicy(t *testing.T) {
	res := recCheck(nil)
	if !res.OK() {
		t.Fatalf("not OK: pending %q, problems %v", res.Pending, res.Problems)
	}
	p := res.Copy.SourcePolicy()
	s := p.PolicyDetails.Schedules[0]
	rule := s.CrossRegionCopyRules[0]
	switch {
	case p.ExecutionRoleArn != "arn:aws:iam::123456789012:role/AWSDataLifecycleManagerDefaultRole":
		t.Errorf("role %q", p.ExecutionRoleArn)
	case p.Description != "db nightly" || s.Name != "db nightly":
		t.Errorf("description %q, schedule %q: want the copy's description", p.Description, s.Name)
	case p.PolicyDetails.TargetTags[0] != model.Tag{Key: "backup", Value: "nightly"}:
		t.Errorf("target tags %v", p.PolicyDetails.TargetTags)
	case s.CreateRule.Interval != 24 || s.CreateRule.IntervalUnit != "HOURS" || len(s.CreateRule.Times) != 1 || s.CreateRule.Times[0] != "03:00":
		t.Errorf("create rule %+v: daily@03:00 is 24 hours from 03:00", s.CreateRule)
	case s.RetainRule != model.DLMRetainRule{Count: 14}:
		t.Errorf("retain rule %+v", s.RetainRule)
	case rule.Target != "us-east-1" || !rule.Encrypted || rule.CmkArn != recKeyE1 || !rule.CopyTags:
		t.Errorf("copy rule %+v", rule)
	case *rule.RetainRule != model.DLMAgeRule{Interval: 30, IntervalUnit: "DAYS"}:
		t.Errorf("copy retain %+v", rule.RetainRule)
	}
}

// Each rule of DLM the checks know, broken: the message names the field
// and the rule, and no policy is valid.
func TestRecurringLimits(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*model.CopyRequest, *RecurringForm, *RecurringFacts)
		field Field
		says  string
	}{
		{"four copy rules", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) {
			f.AlsoTo = "eu-west-1, eu-central-1,ap-south-1"
		},
			FieldAlsoTo, "at most 3 cross-Region copy rules per schedule; this makes 4"},
		{"count at the destination", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.DestRetain = "14" },
			FieldDestRetain, "by age only"},
		{"AWS managed key across accounts", func(r *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) {
			r.KmsKeyID = "alias/aws/ebs"
			f.DestinationAccount = recDRAcct
		}, FieldKmsKey, "AWS managed key: it cannot be used across accounts"},
		{"source under the AWS managed key across accounts", func(r *model.CopyRequest, f *RecurringForm, fa *RecurringFacts) {
			r.KmsKeyID = recDRKey
			f.DestinationAccount = recDRAcct
			fa.SourceAliases = []model.KMSAlias{{Name: "alias/aws/ebs", TargetKeyID: "aaaaaaaa-0000-0000-0000-000000000001"}}
		}, FieldAccount, "cannot share snapshots under an AWS managed key"},
		{"description outside [0-9A-Za-z _-]", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.Name = "db: nightly (prod)" },
			FieldPolicyName, `only letters, digits, spaces, _ and - (DLM's rule [0-9A-Za-z _-]), not ":()": for example "db nightly prod"`},
		{"description too long", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.Name = strings.Repeat("a", 121) },
			FieldPolicyName, "121 characters; DLM takes at most 120"},
		{"interval not allowed", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.Schedule = "5h" },
			FieldSchedule, "every 1, 2, 3, 4, 6, 8, 12 or 24 hours, not every 5h"},
		{"start time", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.Schedule = "daily@24:00" },
			FieldSchedule, "UTC time hh:mm"},
		{"cron pattern", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.Schedule = "cron(0 3)" },
			FieldSchedule, "11 to 100 characters inside"},
		{"cron fields", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.Schedule = "cron(0 3 * * * *)" },
			FieldSchedule, "one of day-of-month and day-of-week must be ?"},
		{"cron five fields", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.Schedule = "cron(10 13 1 JAN ?)" },
			FieldSchedule, "6 fields"},
		{"cron more than hourly", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.Schedule = "cron(0/15 * * * ? *)" },
			FieldSchedule, "at most once an hour"},
		{"cron hour out of range", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.Schedule = "cron(0 25 * * ? *)" },
			FieldSchedule, `hours "25" is not from 0 to 23`},
		{"retain count over 1000", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.Retain = "1001" },
			FieldRetain, "from 1 to 1000 snapshots"},
		{"retain age over 100 years", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.Retain = "101y" },
			FieldRetain, "from 1 to 100 years"},
		{"destination age over 100 years", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.DestRetain = "36501d" },
			FieldDestRetain, "from 1 to 36500 days"},
		{"destination retention missing", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.DestRetain = "" },
			FieldDestRetain, "is required"},
		{"no target tag", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.TargetTag = "" },
			FieldTargetTag, "KEY=VALUE"},
		{"target tag aws:", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.TargetTag = "aws:x=1" },
			FieldTargetTag, "aws:"},
		{"Local Zone destination", func(r *model.CopyRequest, _ *RecurringForm, _ *RecurringFacts) {
			r.DestinationAvailabilityZone = "us-east-1-bos-1a"
		},
			FieldDestination, "not to Local Zone us-east-1-bos-1a"},
		{"same Region", func(r *model.CopyRequest, _ *RecurringForm, fa *RecurringFacts) {
			r.DestinationRegion, r.KmsKeyID = "us-west-2", ""
		}, FieldDestination, "already in us-west-2"},
		{"alias across accounts", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.DestinationAccount = recDRAcct },
			FieldKmsKey, "by its ARN"},
		{"role of another account", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) {
			f.Role = "arn:aws:iam::999999999999:role/x"
		}, FieldRole, "needs a role of its own"},
		{"role not a name", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) { f.Role = "no spaces allowed" },
			FieldRole, "not a role name"},
		{"account id", func(r *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) {
			r.KmsKeyID = ""
			f.DestinationAccount = "1111"
		}, FieldAccount, "12-digit"},
		{"46 tags", func(_ *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) {
			for i := range 46 {
				f.Tags = append(f.Tags, model.Tag{Key: "k" + strings.Repeat("x", i), Value: "v"})
			}
		}, FieldTags, "at most 45 tags"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := recCheck(c.edit)
			if res.OK() {
				t.Fatalf("OK with %s", c.name)
			}
			var got []string
			for _, p := range res.Problems {
				if p.Field == c.field && p.Severity == Error && strings.Contains(p.Message, c.says) {
					return
				}
				got = append(got, p.String())
			}
			t.Errorf("want a %s error saying %q; got %q (pending %q)", c.field, c.says, got, res.Pending)
		})
	}
}

func TestRecurringWaitsForTheKeysARN(t *testing.T) {
	res := recCheck(func(_ *model.CopyRequest, _ *RecurringForm, fa *RecurringFacts) {
		fa.KeyArn, fa.KeyResolved = "", false
	})
	if res.OK() || !strings.Contains(res.Pending, "resolving alias/dr to its key's ARN in us-east-1") {
		t.Errorf("pending %q, OK %v", res.Pending, res.OK())
	}
	// A key ARN needs no look-up.
	res = recCheck(func(r *model.CopyRequest, _ *RecurringForm, fa *RecurringFacts) {
		r.KmsKeyID, fa.KeyArn, fa.KeyResolved = recKeyE1, "", false
	})
	if !res.OK() || res.Copy.Copies[0].KeyArn != recKeyE1 {
		t.Errorf("a key ARN: OK %v, %v, %+v", res.OK(), res.Problems, res.Copy.Copies)
	}
}

func TestRecurringSaysDurationIsNoDLMSetting(t *testing.T) {
	res := recCheck(func(r *model.CopyRequest, _ *RecurringForm, _ *RecurringFacts) { r.CompletionDurationMinutes = 60 })
	if !res.OK() {
		t.Fatalf("a warning blocks: %v", res.Problems)
	}
	if ps := (Result{Problems: res.Problems}).For(FieldDuration); len(ps) != 1 || !strings.Contains(ps[0].Message, "no completion duration") {
		t.Errorf("duration: %v", ps)
	}
}

func TestRecurringCrossAccountPair(t *testing.T) {
	res := recCheck(func(r *model.CopyRequest, f *RecurringForm, _ *RecurringFacts) {
		r.KmsKeyID = recDRKey
		f.DestinationAccount = recDRAcct
	})
	if !res.OK() {
		t.Fatalf("not OK: %v %q", res.Problems, res.Pending)
	}
	src, ev := res.Copy.SourcePolicy(), res.Copy.EventPolicy()
	s := src.PolicyDetails.Schedules[0]
	if len(s.CrossRegionCopyRules) != 0 || len(s.ShareRules) != 1 || s.ShareRules[0].TargetAccounts[0] != recDRAcct {
		t.Errorf("source policy shares: %+v", s)
	}
	d := ev.PolicyDetails
	cp := d.Actions[0].CrossRegionCopy[0]
	switch {
	case ev.ExecutionRoleArn != "arn:aws:iam::111122223333:role/AWSDataLifecycleManagerDefaultRole":
		t.Errorf("event role %q", ev.ExecutionRoleArn)
	case d.PolicyType != "EVENT_BASED_POLICY" || d.EventSource.Type != "MANAGED_CWE" || d.EventSource.Parameters.EventType != "shareSnapshot":
		t.Errorf("event source %+v", d.EventSource)
	case d.EventSource.Parameters.SnapshotOwner[0] != recAccount:
		t.Errorf("owner %v", d.EventSource.Parameters.SnapshotOwner)
	case d.EventSource.Parameters.DescriptionRegex != "^.*Created for policy: policy-[0-9a-f]+.*$":
		t.Errorf("regex %q", d.EventSource.Parameters.DescriptionRegex)
	case cp.Target != "us-east-1" || cp.EncryptionConfiguration.CmkArn != recDRKey || cp.RetainRule.Interval != 30:
		t.Errorf("copy action %+v", cp)
	}
}

// The document check catches what the fields alone could not send: a
// policy edited by hand, say.
func TestDLMPolicyDocument(t *testing.T) {
	good := recCheck(nil).Copy.SourcePolicy()
	if ps := DLMPolicy(good); len(ps) != 0 {
		t.Fatalf("a good policy: %v", ps)
	}
	cases := []struct {
		name string
		edit func(*model.DLMPolicy)
		says string
	}{
		{"four copy rules", func(p *model.DLMPolicy) {
			s := &p.PolicyDetails.Schedules[0]
			for _, r := range []string{"eu-west-1", "eu-central-1", "ap-south-1"} {
				s.CrossRegionCopyRules = append(s.CrossRegionCopyRules, model.DLMCopyRule{Target: r, Encrypted: true})
			}
		}, "CrossRegionCopyRules has 4 rules; DLM takes at most 3"},
		{"alias as CmkArn", func(p *model.DLMPolicy) {
			p.PolicyDetails.Schedules[0].CrossRegionCopyRules[0].CmkArn = "arn:aws:kms:us-east-1:123456789012:alias/dr"
		}, "DLM takes key ARNs, not aliases"},
		{"key of another Region", func(p *model.DLMPolicy) {
			p.PolicyDetails.Schedules[0].CrossRegionCopyRules[0].CmkArn = keyARNWest
		}, "is a key of us-west-2; the copies are made in us-east-1"},
		{"interval", func(p *model.DLMPolicy) { p.PolicyDetails.Schedules[0].CreateRule.Interval = 48 }, "Interval is 48"},
		{"description", func(p *model.DLMPolicy) { p.Description = "a/b" }, "Description may hold only"},
		{"retain count", func(p *model.DLMPolicy) { p.PolicyDetails.Schedules[0].RetainRule.Count = 0 }, "IntervalUnit"},
		{"role", func(p *model.DLMPolicy) { p.ExecutionRoleArn = "AWSDataLifecycleManagerDefaultRole" }, "not an IAM role ARN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := recCheck(nil).Copy.SourcePolicy()
			c.edit(&p)
			ps := DLMPolicy(p)
			for _, pr := range ps {
				if pr.Field == FieldPolicy && strings.Contains(pr.Message, c.says) {
					return
				}
			}
			t.Errorf("want %q; got %v", c.says, ps)
		})
	}
}

func TestScheduleForms(t *testing.T) {
	cases := map[string]model.Recurrence{
		"12h":                     {Hours: 12},
		"every 6 hours":           {Hours: 6},
		"12h@1:30":                {Hours: 12, At: "01:30"},
		"daily":                   {Hours: 24},
		"Daily@03:00":             {Hours: 24, At: "03:00"},
		"cron(0 3 ? * MON-FRI *)": {Cron: "cron(0 3 ? * MON-FRI *)"},
		"cron(30 1 L * ? *)":      {Cron: "cron(30 1 L * ? *)"},
		"cron(0 12 ? * 6#3 *)":    {Cron: "cron(0 12 ? * 6#3 *)"},
	}
	for in, want := range cases {
		got, ps := Schedule(in)
		if len(ps) > 0 || got != want {
			t.Errorf("Schedule(%q) = %+v, %v; want %+v", in, got, ps, want)
		}
	}
}

func TestDLMText(t *testing.T) {
	if got := DLMText("Copy of snap-0abc (db): nightly/prod"); got != "Copy of snap-0abc db nightly prod" {
		t.Errorf("DLMText = %q", got)
	}
}
