package e2e

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// The real binary's command line: each command's --help is its own (and
// simulate's has the format of the others), a bad flag is named with two
// dashes, and a command's flags work before its name.
func TestCommandLineEachCommandsOwnHelpAndFlagsBeforeTheCommand(t *testing.T) {
	for cmd, want := range map[string]string{
		"watch":    "Usage:\n  snapcopy watch [flags]\n",
		"copy":     "Usage:\n  snapcopy copy --region SRC --to DEST [flags] SNAPSHOT-ID...\n",
		"simulate": "Usage:\n  snapcopy simulate [flags]\n",
	} {
		out, errOut, code := runBinary(t, bareEnv(t), cmd, "--help")
		if code != 0 || errOut != "" || !strings.Contains(out, want) || strings.Contains(out, "Commands:") || !strings.Contains(out, "\nFlags:\n") {
			t.Errorf("%s --help: exit %d, stderr %q, stdout:\n%s", cmd, code, errOut, out)
		}
	}
	_, errOut, code := runBinary(t, bareEnv(t), "watch", "--no-such-flag")
	if code != 2 || errOut != "snapcopy watch: unknown flag: --no-such-flag (see snapcopy watch --help)\n" {
		t.Errorf("a bad flag: exit %d, %q", code, errOut)
	}

	// --output json before `watch`: plain mode prints JSON lines.
	sim := startSim(t, simOptions{timeScale: 1000})
	src, ok := sim.snapshotNamed("us-west-2", "web-frontend-01")
	if !ok {
		t.Fatal("the seeded world has no web-frontend-01 snapshot")
	}
	state := filepath.Join(t.TempDir(), "copies.json")
	list := &model.WatchList{}
	list.Add(model.NewCopy(model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID}, src, time.Now()))
	if err := list.Save(state); err != nil {
		t.Fatal(err)
	}
	env := bareEnv(t, "AWS_REGION=us-west-2", "AWS_ACCESS_KEY_ID=AKIDPLAIN", "AWS_SECRET_ACCESS_KEY=secret")
	out, errOut, code := runBinary(t, env, "--output", "json", "--endpoint-url", sim.url, "watch", "--plain", "--state-file", state)
	if code != 0 {
		t.Fatalf("--output json watch --plain: exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Errorf("a line that is not JSON: %q (%v)", l, err)
		}
	}
	if !strings.Contains(lines[len(lines)-1], "completed") {
		t.Errorf("the last line is not the copy completed: %q", lines[len(lines)-1])
	}
}
