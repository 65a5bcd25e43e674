package awsops_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
)

// Copy timing in these tests: an 8 GiB source copies in 8*1024/60 = 137
// simulated seconds; a new copy is invisible for copyLag; an unanswered
// CopySnapshot is given copySettle to show up before it is sent again.
const (
	copyLag    = 5 * time.Second
	copySettle = 15 * time.Second
)

// copySim is a world without seeded snapshots, a manual clock, and a client.
func copySim(t *testing.T, opts ...func(*awsops.Options)) (*ec2sim.Server, *ec2sim.ManualClock, *awsops.Client) {
	t.Helper()
	return simClient(t, ec2sim.Options{Seed: 3, NoSeedWorld: true, VisibilityLag: copyLag}, opts...)
}

// startCopy moves cp one step towards running the way the tracker does,
// through the real client, on the test's clock and settle delay.
func startCopy(ctx context.Context, c *awsops.Client, clock *ec2sim.ManualClock, cp *model.Copy) error {
	return track.Starter{AWS: c, Now: clock.Now, SettleDelay: copySettle}.Start(ctx, cp)
}

// addSource puts a completed snapshot of sizeGiB into us-west-2.
func addSource(t *testing.T, srv *ec2sim.Server, n int, sizeGiB int32, edit ...func(*model.Snapshot)) model.Snapshot {
	t.Helper()
	s := model.Snapshot{
		ID:            fmt.Sprintf("snap-0%016x", 0x5000+n),
		VolumeSizeGiB: sizeGiB,
		State:         model.StateCompleted,
		Progress:      100,
		StartTime:     simStart.Add(-time.Hour),
		Tags:          []model.Tag{{Key: "Name", Value: fmt.Sprintf("source-%d", n)}},
	}
	for _, e := range edit {
		e(&s)
	}
	simtest.Add(srv, "us-west-2", s)
	got, ok := simtest.Snapshot(srv, "us-west-2", s.ID)
	if !ok {
		t.Fatalf("the simulator did not keep %s", s.ID)
	}
	return got
}

// copyOf is a queued copy of src into region.
func copyOf(src model.Snapshot, region string, clock *ec2sim.ManualClock, edit ...func(*model.CopyRequest)) *model.Copy {
	req := model.CopyRequest{DestinationRegion: region, SourceRegion: "us-west-2", SourceSnapshotID: src.ID}
	for _, e := range edit {
		e(&req)
	}
	return model.NewCopy(req, src, clock.Now())
}

