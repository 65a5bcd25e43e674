package ui

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
	"github.com/snapcopy/snapcopy/ui/screentest"
)

// P opens the profile picker with each profile's account; choosing dr
// lists the second account's snapshots in dr's Region, the header naming
// profile and account; choosing demo again lists the first account's.
func TestProfilePickerListsUnderTheChosenProfile(t *testing.T) {
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, VisibilityLag: -1}})
	clients := screentest.Profiles(t, s.Client, "")
	clients.Add("demo", s.Client)
	tracker := track.NewTracker(s.Client, &model.WatchList{}, t.TempDir()+"/copies.json", track.TrackerOptions{})
	app := following(t, func(ctx context.Context) App {
		return New(s.Client, tracker, s.Client, Options{Region: "us-west-2", Profile: "demo", Context: ctx, Profiles: clients})
	})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 30))
	waitFor(t, tm.Output(), "profile demo", "40/40 snapshots", "P profile")

	tm.Send(runes("P"))
	waitFor(t, tm.Output(), "Profiles", "listed now: demo", "123456789012", ec2sim.DRAccountID)
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm.Output(), "profile dr · account "+ec2sim.DRAccountID+" · us-east-1 · owned · 2/2 snapshots", "dr-orders-db", "dr-web-root")

	// Copies start from the profile snapcopy started with.
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm.Output(), "copies start from profile demo")

	tm.Send(runes("P"))
	waitFor(t, tm.Output(), "listed now: dr")
	tm.Send(tea.KeyMsg{Type: tea.KeyUp})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm.Output(), "profile demo · account 123456789012 · us-west-2 · owned · 40/40 snapshots")
	tm.Send(runes("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}
