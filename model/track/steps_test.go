package track

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

const (
	srcAcct  = "123456789012"
	destAcct = "111122223333"
	srcKey   = "arn:aws:kms:us-west-2:123456789012:key/share"
)

// fakeAccount is one account's in-memory AWS: the tracker's calls, and
// shares and key policies.
type fakeAccount struct {
	*fakeAWS
	account  string
	shares   map[string][]string // snapshot id -> accounts
	policies map[string]string   // key -> policy
	shareErr error               // ShareSnapshot's answer, when set
}

func newFakeAccount(account string) *fakeAccount {
	return &fakeAccount{fakeAWS: newFake(), account: account, shares: map[string][]string{}, policies: map[string]string{}}
}

func (f *fakeAccount) ShareSnapshot(ctx context.Context, region, id, account string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "ShareSnapshot "+region)
	if f.shareErr != nil {
		return f.shareErr
	}
	if !slices.Contains(f.shares[id], account) {
		f.shares[id] = append(f.shares[id], account)
	}
	return nil
}

func (f *fakeAccount) UnshareSnapshot(ctx context.Context, region, id, account string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "UnshareSnapshot "+region)
	f.shares[id] = slices.DeleteFunc(f.shares[id], func(a string) bool { return a == account })
	return nil
}

func (f *fakeAccount) SnapshotSharedWith(ctx context.Context, region, id string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "SnapshotSharedWith "+region)
	return slices.Clone(f.shares[id]), nil
}

func (f *fakeAccount) KeyPolicy(ctx context.Context, region, key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "KeyPolicy "+region)
	p, ok := f.policies[key]
	if !ok {
		return "", apiErr("GetKeyPolicy", region, "NotFoundException", model.ErrNotFound)
	}
	return p, nil
}

func (f *fakeAccount) sharedWith(id string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.shares[id])
}

// fakeAccounts are the profiles: "" the source account, "dr" the other.
type fakeAccounts map[string]*fakeAccount

func (a fakeAccounts) Open(ctx context.Context, profile string) (AccountAWS, error) {
	f, ok := a[profile]
	if !ok {
		return nil, fmt.Errorf("profile %s is not in the AWS config files", profile)
	}
	return f, nil
}

// crossBench is a tracker of copies into the account of profile dr.
type crossBench struct {
	*bench
	src, dest *fakeAccount
	steps     []string
	mu        sync.Mutex
	stopAt    string // the step after which the tracker's goroutine dies
}

func newCrossBench(t *testing.T) *crossBench {
	cb := &crossBench{src: newFakeAccount(srcAcct), dest: newFakeAccount(destAcct)}
	cb.src.profile = "ops"
	cb.bench = &bench{t: t, aws: cb.src.fakeAWS, clock: &manualClock{t: t0}, path: filepath.Join(t.TempDir(), "copies.json")}
	cb.restart(&model.WatchList{})
	return cb
}

// restart is a new process on the state file (list: what it holds).
func (cb *crossBench) restart(list *model.WatchList) {
	cb.tr = NewTracker(cb.src, list, cb.path, TrackerOptions{
		Now: cb.clock.Now, Accounts: fakeAccounts{"": cb.src, "dr": cb.dest},
		AfterCrossStep: func(step string) {
			cb.mu.Lock()
			cb.steps = append(cb.steps, step)
			stop := step == cb.stopAt
			cb.mu.Unlock()
			if stop {
				runtime.Goexit() // the process dies here: only the file is left
			}
		},
	})
}

// stepDies runs Step in a goroutine of its own, which may die at stopAt.
func (cb *crossBench) stepDies() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		res := cb.tr.Step(context.Background())
		cb.clock.Advance(max(res.Next, model.DefaultSettleDelay))
	}()
	<-done
}

func (cb *crossBench) addCross(src model.Snapshot, x model.CrossAccount) *model.Copy {
	cb.t.Helper()
	cp := model.NewCopy(model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID,
		Tags: model.ProvenanceTags(src)}, src, cb.clock.Now())
	cp.StartCrossAccount(x)
	if err := cb.tr.Add(cp); err != nil {
		cb.t.Fatal(err)
	}
	return cp
}