func TestSimStartCopyAndPoll(t *testing.T) {
	srv, clock, c := copySim(t)
	ctx := context.Background()
	src := addSource(t, srv, 1, 8)
	cp := copyOf(src, "us-east-1", clock, func(r *model.CopyRequest) {
		r.Description = `nightly <copy> & "more"`
		r.Tags = []model.Tag{{Key: "Name", Value: "db-east"}}
	})

	if err := startCopy(ctx, c, clock, cp); err != nil {
		t.Fatalf("StartCopy: %v", err)
	}
	if cp.Phase != model.PhaseStarting || !strings.HasPrefix(cp.SnapshotID, "snap-") || cp.Attempts != 1 || !cp.SentAt.Equal(simStart) {
		t.Fatalf("after StartCopy: phase %q id %q attempts %d sent %v", cp.Phase, cp.SnapshotID, cp.Attempts, cp.SentAt)
	}
	sent := srv.Requests("CopySnapshot")
	if len(sent) != 1 || sent[0].Region != "us-east-1" {
		t.Fatalf("CopySnapshot requests %+v, want one to us-east-1", sent)
	}
	p := sent[0].Params
	if p.Get("TagSpecification.1.Tag.2.Key") != model.RequestTagKey || p.Get("TagSpecification.1.Tag.2.Value") != cp.RequestID ||
		p.Get("Description") != cp.Request.Description || p.Has("Encrypted") {
		t.Errorf("CopySnapshot sent %v", p)
	}

	// Right after CopySnapshot, AWS does not show the copy yet: absent, not an error.
	found, err := c.PollCopies(ctx, "us-east-1", []string{cp.SnapshotID})
	if err != nil || len(found) != 0 {
		t.Fatalf("PollCopies in the visibility lag = %v, %v; want nothing and no error", found, err)
	}
	if _, ok, err := c.FindByRequestID(ctx, "us-east-1", cp.RequestID); ok || err != nil {
		t.Errorf("FindByRequestID in the visibility lag = %v, %v", ok, err)
	}

	clock.Advance(copyLag)
	found, err = c.PollCopies(ctx, "us-east-1", []string{cp.SnapshotID})
	if err != nil {
		t.Fatal(err)
	}
	s, ok := found[cp.SnapshotID]
	if !ok {
		t.Fatalf("copy %s not visible after the lag", cp.SnapshotID)
	}
	if s.State != model.StatePending || s.Progress != 3 || s.Region != "us-east-1" || s.VolumeSizeGiB != 8 || s.VolumeID != "vol-ffffffff" ||
		s.Description != cp.Request.Description || s.Name() != "db-east" || s.Tag(model.RequestTagKey) != cp.RequestID ||
		s.TransferType != model.TransferStandard || s.Encrypted || !s.StartTime.Equal(simStart) {
		t.Errorf("pending copy: %+v", s)
	}
	cp.Observed(s, clock.Now())
	if cp.Phase != model.PhaseRunning || cp.Progress != 3 {
		t.Errorf("after a pending poll: phase %q progress %d", cp.Phase, cp.Progress)
	}
	if hit, ok, err := c.FindByRequestID(ctx, "us-east-1", cp.RequestID); !ok || err != nil || hit.ID != cp.SnapshotID {
		t.Errorf("FindByRequestID = %s, %v, %v", hit.ID, ok, err)
	}

	clock.Advance(140 * time.Second)
	found, err = c.PollCopies(ctx, "us-east-1", []string{cp.SnapshotID})
	if err != nil {
		t.Fatal(err)
	}
	s = found[cp.SnapshotID]
	if s.State != model.StateCompleted || s.Progress != 100 || s.CompletionTime.IsZero() || s.FullSizeBytes != src.FullSizeBytes {
		t.Errorf("completed copy: %+v", s)
	}
	cp.Observed(s, clock.Now())
	if cp.Phase != model.PhaseCompleted || cp.Progress != 100 {
		t.Errorf("after a completed poll: phase %q progress %d", cp.Phase, cp.Progress)
	}
	// The source Region got nothing.
	if srv.SnapshotCount("us-west-2") != 1 || srv.SnapshotCount("us-east-1") != 1 {
		t.Errorf("snapshots: us-west-2 %d, us-east-1 %d", srv.SnapshotCount("us-west-2"), srv.SnapshotCount("us-east-1"))
	}
}

func TestSimPollManyCopiesOneCallPerRegion(t *testing.T) {
	srv, clock, c := copySim(t)
	ctx := context.Background()
	start := func(n int, region string) string {
		t.Helper()
		cp := copyOf(addSource(t, srv, n, 8), region, clock)
		if err := startCopy(ctx, c, clock, cp); err != nil || cp.SnapshotID == "" {
			t.Fatalf("StartCopy into %s: %v", region, err)
		}
		return cp.SnapshotID
	}
	var east, eu []string
	for i := range 5 {
		east = append(east, start(i, "us-east-1"))
	}
	for i := range 3 {
		eu = append(eu, start(10+i, "eu-west-1"))
	}
	clock.Advance(copyLag)
	lagging := start(20, "us-east-1") // still in its visibility lag
	const unknown = "snap-0fffffffffffffff0"

	srv.ResetCounts()
	gotEast, err := c.PollCopies(ctx, "us-east-1", append(append([]string{}, east...), lagging, unknown))
	if err != nil {
		t.Fatalf("PollCopies us-east-1: %v", err)
	}
	gotEU, err := c.PollCopies(ctx, "eu-west-1", eu)
	if err != nil {
		t.Fatalf("PollCopies eu-west-1: %v", err)
	}
	if len(gotEast) != len(east) || len(gotEU) != len(eu) {
		t.Errorf("found %d in us-east-1 (want %d) and %d in eu-west-1 (want %d)", len(gotEast), len(east), len(gotEU), len(eu))
	}
	for _, id := range east {
		if s, ok := gotEast[id]; !ok || s.State != model.StatePending {
			t.Errorf("%s: %+v, %v", id, s, ok)
		}
	}
	if _, ok := gotEast[lagging]; ok {
		t.Errorf("the copy in its visibility lag was reported")
	}
	if _, ok := gotEast[unknown]; ok {
		t.Errorf("an unknown id was reported")
	}
	if srv.Count("DescribeSnapshots", "us-east-1") != 1 || srv.Count("DescribeSnapshots", "eu-west-1") != 1 {
		t.Errorf("DescribeSnapshots calls %v, want one per Region", srv.Counts())
	}
	// A filter, never SnapshotIds (one unknown id would fail the whole call).
	for _, r := range srv.Requests("DescribeSnapshots") {
		if r.Params.Get("Filter.1.Name") != "snapshot-id" || r.Params.Has("SnapshotId.1") || r.Params.Get("Owner.1") != "self" {
			t.Errorf("poll sent %v", r.Params)
		}
	}
	// Nothing to poll: no call at all.
	srv.ResetCounts()
	if got, err := c.PollCopies(ctx, "us-east-1", nil); err != nil || len(got) != 0 || srv.Count("DescribeSnapshots", "us-east-1") != 0 {
		t.Errorf("PollCopies of nothing = %v, %v after %d calls", got, err, srv.Count("DescribeSnapshots", "us-east-1"))
	}
}

