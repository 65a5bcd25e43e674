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
