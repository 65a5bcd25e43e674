package form

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
)

// inFlightToEast is a time-based copy the tracker follows from us-west-2 to
// us-east-1: 1,500 GiB in 15 minutes, about 1,707 MiB/s of the quota.
func inFlightToEast() []model.Copy {
	c := model.NewCopy(model.CopyRequest{SourceRegion: "us-west-2", DestinationRegion: "us-east-1", CompletionDurationMinutes: 15},
		model.Snapshot{VolumeSizeGiB: 1500}, now)
	c.Phase = model.PhaseRunning
	done := model.NewCopy(model.CopyRequest{SourceRegion: "us-west-2", DestinationRegion: "us-east-1", CompletionDurationMinutes: 15},
		model.Snapshot{VolumeSizeGiB: 4000}, now)
	done.Phase = model.PhaseCompleted // ended: holds none of the quota
	return []model.Copy{*c, *done}
}

// quotaForm is a batch of two time-based copies to us-east-1 beside the
// copy in flight, with the quota as the credentials read it.
func quotaForm(t *testing.T, quota model.ThroughputQuota) Model {
	t.Helper()
	m := New(fakeAWS{}, []model.Snapshot{plainSrc, encSrc}, Options{Now: clock, Outposts: []string{outpostArn}, Tracked: inFlightToEast(), Tick: noTick})
	m.SetSize(110, 40)
	m = loadFacts(m)
	m, _ = m.Update(quotaMsg{region: "us-east-1", quota: quota})
	m = focusField(t, m, fDest)
	m = typeText(clearField(m), "us-east-1")
	m = focusField(t, m, fDuration)
	return typeText(m, "15")
}

// Over the Region pair's quota, the form names the sum (the copies in flight
// included), the quota ("default" when it could not be read) and the
// shortest duration that fits, before anything is sent; one key sets it.
func TestGoldenQuotaOver(t *testing.T) {
	m := quotaForm(t, model.ThroughputQuota{MiBps: model.DefaultTimeBasedQuotaMiBps, Default: true})
	checkView(t, m,
		"! Time-based copies from us-west-2 to us-east-1 need 2,162 MiB/s (455 MiB/s for these copies, 1,707 MiB/s already in flight), over the quota of 2,000 MiB/s (AWS's default: the account's quota could not be read)",
		"30 minutes is the shortest that fits: ctrl+o sets it",
		"ctrl+o duration that fits the quota",
	)
	m, _ = m.Update(keyNamed("ctrl+o"))
	if got := m.duration.Value(); got != "30" {
		t.Fatalf("the fit key set the duration to %q, want 30", got)
	}
	if m.result.Quota.Exceeds || strings.Contains(flat(m), "over the quota") {
		t.Errorf("at the fitting duration the form still says the batch is over the quota:\n%s", m.View())
	}
	if !strings.Contains(flat(m), "completion duration set to 30 minutes, the shortest that fits the quota of 2,000 MiB/s") {
		t.Errorf("the status line does not say what the key did:\n%s", m.View())
	}
}

// A quota read from Service Quotas is named as read, and the same batch
// under a larger quota draws no warning.
func TestQuotaAsRead(t *testing.T) {
	m := quotaForm(t, model.ThroughputQuota{MiBps: 2100})
	if v := flat(m); !strings.Contains(v, "over the quota of 2,100 MiB/s for that Region pair") || strings.Contains(v, "AWS's default") {
		t.Errorf("the quota read is not named as read:\n%s", m.View())
	}
	m = quotaForm(t, model.ThroughputQuota{MiBps: 5000})
	if strings.Contains(flat(m), "over the quota") || m.KeyMap().(keyMap).fit {
		t.Errorf("a batch within the quota is warned of:\n%s", m.View())
	}
}

// The quota is looked up once a duration is typed for a Region, as a
// command; a standard copy asks nothing.
func TestQuotaLookedUpForATimeBasedCopy(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m = focusField(t, m, fDest)
	m = typeText(clearField(m), "us-east-1")
	if m.loading[quotaInto("us-east-1")] {
		t.Fatal("the quota is looked up for a standard copy")
	}
	m = focusField(t, m, fDuration)
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("6")})
	if !m.loading[quotaInto("us-east-1")] {
		t.Error("typing a duration did not start the quota look-up")
	}
}

// An incremental copy's size is unknown to the API: the throughput hint
// says so and takes the full size as the upper bound.
func TestThroughputHintOfAnIncrementalCopy(t *testing.T) {
	m := loadFacts(newForm(t, 160, 40, plainSrc))
	earlier := model.Snapshot{
		ID: "snap-0e0e0e0e0e0e0e0e0", Region: "us-east-1", VolumeID: model.CopyVolumeID, State: model.StateCompleted,
		StartTime: now.Add(-24 * time.Hour), StorageTier: model.TierStandard,
		Tags: []model.Tag{{Key: model.TagSourceVolume, Value: plainSrc.VolumeID}},
	}
	m, _ = m.Update(earlierMsg{region: "us-east-1", copies: []model.Snapshot{earlier}})
	m = focusField(t, m, fDest)
	m = typeText(clearField(m), "us-east-1")
	m = focusField(t, m, fDuration)
	m = typeText(m, "60")
	v := flat(m)
	for _, want := range []string{
		"incremental: builds on the earlier copy snap-0e0e0e0e0e0e0e0e0 of 2026-03-13",
		"needs at most 28 MiB/s: an incremental copy moves less, how much the API does not say; the full size (100 GiB) is the upper bound",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("the screen does not say %q:\n%s", want, m.View())
		}
	}
}

// Every rate on the form is written one way (12,676 MiB/s): the hint
// beside the duration as the warnings under it.
func TestRatesAreWrittenOneWay(t *testing.T) {
	big := plainSrc
	big.VolumeSizeGiB, big.FullSizeBytes = 16384, 16384<<30
	m := loadFacts(newForm(t, 120, 40, big))
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "us-east-1")
	m = focusField(t, m, fDuration)
	m = typeText(m, "15")
	v := flat(m)
	if !strings.Contains(v, "needs about 18,641 MiB/s") {
		t.Errorf("the hint does not write the rate with its thousands:\n%s", m.View())
	}
	if bare := regexp.MustCompile(`\b\d{4,} MiB/s`).FindString(v); bare != "" {
		t.Errorf("a rate is written without its thousands separator: %q\n%s", bare, m.View())
	}
}