func TestSimCopyWithAMissingKeyFails(t *testing.T) {
	srv, clock, c := copySim(t)
	ctx := context.Background()
	cp := copyOf(addSource(t, srv, 1, 8), "us-east-1", clock, func(r *model.CopyRequest) {
		r.Encrypted, r.KmsKeyID = true, "alias/does-not-exist"
	})
	// AWS checks the key later: CopySnapshot succeeds, the copy then fails.
	if err := startCopy(ctx, c, clock, cp); err != nil || cp.Phase != model.PhaseStarting {
		t.Fatalf("StartCopy: %v (phase %q)", err, cp.Phase)
	}
	clock.Advance(30 * time.Second)
	found, err := c.PollCopies(ctx, "us-east-1", []string{cp.SnapshotID})
	if err != nil {
		t.Fatal(err)
	}
	s := found[cp.SnapshotID]
	if s.State != model.StateError || s.StateMessage != "Given key ID is not accessible" || !s.Encrypted {
		t.Errorf("copy: %+v", s)
	}
	cp.Observed(s, clock.Now())
	if cp.Phase != model.PhaseFailed || cp.StateMessage != s.StateMessage {
		t.Errorf("copy ended %q with %q", cp.Phase, cp.StateMessage)
	}
}

func TestSimDryRun(t *testing.T) {
	srv, clock, c := copySim(t)
	ctx := context.Background()
	src := addSource(t, srv, 1, 8)
	req := copyOf(src, "us-east-1", clock).Request

	res, err := c.DryRun(ctx, req)
	if err != nil || !res.Allowed || !strings.HasPrefix(res.Message, "permission granted") {
		t.Errorf("DryRun = %+v, %v; want allowed", res, err)
	}
	if reqs := srv.Requests("CopySnapshot"); len(reqs) != 1 || reqs[0].Params.Get("DryRun") != "true" {
		t.Errorf("dry run sent %+v", reqs)
	}
	// A request as the form builds it, without the request tag: the dry
	// run asks for tagging on create as the real copy will.
	untagged := req
	untagged.Tags = nil
	if _, err := c.DryRun(ctx, untagged); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests("CopySnapshot")
	if p := reqs[len(reqs)-1].Params; p.Get("TagSpecification.1.Tag.1.Key") != model.RequestTagKey || p.Get("TagSpecification.1.ResourceType") != "snapshot" {
		t.Errorf("dry run without the request tag: %v", p)
	}

	srv.SetFaults(ec2sim.Faults{DenyPermission: true, Actions: []string{"CopySnapshot"}})
	res, err = c.DryRun(ctx, req)
	if err != nil || res.Allowed || !strings.HasPrefix(res.Message, "permission missing (UnauthorizedOperation): You are not authorized") {
		t.Errorf("denied DryRun = %+v, %v", res, err)
	}
	srv.SetFaults(ec2sim.Faults{})

	// AWS checks the request before the permission: a bad one is an error.
	bad := req
	bad.CompletionDurationMinutes = 20
	_, err = c.DryRun(ctx, bad)
	if ae, ok := model.AsAPIError(err); !ok || ae.Code != "InvalidParameterValue" || ae.Kind != model.ErrInvalid {
		t.Errorf("DryRun of a bad request = %v", err)
	}
	if n := srv.SnapshotCount("us-east-1"); n != 0 {
		t.Errorf("dry runs made %d copies", n)
	}
}

