package profiles_test

import (
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/ui/nav"
	"github.com/snapcopy/snapcopy/ui/profiles"
	"github.com/snapcopy/snapcopy/ui/screentest"
	"github.com/snapcopy/snapcopy/ui/theme"
)

func TestMain(m *testing.M) {
	theme.UseASCII()
	os.Exit(m.Run())
}

// A role the first account may not assume: its profile opens, but STS
// refuses it.
const refusedProfile = `[profile locked]
role_arn = arn:aws:iam::111122223333:role/not-trusted
source_profile = demo
region = eu-west-1
`

// pass keeps back what the picker hands the app.
var pass = screentest.Options{Pass: func(msg tea.Msg) bool {
	switch msg.(type) {
	case profiles.Chosen, nav.Back:
		return true
	}
	return false
}}

// openPicker opens a picker on the demo's profiles (and locked) behind a
// simulator, counting the AssumeRole calls of dr's role it receives.
func openPicker(t *testing.T) (profiles.Model, *atomic.Int32) {
	t.Helper()
	var assumed atomic.Int32
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, VisibilityLag: -1}, Wrap: func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				if err := r.ParseForm(); err == nil && r.PostForm.Get("Action") == "AssumeRole" && r.PostForm.Get("RoleArn") == ec2sim.DRRoleArn {
					assumed.Add(1)
				}
			}
			h.ServeHTTP(w, r)
		})
	}})
	clients := screentest.Profiles(t, s.Client, refusedProfile)
	m := profiles.New(clients, profiles.Options{Files: clients.Files()})
	m.SetSize(120, 12)
	m, cmd := m.Open("demo")
	m, _ = screentest.Settle(m, cmd, pass)
	return m, &assumed
}

// row is the picker's row of a profile ("" when not shown).
func row(view, profile string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(l, "› "+profile+" ") || strings.HasPrefix(l, "  "+profile+" ") {
			return l
		}
	}
	return ""
}

// Each profile of the files is listed with the account STS says it
// reaches: the demo's own, dr's through the role it assumes; a role the
// account may not assume is said, with AWS's words, under the cursor.
func TestPickerShowsEachProfilesAccount(t *testing.T) {
	m, _ := openPicker(t)
	v := m.View()
	for name, want := range map[string]string{"demo": "123456789012", "dr": ec2sim.DRAccountID, "locked": "✗ unknown"} {
		l := row(v, name)
		if !strings.Contains(l, want) {
			t.Errorf("row of %s: %q, want %q in it\n%s", name, l, want, v)
		}
	}
	if l := row(v, "demo"); !strings.HasPrefix(l, "›") || !strings.Contains(l, "● listed now") {
		t.Errorf("the cursor is not on the profile listed now: %q\n%s", l, v)
	}
	if l := row(v, "dr"); !strings.Contains(l, "us-east-1") {
		t.Errorf("dr's Region is not shown: %q", l)
	}
	if strings.Contains(v, "AccessDenied") {
		t.Errorf("an error is shown while the cursor is not on its profile:\n%s", v)
	}
	m, _ = screentest.Act(m, pass, "down", "down")
	v = m.View()
	if !strings.Contains(v, "✗ profile locked") || !strings.Contains(v, "AccessDenied") {
		t.Errorf("with the cursor on locked, no line says why its account is unknown:\n%s", v)
	}
}

// The filter narrows the profiles as typed; esc clears it, a second esc
// goes back; enter hands the app the profile with its account.
func TestPickerFilterAndChoose(t *testing.T) {
	m, assumed := openPicker(t)
	m, _ = screentest.Act(m, pass, "/", "1", "1", "1", "1")
	v := m.View()
	if row(v, "dr") == "" || row(v, "demo") != "" || row(v, "locked") != "" {
		t.Fatalf("filter 1111 (dr's account) shows other profiles, or not dr:\n%s", v)
	}
	if !m.Capturing() {
		t.Fatal("while typing the filter, keys are not text")
	}
	m, msgs := screentest.Act(m, pass, "esc")
	if len(msgs) != 0 || m.Capturing() || row(m.View(), "demo") == "" {
		t.Fatalf("esc in the filter did not clear it (%v):\n%s", msgs, m.View())
	}
	m, msgs = screentest.Act(m, pass, "/", "d", "r", "enter", "enter")
	if len(msgs) != 1 {
		t.Fatalf("enter on dr handed the app %v, want one Chosen", msgs)
	}
	c, ok := msgs[0].(profiles.Chosen)
	if !ok || c.Profile.Name != "dr" || c.Account != ec2sim.DRAccountID || c.Profile.Region != "us-east-1" {
		t.Fatalf("chose %+v, want dr in account %s", msgs[0], ec2sim.DRAccountID)
	}
	// Opened once: the picker opened again asks nothing new of STS.
	before := assumed.Load()
	if before != 1 {
		t.Errorf("dr's role was assumed %d times, want 1", before)
	}
	m, cmd := m.Open("dr")
	m, _ = screentest.Settle(m, cmd, pass)
	if n := assumed.Load(); n != before {
		t.Errorf("opening the picker again assumed dr's role again (%d times)", n)
	}
	if l := row(m.View(), "dr"); !strings.Contains(l, "● listed now") || !strings.Contains(l, ec2sim.DRAccountID) {
		t.Errorf("row of dr after reopening: %q", l)
	}
	_, msgs = screentest.Act(m, pass, "esc")
	if len(msgs) != 1 || msgs[0] != (nav.Back{}) {
		t.Fatalf("esc handed the app %v, want nav.Back", msgs)
	}
}
