package awsops_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go/middleware"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
)

// moto is one moto_server shared by every moto test of a package run.
var moto struct {
	once sync.Once
	cmd  *exec.Cmd
	url  string
	skip string
	err  error
}

// motoStartTimeout allows for a cold Python start on a busy machine.
const motoStartTimeout = 20 * time.Second

func startMoto() {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		moto.skip = "moto_server not found: skipping the moto tests"
		fmt.Fprintln(os.Stderr, moto.skip)
		return
	}
	port, err := freePort()
	if err != nil {
		moto.err = err
		return
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	// No default AMIs: their snapshots belong to other accounts, and moto
	// ignores OwnerIds=self, so they would show up as the caller's own.
	cmd.Env = append(os.Environ(), "MOTO_EC2_LOAD_DEFAULT_AMIS=false")
	// Pdeathsig ends moto even if the test binary dies before TestMain's cleanup.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		moto.err = fmt.Errorf("start moto_server: %w", err)
		return
	}
	moto.cmd = cmd
	moto.url = "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(motoStartTimeout)
	for {
		resp, err := http.Get(moto.url + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			moto.err = fmt.Errorf("moto_server did not answer on %s within %s: %w", moto.url, motoStartTimeout, err)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func stopMoto() {
	if moto.cmd != nil && moto.cmd.Process != nil {
		// Setpgid made moto the leader of its own group: end the group.
		_ = syscall.Kill(-moto.cmd.Process.Pid, syscall.SIGKILL)
		_ = moto.cmd.Wait()
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// motoClient returns an awsops client for a freshly reset moto, with the
// given home Region. Moto tests share one server, so they do not run in parallel.
func motoClient(t *testing.T, region string) *awsops.Client {
	t.Helper()
	moto.once.Do(startMoto)
	if moto.skip != "" {
		// CI sets SNAPCOPY_REQUIRE_PEERS: there a missing moto is a failure.
		if os.Getenv("SNAPCOPY_REQUIRE_PEERS") != "" {
			t.Fatal(moto.skip)
		}
		t.Skip(moto.skip)
	}
	if moto.err != nil {
		t.Fatal(moto.err)
	}
	resp, err := http.Post(moto.url+"/moto-api/reset", "application/json", nil)
	if err != nil {
		t.Fatalf("reset moto: %v", err)
	}
	resp.Body.Close()
	return newClient(t, moto.url, region)
}

// motoSnapshot makes a volume and a snapshot of it in region, the way an
// operator's account would already have them (setup through the raw SDK).
func motoSnapshot(t *testing.T, c *awsops.Client, region string, sizeGiB int32, desc string, tags ...model.Tag) string {
	t.Helper()
	ctx := context.Background()
	cl := c.EC2(region)
	vol, err := cl.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String(region + "a"), Size: aws.Int32(sizeGiB)})
	if err != nil {
		t.Fatalf("create volume in %s: %v", region, err)
	}
	in := &ec2.CreateSnapshotInput{VolumeId: vol.VolumeId, Description: aws.String(desc)}
	if len(tags) > 0 {
		ts := make([]types.Tag, len(tags))
		for i, tg := range tags {
			ts[i] = types.Tag{Key: aws.String(tg.Key), Value: aws.String(tg.Value)}
		}
		in.TagSpecifications = []types.TagSpecification{{ResourceType: types.ResourceTypeSnapshot, Tags: ts}}
	}
	snap, err := cl.CreateSnapshot(ctx, in)
	if err != nil {
		t.Fatalf("create snapshot in %s: %v", region, err)
	}
	return aws.ToString(snap.SnapshotId)
}

// motoAccount is the account moto answers as.
const motoAccount = "123456789012"

func TestMotoListSnapshots(t *testing.T) {
	var w wire
	motoClient(t, "us-west-2") // starts moto, or skips
	c := newClient(t, w.front(t, moto.url), "us-west-2")
	ctx := context.Background()

	// Descriptions and tags with characters XML and the Query protocol escape.
	const odd = `nightly <db> & "logs" 'weekly' 100% é/漢 a+b=c`
	want := map[string]int32{}
	for i := range 12 {
		size := int32(8 + i)
		id := motoSnapshot(t, c, "us-west-2", size, fmt.Sprintf("%s #%d", odd, i),
			model.Tag{Key: "Name", Value: fmt.Sprintf("db-%02d", i)},
			model.Tag{Key: "team&role", Value: `<ops> "night"`})
		want[id] = size
	}
	other := motoSnapshot(t, c, "us-east-1", 8, "elsewhere")

	pages := 0
	snaps, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, func(page []model.Snapshot) { pages++ })
	if err != nil {
		t.Fatalf("ListSnapshots: %v", err)
	}
	// moto ignores MaxResults and answers with one page; paging itself is
	// tested against the simulator.
	if pages != 1 {
		t.Errorf("onPage called %d times, want 1", pages)
	}
	if len(snaps) != len(want) {
		t.Fatalf("listed %d snapshots, want %d", len(snaps), len(want))
	}
	for _, s := range snaps {
		size, ok := want[s.ID]
		if !ok {
			t.Errorf("listed %s, which is not one of the us-west-2 snapshots (other Region: %s)", s.ID, other)
			continue
		}
		n := size - 8
		if s.Region != "us-west-2" || s.VolumeSizeGiB != size || s.State != model.StateCompleted || s.Progress != 100 {
			t.Errorf("%s: region %q size %d state %q progress %d", s.ID, s.Region, s.VolumeSizeGiB, s.State, s.Progress)
		}
		if wantDesc := fmt.Sprintf("%s #%d", odd, n); s.Description != wantDesc {
			t.Errorf("%s: description %q, want %q", s.ID, s.Description, wantDesc)
		}
		if s.Name() != fmt.Sprintf("db-%02d", n) || s.Tag("team&role") != `<ops> "night"` {
			t.Errorf("%s: tags %+v", s.ID, s.Tags)
		}
		if s.OwnerID != motoAccount || s.StorageTier != model.TierStandard || s.StartTime.IsZero() {
			t.Errorf("%s: owner %q tier %q start %v", s.ID, s.OwnerID, s.StorageTier, s.StartTime)
		}
		// An ordinary AZ (moto's volumes live in us-west-2a) is no location of its own.
		if s.AvailabilityZone != "" || s.OutpostArn != "" || s.Location() != "us-west-2" {
			t.Errorf("%s: location %q (zone %q, outpost %q)", s.ID, s.Location(), s.AvailabilityZone, s.OutpostArn)
		}
	}

	// moto ignores OwnerIds and RestorableByUserIds (every snapshot of the
	// Region comes back either way), so what AWS would receive is checked
	// on the wire instead.
	if _, err := c.ListSnapshots(ctx, "us-west-2", awsops.SharedWithMe, nil); err != nil {
		t.Fatalf("ListSnapshots shared: %v", err)
	}
	sent := w.requests("DescribeSnapshots")
	if len(sent) != 2 {
		t.Fatalf("sent %d DescribeSnapshots, want 2", len(sent))
	}
	owned, shared := sent[0], sent[1]
	if owned.Get("Owner.1") != "self" || owned.Has("RestorableBy.1") || owned.Get("MaxResults") != "1000" {
		t.Errorf("owned listing sent %v", owned)
	}
	if shared.Get("RestorableBy.1") != "self" || shared.Has("Owner.1") || shared.Get("MaxResults") != "1000" {
		t.Errorf("shared listing sent %v", shared)
	}
}

func TestMotoCopyAcrossRegions(t *testing.T) {
	var w wire
	motoClient(t, "us-west-2") // starts moto, or skips
	c := newClient(t, w.front(t, moto.url), "us-west-2")
	ctx := context.Background()
	srcID := motoSnapshot(t, c, "us-west-2", 100, "source", model.Tag{Key: "Name", Value: "db"})
	src, err := c.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	if err != nil || len(src) != 1 {
		t.Fatalf("list source: %v %v", src, err)
	}

	req := model.CopyRequest{
		DestinationRegion: "eu-central-1",
		SourceRegion:      "us-west-2",
		SourceSnapshotID:  srcID,
		Description:       `copy of db <nightly> & "more"`,
		Encrypted:         true,
		KmsKeyID:          "alias/backup",
		Tags:              []model.Tag{{Key: "Name", Value: "db-eu"}, {Key: "cost-center", Value: "42"}},
	}
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	cp := model.NewCopy(req, src[0], now)
	if err := (track.Starter{AWS: c}).Start(ctx, cp); err != nil {
		t.Fatalf("StartCopy: %v", err)
	}
	if cp.Phase != model.PhaseStarting || cp.SnapshotID == "" || cp.Attempts != 1 || cp.Note != "" {
		t.Fatalf("after StartCopy: phase %q id %q attempts %d note %q", cp.Phase, cp.SnapshotID, cp.Attempts, cp.Note)
	}

	// What AWS receives: the destination Region's endpoint, every field,
	// and the request tag in the snapshot's TagSpecification.
	sent := w.requests("CopySnapshot")
	if len(sent) != 1 {
		t.Fatalf("sent %d CopySnapshot, want 1", len(sent))
	}
	in := sent[0]
	for k, v := range map[string]string{
		"SourceRegion":                    "us-west-2",
		"SourceSnapshotId":                srcID,
		"Description":                     req.Description,
		"Encrypted":                       "true",
		"KmsKeyId":                        "alias/backup",
		"TagSpecification.1.ResourceType": "snapshot",
		"TagSpecification.1.Tag.3.Key":    model.RequestTagKey,
		"TagSpecification.1.Tag.3.Value":  cp.RequestID,
	} {
		if got := in.Get(k); got != v {
			t.Errorf("CopySnapshot %s = %q, want %q", k, got, v)
		}
	}
	// The SDK presigns a request for the source Region that names the
	// destination; the call itself goes to the destination's endpoint.
	if pu, err := url.Parse(in.Get("PresignedUrl")); err != nil || pu.Query().Get("DestinationRegion") != "eu-central-1" {
		t.Errorf("CopySnapshot PresignedUrl %q does not name the destination Region", in.Get("PresignedUrl"))
	}
	if in.Has("DryRun") || in.Has("CompletionDurationMinutes") || in.Has("DestinationOutpostArn") {
		t.Errorf("CopySnapshot sent fields it should not: %v", in)
	}

	// Poll in the destination Region; an id moto never heard of is simply absent.
	missing := "snap-0123456789abcdef0"
	var got model.Snapshot
	for i := 0; ; i++ {
		found, err := c.PollCopies(ctx, "eu-central-1", []string{cp.SnapshotID, missing})
		if err != nil {
			t.Fatalf("PollCopies: %v", err)
		}
		if _, ok := found[missing]; ok {
			t.Errorf("PollCopies found %s, which does not exist", missing)
		}
		s, ok := found[cp.SnapshotID]
		if ok {
			cp.Observed(s, now.Add(time.Duration(i)*time.Second))
		}
		if cp.Phase.Done() {
			got = s
			break
		}
		if i == 10 {
			t.Fatalf("copy %s not done after %d polls: phase %q", cp.SnapshotID, i, cp.Phase)
		}
	}
	if cp.Phase != model.PhaseCompleted || cp.Progress != 100 {
		t.Fatalf("copy ended %q at %d%%", cp.Phase, cp.Progress)
	}
	if got.Region != "eu-central-1" || got.Description != req.Description || !got.Encrypted || got.KmsKeyID != "alias/backup" {
		t.Errorf("copy: region %q description %q encrypted %v key %q", got.Region, got.Description, got.Encrypted, got.KmsKeyID)
	}
	if got.Name() != "db-eu" || got.Tag("cost-center") != "42" || got.Tag(model.RequestTagKey) != cp.RequestID {
		t.Errorf("copy tags %+v", got.Tags)
	}

	// The request tag finds the copy, as after a lost answer.
	hit, ok, err := c.FindByRequestID(ctx, "eu-central-1", cp.RequestID)
	if err != nil || !ok || hit.ID != cp.SnapshotID {
		t.Errorf("FindByRequestID = %s, %v, %v; want %s", hit.ID, ok, err, cp.SnapshotID)
	}
	if _, ok, err := c.FindByRequestID(ctx, "eu-central-1", "sc-0000000000000000"); ok || err != nil {
		t.Errorf("FindByRequestID of an unknown request = %v, %v; want not found", ok, err)
	}
	// Exactly one copy, and only in the destination.
	for region, n := range map[string]int{"eu-central-1": 1, "us-west-2": 1} {
		all, err := c.ListSnapshots(ctx, region, awsops.Owned, nil)
		if err != nil || len(all) != n {
			t.Errorf("%s holds %d snapshots (%v), want %d", region, len(all), err, n)
		}
	}
}

func TestMotoCopyEncryptedFlagOnly(t *testing.T) {
	var w wire
	motoClient(t, "us-west-2") // starts moto, or skips
	c := newClient(t, w.front(t, moto.url), "us-west-2")
	ctx := context.Background()
	srcID := motoSnapshot(t, c, "us-west-2", 8, "plain")
	cp := model.NewCopy(model.CopyRequest{
		DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: srcID, Encrypted: true,
	}, model.Snapshot{ID: srcID}, time.Now())
	if err := (track.Starter{AWS: c}).Start(ctx, cp); err != nil || cp.Phase != model.PhaseStarting {
		t.Fatalf("StartCopy: %v (phase %q)", err, cp.Phase)
	}
	// moto ignores Encrypted without a key (its copy stays unencrypted);
	// AWS would encrypt with the default EBS key. So the request is checked.
	in := w.requests("CopySnapshot")
	if len(in) != 1 || in[0].Get("Encrypted") != "true" || in[0].Has("KmsKeyId") {
		t.Errorf("CopySnapshot sent %v, want Encrypted=true and no KmsKeyId", in)
	}

	// An unencrypted request never says Encrypted=false (AWS rejects it).
	cp2 := model.NewCopy(model.CopyRequest{
		DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: srcID,
	}, model.Snapshot{ID: srcID}, time.Now())
	if err := (track.Starter{AWS: c}).Start(ctx, cp2); err != nil {
		t.Fatalf("StartCopy: %v", err)
	}
	if in := w.requests("CopySnapshot"); len(in) != 2 || in[1].Has("Encrypted") || in[1].Has("Description") {
		t.Errorf("unencrypted CopySnapshot sent %v", in)
	}
}

func TestMotoCopyRefused(t *testing.T) {
	c := motoClient(t, "us-west-2")
	ctx := context.Background()
	missing := "snap-0123456789abcdef0"
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	cp := model.NewCopy(model.CopyRequest{
		DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: missing,
	}, model.Snapshot{ID: missing}, now)
	err := (track.Starter{AWS: c}).Start(ctx, cp)
	ae, ok := model.AsAPIError(err)
	if !ok {
		t.Fatalf("StartCopy error %v is not an APIError", err)
	}
	if ae.Code != "InvalidSnapshot.NotFound" || ae.Kind != model.ErrNotFound || ae.Status != 400 ||
		ae.Op != "CopySnapshot" || ae.Region != "us-east-1" || ae.Message == "" || ae.Retryable() || awsops.Ambiguous(err) {
		t.Errorf("error %+v", ae)
	}
	// A refusal for good fails the copy with AWS's code, and nothing is resent.
	if cp.Phase != model.PhaseFailed || !strings.HasPrefix(cp.StateMessage, "InvalidSnapshot.NotFound: ") || cp.Attempts != 1 {
		t.Errorf("copy: phase %q message %q attempts %d", cp.Phase, cp.StateMessage, cp.Attempts)
	}
	if err := (track.Starter{AWS: c}).Start(ctx, cp); err != nil || cp.Attempts != 1 {
		t.Errorf("StartCopy of a failed copy: %v, attempts %d", err, cp.Attempts)
	}
}

func TestMotoDryRun(t *testing.T) {
	c := motoClient(t, "us-west-2")
	srcID := motoSnapshot(t, c, "us-west-2", 8, "dry")
	req := model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: srcID}
	res, err := c.DryRun(context.Background(), req)
	if err != nil {
		t.Fatalf("DryRun: %v", err)
	}
	if !res.Allowed || !strings.HasPrefix(res.Message, "permission granted") {
		t.Errorf("DryRun = %+v", res)
	}
	// No copy was made. (moto has no IAM by default, so a refused dry run
	// is tested against the simulator.)
	all, err := c.ListSnapshots(context.Background(), "us-east-1", awsops.Owned, nil)
	if err != nil || len(all) != 0 {
		t.Errorf("us-east-1 holds %d snapshots after a dry run (%v)", len(all), err)
	}
}