func TestSimStartCopyAtTheLimit(t *testing.T) {
	srv, clock, c := copySim(t)
	ctx := context.Background()
	src := addSource(t, srv, 1, 8)
	for i := range ec2sim.MaxPendingCopies {
		if err := startCopy(ctx, c, clock, copyOf(src, "us-east-1", clock)); err != nil {
			t.Fatalf("copy %d: %v", i, err)
		}
	}
	cp := copyOf(src, "us-east-1", clock)
	err := startCopy(ctx, c, clock, cp)
	ae, ok := model.AsAPIError(err)
	if !ok || ae.Code != "ResourceLimitExceeded" || ae.Kind != model.ErrLimit || ae.Status != 400 || !ae.Retryable() || awsops.Ambiguous(err) {
		t.Fatalf("StartCopy at the limit: %v", err)
	}
	if cp.Phase != model.PhaseQueued || cp.Attempts != 1 || !strings.HasPrefix(cp.Note, "waiting: ResourceLimitExceeded: ") || cp.SnapshotID != "" {
		t.Errorf("copy: phase %q attempts %d note %q", cp.Phase, cp.Attempts, cp.Note)
	}
	if n := srv.SnapshotCount("us-east-1"); n != ec2sim.MaxPendingCopies {
		t.Errorf("us-east-1 holds %d copies, want %d", n, ec2sim.MaxPendingCopies)
	}
	// Once the others finish, the same copy goes through.
	clock.Advance(140 * time.Second)
	if err := startCopy(ctx, c, clock, cp); err != nil || cp.Phase != model.PhaseStarting || cp.Attempts != 2 || cp.Note != "" {
		t.Errorf("StartCopy after the others finished: %v (phase %q attempts %d note %q)", err, cp.Phase, cp.Attempts, cp.Note)
	}
}

func TestSimStartCopyRefused(t *testing.T) {
	cases := []struct {
		name   string
		source func(*model.Snapshot)
		edit   func(*model.CopyRequest)
		code   string
		kind   model.ErrorKind
	}{
		{"duration not a multiple of 15", nil, func(r *model.CopyRequest) { r.CompletionDurationMinutes = 20 }, "InvalidParameterValue", model.ErrInvalid},
		{"reserved tag key", nil, func(r *model.CopyRequest) { r.Tags = []model.Tag{{Key: "aws:owner", Value: "x"}} }, "InvalidParameterValue", model.ErrInvalid},
		{"Outpost not of the account", nil, func(r *model.CopyRequest) {
			r.DestinationRegion, r.DestinationOutpostArn = "us-west-2", "arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0"
		}, "InvalidParameterValue", model.ErrInvalid},
		{"unknown source", nil, func(r *model.CopyRequest) { r.SourceSnapshotID = "snap-0dddddddddddddddd" }, "InvalidSnapshot.NotFound", model.ErrNotFound},
		{"archived source", func(s *model.Snapshot) { s.StorageTier = model.TierArchive }, nil, "IncorrectState", model.ErrState},
		{"pending source", func(s *model.Snapshot) { s.State, s.Progress = model.StatePending, 40 }, nil, "IncorrectState", model.ErrState},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, clock, c := copySim(t)
			ctx := context.Background()
			var srcEdit []func(*model.Snapshot)
			if tc.source != nil {
				srcEdit = append(srcEdit, tc.source)
			}
			var reqEdit []func(*model.CopyRequest)
			if tc.edit != nil {
				reqEdit = append(reqEdit, tc.edit)
			}
			cp := copyOf(addSource(t, srv, i, 8, srcEdit...), "us-east-1", clock, reqEdit...)
			dest := cp.Request.DestinationRegion
			before := srv.SnapshotCount(dest)

			err := startCopy(ctx, c, clock, cp)
			ae, ok := model.AsAPIError(err)
			if !ok {
				t.Fatalf("StartCopy = %v, want an AWS error", err)
			}
			if ae.Code != tc.code || ae.Kind != tc.kind || ae.Status != 400 || ae.Op != "CopySnapshot" || ae.Region != dest || ae.Message == "" ||
				ae.Retryable() || awsops.Ambiguous(err) {
				t.Errorf("error %+v", ae)
			}
			if want := "CopySnapshot in " + dest + ": " + tc.code + ": " + ae.Message; err.Error() != want {
				t.Errorf("error text %q, want %q", err.Error(), want)
			}
			// The copy fails with AWS's code and words; nothing is sent again.
			if cp.Phase != model.PhaseFailed || cp.StateMessage != tc.code+": "+ae.Message || cp.DoneAt.IsZero() {
				t.Errorf("copy: phase %q message %q", cp.Phase, cp.StateMessage)
			}
			if err := startCopy(ctx, c, clock, cp); err != nil || srv.Count("CopySnapshot", dest) != 1 || srv.SnapshotCount(dest) != before {
				t.Errorf("after the refusal: %v, %d sends, %d snapshots", err, srv.Count("CopySnapshot", dest), srv.SnapshotCount(dest))
			}
		})
	}
}

