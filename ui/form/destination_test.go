package form

import "testing"

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
