package e2e

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

// A proxy in AWS's place (its sign-in page, a buffer of padding, bytes
// that only claim to be gzip) is named, endpoint and all; `snapcopy copy`
// exits 1 and records no copy, and nothing of the SDK's reaches stderr.
func TestCopyNamesAnAnswerThatIsNotEC2s(t *testing.T) {
	for _, c := range simtest.ProxyAnswers {
		t.Run(c.Name, func(t *testing.T) {
			sim, u := listenSim(t, ec2sim.Options{Seed: 1})
			web, _ := sim.SnapshotByName("us-west-2", "web-frontend-01")
			sim.SetFaults(c.Faults)
			env := newAppEnv(t, "AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret")
			out, errOut, code := runBinary(t, env.environ(), "copy", "--endpoint-url", u, "--region", "us-west-2", "--to", "us-east-1", "--wait", web.ID)
			if code != 1 || out != "" {
				t.Errorf("exit %d, stdout %q; want 1 and nothing", code, out)
			}
			if want := "ec2.us-west-2 (" + strings.TrimPrefix(u, "http://") + ") " + c.Says; !strings.Contains(errOut, want) {
				t.Errorf("stderr does not say %q:\n%s", want, errOut)
			}
			noSDKLines(t, "stderr", errOut)
			if _, err := os.Stat(env.statePath()); err == nil {
				if n := len(watchList(t, env.statePath())); n != 0 {
					t.Errorf("%d copies recorded", n)
				}
			}
			if n := len(sim.Requests("CopySnapshot")); n != 0 {
				t.Errorf("%d CopySnapshot sent", n)
			}

			// `watch --plain` sending a queued copy: the copy stays
			// sending, without an id, and the run gives up, exit 1.
			wenv := newAppEnv(t, "AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret", "AWS_REGION=us-west-2")
			queued := queuedIn(t, wenv.statePath(), web, "us-east-1")
			out, errOut, code = runBinary(t, wenv.environ(), "watch", "--plain", "--endpoint-url", u, "--give-up", "5s")
			if code != 1 || !strings.Contains(errOut, "giving up") || !strings.Contains(out+errOut, "ec2.us-east-1 ("+strings.TrimPrefix(u, "http://")+") "+c.Says) {
				t.Errorf("watch --plain: exit %d; stdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			noSDKLines(t, "watch's output", out+errOut)
			if got := watchList(t, wenv.statePath()); len(got) != 1 || got[0].RequestID != queued.RequestID || got[0].Phase != model.PhaseSending || got[0].SnapshotID != "" {
				t.Errorf("watch left %+v, want its copy sending without an id", got)
			}
		})
	}
}

// copiesOf lists the copies of source that region holds, by snapcopy's
// provenance tag, through the same SDK the app uses.
func copiesOf(t *testing.T, url, region, source string) []model.Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), shortWait)
	defer cancel()
	snaps, err := awsops.NewLocal(url, "us-west-2").ListSnapshots(ctx, region, awsops.Owned, nil)
	if err != nil {
		t.Fatalf("list the snapshots of %s: %v", region, err)
	}
	var out []model.Snapshot
	for _, s := range snaps {
		if s.Tag(model.TagSourceSnapshot) == source {
			out = append(out, s)
		}
	}
	return out
}

// queuedIn records a queued copy of source to region in the state file at
// path, as `snapcopy copy` leaves one for `snapcopy watch`.
func queuedIn(t *testing.T, path string, source ec2sim.Snapshot, region string) *model.Copy {
	t.Helper()
	src := simtest.ToModel(source, "us-west-2")
	c := model.NewCopy(model.CopyRequest{DestinationRegion: region, SourceRegion: "us-west-2", SourceSnapshotID: src.ID}.
		WithTag(model.TagSourceSnapshot, src.ID), src, time.Now())
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := (&model.WatchList{Copies: []*model.Copy{c}}).Save(path); err != nil {
		t.Fatal(err)
	}
	return c
}