func TestSimStartCopyAnswerLostAfterTheCopyWasMade(t *testing.T) {
	srv, clock, c := copySim(t)
	ctx := context.Background()
	cp := copyOf(addSource(t, srv, 1, 8), "us-east-1", clock, func(r *model.CopyRequest) {
		r.Tags = []model.Tag{{Key: "Name", Value: "lost-answer"}}
	})
	srv.SetFaults(ec2sim.Faults{DropNext: 1, DropAfterApply: true, Actions: []string{"CopySnapshot"}})

	err := startCopy(ctx, c, clock, cp)
	ae, ok := model.AsAPIError(err)
	if !ok || !awsops.Ambiguous(err) || ae.Kind != model.ErrTransient || ae.Code != "" || ae.Status != 0 {
		t.Fatalf("StartCopy with a lost answer = %v", err)
	}
	if cp.Phase != model.PhaseSending || cp.SnapshotID != "" || cp.Attempts != 1 || !strings.Contains(cp.Note, "checking whether the copy was made") {
		t.Fatalf("copy: phase %q id %q attempts %d note %q", cp.Phase, cp.SnapshotID, cp.Attempts, cp.Note)
	}
	if n := srv.SnapshotCount("us-east-1"); n != 1 {
		t.Fatalf("us-east-1 holds %d snapshots, want the one copy AWS made", n)
	}

	// In the visibility lag the tag look-up finds nothing; within the settle
	// delay that is no reason to send again.
	if err := startCopy(ctx, c, clock, cp); err != nil || cp.Phase != model.PhaseSending {
		t.Fatalf("StartCopy in the lag: %v (phase %q)", err, cp.Phase)
	}
	clock.Advance(copyLag)
	if err := startCopy(ctx, c, clock, cp); err != nil {
		t.Fatalf("StartCopy after the lag: %v", err)
	}
	made, ok := srv.SnapshotByName("us-east-1", "lost-answer")
	if !ok {
		t.Fatal("the simulator holds no copy named lost-answer")
	}
	if cp.Phase != model.PhaseStarting || cp.SnapshotID == "" || cp.SnapshotID != made.ID || cp.Attempts != 1 {
		t.Errorf("copy: phase %q id %q (made %q) attempts %d", cp.Phase, cp.SnapshotID, made.ID, cp.Attempts)
	}
	if srv.Count("CopySnapshot", "us-east-1") != 1 || srv.SnapshotCount("us-east-1") != 1 {
		t.Errorf("%d CopySnapshot sent, %d snapshots in us-east-1; want 1 and 1", srv.Count("CopySnapshot", "us-east-1"), srv.SnapshotCount("us-east-1"))
	}
}

