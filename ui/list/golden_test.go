package list

import (
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/snapcopy/snapcopy/model"
)

// screen runs the list as a whole Bubble Tea program, the way the app
// hosts it: window sizes go to SetSize, everything else to Update.
// Unless load is set, Init asks AWS for nothing: the test sends the pages
// and aliases itself, as the list's commands would.
type screen struct {
	m    Model
	load bool
}

func (s screen) Init() tea.Cmd {
	if !s.load {
		return nil
	}
	return s.m.Init()
}

func (s screen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		s.m.SetSize(ws.Width, ws.Height)
		return s, nil
	}
	var cmd tea.Cmd
	s.m, cmd = s.m.Update(msg)
	return s, cmd
}

func (s screen) View() string { return s.m.View() }

// play runs m in a teatest program at w x h, sends msgs in order, quits,
// and returns the final model.
func play(t *testing.T, m Model, w, h int, msgs ...tea.Msg) Model {
	t.Helper()
	tm := teatest.NewTestModel(t, screen{m: m}, teatest.WithInitialTermSize(w, h))
	for _, msg := range msgs {
		tm.Send(msg)
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(screen).m
}

// keys turns key names into messages (see keyMsg).
func keys(names ...string) []tea.Msg {
	out := make([]tea.Msg, len(names))
	for i, n := range names {
		out[i] = keyMsg(n)
	}
	return out
}

func text(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return out
}

// fresh is a list before any page came, loading.
func fresh() Model {
	m := New(fixtureClient(), Options{Help: appHelp, Quit: appQuit, Tick: noTick, Region: "us-west-2", Profile: "demo", Now: clock})
	m.loading = true
	return m
}

func pages(m Model, ps ...[]model.Snapshot) []tea.Msg {
	msgs := []tea.Msg{aliasesMsg{region: "us-west-2", aliases: aliasFixture()}}
	for i, p := range ps {
		msgs = append(msgs, snapshotsPageMsg{gen: m.gen, region: "us-west-2", snaps: p, pages: i + 1, more: i < len(ps)-1})
	}
	return msgs
}

func cat(parts ...[]tea.Msg) []tea.Msg {
	var out []tea.Msg
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// TestGolden pins what an operator sees, screen by screen. Update with
// go test ./ui/list -run TestGolden -update.
func TestGolden(t *testing.T) {
	all := fixture()
	cases := []struct {
		name string
		w, h int
		msgs func(Model) []tea.Msg
	}{
		{"loading_80x24", 80, 24, func(m Model) []tea.Msg { return nil }},
		{"first_page_80x24", 80, 24, func(m Model) []tea.Msg {
			return cat(pages(m, all[:6], all[6:])[:2])
		}},
		{"loaded_200x50", 200, 50, func(m Model) []tea.Msg { return pages(m, all) }},
		{"loaded_80x24", 80, 24, func(m Model) []tea.Msg { return pages(m, all) }},
		{"loaded_140x24", 140, 24, func(m Model) []tea.Msg { return pages(m, all) }},
		{"loaded_60x15", 60, 15, func(m Model) []tea.Msg { return pages(m, all) }},
		{"loaded_40x10", 40, 10, func(m Model) []tea.Msg { return pages(m, all) }},
		{"filtered_80x24", 80, 24, func(m Model) []tea.Msg {
			return cat(pages(m, all), keys("/"), text("db"))
		}},
		{"filter_kept_40x10", 40, 10, func(m Model) []tea.Msg {
			return cat(pages(m, all), keys("/"), text("db"), keys("enter"))
		}},
		{"empty_filter_80x24", 80, 24, func(m Model) []tea.Msg {
			return cat(pages(m, all), keys("/"), text("no-such-snapshot"), keys("enter"))
		}},
		{"empty_region_80x24", 80, 24, func(m Model) []tea.Msg { return pages(m, []model.Snapshot{}) }},
		{"marked_80x24", 80, 24, func(m Model) []tea.Msg {
			return cat(pages(m, all), keys(" ", " ", "down", "down", " "))
		}},
		{"marked_200x50", 200, 50, func(m Model) []tea.Msg {
			return cat(pages(m, all), keys("a", "down", "down"))
		}},
		{"cannot_copy_80x24", 80, 24, func(m Model) []tea.Msg {
			return cat(pages(m, all), keys("down", "down", "enter"))
		}},
		{"sorted_by_size_80x24", 80, 24, func(m Model) []tea.Msg {
			return cat(pages(m, all), keys("s", "s", "s"))
		}},
		{"detail_80x24", 80, 24, func(m Model) []tea.Msg {
			return cat(pages(m, all), keys("down", "down", "down", "d"))
		}},
		{"detail_hostile_200x50", 200, 50, func(m Model) []tea.Msg {
			return cat(pages(m, all), keys("down", "tab"))
		}},
		{"detail_40x10", 40, 10, func(m Model) []tea.Msg {
			return cat(pages(m, all), keys("d"))
		}},
		{"regions_80x24", 80, 24, func(m Model) []tea.Msg {
			return cat(pages(m, all), keys("g"), []tea.Msg{regionsMsg{regions: []model.Region{
				{Name: "us-east-1", OptInStatus: "opt-in-not-required"},
				{Name: "us-west-2", OptInStatus: "opt-in-not-required"},
				{Name: "eu-west-1", OptInStatus: "opt-in-not-required"},
				{Name: "af-south-1", OptInStatus: "not-opted-in"},
				{Name: "ap-east-1", OptInStatus: "opted-in"},
			}}}, keys("home", "enter"))
		}},
		{"activity_80x24", 80, 24, func(m Model) []tea.Msg {
			return cat(pages(m, all), runCopies())
		}},
		{"activity_200x50", 200, 50, func(m Model) []tea.Msg {
			return cat(pages(m, all), runCopies())
		}},
		{"activity_detail_80x24", 80, 24, func(m Model) []tea.Msg {
			return cat(pages(m, all), runCopies(), keys("/"), text("name:db-primary"), keys("down", "enter", "d"))
		}},
		{"error_kept_rows_80x24", 80, 24, func(m Model) []tea.Msg {
			return cat(pages(m, all), []tea.Msg{snapshotsPageMsg{gen: m.gen, err: &model.APIError{
				Op: "DescribeSnapshots", Region: "us-west-2", Code: "RequestExpired",
				Message: "Request has expired.", Status: 400, Kind: model.ErrCredentials,
			}}})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := fresh()
			final := play(t, m, c.w, c.h, c.msgs(m)...)
			golden.RequireEqual(t, []byte(final.View()))
		})
	}
}

// runCopies is the copies of a run as the app hands them: one ended
// before the start (counted in the header, its row not marked), then one in flight, one completed and one
// failed, the last ending while the list is shown.
func runCopies() []tea.Msg {
	c := func(id, src, dest string, p model.Phase, progress int, snap string) model.Copy {
		return model.Copy{RequestID: id, Request: model.CopyRequest{SourceRegion: "us-west-2", SourceSnapshotID: src, DestinationRegion: dest}, Phase: p, Progress: progress, SnapshotID: snap}
	}
	earlier := c("sc-0", "snap-0b2c3d4e5f6071829", "eu-west-1", model.PhaseCompleted, 100, "snap-0e0e0e0e0e0e0e0e0")
	running := c("sc-1", "snap-0a1b2c3d4e5f60718", "us-east-1", model.PhaseRunning, 42, "snap-0f1f1f1f1f1f1f1f1")
	done := c("sc-2", "snap-0718293a4b5c6d7e8", "us-west-2", model.PhaseCompleted, 100, "snap-0d2d2d2d2d2d2d2d2")
	failing := c("sc-3", "snap-0f60718293a4b5c6d", "eu-west-1", model.PhaseRunning, 7, "snap-0c3c3c3c3c3c3c3c3")
	failed := failing
	failed.Phase, failed.StateMessage = model.PhaseFailed, "The KMS key is disabled"
	return []tea.Msg{
		CopiesMsg{Copies: []model.Copy{earlier}, Shown: true},
		CopiesMsg{Copies: []model.Copy{earlier, running, done, failing}, Shown: true},
		CopiesMsg{Copies: []model.Copy{earlier, running, done, failed}, Shown: true},
	}
}

// TestGoldenHelp pins the full help exactly as the app shows it for the list.
func TestGoldenHelp(t *testing.T) {
	h := help.New()
	h.Width = 80
	golden.RequireEqual(t, []byte(h.FullHelpView(fresh().KeyMap().FullHelp())))
}
