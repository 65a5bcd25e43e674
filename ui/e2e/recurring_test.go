package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemoMakeItRecurring drives the copy form's ctrl+p in the demo: the
// panel takes the copy to us-east-1 under alias/backup, the retentions
// are typed, ctrl+s asks with the JSON on screen, y creates the policy in
// the demo's simulator, which keeps it in its world file as shown.
func TestDemoMakeItRecurring(t *testing.T) {
	t.Parallel()
	env := newAppEnv(t)
	tm := startApp(t, 180, 50, env, "--demo")
	tm.waitFor(shortWait, "profile demo", "db-prod-primary")

	tm.keys("/")
	tm.typeText("db-prod-primary")
	tm.waitFor(shortWait, "1/40 snapshots")
	tm.keys("Enter", "Enter")
	tm.waitFor(shortWait, "Destination type")
	tm.keys("Tab", "C-u")
	tm.typeText("us-east-1")
	tm.keys("Tab", "Tab", "Tab", "Tab") // destination account, description, encrypt, KMS key
	tm.typeText("alias/backup")
	tm.waitFor(shortWait, "encrypted with alias/backup")

	tm.keys("C-p")
	tm.waitFor(shortWait, "Make it recurring", "Target tag", "snapcopy:recurring=to-us-east-1")
	tm.keys("Tab", "Tab") // schedule, retain at source
	tm.typeText("14")
	tm.keys("Tab")
	tm.typeText("14") // a count at the destination: DLM keeps copies by age only
	tm.waitFor(shortWait, "✗ Retain at destination is by age only")
	tm.keys("C-s")
	tm.waitFor(shortWait, "not created: fix the retain at destination")
	tm.typeText("d")
	tm.waitFor(shortWait, "✓ valid", "Copies to us-east-1, encrypted with arn:aws:kms:us-east-1:123456789012:key/")

	tm.keys("C-s")
	tm.waitFor(shortWait, "create this policy in us-west-2? y/n", `"PolicyType": "EBS_SNAPSHOT_MANAGEMENT"`,
		"aws dlm create-lifecycle-policy --region us-west-2")
	tm.keys("y")
	s := tm.waitFor(shortWait, "read back, it is the policy shown")
	id := regexp.MustCompile(`created (policy-[0-9a-f]+) in us-west-2`).FindStringSubmatch(s)
	if id == nil {
		t.Fatalf("no policy id on screen:\n%s", s)
	}

	// The demo's world keeps the policy as created: in us-west-2, copying
	// to us-east-1 under the key's ARN, kept 14 days there.
	world := filepath.Join(filepath.Dir(env.demoStatePath()), "demo-world.json")
	deadline := time.Now().Add(shortWait)
	for {
		b, err := os.ReadFile(world)
		if err == nil && strings.Contains(string(b), id[1]) {
			var w struct {
				LifecyclePolicies []struct {
					ID, Region string
					Details    json.RawMessage `json:"policy_details"`
				} `json:"lifecycle_policies"`
			}
			if err := json.Unmarshal(b, &w); err != nil {
				t.Fatal(err)
			}
			if len(w.LifecyclePolicies) != 1 {
				t.Fatalf("%d policies in the world", len(w.LifecyclePolicies))
			}
			p := w.LifecyclePolicies[0]
			d := strings.Join(strings.Fields(string(p.Details)), "")
			for _, want := range []string{`"Target":"us-east-1"`, `"CmkArn":"arn:aws:kms:us-east-1:123456789012:key/`, `"Interval":14,"IntervalUnit":"DAYS"`, `"Count":14`} {
				if !strings.Contains(d, want) {
					t.Errorf("stored policy lacks %s: %s", want, d)
				}
			}
			if p.ID != id[1] || p.Region != "us-west-2" {
				t.Errorf("stored %s in %s", p.ID, p.Region)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the world file does not hold %s (%v)", id[1], err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
