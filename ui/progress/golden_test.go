package progress

import (
	"bytes"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/screentest"
)

// running: five copies moving into three Regions, a minute in.
func runningWorld(t *testing.T) *world {
	w := newWorld(t, worldOptions{})
	sizes := []int32{100, 250, 40, 16, 8}
	names := []string{"db-prod-primary", "search-index", "build-cache", "restore-test", ""}
	regions := []string{"us-east-1", "eu-west-1", "us-east-1", "ap-southeast-2", "eu-west-1"}
	var copies []*model.Copy
	for i := range sizes {
		copies = append(copies, w.CopyOf(w.Source(names[i], sizes[i]), regions[i]))
	}
	if err := w.Tracker.Add(copies...); err != nil {
		t.Fatal(err)
	}
	w.Run(30)
	return w
}

func TestGoldenRunning(t *testing.T) {
	w := runningWorld(t)
	m := refresh(w.pane(140, 12, &bytes.Buffer{}))
	checkView(t, m, "4 running · 1 done · 0 failed", "› snap-", "MiB/s", "✓ completed", "2m30s")
}

// mixed: every state at once, with a name carrying escape sequences.
func mixedWorld(t *testing.T) *world {
	w := newWorld(t, worldOptions{Lag: 20 * time.Second, MaxInFlight: 2})
	var copies []*model.Copy
	copies = append(copies, w.CopyOf(w.Source("db-prod-primary", 100), "us-east-1"))
	copies = append(copies, w.CopyOf(w.Source("analytics-warehouse", 500), "us-east-1", func(r *model.CopyRequest) {
		r.Encrypted, r.KmsKeyID = true, "alias/retired-key"
	}))
	copies = append(copies, w.CopyOf(w.Source("web-frontend", 8), "us-east-1"))
	copies = append(copies, w.CopyOf(w.Source("kafka-broker", 40), "us-east-1"))
	copies = append(copies, w.CopyOf(w.Source("evil\x1b[31mname\a", 2), "eu-west-1"))
	copies = append(copies, w.CopyOf(w.Source("nightly-dr", 200), "ap-southeast-2", func(r *model.CopyRequest) {
		r.CompletionDurationMinutes = 120
	}))
	copies = append(copies, w.CopyOf(model.Snapshot{ID: "snap-0123456789abcdef0", VolumeSizeGiB: 8}, "us-west-2-lax-1a", func(r *model.CopyRequest) {
		r.DestinationRegion = "us-west-2"
		r.DestinationAvailabilityZone = "us-west-2-lax-1a"
	}))
	if err := w.Tracker.Add(copies...); err != nil {
		t.Fatal(err)
	}
	w.Run(10)
	return w
}

func TestGoldenMixed(t *testing.T) {
	w := mixedWorld(t)
	m := refresh(w.pane(160, 16, &bytes.Buffer{}))
	checkView(t, m,
		"✗ failed", "✓ completed", "queued", "starting",
		"Given key ID is not accessible",
		"InvalidSnapshot.NotFound",
		"evil␛[31mname␇",
		"waiting: 2 copies in flight to us-east-1",
		"us-west-2-lax-1a",
	)
}

func TestGoldenFailureDetail(t *testing.T) {
	w := mixedWorld(t)
	m := refresh(w.pane(100, 26, &bytes.Buffer{}))
	m, _ = press(m, "down", "enter")
	checkView(t, m,
		"Copy of snap-",
		"(analytics-warehouse)",
		"encrypted with alias/retired-key",
		"✗ AWS says:",
		"Given key ID is not accessible",
		"the request's KMS key: alias/retired-key",
		"esc all copies",
	)
}

func TestGoldenTimeBasedDetail(t *testing.T) {
	w := mixedWorld(t)
	m := refresh(w.pane(100, 26, &bytes.Buffer{}))
	m, _ = press(m, "down", "down", "down", "down", "down", "enter")
	checkView(t, m, "time-based: 120 min, deadline 2026-11-25 16:00 UTC", "time left")
}

func TestGoldenNarrow(t *testing.T) {
	w := mixedWorld(t)
	m := refresh(w.pane(40, 10, &bytes.Buffer{}))
	checkView(t, m, "› snap-", "→ us-east-1")
}

func TestGoldenEmpty(t *testing.T) {
	w := newWorld(t, worldOptions{})
	m := refresh(w.pane(80, 8, &bytes.Buffer{}))
	checkView(t, m, "No copies tracked")
}

// The list scrolls to keep the selection in view and says which rows show.
func TestGoldenScrolled(t *testing.T) {
	w := runningWorld(t)
	m := refresh(w.pane(120, 6, &bytes.Buffer{}))
	m, _ = press(m, "down", "down", "down", "down")
	checkView(t, m, "4-5 of 5")
}

