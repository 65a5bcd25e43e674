package watch

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// A copy into another account is one line naming the account, with the
// step it is on while it runs; its JSON object carries the account and
// the step, which a copy within one account leaves out.
func TestLinesOfACopyIntoAnotherAccount(t *testing.T) {
	now := time.Date(2026, 12, 8, 1, 0, 0, 0, time.UTC)
	c := model.NewCopy(model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-1"}, model.Snapshot{ID: "snap-1"}, now)
	plain := *c
	c.StartCrossAccount(model.CrossAccount{DestinationProfile: "dr", DestinationAccount: "111122223333"})
	line := CopyLine(c, now, false)
	if !strings.Contains(line, "-> us-east-1 (account 111122223333) - [sharing] queued (next: sharing)") {
		t.Errorf("plain line: %q", line)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(CopyLine(c, now, true)), &obj); err != nil {
		t.Fatal(err)
	}
	if obj["destination_account"] != "111122223333" || obj["step"] != "share" || obj["destination"] != "us-east-1" {
		t.Errorf("JSON: %v", obj)
	}
	obj = nil
	if err := json.Unmarshal([]byte(CopyLine(&plain, now, true)), &obj); err != nil {
		t.Fatal(err)
	}
	if _, ok := obj["destination_account"]; ok {
		t.Errorf("a copy within one account names a destination account: %v", obj)
	}
	if _, ok := obj["step"]; ok {
		t.Errorf("a copy within one account names a step: %v", obj)
	}
}