func TestMotoRegions(t *testing.T) {
	c := motoClient(t, "us-west-2")
	regions, err := c.Regions(context.Background())
	if err != nil {
		t.Fatalf("Regions: %v", err)
	}
	byName := map[string]model.Region{}
	for _, r := range regions {
		byName[r.Name] = r
	}
	if r, ok := byName["us-west-2"]; !ok || !r.Enabled() || r.Endpoint != "ec2.us-west-2.amazonaws.com" {
		t.Errorf("us-west-2: %+v", r)
	}
	// ap-east-1 needs opting in, and moto's account has not.
	if r, ok := byName["ap-east-1"]; !ok || r.Enabled() || r.OptInStatus != "not-opted-in" {
		t.Errorf("ap-east-1: %+v", r)
	}
}

func TestMotoLocalZones(t *testing.T) {
	c := motoClient(t, "us-west-2")
	// moto knows no Local Zones: the call works and ordinary AZs do not leak in.
	zones, err := c.LocalZones(context.Background(), "us-west-2")
	if err != nil || len(zones) != 0 {
		t.Errorf("LocalZones = %+v, %v; want none", zones, err)
	}
}

func TestMotoEncryptionDefault(t *testing.T) {
	c := motoClient(t, "eu-central-1")
	ctx := context.Background()
	if _, err := c.EC2("eu-central-1").EnableEbsEncryptionByDefault(ctx, &ec2.EnableEbsEncryptionByDefaultInput{}); err != nil {
		t.Fatalf("enable encryption by default: %v", err)
	}
	enc, err := c.EncryptionDefault(ctx, "eu-central-1")
	if err == nil {
		if !enc.Enabled || enc.KmsKeyID == "" {
			t.Errorf("EncryptionDefault = %+v, want enabled with a key", enc)
		}
		return
	}
	// moto 5 does not implement GetEbsDefaultKmsKeyId and answers 500 with
	// a page that is not XML: the first call worked, the second failed, and
	// the error says which, as a transient fault (no AWS code).
	ae, ok := model.AsAPIError(err)
	if !ok || ae.Op != "GetEbsDefaultKmsKeyId" || ae.Region != "eu-central-1" || ae.Status != 500 || ae.Kind != model.ErrTransient {
		t.Errorf("EncryptionDefault error %v (%+v)", err, ae)
	}
}

