package awsops_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/validate"
)

// The look-up before a resend pages (MaxResults) and filters by the
// request tag, so it stays cheap on an account with many snapshots.
func TestSimFindByRequestIDPagesAndFilters(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 3, VisibilityLag: -1})
	srv.ResetCounts()
	if _, ok, err := c.FindByRequestID(context.Background(), "us-east-1", "sc-00000000000000ff"); ok || err != nil {
		t.Fatalf("FindByRequestID of an unknown request = %v, %v", ok, err)
	}
	reqs := srv.Requests("DescribeSnapshots")
	if len(reqs) != 1 {
		t.Fatalf("%d DescribeSnapshots requests, want 1", len(reqs))
	}
	p := reqs[0].Params
	if p.Get("MaxResults") != "1000" || p.Get("Filter.1.Name") != "tag:snapcopy:request-id" || p.Get("Filter.1.Value.1") != "sc-00000000000000ff" {
		t.Errorf("the look-up sent %v; want MaxResults=1000 and the request-tag filter", p)
	}
}

// RestorableByUserIds=self returns the account's own snapshots too (AWS and
// the simulator alike): the shared view leaves them out.
func TestSimSharedViewLeavesOutOwnSnapshots(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults ec2sim.Faults
	}{
		{"caller from STS", ec2sim.Faults{}},
		// Without STS the owner of an owned snapshot names the account.
		{"STS unreachable", ec2sim.Faults{ExpiredCredentials: true, Actions: []string{"GetCallerIdentity"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _, c := simClient(t, ec2sim.Options{Seed: 1})
			srv.SetFaults(tc.faults)
			shared, err := c.ListSnapshots(context.Background(), "us-west-2", awsops.SharedWithMe, nil)
			if err != nil {
				t.Fatalf("shared: %v", err)
			}
			if len(shared) != 3 {
				t.Errorf("shared view lists %d snapshots, want the 3 another account shares", len(shared))
			}
			for _, s := range shared {
				if s.OwnerID != ec2sim.SharingAccountID {
					t.Errorf("shared view lists %s (%s) owned by %s", s.ID, s.Name(), s.OwnerID)
				}
			}
		})
	}
}

func TestSimAccount(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1})
	for range 2 {
		if id, err := c.Account(context.Background()); err != nil || id != ec2sim.AccountID {
			t.Fatalf("Account = %q, %v; want %s", id, err, ec2sim.AccountID)
		}
	}
	if n := srv.Count("GetCallerIdentity", "us-west-2"); n != 1 {
		t.Errorf("GetCallerIdentity asked %d times, want once", n)
	}
}

// moto, like AWS, answers RestorableByUserIds=self with the account's own
// snapshots: the shared view must hold none of them.
func TestMotoSharedViewLeavesOutOwnSnapshots(t *testing.T) {
	c := motoClient(t, "us-west-2")
	ctx := context.Background()
	motoSnapshot(t, c, "us-west-2", 8, "own one")
	motoSnapshot(t, c, "us-west-2", 16, "own two")
	if id, err := c.Account(ctx); err != nil || id != motoAccount {
		t.Fatalf("Account = %q, %v; want %s", id, err, motoAccount)
	}
	owned, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	if err != nil || len(owned) != 2 {
		t.Fatalf("owned: %d, %v", len(owned), err)
	}
	shared, err := c.ListSnapshots(ctx, "us-west-2", awsops.SharedWithMe, nil)
	if err != nil {
		t.Fatalf("shared: %v", err)
	}
	for _, s := range shared {
		t.Errorf("shared view lists the account's own %s (%q, owner %s)", s.ID, s.Description, s.OwnerID)
	}
}

// The time-based copy quota comes from Service Quotas; when it cannot be
// read, AWS's default is used and marked as such.
func TestSimTimeBasedCopyQuota(t *testing.T) {
	ctx := context.Background()
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1, TimeBasedQuotaMiBps: 3500})
	q, err := c.TimeBasedCopyQuota(ctx, "us-east-1")
	if err != nil || q.MiBps != 3500 || q.Default {
		t.Errorf("quota = %+v, %v; want 3500 MiB/s from Service Quotas", q, err)
	}
	reqs := srv.Requests("GetServiceQuota")
	if len(reqs) != 1 || reqs[0].Region != "us-east-1" || reqs[0].Params.Get("ServiceCode") != "ebs" || reqs[0].Params.Get("QuotaCode") != "L-E137849C" {
		t.Errorf("sent %+v", reqs)
	}

	srv.SetFaults(ec2sim.Faults{DenyPermission: true, Actions: []string{"GetServiceQuota"}})
	q, err = c.TimeBasedCopyQuota(ctx, "us-east-1")
	if err == nil || q.MiBps != model.DefaultTimeBasedQuotaMiBps || !q.Default {
		t.Errorf("denied: quota = %+v, %v; want the default 2000 MiB/s marked default, and the reason", q, err)
	}
	if ae, ok := model.AsAPIError(err); !ok || ae.Code != "AccessDeniedException" {
		t.Errorf("denied: error %v", err)
	}
}