func TestSimStartCopyAnswerLostBeforeTheCopyWasMade(t *testing.T) {
	srv, clock, c := copySim(t)
	ctx := context.Background()
	cp := copyOf(addSource(t, srv, 1, 8), "us-east-1", clock)
	srv.SetFaults(ec2sim.Faults{DropNext: 1, Actions: []string{"CopySnapshot"}})

	if err := startCopy(ctx, c, clock, cp); !awsops.Ambiguous(err) || cp.Phase != model.PhaseSending {
		t.Fatalf("StartCopy with a dropped connection = %v (phase %q)", err, cp.Phase)
	}
	if n := srv.SnapshotCount("us-east-1"); n != 0 {
		t.Fatalf("us-east-1 holds %d snapshots, want none", n)
	}
	// Past the lag but within the settle delay: keep waiting.
	clock.Advance(copyLag)
	if err := startCopy(ctx, c, clock, cp); err != nil || cp.Phase != model.PhaseSending || srv.Count("CopySnapshot", "us-east-1") != 1 {
		t.Fatalf("StartCopy within the settle delay: %v (phase %q, %d sends)", err, cp.Phase, srv.Count("CopySnapshot", "us-east-1"))
	}
	// Past the settle delay, no copy carries the tag: send it again, once.
	clock.Advance(copySettle - copyLag)
	if err := startCopy(ctx, c, clock, cp); err != nil {
		t.Fatalf("StartCopy after the settle delay: %v", err)
	}
	if cp.Phase != model.PhaseStarting || cp.SnapshotID == "" || cp.Attempts != 2 {
		t.Errorf("copy: phase %q id %q attempts %d", cp.Phase, cp.SnapshotID, cp.Attempts)
	}
	if srv.Count("CopySnapshot", "us-east-1") != 2 || srv.SnapshotCount("us-east-1") != 1 {
		t.Errorf("%d CopySnapshot sent, %d snapshots; want 2 and exactly 1", srv.Count("CopySnapshot", "us-east-1"), srv.SnapshotCount("us-east-1"))
	}
	clock.Advance(copyLag)
	if hit, ok, err := c.FindByRequestID(ctx, "us-east-1", cp.RequestID); !ok || err != nil || hit.ID != cp.SnapshotID {
		t.Errorf("FindByRequestID = %s, %v, %v; want %s", hit.ID, ok, err, cp.SnapshotID)
	}
}

func TestSimStartCopyNeverRetriedBySDK(t *testing.T) {
	// The client keeps the SDK's retryer for reads (3 attempts); CopySnapshot
	// must still go out once per StartCopy.
	srv, clock, c := copySim(t)
	ctx := context.Background()
	cp := copyOf(addSource(t, srv, 1, 8), "us-east-1", clock)
	srv.SetFaults(ec2sim.Faults{ServerErrorRate: 1, Actions: []string{"CopySnapshot"}})

	err := startCopy(ctx, c, clock, cp)
	ae, ok := model.AsAPIError(err)
	if !ok || ae.Code != "InternalError" || ae.Status != 500 || ae.Kind != model.ErrTransient || !awsops.Ambiguous(err) {
		t.Fatalf("StartCopy on a 500 = %v", err)
	}
	if n := srv.Count("CopySnapshot", "us-east-1"); n != 1 {
		t.Errorf("CopySnapshot sent %d times, want 1", n)
	}
	// A 500 may hide a copy that was made: look it up before sending again.
	if cp.Phase != model.PhaseSending || !strings.Contains(cp.Note, "An internal error has occurred") {
		t.Errorf("copy: phase %q note %q", cp.Phase, cp.Note)
	}
	srv.SetFaults(ec2sim.Faults{})
	clock.Advance(copySettle)
	if err := startCopy(ctx, c, clock, cp); err != nil || cp.Phase != model.PhaseStarting || srv.Count("CopySnapshot", "us-east-1") != 2 {
		t.Errorf("StartCopy after the settle delay: %v (phase %q, %d sends)", err, cp.Phase, srv.Count("CopySnapshot", "us-east-1"))
	}
	if n := srv.SnapshotCount("us-east-1"); n != 1 {
		t.Errorf("us-east-1 holds %d copies, want 1", n)
	}
}