func TestMotoKMSAliases(t *testing.T) {
	c := motoClient(t, "eu-central-1")
	ctx := context.Background()
	key, err := c.KMS("eu-central-1").CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatalf("create key: %v", err)
	}
	keyID := aws.ToString(key.KeyMetadata.KeyId)
	// moto answers CreateAlias with an empty text/html body, which snapcopy
	// takes for an answer that is not KMS's; snapcopy never creates an
	// alias, so this setup call goes without that check.
	rawAnswer := func(o *kms.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			_, err := s.Deserialize.Remove("snapcopyCheckAnswer")
			return err
		})
	}
	if _, err := c.KMS("eu-central-1").CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/backup"), TargetKeyId: aws.String(keyID)}, rawAnswer); err != nil {
		t.Fatalf("create alias: %v", err)
	}
	aliases, err := c.KMSAliases(ctx, "eu-central-1")
	if err != nil {
		t.Fatalf("KMSAliases: %v", err)
	}
	found := map[string]model.KMSAlias{}
	for _, a := range aliases {
		found[a.Name] = a
	}
	if a := found["alias/backup"]; a.TargetKeyID != keyID || a.Arn != "arn:aws:kms:eu-central-1:"+motoAccount+":alias/backup" {
		t.Errorf("alias/backup = %+v, want target %s", a, keyID)
	}
	if _, ok := found["alias/aws/ebs"]; !ok {
		t.Errorf("alias/aws/ebs missing from %+v", aliases)
	}
	// Aliases belong to their Region.
	other, err := c.KMSAliases(ctx, "us-west-2")
	if err != nil {
		t.Fatalf("KMSAliases us-west-2: %v", err)
	}
	for _, a := range other {
		if a.Name == "alias/backup" {
			t.Errorf("alias/backup of eu-central-1 listed in us-west-2")
		}
	}
}

