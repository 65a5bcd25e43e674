package e2e

import (
	"bufio"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

// listenSim serves a simulator in the test, as `snapcopy simulate` does,
// so the test can read the requests it received.
func listenSim(t *testing.T, o ec2sim.Options) (*ec2sim.Server, string) {
	t.Helper()
	sim, srv, u, err := ec2sim.Listen("127.0.0.1:0", o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return sim, u
}

// needAWSCLI skips without the AWS CLI, and fails where peers are required.
func needAWSCLI(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("SNAPCOPY_REQUIRE_PEERS") != "" {
			t.Fatal("the AWS CLI (aws) is not on PATH")
		}
		t.Skip("the AWS CLI (aws) is not on PATH")
	}
}

// awsCLI runs one shell line with the AWS CLI against endpoint, with the
// operator's throwaway credentials and nothing of the machine's setup.
func awsCLI(t *testing.T, endpoint, line string) string {
	t.Helper()
	cmd := exec.Command("sh", "-c", line)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		"AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=", "AWS_ENDPOINT_URL=" + endpoint,
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
	return string(out)
}

// jsonLines parses every line of out as one --output json object and
// checks it has exactly the documented fields.
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	fields := []string{"time", "source_snapshot", "source_region", "destination", "copy_snapshot", "state", "progress", "message", "request_id"}
	var objs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var obj map[string]any
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
			t.Fatalf("line %q is not a JSON object: %v", sc.Text(), err)
		}
		for _, f := range fields {
			if _, ok := obj[f]; !ok {
				t.Errorf("line %q lacks %q", sc.Text(), f)
			}
		}
		want := len(fields)
		if _, ok := obj["destination_account"]; ok {
			want += 2 // a copy into another account: and its step
			if _, ok := obj["step"]; !ok {
				t.Errorf("line %q has a destination account and no step", sc.Text())
			}
		}
		if len(obj) != want {
			t.Errorf("line %q has %d fields, want %d", sc.Text(), len(obj), want)
		}
		if _, err := time.Parse(time.RFC3339, obj["time"].(string)); err != nil {
			t.Errorf("line %q: time: %v", sc.Text(), err)
		}
		objs = append(objs, obj)
	}
	if len(objs) == 0 {
		t.Fatalf("no JSON line in %q", out)
	}
	return objs
}

// A broken rule exits 2 naming the field and the rule, and sends nothing.
func TestCopyCommandBadRequestSendsNothing(t *testing.T) {
	sim, u := listenSim(t, ec2sim.Options{Seed: 1})
	web, _ := sim.SnapshotByName("us-west-2", "web-frontend-01")
	env := newAppEnv(t, "AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret")
	out, errOut, code := runBinary(t, env.environ(), "copy", "--endpoint-url", u, "--region", "us-west-2", "--to", "us-east-1",
		"--duration", "20", "--tag", "aws:x=1", web.ID)
	if code != 2 || out != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
	}
	for _, want := range []string{"completion duration: ", "multiple of 15 minutes", "tags: ", `"aws:x"`, "reserved", "nothing was sent"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr does not say %q:\n%s", want, errOut)
		}
	}
	if n := len(sim.Requests("CopySnapshot")); n != 0 {
		t.Errorf("the simulator received %d CopySnapshot", n)
	}
}

