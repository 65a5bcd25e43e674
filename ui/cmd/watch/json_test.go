package watch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/screentest"
)

// Every line of JSON output is one object with every documented field;
// throttling and the summary go to the notes, never among the objects.
func TestJSONLinesParseAndFollowTheCopies(t *testing.T) {
	w := screentest.NewWorld(t, screentest.WorldOptions{})
	good := w.CopyOf(w.Source("web", 2), "us-east-1")
	bad := w.CopyOf(w.Source("db", 50), "eu-west-1", func(r *model.CopyRequest) { r.Encrypted, r.KmsKeyID = true, "alias/old" })
	if err := w.Tracker.Add(good, bad); err != nil {
		t.Fatal(err)
	}
	var out, notes bytes.Buffer
	err := runLines(context.Background(), w.Tracker, lineOutput{copies: &out, notes: &notes, line: jsonLine}, w.Clock.Now, track.FollowOptions{After: w.SimAfter(func(round int) {
		switch round {
		case 1:
			w.Sim.SetFaults(ec2sim.Faults{ThrottleRate: 1})
		case 2:
			w.Sim.SetFaults(ec2sim.Faults{})
		}
	})})
	if err != nil {
		t.Fatal(err)
	}
	fields := []string{"time", "source_snapshot", "source_region", "destination", "copy_snapshot", "state", "progress", "message", "request_id"}
	last := map[string]map[string]any{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var obj map[string]any
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
			t.Fatalf("line %q does not parse: %v", sc.Text(), err)
		}
		for _, f := range fields {
			if _, ok := obj[f]; !ok {
				t.Errorf("line %q lacks %q", sc.Text(), f)
			}
		}
		if len(obj) != len(fields) {
			t.Errorf("line %q has %d fields, want %d", sc.Text(), len(obj), len(fields))
		}
		last[obj["request_id"].(string)] = obj
	}
	g, b := last[good.RequestID], last[bad.RequestID]
	if g["state"] != "completed" || g["progress"] != float64(100) || g["destination"] != "us-east-1" || !strings.HasPrefix(g["copy_snapshot"].(string), "snap-") {
		t.Errorf("last line of the good copy: %v", g)
	}
	if b["state"] != "failed" || !strings.Contains(b["message"].(string), "key") || b["source_region"] != "us-west-2" {
		t.Errorf("last line of the failed copy: %v", b)
	}
	if !strings.Contains(notes.String(), "RequestLimitExceeded") || !strings.Contains(notes.String(), "every copy has ended") {
		t.Errorf("notes lack the throttling or the summary:\n%s", notes.String())
	}
}
