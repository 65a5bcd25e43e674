package track

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
)

// A state file of 5,000 copies, most of them ended days ago: its ended
// copies move to the history file once, and from then on a save writes
// the copies followed, well under 1 MB, instead of 7.6 MB every time.
func TestASaveOfFiveThousandCopiesWritesUnderAMegabyte(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	list := &model.WatchList{}
	for i := range 4990 {
		src := model.Snapshot{ID: fmt.Sprintf("snap-0%016x", i), VolumeSizeGiB: 100, Tags: []model.Tag{{Key: "Name", Value: fmt.Sprintf("nightly-%d", i)}}}
		c := model.NewCopy(model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: src.ID,
			Description: "nightly copy of " + src.ID, Tags: []model.Tag{{Key: "team", Value: "dba"}, {Key: "backup", Value: "nightly"}}}, src, t0.Add(-72*time.Hour))
		c.Sent(t0.Add(-72 * time.Hour))
		c.Started(fmt.Sprintf("snap-1%016x", i), t0.Add(-72*time.Hour))
		for p := 0; p <= 100; p += 3 {
			c.Observed(model.Snapshot{ID: c.SnapshotID, State: model.StatePending, Progress: p}, t0.Add(-72*time.Hour+time.Duration(p)*time.Minute))
		}
		c.Observed(model.Snapshot{ID: c.SnapshotID, State: model.StateCompleted, Progress: 100}, t0.Add(-48*time.Hour))
		list.Add(c)
	}
	if err := list.Save(b.path); err != nil {
		t.Fatal(err)
	}
	if size := fileSize(t, b.path); size < 5<<20 {
		t.Fatalf("the 4,990 ended copies take %d bytes: not the file under test", size)
	}
	b.tr = NewTracker(b.aws, list, b.path, TrackerOptions{Now: b.clock.Now})
	var written []int64
	b.tr.write = func(l *model.WatchList, path string) error {
		err := l.Save(path)
		written = append(written, fileSize(t, path))
		return err
	}
	b.add("us-east-1", "us-east-1", "eu-west-1", "eu-west-1", "ap-south-1", "ap-south-1", "us-east-2", "us-east-2", "sa-east-1", "sa-east-1")

	b.step() // sends the ten, and moves the ended copies out
	history, err := model.HistoryPath(b.path)
	if err != nil {
		t.Fatal(err)
	}
	moved := sizeOrZero(history)
	written = written[:0]
	for range 3 { // the copies progress: a save each step
		b.aws.set(func(f *fakeAWS) {
			for _, region := range f.snaps {
				for _, s := range region {
					s.Progress += 10
				}
			}
		})
		b.step()
	}
	if len(written) == 0 {
		t.Fatal("no save")
	}
	for i, n := range written {
		if n >= 1<<20 {
			t.Errorf("save %d wrote %d bytes, want under 1 MB", i+1, n)
		}
	}
	if grown := sizeOrZero(history) - moved; grown != 0 {
		t.Errorf("the history grew by %d bytes while nothing ended", grown)
	}
	old, unreadable, err := model.ReadHistory(b.path)
	if err != nil || unreadable != 0 || len(old) != 4990 || old[0].Phase != model.PhaseCompleted || old[0].SnapshotID != "snap-10000000000000000" {
		t.Errorf("history: %d copies, %d unreadable, %v", len(old), unreadable, err)
	}
	if got := b.tr.Copies(); len(got) != 10 {
		t.Errorf("the tracker follows %d copies, want the 10 in flight", len(got))
	}
	kept, err := model.LoadWatchList(b.path, t0)
	if err != nil || len(kept.Copies) != 10 {
		t.Errorf("the state file holds %v copies (%v)", kept, err)
	}
}

// A copy that ended within the day stays on the pane and in the state
// file; one that ended before moves out.
func TestEndedCopiesMoveToTheHistoryAfterADay(t *testing.T) {
	b := newBench(t, TrackerOptions{})
	cs := b.add("us-east-1", "eu-west-1")
	b.step()
	b.aws.completeAll()
	b.step()
	b.clock.Advance(model.HistoryAge - time.Minute)
	b.step()
	if n := len(b.tr.Copies()); n != 2 {
		t.Fatalf("%d copies followed a day after they ended, want 2", n)
	}
	b.clock.Advance(2 * time.Minute)
	b.tr.Step(context.Background())
	if n := len(b.tr.Copies()); n != 0 {
		t.Errorf("%d copies still followed past a day after they ended", n)
	}
	old, _, err := model.ReadHistory(b.path)
	if err != nil || len(old) != 2 || old[0].RequestID != cs[0].RequestID || old[1].Phase != model.PhaseCompleted {
		t.Errorf("history %v, %v", old, err)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func sizeOrZero(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
