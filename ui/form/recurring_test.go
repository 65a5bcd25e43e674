package form

import (
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/screentest"
)

// ctrl+p hands the copy as validated to the recurring panel: the
// requests, the typed tags apart from the source's own, and the form's
// choice of source tags.
func TestCtrlPOpensTheRecurringPanel(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m = focusField(t, m, fDest)
	m = clearField(m)
	m = typeText(m, "us-east-1")
	m = focusField(t, m, fTags)
	m = typeText(m, "cost")
	m, _ = press(m, "tab")
	m = typeText(m, "4410")
	m, passed := screentest.Act(m, screentest.Options{Pass: screentest.ForApp}, "ctrl+p")
	if len(passed) != 1 {
		t.Fatalf("passed %v; status %q", passed, statusOf(m).Text)
	}
	open, ok := passed[0].(nav.OpenRecurring)
	if !ok {
		t.Fatalf("passed %#v", passed[0])
	}
	if len(open.Requests) != 1 || open.Requests[0].DestinationRegion != "us-east-1" || open.Requests[0].SourceSnapshotID != plainSrc.ID ||
		len(open.Sources) != 1 || len(open.Tags) != 1 || open.Tags[0].Key != "cost" || open.SourceTags != m.srcTags {
		t.Errorf("OpenRecurring %+v", open)
	}
}

// A form with an error is not made recurring: the first error is said.
func TestCtrlPWithAnErrorSaysWhatToFix(t *testing.T) {
	m := loadFacts(newForm(t, 100, 40, plainSrc))
	m = focusField(t, m, fDest)
	m = clearField(m)
	m = typeText(m, "mars-1")
	m, passed := screentest.Act(m, screentest.Options{Pass: screentest.ForApp}, "ctrl+p")
	if len(passed) != 0 || !strings.HasPrefix(statusOf(m).Text, "not recurring yet: fix the destination:") {
		t.Errorf("passed %v, status %q", passed, statusOf(m).Text)
	}
}
