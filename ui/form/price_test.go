package form

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
)

// says checks the form's screen says each of wants, read as one text.
func says(t *testing.T, m Model, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(flat(m), want) {
			t.Errorf("the form does not say %q:\n%s", want, m.View())
		}
	}
}

// bigSrc is a snapshot whose full size AWS reports: 1,500 GiB of a
// 2,000 GiB volume.
var bigSrc = model.Snapshot{
	ID: "snap-0b1b2b3b4b5b6b7b8", Region: "us-west-2", VolumeID: "vol-0b1b2b3b4b5b6b7b8",
	VolumeSizeGiB: 2000, FullSizeBytes: 1500 << 30, State: model.StateCompleted, Progress: 100,
	Description: "warehouse", OwnerID: "123456789012", StorageTier: model.TierStandard,
	Tags: []model.Tag{{Key: "Name", Value: "dwh"}, {Key: "cost-center", Value: "analytics"}},
}

// The preview with the price: a full copy of 1,500 GiB to another Region
// in 15 minutes. AWS's table gives $0.020 per GiB at 15 minutes ($30.00);
// one copy at 500 MiB/s needs 52 minutes, so the next cheaper tier that
// fits is 1 hour's ($0.016, $24.00), not 30-45 minutes'. The transfer and
// storage are the Price List's.
func TestGoldenPrice(t *testing.T) {
	m := loadFacts(newForm(t, 110, 40, bigSrc))
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "us-east-1")
	m = focusField(t, m, fDuration)
	m = typeText(m, "15")
	checkView(t, m,
		"fee $30.00 (estimate, $0.020/GiB) · 1 hour, the next cheaper that fits the quota: $24.00 ($0.016/GiB)",
		"full copy: no earlier copy of vol-0b1b2b3b4b5b6b7b8 in us-east-1",
		"Estimate time-based fee, 15 minutes: 1500 GiB × $0.020 = $30.00 (estimate, AWS's published table, 2026-12-07)",
		"data transfer us-west-2 → us-east-1: 1500 GiB × $0.020 = $30.00 (estimate, AWS Price List)",
		"stored in us-east-1: 1500 GiB × $0.050 = $75.00 a month (estimate, AWS Price List)",
		"the copy's tags also tag its data-transfer line items (cost allocation): ctrl+t brings the source's tags")
}

// The next cheaper tier that fits follows the duration typed: from 30
// minutes it is 1 hour's, from 16 hours there is none cheaper; where a
// shorter duration fits, the tier's own shortest one is offered.
func TestFeeOfTheNextCheaperTier(t *testing.T) {
	small := bigSrc
	small.FullSizeBytes = 100 << 30
	for typed, want := range map[string]string{
		"15":  "fee $2.00 (estimate, $0.020/GiB) · 30 minutes, the next cheaper that fits the quota: $1.80 ($0.018/GiB)",
		"45":  "fee $1.80 (estimate, $0.018/GiB) · 1 hour, the next cheaper that fits the quota: $1.60 ($0.016/GiB)",
		"480": "fee $1.00 (estimate, $0.010/GiB) · 16 hours, the next cheaper that fits the quota: $0.50 ($0.005/GiB)",
		"960": "fee $0.50 (estimate, $0.005/GiB) · the cheapest tier",
	} {
		m := loadFacts(newForm(t, 140, 40, small))
		m, _ = press(m, "tab")
		m = typeText(clearField(m), "us-east-1")
		m = focusField(t, m, fDuration)
		says(t, typeText(m, typed), want)
	}
	// A standard copy has no fee to tell.
	m := loadFacts(newForm(t, 140, 40, small))
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "us-east-1")
	if strings.Contains(flat(m), "fee") {
		t.Errorf("a standard copy shows a fee:\n%s", m.View())
	}
}