// Two snapshots of one volume copied to one Region, one after the other:
// the second's preview says incremental and names the first copy; under a
// different KMS key it says full copy. The simulator agrees: the
// incremental copy finishes sooner.
func TestSimIncrementalPreview(t *testing.T) {
	ctx := context.Background()
	_, clock, c := simClient(t, ec2sim.Options{Seed: 1, VisibilityLag: -1})
	owned, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]model.Snapshot{}
	volumes := map[string]string{}
	for _, s := range owned {
		byName[s.Name()] = s
		volumes[s.ID] = s.VolumeID
	}
	day2, day3 := byName["orders-db-day2"], byName["orders-db-day3"]
	aliases, err := c.KMSAliases(ctx, "eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	facts := model.DestinationFacts{Aliases: map[string][]model.KMSAlias{"eu-west-1": aliases}}
	form := func(key string) validate.Form {
		return validate.Form{Kind: model.ToRegion, Destination: "eu-west-1", Encrypt: true, KmsKey: key}
	}
	send := func(src model.Snapshot, key string) *model.Copy {
		t.Helper()
		r := validate.Check([]model.Snapshot{src}, facts, form(key), clock.Now())
		if !r.OK() {
			t.Fatalf("form refused: %v", r.Problems)
		}
		cp := model.NewCopy(r.Requests[0], src, clock.Now())
		if err := startCopy(ctx, c, clock, cp); err != nil || cp.SnapshotID == "" {
			t.Fatalf("StartCopy: %v", err)
		}
		return cp
	}
	preview := func(src model.Snapshot, key string) validate.CopyKind {
		t.Helper()
		earlier, err := c.EarlierCopies(ctx, "eu-west-1")
		if err != nil {
			t.Fatal(err)
		}
		r := validate.Check([]model.Snapshot{src}, facts, form(key), clock.Now())
		return validate.Incremental(src, "eu-west-1", earlier, volumes, r.Outcomes[0], aliases)
	}

	if k := preview(day2, "alias/prod-ebs"); k.Incremental || !strings.Contains(k.Summary, "full copy: no earlier copy") {
		t.Errorf("first copy of the volume to eu-west-1: %q", k.Summary)
	}
	first := send(day2, "alias/prod-ebs")
	clock.Advance(2 * time.Hour) // a full 400 GiB copy at the simulated throughput
	if k := preview(day3, "alias/prod-ebs"); !k.Incremental || !strings.Contains(k.Summary, "incremental") || !strings.Contains(k.Summary, first.SnapshotID) {
		t.Errorf("second copy's preview: %q, want incremental naming %s", k.Summary, first.SnapshotID)
	}
	if k := preview(day3, "alias/backup"); k.Incremental || !strings.Contains(k.Summary, "full copy: a different KMS key") {
		t.Errorf("second copy under another key: %q, want full copy", k.Summary)
	}
	second := send(day3, "alias/prod-ebs")
	clock.Advance(15 * time.Minute)
	got, err := c.PollCopies(ctx, "eu-west-1", []string{second.SnapshotID})
	if err != nil || got[second.SnapshotID].State != model.StateCompleted {
		t.Errorf("the incremental copy after 15 minutes: %+v, %v; want completed", got[second.SnapshotID], err)
	}
}

// A copy made by snapcopy carries the three provenance tags, as the AWS CLI
// reads them back from moto.
func TestMotoCopyCarriesProvenanceTags(t *testing.T) {
	c := motoClient(t, "us-west-2")
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI (aws) is not on PATH")
	}
	ctx := context.Background()
	motoSnapshot(t, c, "us-west-2", 8, "source")
	owned, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	if err != nil || len(owned) != 1 {
		t.Fatalf("list: %v %v", owned, err)
	}
	src := owned[0]
	r := validate.Check(owned, model.DestinationFacts{}, validate.Form{Kind: model.ToRegion, Destination: "eu-central-1", Tags: []validate.TagInput{{Key: "Name", Value: "db-eu"}}}, time.Now())
	if !r.OK() {
		t.Fatalf("form refused: %v", r.Problems)
	}
	cp := model.NewCopy(r.Requests[0], src, time.Now())
	if err := (track.Starter{AWS: c}).Start(ctx, cp); err != nil {
		t.Fatalf("StartCopy: %v", err)
	}
	cmd := exec.Command("aws", "--endpoint-url", moto.url, "--region", "eu-central-1", "--output", "json",
		"ec2", "describe-snapshots", "--snapshot-ids", cp.SnapshotID)
	cmd.Env = []string{"AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=y", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true", "HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("aws ec2 describe-snapshots: %v", err)
	}
	var got struct {
		Snapshots []struct{ Tags []struct{ Key, Value string } }
	}
	if err := json.Unmarshal(out, &got); err != nil || len(got.Snapshots) != 1 {
		t.Fatalf("CLI output %s: %v", out, err)
	}
	tags := map[string]string{}
	for _, tg := range got.Snapshots[0].Tags {
		tags[tg.Key] = tg.Value
	}
	want := map[string]string{"snapcopy:source-snapshot": src.ID, "snapcopy:source-volume": src.VolumeID, "snapcopy:source-region": "us-west-2", "Name": "db-eu"}
	for k, v := range want {
		if tags[k] != v || v == "" {
			t.Errorf("tag %s = %q, want %q (all: %v)", k, tags[k], v, tags)
		}
	}
}

