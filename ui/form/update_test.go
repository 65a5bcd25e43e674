package form

import (
	"maps"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

// Update never waits on AWS: keys, look-up answers and a dry-run submit only
// return commands, and the simulator hears nothing until those run.
func TestUpdateLeavesAWSToCommands(t *testing.T) {
	srv, client, src := simWorld(t)
	before := maps.Clone(srv.Counts())
	m := New(client, []model.Snapshot{src}, Options{Now: clock, Tick: noTick})
	m.SetSize(100, 40)
	initCmd := m.Init()
	m = loadFacts(m)
	m = focusField(t, m, fDest)
	m = typeText(clearField(m), "us-east-1")
	m = focusField(t, m, fDryRun)
	m, _ = press(m, "space")
	m, submitCmd := press(m, "ctrl+s")
	_ = m.View()
	if after := srv.Counts(); !maps.Equal(before, after) {
		t.Fatalf("Update called AWS itself: before %v, after %v", before, after)
	}
	if initCmd == nil || submitCmd == nil || !m.dryRunning {
		t.Fatal("the form returned no commands for its look-ups and dry run")
	}
	// The commands are what ask AWS.
	msgsOf(submitCmd)
	if n := len(srv.Requests("CopySnapshot")); n != 1 {
		t.Errorf("the dry run's command sent %d CopySnapshot, want 1", n)
	}
}
