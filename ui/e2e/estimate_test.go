package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	copycmd "github.com/snapcopy/snapcopy/ui/cmd/copy"
)

// The README's example of `copy --dry-run --output json` is lines of
// exactly the fields `snapcopy copy` writes: a copy's, then the batch's.
func TestReadmeDryRunJSONExampleParses(t *testing.T) {
	data, err := os.ReadFile(repoRoot() + "/README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "`copy --dry-run --output json` sends no copy")
	_, rest, found := strings.Cut(rest, "```json\n")
	block, _, closed := strings.Cut(rest, "```")
	if !ok || !found || !closed {
		t.Fatal("README has no ```json example of copy --dry-run --output json")
	}
	var kinds []string
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		dec := json.NewDecoder(bytes.NewReader([]byte(line)))
		dec.DisallowUnknownFields()
		var l copycmd.DryRunLine
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if l.Estimate == nil || l.Estimate.TimeBasedFee == nil || l.Estimate.CheaperFit == nil {
			t.Errorf("line %q lacks the time-based fee and the cheaper fit", line)
		}
		kinds = append(kinds, l.Kind)
	}
	if strings.Join(kinds, ",") != "copy,batch" {
		t.Errorf("the example's lines are %v, want a copy's and the batch's", kinds)
	}
}