func (cb *crossBench) copyOf(id string) model.Copy {
	for _, c := range cb.tr.Copies() {
		if c.RequestID == id {
			return c
		}
	}
	cb.t.Fatalf("copy %s is not tracked", id)
	return model.Copy{}
}

// run steps until the copy ends (or n steps), completing what AWS makes.
func (cb *crossBench) run(id string, n int) model.Copy {
	cb.t.Helper()
	for range n {
		cb.stepDies()
		cb.src.completeAll()
		cb.dest.completeAll()
		if c := cb.copyOf(id); c.Phase.Done() {
			return c
		}
	}
	return cb.copyOf(id)
}

var dr = model.CrossAccount{DestinationProfile: "dr", DestinationAccount: destAcct, SourceAccount: srcAcct}

// reencrypting is a source under the AWS managed key and its way into the
// other account through a copy under srcKey, whose policy is policy.
func (cb *crossBench) reencrypting(id, policy string) (model.Snapshot, model.CrossAccount) {
	src := model.Snapshot{ID: id, Region: "us-west-2", Encrypted: true, KmsKeyID: "arn:aws:kms:us-west-2:123456789012:key/managed"}
	x := dr
	x.SourceKey, x.ReencryptKey = src.KmsKeyID, srcKey
	cb.src.policies[srcKey] = policy
	return src, x
}

// An unencrypted snapshot: shared, copied with the destination's
// credentials from the source, unshared once the copy completed, which
// only then is completed.
func TestCrossAccountUnencrypted(t *testing.T) {
	cb := newCrossBench(t)
	src := model.Snapshot{ID: "snap-0000000000000aaa1", Region: "us-west-2", VolumeID: "vol-1", VolumeSizeGiB: 8}
	cp := cb.addCross(src, dr)
	got := cb.run(cp.RequestID, 10)
	if got.Phase != model.PhaseCompleted || got.Cross.Step != model.CrossDone || !got.Cross.ShareAdded || !got.Cross.Unshared {
		t.Fatalf("copy: %+v", got)
	}
	if n := cb.src.count("CopySnapshot", ""); n != 0 {
		t.Errorf("the source account sent %d CopySnapshot", n)
	}
	if n := cb.dest.made("us-east-1"); n != 1 || cb.dest.count("CopySnapshot", "us-east-1") != 1 {
		t.Errorf("the destination account holds %d copies after %d CopySnapshot", n, cb.dest.count("CopySnapshot", "us-east-1"))
	}
	for _, s := range cb.dest.snaps["us-east-1"] {
		if s.Tag(model.TagSourceSnapshot) != src.ID || s.Tag(model.RequestTagKey) != cp.RequestID {
			t.Errorf("the copy's tags: %v", s.Tags)
		}
	}
	if with := cb.src.sharedWith(src.ID); len(with) != 0 {
		t.Errorf("still shared with %v", with)
	}
	if want := []string{"share", "copy", "unshare", "cleanup"}; !slices.Equal(cb.steps, want) {
		t.Errorf("steps %v, want %v", cb.steps, want)
	}
	if cb.src.count("PollCopies", "") != 0 || cb.dest.count("PollCopies", "us-east-1") == 0 {
		t.Errorf("polled: source %v, destination %v", cb.src.callList(), cb.dest.callList())
	}
}

// A snapshot shared with the account before is left shared.
func TestCrossAccountAlreadySharedIsLeftShared(t *testing.T) {
	cb := newCrossBench(t)
	src := model.Snapshot{ID: "snap-0000000000000aaa2", Region: "us-west-2"}
	cb.src.shares[src.ID] = []string{destAcct}
	cp := cb.addCross(src, dr)
	got := cb.run(cp.RequestID, 10)
	if got.Phase != model.PhaseCompleted || got.Cross.ShareAdded {
		t.Fatalf("copy: %+v", got)
	}
	if with := cb.src.sharedWith(src.ID); !slices.Equal(with, []string{destAcct}) {
		t.Errorf("shared with %v after the copy, want the share kept", with)
	}
	if n := cb.src.count("ShareSnapshot", "") + cb.src.count("UnshareSnapshot", ""); n != 0 {
		t.Errorf("%d share changes sent", n)
	}
}