// copy --wait --output json follows the copy to completed, every line
// parsing; the same copy again is refused naming the first; --again makes
// a second.
func TestCopyCommandWaitJSONDuplicateAndAgain(t *testing.T) {
	sim, u := listenSim(t, ec2sim.Options{Seed: 1, TimeScale: 300, VisibilityLag: time.Second})
	web, _ := sim.SnapshotByName("us-west-2", "web-frontend-01")
	env := newAppEnv(t, "AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret")
	args := []string{"copy", "--endpoint-url", u, "--region", "us-west-2", "--to", "us-east-1", "--wait", "--output", "json", web.ID}

	out, errOut, code := runBinary(t, env.environ(), args...)
	if code != 0 {
		t.Fatalf("exit %d; stderr %q; stdout:\n%s", code, errOut, out)
	}
	objs := jsonLines(t, out)
	last := objs[len(objs)-1]
	if last["state"] != "completed" || last["progress"] != float64(100) || last["source_snapshot"] != web.ID || last["destination"] != "us-east-1" || last["source_region"] != "us-west-2" {
		t.Errorf("last line: %v", last)
	}
	first := last["copy_snapshot"].(string)
	if copies := watchList(t, env.statePath()); len(copies) != 1 || copies[0].SnapshotID != first || copies[0].Phase != model.PhaseCompleted {
		t.Errorf("state file: %+v", copies)
	}

	out, errOut, code = runBinary(t, env.environ(), args...)
	if code != 3 || out != "" || !strings.Contains(errOut, first) || !strings.Contains(errOut, "already copied to us-east-1") || !strings.Contains(errOut, "--again") {
		t.Errorf("second copy: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if n := len(sim.Requests("CopySnapshot")); n != 1 {
		t.Errorf("the simulator received %d CopySnapshot, want 1", n)
	}

	out, errOut, code = runBinary(t, env.environ(), append(args[:len(args)-1:len(args)-1], "--again", web.ID)...)
	if code != 0 {
		t.Fatalf("--again: exit %d; stderr %q", code, errOut)
	}
	objs = jsonLines(t, out)
	if second := objs[len(objs)-1]["copy_snapshot"]; second == first || objs[len(objs)-1]["state"] != "completed" {
		t.Errorf("--again: %v", objs[len(objs)-1])
	}
	if n := len(sim.Requests("CopySnapshot")); n != 2 {
		t.Errorf("the simulator received %d CopySnapshot, want 2", n)
	}
}

// A copy made by snapcopy elsewhere (another state file) is found in AWS
// by its provenance tag, and refused as a duplicate.
func TestCopyCommandRefusesACopyFoundByItsTag(t *testing.T) {
	sim, u := listenSim(t, ec2sim.Options{Seed: 1})
	web, _ := sim.SnapshotByName("us-west-2", "web-frontend-01")
	simtest.Add(sim, "us-east-1", model.Snapshot{ID: "snap-0ddd0000000000001", State: model.StatePending, Progress: 10,
		Tags: []model.Tag{{Key: model.TagSourceSnapshot, Value: web.ID}, {Key: model.TagSourceRegion, Value: "us-west-2"}}})
	env := newAppEnv(t, "AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret")
	_, errOut, code := runBinary(t, env.environ(), "copy", "--endpoint-url", u, "--region", "us-west-2", "--to", "us-east-1", web.ID)
	if code != 3 || !strings.Contains(errOut, "snap-0ddd0000000000001") || !strings.Contains(errOut, "in flight") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if n := len(sim.Requests("CopySnapshot")); n != 0 {
		t.Errorf("the simulator received %d CopySnapshot", n)
	}
}

// The printed `aws ec2 copy-snapshot` line, run by the AWS CLI, reaches
// the simulator as the same CopySnapshot snapcopy sends for the request.
func TestCopyCommandCLILineIsTheSameRequest(t *testing.T) {
	needAWSCLI(t)
	sim, u := listenSim(t, ec2sim.Options{Seed: 1})
	web, _ := sim.SnapshotByName("us-west-2", "web-frontend-01")
	env := newAppEnv(t, "AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret")
	args := []string{"copy", "--endpoint-url", u, "--region", "us-west-2", "--to", "eu-west-1",
		"--description", "ticket CHG-42: it's quoted; $HOME stays", "--kms-key", "alias/backup",
		"--tag", "team=dba", "--tag", "note=a b'c", "--duration", "60", web.ID}

	out, errOut, code := runBinary(t, env.environ(), append([]string{args[0], "--dry-run", "--output", "cli"}, args[1:]...)...)
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "aws ec2 copy-snapshot ") {
		t.Fatalf("exit %d, stderr %q, stdout %q", code, errOut, out)
	}
	if n := len(sim.Requests("CopySnapshot")); n != 0 {
		t.Fatalf("--dry-run --output cli sent %d CopySnapshot", n)
	}
	awsCLI(t, u, strings.TrimSpace(out))
	_, errOut, code = runBinary(t, env.environ(), append(args, "--again")...)
	if code != 0 {
		t.Fatalf("copy: exit %d, stderr %q", code, errOut)
	}
	reqs := sim.Requests("CopySnapshot")
	if len(reqs) != 2 {
		t.Fatalf("the simulator received %d CopySnapshot, want 2", len(reqs))
	}
	cli, ours := reqs[0].Params, reqs[1].Params
	// snapcopy adds its request tag (last), which the printed line leaves
	// out: a copy made by hand is no request of snapcopy's.
	tagged := false
	for k := range ours {
		if strings.HasPrefix(k, "TagSpecification.1.Tag.") && strings.HasSuffix(k, ".Key") && ours.Get(k) == model.RequestTagKey {
			tagged = true
			delete(ours, k)
			delete(ours, strings.TrimSuffix(k, ".Key")+".Value")
		}
	}
	if !tagged {
		t.Errorf("snapcopy's request carries no %s tag: %v", model.RequestTagKey, ours)
	}
	// The presigned URL (signed at a different time) and the copy of
	// DestinationRegion are the SDKs' own, not the request's (spec, section 2).
	for _, p := range []url.Values{cli, ours} {
		for _, k := range []string{"DestinationRegion", "PresignedUrl", "Version"} {
			delete(p, k)
		}
	}
	keys := func(v url.Values) []string {
		var ks []string
		for k := range v {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	if !slices.Equal(keys(cli), keys(ours)) {
		t.Fatalf("parameters differ:\n CLI      %v\n snapcopy %v", keys(cli), keys(ours))
	}
	for k := range ours {
		if !slices.Equal(cli[k], ours[k]) {
			t.Errorf("%s: CLI %q, snapcopy %q", k, cli[k], ours[k])
		}
	}
	for _, want := range []string{"SourceSnapshotId", "Description", "Encrypted", "KmsKeyId", "CompletionDurationMinutes", "TagSpecification.1.Tag.2.Value"} {
		if _, ok := ours[want]; !ok {
			t.Errorf("the compared request lacks %s: %v", want, keys(ours))
		}
	}
}

// The README's example of --output json is a line the tests accept.
func TestReadmeJSONExampleParses(t *testing.T) {
	data, err := os.ReadFile(repoRoot() + "/README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "```json\n")
	block, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatal("README has no ```json example")
	}
	jsonLines(t, block)
}
