package watch

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/cmd"
)

// untilWriter keeps what is written and calls stop once it holds want.
type untilWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	stop func()
}

func (w *untilWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.stop()
	}
	return len(p), nil
}

func (w *untilWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// With AWS's clock 2 h ahead of the host's, a 15-minute time-based copy
// shows about 15 minutes left, not 2h15m: its deadline counts from AWS's
// StartTime read onto the host's clock.
func TestPlainTimeLeftWithAWSClockTwoHoursAhead(t *testing.T) {
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, VisibilityLag: -1,
		Faults: ec2sim.Faults{ClockOffset: ec2sim.Duration(2 * time.Hour)}}})
	// Reaching AWS asks it once first (connect: the Region checked), and
	// learns its clock from the answer.
	_, _ = s.Client.Regions(context.Background())
	web, _ := s.Server.SnapshotByName("us-west-2", "web-frontend-01")
	src := simtest.ToModel(web, "us-west-2")
	path := filepath.Join(t.TempDir(), "copies.json")
	cp := model.NewCopy(model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID, CompletionDurationMinutes: 15}, src, time.Now())
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := (&model.WatchList{Copies: []*model.Copy{cp}}).Save(path); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a bound on a hang
	defer cancel()
	out := &untilWriter{want: " running ", stop: cancel}
	c := New()
	env := cmd.Env{Stdout: out, Stderr: io.Discard, Connect: func(context.Context, cmd.Common) (cmd.Connection, error) {
		return cmd.Connection{Client: s.Client, StatePath: path, Close: func() {}}, nil
	}}
	runCommand(ctx, t, c, env, "--plain")
	line := regexp.MustCompile(` running \d+% \(ETA ([^)]*)\)`).FindStringSubmatch(out.String())
	if line == nil || (line[1] != "15m" && line[1] != "14m") {
		t.Errorf("time left of a 15-minute copy: %q, want 14m or 15m; output:\n%s", line, out.String())
	}
}