// Under the AWS managed key: the intermediate copy under the re-encrypting
// key is shared; with its key's policy missing a statement nothing is
// sent into the other account; once the policy admits it the copy is made
// and the intermediate copy deleted.
func TestCrossAccountThroughReencryptedCopyWaitsForTheKeyPolicy(t *testing.T) {
	cb := newCrossBench(t)
	own := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + srcAcct + `:root"},"Action":"kms:*","Resource":"*"}]}`
	src, x := cb.reencrypting("snap-0000000000000aaa3", own)
	cp := cb.addCross(src, x)
	got := cb.run(cp.RequestID, 8)
	if got.Phase.Done() || !got.WaitsForKeyPolicy() || !strings.Contains(got.Note, "lacks 2 statement(s) for account "+destAcct) {
		t.Fatalf("with the policy missing statements: %+v", got)
	}
	if n := cb.dest.count("CopySnapshot", ""); n != 0 {
		t.Fatalf("%d CopySnapshot sent into the other account before the policy admits it", n)
	}
	inter := got.Cross.IntermediateSnapshotID
	if inter == "" || cb.src.made("us-west-2") != 1 || !slices.Equal(cb.src.sharedWith(inter), []string{destAcct}) || len(cb.src.sharedWith(src.ID)) != 0 {
		t.Fatalf("intermediate %q, shares %v", inter, cb.src.shares)
	}
	for _, s := range cb.src.snaps["us-west-2"] {
		if s.Tag(model.RequestTagKey) != cp.RequestID+"-reencrypt" {
			t.Errorf("the intermediate copy's tags: %v", s.Tags)
		}
	}
	missing, _ := model.MissingKeyStatements(own, destAcct)
	cb.src.policies[srcKey], _ = model.WithKeyStatements(own, missing)
	got = cb.run(cp.RequestID, 10)
	if got.Phase != model.PhaseCompleted {
		t.Fatalf("after the policy was completed: %+v", got)
	}
	if cb.src.made("us-west-2") != 0 || len(cb.src.sharedWith(inter)) != 0 || cb.dest.made("us-east-1") != 1 {
		t.Errorf("left: source %d snapshots, shares %v; destination %d copies", cb.src.made("us-west-2"), cb.src.shares, cb.dest.made("us-east-1"))
	}
	for _, s := range cb.dest.snaps["us-east-1"] {
		if s.Tag(model.TagSourceSnapshot) != src.ID {
			t.Errorf("the copy names %q as its source, not the snapshot copied", s.Tag(model.TagSourceSnapshot))
		}
	}
	if sent := cb.dest.count("CopySnapshot", "us-east-1"); sent != 1 {
		t.Errorf("%d CopySnapshot into the other account", sent)
	}
}