func TestSimStartCopyWaitsOutThrottlingAndExpiredCredentials(t *testing.T) {
	for _, tc := range []struct {
		faults ec2sim.Faults
		code   string
		kind   model.ErrorKind
	}{
		{ec2sim.Faults{ThrottleRate: 1, Actions: []string{"CopySnapshot"}}, "RequestLimitExceeded", model.ErrThrottled},
		{ec2sim.Faults{ExpiredCredentials: true, Actions: []string{"CopySnapshot"}}, "RequestExpired", model.ErrCredentials},
	} {
		t.Run(tc.code, func(t *testing.T) {
			srv, clock, c := copySim(t)
			ctx := context.Background()
			cp := copyOf(addSource(t, srv, 1, 8), "us-east-1", clock)
			srv.SetFaults(tc.faults)
			err := startCopy(ctx, c, clock, cp)
			ae, ok := model.AsAPIError(err)
			if !ok || ae.Code != tc.code || ae.Kind != tc.kind || awsops.Ambiguous(err) {
				t.Fatalf("StartCopy = %v", err)
			}
			// Refused before anything was done: queued, sent again as it is.
			if cp.Phase != model.PhaseQueued || cp.Note != "waiting: "+tc.code+": "+ae.Message || srv.Count("CopySnapshot", "us-east-1") != 1 {
				t.Errorf("copy: phase %q note %q, %d sends", cp.Phase, cp.Note, srv.Count("CopySnapshot", "us-east-1"))
			}
			srv.SetFaults(ec2sim.Faults{})
			if err := startCopy(ctx, c, clock, cp); err != nil || cp.Phase != model.PhaseStarting || cp.Attempts != 2 {
				t.Errorf("StartCopy once the fault is gone: %v (phase %q attempts %d)", err, cp.Phase, cp.Attempts)
			}
		})
	}
}

func TestSimCopyDestinationsAndEncryption(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*model.CopyRequest)
		after time.Duration
		check func(t *testing.T, srv *ec2sim.Server, s model.Snapshot)
	}{
		{"time-based", func(r *model.CopyRequest) { r.DestinationRegion, r.CompletionDurationMinutes = "us-east-1", 60 }, 30 * time.Minute,
			func(t *testing.T, _ *ec2sim.Server, s model.Snapshot) {
				if s.TransferType != model.TransferTimeBased || s.CompletionMinutes != 60 || s.State != model.StatePending || s.Progress != 50 {
					t.Errorf("time-based copy half-way: transfer %q minutes %d state %q progress %d", s.TransferType, s.CompletionMinutes, s.State, s.Progress)
				}
			}},
		{"Local Zone", func(r *model.CopyRequest) {
			r.DestinationRegion, r.DestinationAvailabilityZone = "us-west-2", "us-west-2-lax-1a"
		}, copyLag,
			func(t *testing.T, _ *ec2sim.Server, s model.Snapshot) {
				if s.AvailabilityZone != "us-west-2-lax-1a" || s.Location() != "us-west-2-lax-1a" || s.Region != "us-west-2" {
					t.Errorf("Local Zone copy: zone %q region %q", s.AvailabilityZone, s.Region)
				}
			}},
		{"Outpost", func(r *model.CopyRequest) {
			r.DestinationRegion, r.DestinationOutpostArn, r.Encrypted = "us-west-2", ec2sim.OutpostArn, true
		}, copyLag,
			func(t *testing.T, srv *ec2sim.Server, s model.Snapshot) {
				key, _ := srv.KMSKeyArn("us-west-2", "alias/aws/ebs")
				if s.OutpostArn != ec2sim.OutpostArn || !s.Encrypted || s.KmsKeyID != key {
					t.Errorf("Outpost copy: outpost %q encrypted %v key %q (want %q)", s.OutpostArn, s.Encrypted, s.KmsKeyID, key)
				}
			}},
		{"encrypted by default", func(r *model.CopyRequest) { r.DestinationRegion = "eu-central-1" }, copyLag,
			func(t *testing.T, srv *ec2sim.Server, s model.Snapshot) {
				key, _ := srv.KMSKeyArn("eu-central-1", "alias/aws/ebs")
				if !s.Encrypted || s.KmsKeyID != key {
					t.Errorf("copy into eu-central-1: encrypted %v key %q, want %q", s.Encrypted, s.KmsKeyID, key)
				}
			}},
		{"own key", func(r *model.CopyRequest) {
			r.DestinationRegion, r.Encrypted, r.KmsKeyID = "eu-west-1", true, "alias/backup"
		}, copyLag,
			func(t *testing.T, srv *ec2sim.Server, s model.Snapshot) {
				key, _ := srv.KMSKeyArn("eu-west-1", "alias/backup")
				if !s.Encrypted || s.KmsKeyID != key {
					t.Errorf("copy with alias/backup: encrypted %v key %q, want %q", s.Encrypted, s.KmsKeyID, key)
				}
			}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, clock, c := copySim(t)
			ctx := context.Background()
			cp := copyOf(addSource(t, srv, i, 8), "", clock, tc.edit)
			if err := startCopy(ctx, c, clock, cp); err != nil || cp.Phase != model.PhaseStarting {
				t.Fatalf("StartCopy: %v (phase %q)", err, cp.Phase)
			}
			sent := srv.Requests("CopySnapshot")
			if len(sent) != 1 || sent[0].Region != cp.Request.DestinationRegion {
				t.Fatalf("CopySnapshot sent %+v, want one to %s", sent, cp.Request.DestinationRegion)
			}
			clock.Advance(tc.after)
			found, err := c.PollCopies(ctx, cp.Request.DestinationRegion, []string{cp.SnapshotID})
			if err != nil {
				t.Fatal(err)
			}
			s, ok := found[cp.SnapshotID]
			if !ok {
				t.Fatalf("copy %s not found in %s", cp.SnapshotID, cp.Request.DestinationRegion)
			}
			tc.check(t, srv, s)
		})
	}
}