// Time-based copies over the Region pair's quota: the first is accepted and
// finishes late (its deadline, from AWS's StartTime, says so); a copy with
// no quota left stays queued with AWS's reason, as for the 20-copy limit.
func TestSimTimeBasedCopiesOverTheQuota(t *testing.T) {
	ctx := context.Background()
	_, clock, c := simClient(t, ec2sim.Options{Seed: 1, VisibilityLag: -1})
	owned, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]model.Snapshot{}
	for _, s := range owned {
		byName[s.Name()] = s
	}
	batch := []model.Snapshot{byName["analytics-warehouse"], byName["web-frontend-01"]}
	r := validate.Check(batch, model.DestinationFacts{}, validate.Form{Kind: model.ToRegion, Destination: "us-east-1", Duration: "15"}, clock.Now())
	if !r.Quota.Exceeds || r.Quota.FitMinutes <= 15 || len(r.For(validate.FieldDuration)) == 0 {
		t.Fatalf("the form does not name the batch over the quota: %+v %v", r.Quota, r.Problems)
	}
	big := model.NewCopy(r.Requests[0], batch[0], clock.Now())
	if err := startCopy(ctx, c, clock, big); err != nil {
		t.Fatalf("the copy over the quota is accepted by AWS: %v", err)
	}
	small := model.NewCopy(r.Requests[1], batch[1], clock.Now())
	err = startCopy(ctx, c, clock, small)
	if ae, ok := model.AsAPIError(err); !ok || ae.Code != "ResourceLimitExceeded" || small.Phase != model.PhaseQueued || !strings.Contains(small.Note, "ResourceLimitExceeded") {
		t.Errorf("copy with no quota left: %v, phase %s note %q; want queued with ResourceLimitExceeded", err, small.Phase, small.Note)
	}

	clock.Advance(20 * time.Minute)
	got, err := c.PollCopies(ctx, "us-east-1", []string{big.SnapshotID})
	if err != nil {
		t.Fatal(err)
	}
	s := got[big.SnapshotID]
	d, ok := model.DeadlineOf(s.StartTime, s.CompletionMinutes, s.CompletionTime, s.Progress, nil, clock.Now())
	if s.State != model.StatePending || !ok || !d.Late || d.LateBy != 5*time.Minute || !d.LeftKnown || d.Left <= 0 {
		t.Errorf("20 minutes into a 15-minute copy over the quota: state %s, deadline %+v; want pending, late by 5m with an estimate", s.State, d)
	}
}

// The list reads a Region in shards: the shared view there, and a find
// in it, leave out the account's own snapshots too.
func TestSimShardedSharedViewLeavesOutOwnSnapshots(t *testing.T) {
	_, _, c := simClient(t, ec2sim.Options{Seed: 1})
	ctx := context.Background()
	l := c.ListInShards(ctx, "us-west-2", awsops.SharedWithMe)
	var shared []model.Snapshot
	for {
		page, err := l.Next(ctx)
		if err != nil {
			t.Fatalf("shared listing: %v", err)
		}
		shared = append(shared, page.Snapshots...)
		if page.Done {
			break
		}
	}
	if len(shared) != 3 {
		t.Errorf("sharded shared view lists %d snapshots, want the 3 another account shares", len(shared))
	}
	for _, s := range shared {
		if s.OwnerID != ec2sim.SharingAccountID {
			t.Errorf("sharded shared view lists %s (%s) owned by %s", s.ID, s.Name(), s.OwnerID)
		}
	}
	found, err := c.FindSnapshots(ctx, "us-west-2", awsops.SharedWithMe, awsops.FindByID, "snap-")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range found {
		if s.OwnerID != ec2sim.SharingAccountID {
			t.Errorf("a find in the shared view found %s owned by %s", s.ID, s.OwnerID)
		}
	}
}
