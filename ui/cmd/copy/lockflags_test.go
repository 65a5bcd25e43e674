package copy

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// --lock and --lock-cool-off reach the form's Lock field as typed.
func TestParseFillsTheLock(t *testing.T) {
	o, err := parse([]string{"--region", "us-west-2", "--to", "us-east-1", "--lock", "compliance:365d", "--lock-cool-off", "24h", "snap-1"})
	if err != nil {
		t.Fatal(err)
	}
	if f := o.form(); f.Lock != "compliance:365d" || f.LockCoolOff != "24h" {
		t.Errorf("form lock %q, cool-off %q", f.Lock, f.LockCoolOff)
	}
}

// The dry run's command lines keep the copy's id and lock it; its JSON
// carries the lock.
func TestDryRunOutputsShowTheLock(t *testing.T) {
	r := model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-1",
		SnapLock: model.SnapLockSpec{Mode: model.SnapLockCompliance, Days: 365, CoolOffHours: 24}}
	lines := r.CLILines()
	want := []string{
		"COPY_ID=$(aws ec2 copy-snapshot --region us-east-1 --source-region us-west-2 --source-snapshot-id snap-1 --query SnapshotId --output text) &&",
		`aws ec2 lock-snapshot --region us-east-1 --snapshot-id "$COPY_ID" --lock-mode compliance --lock-duration 365 --cool-off-period 24`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	r.SnapLock = model.SnapLockSpec{Mode: model.SnapLockGovernance, Expires: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)}
	if l := r.CLILines()[1]; !strings.HasSuffix(l, "--lock-mode governance --expiration-date 2027-01-31T00:00:00.000Z") {
		t.Errorf("expiry line: %s", l)
	}
	r.SnapLock = model.SnapLockSpec{}
	if l := r.CLILines(); len(l) != 1 || l[0] != r.CLICommand() {
		t.Errorf("without a lock: %v", l)
	}

	js, _ := json.Marshal(DryRunLine{Kind: "copy", SnapLock: snapLockJSON(model.SnapLockSpec{Mode: model.SnapLockGovernance, Days: 7})})
	if !strings.Contains(string(js), `"snapshot_lock":{"mode":"governance","duration_days":7,"from_completion":true,"words":"governance, 7 days from completion"}`) {
		t.Errorf("JSON: %s", js)
	}
	js, _ = json.Marshal(DryRunLine{Kind: "copy"})
	if strings.Contains(string(js), "snapshot_lock") {
		t.Errorf("JSON without a lock: %s", js)
	}
}

// A DLM policy's copies are DLM's: --lock is refused with it.
func TestLockIsRefusedWithDLM(t *testing.T) {
	_, err := parse([]string{"--region", "us-west-2", "--to", "us-east-1", "--output", "dlm", "--schedule", "daily@03:00", "--retain", "7",
		"--lock", "governance:7d", "snap-1"})
	if err == nil || !strings.Contains(err.Error(), "--lock: not with --output dlm") {
		t.Errorf("--lock with --output dlm: %v", err)
	}
}

// A broken lock is a bad flag: refused before AWS is reached.
func TestBadLockIsABadFlag(t *testing.T) {
	for args, want := range map[string]string{
		"--lock governance:0d":                     `--lock: Lock "governance:0d": the duration must be 1 to 36500 days`,
		"--lock governance:7d --lock-cool-off 24h": "--lock: Lock cool-off 24h: a cool-off period goes with a compliance lock only",
		"--lock compliance:7d --lock-cool-off 99h": `--lock: Lock cool-off "99h": must be 1 to 72 hours`,
	} {
		_, err := parse(append(append([]string{"--region", "us-west-2", "--to", "us-east-1"}, strings.Fields(args)...), "snap-1"))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", args, err, want)
		}
	}
}