// An answer lost late (the request reached AWS after a stall) counts the
// settle delay from when the failure was seen, and the copy found by its
// tag keeps AWS's start time.
func TestSimStartCopyLateLostAnswer(t *testing.T) {
	var clock *ec2sim.ManualClock
	const stall = 20 * time.Second
	stalling := func(o *awsops.Options) {
		o.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if bytes.Contains(body, []byte("Action=CopySnapshot")) {
				clock.Advance(stall) // the network held the request this long
			}
			return http.DefaultTransport.RoundTrip(r)
		})}
	}
	srv, clk, c := copySim(t, stalling)
	clock = clk
	ctx := context.Background()
	cp := copyOf(addSource(t, srv, 1, 8), "us-east-1", clock, func(r *model.CopyRequest) {
		r.Tags = append(r.Tags, model.Tag{Key: "Name", Value: "late"})
	})
	srv.SetFaults(ec2sim.Faults{DropNext: 1, DropAfterApply: true, Actions: []string{"CopySnapshot"}})
	sentAt := clock.Now()
	if err := startCopy(ctx, c, clock, cp); !awsops.Ambiguous(err) {
		t.Fatalf("StartCopy = %v, want an ambiguous error", err)
	}
	if want := sentAt.Add(stall); !cp.AttemptedAt.Equal(want) {
		t.Errorf("AttemptedAt = %v, want %v (when the failure was seen)", cp.AttemptedAt, want)
	}
	// Within the settle delay from the failure nothing is sent again, even
	// though more than that has passed since the send.
	clock.Advance(2 * time.Second) // still in the lag of the copy made at the end of the stall
	if err := startCopy(ctx, c, clock, cp); err != nil {
		t.Fatal(err)
	}
	clock.Advance(copyLag)
	if err := startCopy(ctx, c, clock, cp); err != nil {
		t.Fatal(err)
	}
	made, ok := srv.SnapshotByName("us-east-1", "late")
	if !ok || cp.SnapshotID != made.ID {
		t.Fatalf("copy %q, simulator holds %v %v", cp.SnapshotID, made.ID, ok)
	}
	if n := srv.SnapshotCount("us-east-1"); n != 1 {
		t.Errorf("us-east-1 holds %d snapshots, want 1", n)
	}
	if !cp.SentAt.Equal(made.StartTime) {
		t.Errorf("SentAt = %v, want AWS's start time %v", cp.SentAt, made.StartTime)
	}
}