// A batch: each copy's quantities and amounts, then all of them together.
func TestEstimateOfABatch(t *testing.T) {
	m := loadFacts(newForm(t, 120, 50, bigSrc, plainSrc))
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "us-east-1")
	says(t, m,
		"snap-0b1b2b3b4b5b6b7b8: 1500 GiB, transfer $30.00, storage $75.00 a month (estimates)",
		// plainSrc has no full size: its volume's 100 GiB is the upper bound.
		"snap-0a1b2c3d4e5f60718: at most 100 GiB, transfer $2.00, storage $5.00 a month (estimates)",
		"all 2 copies: data transfer us-west-2 → us-east-1: at most 1600 GiB × $0.020 = $32.00 (estimate, AWS Price List)",
		"stored in us-east-1: at most 1600 GiB × $0.050 = $80.00 a month",
		"each copy's tags also tag its data-transfer line items")
}

// priceWorld starts a simulator holding bigSrc (200 GiB of it) and a form
// on it, the destination us-east-1 and a 15-minute copy typed, every
// look-up answered by the simulator.
func priceWorld(t *testing.T, faults *ec2sim.Faults) (*ec2sim.Server, Model) {
	t.Helper()
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 7, NoSeedWorld: true, Clock: ec2sim.NewManualClock(now), VisibilityLag: -1}})
	src := bigSrc
	src.FullSizeBytes, src.OwnerID, src.StartTime = 200<<30, ec2sim.AccountID, now.Add(-time.Hour)
	simtest.Add(s.Server, "us-west-2", src)
	if faults != nil {
		s.Server.SetFaults(*faults)
	}
	listed, err := s.Client.SnapshotsByID(context.Background(), "us-west-2", []string{src.ID})
	if err != nil || len(listed) != 1 {
		t.Fatalf("the simulator does not list %s: %v", src.ID, err)
	}
	m := New(s.Client, listed, Options{Now: clock, Tick: noTick})
	m.SetSize(120, 40)
	m, _ = settle(m, m.Init())
	m = focusField(t, m, fDest)
	m, _ = act(m, "ctrl+u")
	m = actType(m, "us-east-1")
	m = focusField(t, m, fDuration)
	m = actType(m, "15")
	return s.Server, m
}

var _ AWS = (*awsops.Client)(nil)

// With pricing:GetProducts allowed, the simulator's Price List prices the
// transfer ($0.02 per GB from us-west-2) and the storage in us-east-1
// ($0.05 per GB-month), and its time-based fee item the 15 minutes.
func TestPriceFromTheSimulatorsPriceList(t *testing.T) {
	srv, m := priceWorld(t, nil)
	says(t, m,
		"fee $4.00 (estimate, $0.020/GiB) · 30 minutes, the next cheaper that fits the quota: $3.60 ($0.018/GiB)",
		"time-based fee, 15 minutes: 200 GiB × $0.020 = $4.00 (estimate, AWS Price List)",
		"data transfer us-west-2 → us-east-1: 200 GiB × $0.020 = $4.00 (estimate, AWS Price List)",
		"stored in us-east-1: 200 GiB × $0.050 = $10.00 a month (estimate, AWS Price List)")
	if strings.Contains(flat(m), "not priced") {
		t.Errorf("something is not priced:\n%s", m.View())
	}
	if n := srv.Count("GetProducts", "us-east-1"); n == 0 {
		t.Error("the form did not ask the Price List")
	}
}

// Without pricing:GetProducts the time-based fee is labelled as AWS's
// published table's, and the transfer and storage are quantities only,
// saying why.
func TestPriceWithoutPriceListAccess(t *testing.T) {
	_, m := priceWorld(t, &ec2sim.Faults{DenyPermission: true, Actions: []string{"GetProducts"}})
	says(t, m,
		"fee $4.00 (estimate, $0.020/GiB) · 30 minutes, the next cheaper that fits the quota: $3.60 ($0.018/GiB)",
		"time-based fee, 15 minutes: 200 GiB × $0.020 = $4.00 (estimate, AWS's published table, 2026-12-07)",
		"data transfer us-west-2 → us-east-1: 200 GiB (not priced)",
		"stored in us-east-1: 200 GiB (not priced)",
		"not priced: these credentials may not read the AWS Price List (pricing:GetProducts: AccessDeniedException)")
	if strings.Contains(flat(m), "AWS Price List)") {
		t.Errorf("a figure claims the Price List:\n%s", m.View())
	}
	if strings.Contains(flat(m), "could not load") {
		t.Errorf("a refused Price List is told as a failed look-up:\n%s", m.View())
	}
}
