package model

import (
	"errors"
	"strings"
	"testing"
)

func stepsText(steps []PlannedStep) string {
	var b strings.Builder
	for _, s := range steps {
		skip := ""
		if s.Skipped {
			skip = " (skipped)"
		}
		b.WriteString(string(s.Step) + skip + ": " + s.Text + "\n")
	}
	return b.String()
}

func TestPlanCrossAccount(t *testing.T) {
	x := CrossAccount{DestinationProfile: "dr", DestinationAccount: dr}
	steps, err := PlanCrossAccount("snap-1", x, CrossFacts{SharedKnown: true})
	if err != nil {
		t.Fatal(err)
	}
	want := "share: share snap-1 with account 111122223333 (profile dr) (createVolumePermission)\n" +
		"copy: copy it into account 111122223333 (profile dr) with that profile's credentials, unencrypted unless the account encrypts by default\n" +
		"cleanup: when the copy completes: remove the share\n"
	if got := stepsText(steps); got != want {
		t.Errorf("unencrypted:\n%s\nwant\n%s", got, want)
	}

	managed := CrossFacts{SourceEncrypted: true, SourceKeyAWSManaged: true, SourceKeyName: "alias/aws/ebs"}
	_, err = PlanCrossAccount("snap-1", x, managed)
	var need ErrNeedsReencryptKey
	if !errors.As(err, &need) || !strings.Contains(err.Error(), "--reencrypt-key") || !strings.Contains(err.Error(), "AWS managed key") {
		t.Errorf("AWS managed key without a re-encrypting key: %v", err)
	}
	x.ReencryptKey = "arn:aws:kms:us-west-2:123456789012:key/k"
	managed.ReencryptKeyName = "alias/share"
	managed.PolicyKnown, managed.MissingStatements = true, []KeyStatement{KeyUseStatement(dr)}
	steps, err = PlanCrossAccount("snap-1", x, managed)
	if err != nil {
		t.Fatal(err)
	}
	want = "reencrypt: copy snap-1 in the source Region under alias/share: a snapshot under the AWS managed key cannot be shared\n" +
		"share: share the re-encrypted copy with account 111122223333 (profile dr) (createVolumePermission)\n" +
		"key-policy: the policy of alias/share lacks 1 statement(s) for account 111122223333 (profile dr): they must be added first (PutKeyPolicy)\n" +
		"copy: copy it into account 111122223333 (profile dr) with that profile's credentials, under its default EBS key\n" +
		"cleanup: when the copy completes: remove the share and delete the re-encrypted copy\n"
	if got := stepsText(steps); got != want {
		t.Errorf("through a re-encrypted copy:\n%s\nwant\n%s", got, want)
	}

	x = CrossAccount{DestinationProfile: "dr", DestinationAccount: dr, KeepShare: true}
	steps, _ = PlanCrossAccount("snap-1", x, CrossFacts{SharedKnown: true, AlreadyShared: true, SourceEncrypted: true, SourceKeyName: "alias/prod", PolicyKnown: true, DestinationKey: "alias/dr-backup"})
	want = "share (skipped): snap-1 is already shared with account 111122223333 (profile dr): nothing to add (and nothing removed at the end)\n" +
		"key-policy (skipped): the policy of alias/prod lets account 111122223333 (profile dr) use the key\n" +
		"copy: copy it into account 111122223333 (profile dr) with that profile's credentials, under alias/dr-backup\n" +
		"cleanup (skipped): then keep the share\n"
	if got := stepsText(steps); got != want {
		t.Errorf("already shared, kept:\n%s\nwant\n%s", got, want)
	}
}

// A state file's copy at a step this snapcopy does not know is set aside,
// never followed; one at a known step goes through whole.
func TestStateFileCrossStep(t *testing.T) {
	c := NewCopy(CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-1"}, Snapshot{}, t0)
	c.Cross = CrossAccount{DestinationProfile: "dr", DestinationAccount: dr, Step: CrossShare, ShareAdded: true}
	data, _ := encodeState([]*Copy{c})
	if !strings.Contains(string(data), `"cross_account": {`) || !strings.Contains(string(data), `"step": "share"`) {
		t.Errorf("saved:\n%s", data)
	}
	d, bad := decodeState(data)
	if bad != nil || len(d.copies) != 1 || d.copies[0].Cross != c.Cross {
		t.Fatalf("read back: %+v %+v", d, bad)
	}
	data = []byte(strings.Replace(string(data), `"step": "share"`, `"step": "teleport"`, 1))
	d, _ = decodeState(data)
	if len(d.copies) != 0 || len(d.problems) != 1 || !strings.Contains(d.problems[0], `"teleport"`) {
		t.Errorf("unknown step: %+v", d)
	}
}

// A retry of a failed copy into another account goes there again, from
// its first step, with an intermediate copy of its own.
func TestRetryOfACopyIntoAnotherAccount(t *testing.T) {
	c := NewCopy(CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-1"}, Snapshot{}, t0)
	c.StartCrossAccount(CrossAccount{DestinationProfile: "dr", DestinationAccount: dr, ReencryptKey: "arn:k", KeepShare: true})
	c.IntermediateStarted("snap-i", t0)
	c.Sharing(t0)
	c.Fail("Given key ID is not accessible", t0)
	c.CleanedUp(t0)
	if c.Phase != PhaseFailed {
		t.Fatalf("failed copy: %+v", c)
	}
	r := NewRetry(c, t0)
	x := r.Cross
	if x.Step != CrossReencrypt || x.DestinationProfile != "dr" || x.DestinationAccount != dr || x.ReencryptKey != "arn:k" || !x.KeepShare ||
		x.IntermediateSnapshotID != "" || x.ShareAdded || x.IntermediateRequestID != r.RequestID+"-reencrypt" || r.RetryOf != c.RequestID {
		t.Errorf("retry: %+v", r)
	}
	if plain := NewRetry(NewCopy(CopyRequest{DestinationRegion: "us-east-1"}, Snapshot{}, t0), t0); plain.Cross.Active() {
		t.Errorf("a retry of a copy within one account goes into another: %+v", plain.Cross)
	}
}

// A copy into another account does not duplicate one into the state
// file's own account, nor the other way round.
func TestMadeInKeepsOneAccountsCopies(t *testing.T) {
	r := CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-1"}
	own := NewCopy(r, Snapshot{}, t0)
	other := NewCopy(r, Snapshot{}, t0)
	other.StartCrossAccount(CrossAccount{DestinationProfile: "dr", DestinationAccount: dr})
	tracked := []*Copy{own, other}
	if d, ok := FindDuplicate(r, MadeIn(tracked, dr), nil); !ok || d.RequestID != other.RequestID {
		t.Errorf("into %s: %+v %v", dr, d, ok)
	}
	if d, ok := FindDuplicate(r, MadeIn(tracked, ""), nil); !ok || d.RequestID != own.RequestID {
		t.Errorf("into the own account: %+v %v", d, ok)
	}
	if _, ok := FindDuplicate(r, MadeIn(tracked, "999999999999"), nil); ok {
		t.Error("a copy into a third account is a duplicate")
	}
}