// Killed after any step, a new process on the state file resumes where the
// copy was: one intermediate copy, one copy in the other account, every
// share removed.
func TestCrossAccountResumesAfterEveryStep(t *testing.T) {
	for _, stop := range []string{"reencrypt-sent", "reencrypt", "share", "key-policy", "copy", "unshare"} {
		t.Run(stop, func(t *testing.T) {
			cb := newCrossBench(t)
			missing, _ := model.MissingKeyStatements(`{"Statement":[]}`, destAcct)
			admits, _ := model.WithKeyStatements(`{"Statement":[]}`, missing)
			src, x := cb.reencrypting("snap-0000000000000aaa4", admits)
			cp := cb.addCross(src, x)
			cb.stopAt = stop
			for range 12 {
				cb.stepDies()
				cb.src.completeAll()
				cb.dest.completeAll()
				if slices.Contains(cb.steps, stop) {
					break
				}
			}
			if !slices.Contains(cb.steps, stop) {
				t.Fatalf("never reached %s: steps %v", stop, cb.steps)
			}
			list, err := model.LoadWatchList(cb.path, cb.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			cb.stopAt = ""
			cb.restart(list)
			got := cb.run(cp.RequestID, 12)
			if got.Phase != model.PhaseCompleted {
				t.Fatalf("after the restart: %+v", got)
			}
			if a, b := cb.src.count("CopySnapshot", ""), cb.dest.count("CopySnapshot", ""); a != 1 || b != 1 {
				t.Errorf("CopySnapshot sent: %d in the source account, %d in the other", a, b)
			}
			if cb.dest.made("us-east-1") != 1 || cb.src.made("us-west-2") != 0 {
				t.Errorf("copies left: %d in the other account, %d intermediate", cb.dest.made("us-east-1"), cb.src.made("us-west-2"))
			}
			for id, with := range cb.src.shares {
				if len(with) != 0 {
					t.Errorf("%s still shared with %v", id, with)
				}
			}
		})
	}
}

// A copy AWS failed in the other account still removes its share, then
// fails with AWS's words.
func TestCrossAccountFailedCopyCleansUp(t *testing.T) {
	cb := newCrossBench(t)
	src := model.Snapshot{ID: "snap-0000000000000aaa5", Region: "us-west-2"}
	cp := cb.addCross(src, dr)
	for range 6 {
		cb.stepDies()
		if c := cb.copyOf(cp.RequestID); c.SnapshotID != "" {
			break
		}
	}
	cb.dest.set(func(f *fakeAWS) {
		for _, s := range f.snaps["us-east-1"] {
			s.State, s.StateMessage = model.StateError, "Given key ID is not accessible"
		}
	})
	var got model.Copy
	for range 6 {
		cb.stepDies()
		if got = cb.copyOf(cp.RequestID); got.Phase.Done() {
			break
		}
	}
	if got.Phase != model.PhaseFailed || got.StateMessage != "Given key ID is not accessible" || !got.Cross.Unshared {
		t.Errorf("copy: %+v", got)
	}
	if with := cb.src.sharedWith(src.ID); len(with) != 0 {
		t.Errorf("still shared with %v", with)
	}
}

// Without a way to the destination profile the copy waits and says why.
func TestCrossAccountProfileNotReachable(t *testing.T) {
	cb := newCrossBench(t)
	src := model.Snapshot{ID: "snap-0000000000000aaa6", Region: "us-west-2"}
	x := dr
	x.DestinationProfile = "gone"
	cp := cb.addCross(src, x)
	got := cb.run(cp.RequestID, 4)
	if got.Phase.Done() || !strings.Contains(got.Note, "profile gone is not in the AWS config files") {
		t.Errorf("copy: %+v", got)
	}
}

// Cancelled while it waits for the key policy, a copy into another
// account removes its share and deletes its re-encrypted copy; cancelled
// while AWS makes it, its copy is deleted in the other account.
func TestCrossAccountCancel(t *testing.T) {
	cb := newCrossBench(t)
	src, x := cb.reencrypting("snap-0000000000000aaa7", `{"Statement":[]}`)
	cp := cb.addCross(src, x)
	if got := cb.run(cp.RequestID, 8); got.Cross.Step != model.CrossKeyPolicy || got.Cross.IntermediateSnapshotID == "" {
		t.Fatalf("not waiting for the key policy: %+v", got)
	}
	if _, err := cb.tr.Cancel(context.Background(), cp.RequestID); err != nil {
		t.Fatal(err)
	}
	got := cb.run(cp.RequestID, 4)
	if got.Phase != model.PhaseCancelled || got.StateMessage != "cancelled before it was sent" {
		t.Errorf("copy: %+v", got)
	}
	if cb.src.made("us-west-2") != 0 || cb.dest.count("CopySnapshot", "") != 0 {
		t.Errorf("left: %d re-encrypted copies, %d CopySnapshot into the other account", cb.src.made("us-west-2"), cb.dest.count("CopySnapshot", ""))
	}
	for id, with := range cb.src.shares {
		if len(with) != 0 {
			t.Errorf("%s still shared with %v", id, with)
		}
	}

	plain := model.Snapshot{ID: "snap-0000000000000aaa8", Region: "us-west-2"}
	cp = cb.addCross(plain, dr)
	for range 6 {
		cb.stepDies()
		if c := cb.copyOf(cp.RequestID); c.Phase == model.PhaseStarting || c.Phase == model.PhaseRunning {
			break
		}
	}
	c, err := cb.tr.Cancel(context.Background(), cp.RequestID)
	if err != nil {
		t.Fatal(err)
	}
	if cb.dest.made("us-east-1") != 0 || cb.src.count("DeleteSnapshot "+c.SnapshotID, "us-east-1") != 0 {
		t.Errorf("the copy in the other account was not deleted there: %v / %v", cb.dest.callList(), cb.src.callList())
	}
	got = cb.run(cp.RequestID, 4)
	if got.Phase != model.PhaseCancelled || !strings.Contains(got.StateMessage, "was deleted in us-east-1") || len(cb.src.sharedWith(plain.ID)) != 0 {
		t.Errorf("copy: %+v, shared with %v", got, cb.src.sharedWith(plain.ID))
	}
}

// A step whose only calls go to the other account without an answer is a
// step without an answer: scripts give up on it as on the source's.
func TestCrossAccountSilenceCounts(t *testing.T) {
	cb := newCrossBench(t)
	src := model.Snapshot{ID: "snap-0000000000000aaa9", Region: "us-west-2"}
	cp := cb.addCross(src, dr)
	for range 6 {
		cb.stepDies()
		if c := cb.copyOf(cp.RequestID); c.SnapshotID != "" {
			break
		}
	}
	cb.dest.set(func(f *fakeAWS) {
		f.hidden = map[string]bool{}
		f.hangPolls = true
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if res := cb.tr.Step(ctx); !res.Unanswered {
		t.Errorf("a step whose poll of the other account went unanswered: %+v", res)
	}
}

// A copy into another account whose step fails for now holds back no
// other copy: the copy within the account is sent in the same round.
func TestCrossAccountTroubleHoldsNoOtherCopy(t *testing.T) {
	cb := newCrossBench(t)
	cb.src.shareErr = apiErr("ModifySnapshotAttribute", "us-west-2", "InternalError", model.ErrTransient)
	cp := cb.addCross(model.Snapshot{ID: "snap-0000000000000aab1", Region: "us-west-2"}, dr)
	own := cb.add("us-east-1")[0]
	res := cb.tr.Step(context.Background())
	if c := cb.copyOf(own.RequestID); c.SnapshotID == "" {
		t.Errorf("the copy within the account was not sent: %+v", c)
	}
	if c := cb.copyOf(cp.RequestID); c.Cross.Step != model.CrossShare || !strings.Contains(c.Note, "InternalError") || res.Trouble == nil {
		t.Errorf("the copy into the other account: %+v; step trouble %v", c, res.Trouble)
	}
}

// Credentials of the other account refused: the tracker pauses, and the
// advice names that account's profile, not the state file's.
func TestCrossAccountExpiredCredentialsNameTheProfile(t *testing.T) {
	cb := newCrossBench(t)
	cp := cb.addCross(model.Snapshot{ID: "snap-0000000000000aab2", Region: "us-west-2"}, dr)
	cb.stepDies() // shared
	cb.dest.set(func(f *fakeAWS) {
		f.regionErr["us-east-1"] = apiErr("CopySnapshot", "us-east-1", "ExpiredToken", model.ErrCredentials)
	})
	res := cb.tr.Step(context.Background())
	if !res.Paused || !strings.Contains(res.Status, "dr") || strings.Contains(res.Status, "ops") {
		t.Errorf("status %q (paused %v); copy %+v", res.Status, res.Paused, cb.copyOf(cp.RequestID))
	}
}