// lateWorld: the simulator's quota for us-west-2 to us-east-1 is 50 MiB/s;
// a 100 GiB copy asked to finish in 15 minutes needs about 114, so AWS
// accepts it and it finishes late. A small copy to eu-west-1 is on time.
func lateWorld(t *testing.T) *world {
	w := newWorld(t, worldOptions{QuotaMiBps: 50})
	over := w.CopyOf(w.Source("db-prod-primary", 100), "us-east-1", func(r *model.CopyRequest) { r.CompletionDurationMinutes = 15 })
	onTime := w.CopyOf(w.Source("web-frontend", 8), "eu-west-1", func(r *model.CopyRequest) { r.CompletionDurationMinutes = 60 })
	if err := w.Tracker.Add(over, onTime); err != nil {
		t.Fatal(err)
	}
	w.Run(4)
	w.Clock.Advance(27 * time.Minute)
	w.Run(1)
	return w
}

// A time-based copy started over the quota is shown late, with LEFT an
// estimate from its progress; the one on time keeps its deadline.
func TestGoldenLateRow(t *testing.T) {
	w := lateWorld(t)
	m := refresh(w.pane(140, 8, &bytes.Buffer{}))
	checkView(t, m, "late by 12m", "~")
}

func TestGoldenLateDetail(t *testing.T) {
	w := lateWorld(t)
	m := refresh(w.pane(100, 26, &bytes.Buffer{}))
	m, _ = press(m, "enter")
	checkView(t, m, "deadline 2026-11-25 14:15 UTC, missed: late by 12m25s", "running 80% · late by 12m", "estimated from the progress seen")
}

// ordersWorld: three copies whose names differ only at their end, into
// one Region.
func ordersWorld(t *testing.T) *world {
	w := newWorld(t, worldOptions{})
	var copies []*model.Copy
	for _, name := range []string{"orders-db-daily-2026-11-23", "orders-db-daily-2026-11-24", "orders-db-daily-2026-11-25"} {
		copies = append(copies, w.CopyOf(w.Source(name, 20), "us-east-1"))
	}
	return w.follow(6, copies...)
}

// Columns take their width by need: a long name is shown whole while the
// destination takes only what its values need.
func TestGoldenColumnsByNeed(t *testing.T) {
	w := ordersWorld(t)
	m := refresh(w.pane(140, 7, &bytes.Buffer{}))
	checkView(t, m, "orders-db-daily-2026-11-23 us-east-1", "orders-db-daily-2026-11-25")
}

// At 80 columns the names and the copies' ids are still shown: the
// SOURCE column names each source by its name (by its id when it has
// none), and a failure's reason starts where the copy's id would.
func TestGoldenAt80(t *testing.T) {
	w := ordersWorld(t)
	m := refresh(w.pane(80, 7, &bytes.Buffer{}))
	checkView(t, m, "orders-db-daily-2026-11-23", "COPY", "snap-07455ce113eae82ce")
}

func TestGoldenMixedAt80(t *testing.T) {
	w := mixedWorld(t)
	m := refresh(w.pane(80, 12, &bytes.Buffer{}))
	checkView(t, m, "analytics-warehouse", "✗ failed: Given key ID is not accessib", "snap-07455ce113eae82ce", "snap-01234…789abcdef0")
}

// soonPane follows two time-based copies 10 minutes in: one given two
// hours that its progress says ends in about ten minutes more (AWS may
// finish a time-based copy before its deadline; the simulator paces each
// to its deadline, so the copies are the tracker's in memory), and one
// that keeps pace with its deadline.
func soonPane(t *testing.T, width, height int) Model {
	copy := func(id, name string, minutes int32, progress int) model.Copy {
		return model.Copy{
			RequestID: "sc-" + id, SourceName: name, SizeGiB: 100, SnapshotID: "snap-0" + id + "00000",
			Request: model.CopyRequest{DestinationRegion: "us-east-1", SourceRegion: "us-west-2", SourceSnapshotID: "snap-0" + id + "11111",
				CompletionDurationMinutes: minutes},
			Phase: model.PhaseRunning, Progress: progress, CreatedAt: t0.Add(-10 * time.Minute), SentAt: t0.Add(-10 * time.Minute),
			StartTime: t0.Add(-10 * time.Minute), UpdatedAt: t0,
			Samples: []model.Sample{{At: t0.Add(-10 * time.Minute), Progress: 0}, {At: t0, Progress: progress}},
		}
	}
	tr := screentest.NewTracker(track.StepResult{}, copy("aaaaaaaaaaa", "web-frontend", 120, 50), copy("bbbbbbbbbbb", "warehouse", 60, 16))
	m := drivenPane(t, tr, Options{Now: func() time.Time { return t0 }, Terminal: &bytes.Buffer{}, Tick: (&ticks{}).tick})
	m.SetSize(width, height)
	return refresh(m)
}

// LEFT of a time-based copy is the estimate from its progress ("~") when
// that says it ends sooner than its deadline; the details give both.
func TestGoldenSoonerThanTheDeadline(t *testing.T) {
	m := soonPane(t, 140, 6)
	checkView(t, m, "~10m", "50m")
}

func TestGoldenSoonerThanTheDeadlineDetail(t *testing.T) {
	m := soonPane(t, 120, 24)
	m, _ = press(m, "enter")
	checkView(t, m, "about 10m, estimated from the progress seen: sooner than the deadline, in 1h50m", "deadline 2026-11-25 15:50 UTC")
}
