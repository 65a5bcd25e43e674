package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
)

// racingCopies starts n `snapcopy copy --wait` of one source to one
// destination at once, each with its own state file, and returns their
// exit codes and what each said.
func racingCopies(t *testing.T, n int, extra ...string) (sim *ec2sim.Server, url, source string, codes []int, said []string) {
	t.Helper()
	sim, url = listenSim(t, ec2sim.Options{Seed: 1, TimeScale: 300, VisibilityLag: 2 * time.Second})
	web, _ := sim.SnapshotByName("us-west-2", "web-frontend-01")
	runs := make([]*streamed, n)
	for i := range runs {
		env := newAppEnv(t, append([]string{"AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret", "AWS_REGION=us-west-2"}, extra...)...)
		runs[i] = startStreamed(t, env.environ(), "copy", "--endpoint-url", url, "--to", "us-east-1", "--wait", web.ID)
	}
	for _, r := range runs {
		code, _ := r.wait(4 * time.Minute)
		codes = append(codes, code)
		said = append(said, r.output())
		noSDKLines(t, "output", r.output())
	}
	return sim, url, web.ID, codes, said
}

// count is how many of codes are code.
func count(codes []int, code int) int {
	n := 0
	for _, c := range codes {
		if c == code {
			n++
		}
	}
	return n
}

// Eight scripts on one host copy the same source to the same destination
// at the same moment, each with its own state file: the host's lock lets
// one make the copy; the seven others wait, find it and exit 3.
func TestEightCopiesAtOnceOnOneHostMakeOne(t *testing.T) {
	locks := t.TempDir()
	_, url, source, codes, said := racingCopies(t, 8, "SNAPCOPY_LOCK_DIR="+locks)
	if count(codes, 0) != 1 || count(codes, 3) != 7 {
		t.Errorf("exit codes %v, want one 0 and seven 3:\n%s", codes, strings.Join(said, "\n"))
	}
	for i, out := range said {
		if codes[i] == 3 && !strings.Contains(out, source+" is already copied to us-east-1") {
			t.Errorf("run %d exits 3 without naming the copy it found:\n%s", i+1, out)
		}
	}
	if got := copiesOf(t, url, "us-east-1", source); len(got) != 1 {
		t.Errorf("%d copies in us-east-1, want exactly 1", len(got))
	}
}

// The same without a lock they share, as on eight hosts: the copies made
// at once are seen once AWS shows them, every one but the lowest request
// id is deleted by its own maker, which says which copy is kept; one copy
// is left.
func TestEightCopiesAtOnceOnEightHostsConvergeToOne(t *testing.T) {
	_, url, source, codes, said := racingCopies(t, 8, "SNAPCOPY_NO_HOST_LOCK=1")
	left := copiesOf(t, url, "us-east-1", source)
	if len(left) != 1 {
		t.Fatalf("%d copies left in us-east-1, want exactly 1:\n%s", len(left), strings.Join(said, "\n"))
	}
	if count(codes, 0) != 1 || count(codes, 3) != 7 {
		t.Errorf("exit codes %v, want one 0 and seven 3:\n%s", codes, strings.Join(said, "\n"))
	}
	deleted := 0
	for _, out := range said {
		if strings.Contains(out, "deleted as a duplicate: another snapcopy made copy "+left[0].ID) {
			deleted++
		}
	}
	if deleted == 0 {
		t.Errorf("no run deleted its copy naming the one kept (%s): the race was not run:\n%s", left[0].ID, strings.Join(said, "\n"))
	}
}

// Two scripts one after the other, without --wait: the first leaves once
// AWS shows its copy (and has looked for twins), the second finds it.
func TestTwoCopiesBackToBackMakeOne(t *testing.T) {
	sim, url := listenSim(t, ec2sim.Options{Seed: 1, TimeScale: 300, VisibilityLag: 2 * time.Second})
	web, _ := sim.SnapshotByName("us-west-2", "web-frontend-01")
	locks := t.TempDir()
	var codes []int
	for range 2 {
		env := newAppEnv(t, "AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret", "AWS_REGION=us-west-2", "SNAPCOPY_LOCK_DIR="+locks)
		_, errOut, code := runBinary(t, env.environ(), "copy", "--endpoint-url", url, "--to", "us-east-1", web.ID)
		codes = append(codes, code)
		noSDKLines(t, "stderr", errOut)
	}
	if codes[0] != 0 || codes[1] != 3 {
		t.Errorf("exit codes %v, want 0 then 3", codes)
	}
	if got := copiesOf(t, url, "us-east-1", web.ID); len(got) != 1 {
		t.Errorf("%d copies in us-east-1, want exactly 1", len(got))
	}
}