// With CopySnapshot hung for 75 s, then healthy, `copy --wait` and `watch
// --plain` say within 30 s that they are waiting for an answer, look the
// copy up by its tag before sending again, and complete with exactly one
// copy each.
func TestAHungCopySnapshotIsSaidThenMadeOnce(t *testing.T) {
	sim, u := listenSim(t, ec2sim.Options{Seed: 1, TimeScale: 300, VisibilityLag: time.Second})
	web1, _ := sim.SnapshotByName("us-west-2", "web-frontend-01")
	web2, _ := sim.SnapshotByName("us-west-2", "web-frontend-02")
	creds := []string{"AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret", "AWS_REGION=us-west-2"}
	copyEnv, watchEnv := newAppEnv(t, creds...), newAppEnv(t, creds...)
	queuedIn(t, watchEnv.statePath(), web2, "us-east-1")

	sim.SetFaults(ec2sim.Faults{Hang: ec2sim.Duration(75 * time.Second), Actions: []string{"CopySnapshot"}})
	runs := map[string]*streamed{
		"copy --wait":   startStreamed(t, copyEnv.environ(), "copy", "--endpoint-url", u, "--to", "us-east-1", "--wait", web1.ID),
		"watch --plain": startStreamed(t, watchEnv.environ(), "watch", "--plain", "--endpoint-url", u),
	}
	for name, r := range runs {
		code, _ := r.wait(4 * time.Minute)
		at, ok := r.saidBy("no answer from ec2.us-east-1 (", "checking whether the copy was made")
		if !ok || at > 30*time.Second {
			t.Errorf("%s: said it waits for an answer at %v (%v), want within 30 s:\n%s", name, at, ok, r.output())
		}
		if _, ok := r.saidBy("completed 100%"); code != 0 || !ok {
			t.Errorf("%s: exit %d, want 0 after completing:\n%s", name, code, r.output())
		}
		noSDKLines(t, name, r.output())
	}
	for _, src := range []string{web1.ID, web2.ID} {
		if n := len(copiesOf(t, u, "us-east-1", src)); n != 1 {
			t.Errorf("%d copies of %s, want exactly 1", n, src)
		}
	}
}

// Against a listener that accepts and never answers, `copy --wait` and
// `watch --plain` end with a sentence naming the endpoint and exit 1,
// within --give-up plus the 20 s that connecting may take.
func TestASilentEndpointEndsScriptsWithinTheBound(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var held sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held.Lock()
			conns = append(conns, c) // read nothing, answer nothing
			held.Unlock()
		}
	}()
	t.Cleanup(func() {
		held.Lock()
		defer held.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	u := "http://" + ln.Addr().String()
	creds := []string{"AWS_ACCESS_KEY_ID=AKIDSNAPCOPYE2E", "AWS_SECRET_ACCESS_KEY=snapcopy-e2e-secret", "AWS_REGION=us-west-2"}
	copyEnv, watchEnv := newAppEnv(t, creds...), newAppEnv(t, creds...)
	running := queuedIn(t, watchEnv.statePath(), ec2sim.Snapshot{ID: "snap-0123456789abcdef0", VolumeSize: 8}, "us-east-1")
	running.Started("snap-0fedcba98765432100", time.Now())
	if err := (&model.WatchList{Copies: []*model.Copy{running}}).Save(watchEnv.statePath()); err != nil {
		t.Fatal(err)
	}

	const giveUp = 15 * time.Second
	runs := map[string]*streamed{
		"copy --wait":   startStreamed(t, copyEnv.environ(), "copy", "--endpoint-url", u, "--to", "us-east-1", "--wait", "--give-up", giveUp.String(), "snap-0123456789abcdef0"),
		"watch --plain": startStreamed(t, watchEnv.environ(), "watch", "--plain", "--endpoint-url", u, "--give-up", giveUp.String()),
	}
	for name, r := range runs {
		code, took := r.wait(3 * time.Minute)
		if code != 1 || took > giveUp+20*time.Second+10*time.Second {
			t.Errorf("%s: exit %d after %v; want 1 within %v and 20 s of connecting:\n%s", name, code, took, giveUp, r.output())
		}
		if !strings.Contains(r.stderrText(), "no answer from ec2.us-") || !strings.Contains(r.stderrText(), ln.Addr().String()) {
			t.Errorf("%s: stderr does not say AWS gave no answer:\n%s", name, r.output())
		}
		noSDKLines(t, name, r.output())
	}
	if n := len(watchList(t, watchEnv.statePath())); n != 1 {
		t.Errorf("watch left %d copies in its state file, want its 1", n)
	}
}