func TestMotoCopyCanceledInFlight(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &wire{}
	// moto makes the copy, then the app gives up waiting (it is quitting)
	// before the answer arrives.
	w.answered = func(req url.Values) bool {
		if req.Get("Action") == "CopySnapshot" {
			cancel()
			return true
		}
		return false
	}
	motoClient(t, "us-west-2") // starts moto, or skips
	c := newClient(t, w.front(t, moto.url), "us-west-2")
	srcID := motoSnapshot(t, c, "us-west-2", 8, "source")
	cp := model.NewCopy(model.CopyRequest{
		DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: srcID,
	}, model.Snapshot{ID: srcID}, time.Now())

	if err := (track.Starter{AWS: c}).Start(ctx, cp); !errors.Is(err, context.Canceled) {
		t.Fatalf("StartCopy = %v, want the cancellation", err)
	}
	// The request went out, so its outcome is unknown: the next step must
	// look for the copy by its tag before sending anything.
	if cp.Phase != model.PhaseSending {
		t.Fatalf("after a canceled send the copy is %q, want %q", cp.Phase, model.PhaseSending)
	}
	w.answered = nil
	if err := (track.Starter{AWS: c}).Start(context.Background(), cp); err != nil {
		t.Fatalf("StartCopy after the cancellation: %v", err)
	}
	if cp.Phase != model.PhaseStarting || cp.SnapshotID == "" || cp.Attempts != 1 {
		t.Errorf("copy: phase %q id %q attempts %d", cp.Phase, cp.SnapshotID, cp.Attempts)
	}
	if n := len(w.requests("CopySnapshot")); n != 1 {
		t.Errorf("sent CopySnapshot %d times, want 1", n)
	}
	all, err := c.ListSnapshots(context.Background(), "us-east-1", awsops.Owned, nil)
	if err != nil || len(all) != 1 || all[0].ID != cp.SnapshotID {
		t.Errorf("us-east-1 holds %d snapshots (%v), want only %s", len(all), err, cp.SnapshotID)
	}
}
