package form

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/screentest"
)

// Two snapshots of one volume copied to one Region, one after the other,
// against the seeded simulator (orders-db in us-west-2, whose day1 already
// has a copy in us-east-1): each preview names the earlier copy the new one
// builds on, and a different KMS key makes it a full copy.
func TestPreviewIncrementalAfterAnEarlierCopy(t *testing.T) {
	clock := ec2sim.NewManualClock(now)
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 7, Clock: clock, VisibilityLag: -1}})
	srv, client := s.Server, s.Client
	ctx := context.Background()
	byName := func(region, name string) model.Snapshot {
		t.Helper()
		snaps, err := client.ListSnapshots(ctx, region, awsops.Owned, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range snaps {
			if s.Name() == name {
				return s
			}
		}
		t.Fatalf("no snapshot named %s in %s", name, region)
		return model.Snapshot{}
	}
	day1Copy := byName("us-east-1", "orders-db-day1-dr")
	day2, day3 := byName("us-west-2", "orders-db-day2"), byName("us-west-2", "orders-db-day3")

	// form opens the copy form for src, to us-east-1, encrypted with key.
	form := func(src model.Snapshot, key string) Model {
		t.Helper()
		m := New(client, []model.Snapshot{src}, Options{Now: clock.Now, Tick: noTick})
		m.SetSize(130, 40)
		m, _ = settle(m, m.Init())
		m = focusField(t, m, fDest)
		m, _ = act(m, "ctrl+u")
		m = actType(m, "us-east-1")
		m = focusField(t, m, fEncrypt)
		m, _ = act(m, "space")
		m = focusField(t, m, fKms)
		return actType(m, key)
	}

	// day2 to us-east-1, encrypted with alias/backup: the earlier copy of
	// orders-db there (day1's) is unencrypted, so this one is full.
	m := form(day2, "alias/backup")
	if v := flat(m); !strings.Contains(v, "full copy: the earlier copy "+day1Copy.ID+" (orders-db-day1-dr) of ") ||
		!strings.Contains(v, "is unencrypted and this one will be encrypted") {
		t.Fatalf("day2's preview does not name day1's copy as the reason for a full copy:\n%s", m.View())
	}
	m, other := act(m, "ctrl+s")
	var copies []*model.Copy
	for _, msg := range other {
		if s, ok := msg.(nav.StartCopies); ok {
			copies = s.Copies
		}
	}
	if len(copies) != 1 {
		t.Fatalf("the form sent %d copies, want 1 (status %q)", len(copies), statusOf(m).Text)
	}
	tr := track.NewTracker(client, &model.WatchList{}, filepath.Join(t.TempDir(), "copies.json"), track.TrackerOptions{Now: clock.Now})
	if err := tr.Add(copies...); err != nil {
		t.Fatal(err)
	}
	rounds := 0
	_ = track.Follow(ctx, tr, track.FollowOptions{
		Until: func(copies []model.Copy) bool { return rounds == 200 || track.UntilEnded()(copies) },
		After: func(time.Duration) <-chan time.Time {
			rounds++
			clock.Advance(time.Minute)
			return screentest.FiredNow
		},
	})
	day2Copy := tr.Copies()[0]
	if day2Copy.Phase != model.PhaseCompleted {
		t.Fatalf("day2's copy did not complete: %s %s", day2Copy.Phase, day2Copy.StateMessage)
	}

	// day3 after it, with the same key: incremental, on day2's copy.
	m = form(day3, "alias/backup")
	want := "incremental: builds on the earlier copy " + day2Copy.SnapshotID + " (orders-db-day2) of "
	if v := flat(m); !strings.Contains(v, want) {
		t.Errorf("day3's preview does not say %q:\n%s", want, m.View())
	}
	// With a different KMS key: a full copy, naming the copy it cannot build on.
	before := srv.Counts()["DescribeSnapshots us-east-1"]
	m = form(day3, "alias/prod-ebs")
	listed := srv.Counts()["DescribeSnapshots us-east-1"] - before
	want = "full copy: a different KMS key from the earlier copy " + day2Copy.SnapshotID
	if v := flat(m); !strings.Contains(v, want) {
		t.Errorf("day3's preview with another key does not say %q:\n%s", want, m.View())
	}
	if listed == 0 || listed > 3 {
		t.Errorf("the form listed us-east-1 %d times, want one look (two filtered listings for the preview, one for the copies already made)", listed)
	}
}
