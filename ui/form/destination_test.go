package form

import (
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

// ←/→ on a typed destination that matches no offered one move the cursor:
// fixing a typo in an Outpost ARN never replaces it with another Outpost.
func TestArrowsInATypedOutpostArnMoveTheCursor(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m, _ = press(m, "right") // destination type: Outpost
	m = focusField(t, m, fDest)
	m = clearField(m)
	typed := "arn:aws:outposts:us-west-2:123456789012:outpost/op-0fedcba98765432l0"
	m = typeText(m, typed)
	m, _ = press(m, "left", "backspace") // the typo is the l before the last 0
	m = typeText(m, "1")
	want := "arn:aws:outposts:us-west-2:123456789012:outpost/op-0fedcba9876543210"
	if got := m.dest[m.kind()].Value(); got != want {
		t.Errorf("after fixing the typo the ARN is %q, want %q", got, want)
	}
	// Empty, the arrows pick the known Outpost again.
	m = clearField(m)
	m, _ = press(m, "right")
	if got := m.dest[m.kind()].Value(); got != outpostArn {
		t.Errorf("← / → on an empty field picked %q, want %q", got, outpostArn)
	}
}

// Typing over a destination the form chose (the default, a pick with the
// arrows) replaces it, as a search box does; text the operator typed or
// edited is typed on.
func TestTypingOverAChosenDestinationReplacesIt(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m = focusField(t, m, fDest)
	dest := func() string { return m.dest[m.kind()].Value() }
	if dest() != "us-west-2" {
		t.Fatalf("the default destination is %q", dest())
	}
	m = typeText(m, "eu-c")
	if dest() != "eu-c" {
		t.Errorf("typing over the default: %q, want eu-c", dest())
	}
	m = typeText(m, "e")
	if dest() != "eu-ce" {
		t.Errorf("typing on what was typed: %q, want eu-ce", dest())
	}
	m, _ = press(m, "right") // picks eu-central-1
	if dest() != "eu-central-1" {
		t.Fatalf("→ picked %q", dest())
	}
	m = typeText(m, "us-e")
	if dest() != "us-e" {
		t.Errorf("typing over a pick: %q, want us-e", dest())
	}
	m, _ = press(m, "right", "backspace") // us-east-1, then an edit of it
	m = typeText(m, "2")
	if dest() != "us-east-2" {
		t.Errorf("editing a pick: %q, want us-east-2", dest())
	}
}

// A snapshot in a Local Zone goes only to its parent Region (or a Local
// Zone of its group): the Region picker offers that Region alone.
func TestALocalZoneSourceIsOfferedOnlyItsParentRegion(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, lzSrc))
	var offered []string
	for _, o := range m.destOptions(model.ToRegion) {
		offered = append(offered, o.value)
	}
	if len(offered) != 1 || offered[0] != "us-west-2" {
		t.Errorf("a Local Zone source is offered the Regions %v, want only us-west-2", offered)
	}
	m = focusField(t, m, fDest)
	if !strings.Contains(flat(m), "←/→ 1 of 1 Regions") {
		t.Errorf("the picker does not say it offers one Region:\n%s", m.View())
	}
	// A Region snapshot beside it in a batch: every Region again.
	if n := len(loadFacts(newForm(t, 100, 40, lzSrc, plainSrc)).destOptions(model.ToRegion)); n != len(testRegions) {
		t.Errorf("a batch with a Region snapshot is offered %d Regions, want %d", n, len(testRegions))
	}
}
