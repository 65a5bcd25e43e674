package form

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/snapcopy/snapcopy/model"
)

// Each look-up is said in the status line as what it loads, of which Region.
func TestLookupWhat(t *testing.T) {
	cases := []struct {
		l    lookup
		want string
	}{
		{regionsLookup(), "the Regions"},
		{zonesOf("us-west-2"), "the Local Zones of us-west-2"},
		{encryptionOf("eu-central-1"), "the encryption default of eu-central-1"},
		{aliasesOf("us-east-1"), "the KMS aliases of us-east-1"},
		// A Region name that looks like a key of another look-up stays one
		// Region: nothing is parsed back out of a string.
		{aliasesOf("encryption:us-east-1"), "the KMS aliases of encryption:us-east-1"},
	}
	for _, c := range cases {
		if got := c.l.what(); got != c.want {
			t.Errorf("%#v says %q, want %q", c.l, got, c.want)
		}
	}
}

// Look-ups of one kind for two Regions, or of two kinds for one Region,
// are different keys.
func TestLookupKeysAreDistinct(t *testing.T) {
	all := []lookup{
		regionsLookup(),
		zonesOf("us-west-2"), zonesOf("us-east-1"),
		encryptionOf("us-west-2"), encryptionOf("us-east-1"),
		aliasesOf("us-west-2"), aliasesOf("us-east-1"),
	}
	seen := map[lookup]bool{}
	for _, l := range all {
		if seen[l] {
			t.Errorf("%v is the key of two look-ups", l)
		}
		seen[l] = true
	}
}

// When several look-ups failed, the status line tells them in a fixed
// order: KMS aliases, encryption defaults, the Regions, Local Zones, each
// by Region name.
func TestFirstLoadErrorOrder(t *testing.T) {
	cases := []struct {
		failed []lookup
		want   lookup
	}{
		{[]lookup{regionsLookup()}, regionsLookup()},
		{[]lookup{zonesOf("us-west-2"), regionsLookup()}, regionsLookup()},
		{[]lookup{regionsLookup(), encryptionOf("us-west-2")}, encryptionOf("us-west-2")},
		{[]lookup{encryptionOf("us-west-2"), aliasesOf("us-west-2")}, aliasesOf("us-west-2")},
		{[]lookup{aliasesOf("us-west-2"), aliasesOf("eu-central-1")}, aliasesOf("eu-central-1")},
	}
	for _, c := range cases {
		m := newForm(t, 100, 40, plainSrc)
		for _, l := range c.failed {
			m.loaded(l, errors.New("refused"))
		}
		got, _, ok := m.firstLoadError()
		if !ok || got != c.want {
			t.Errorf("failed %v: the status line tells %v, want %v", c.failed, got, c.want)
		}
		if v := m.View(); !strings.Contains(strings.Join(strings.Fields(v), " "), "could not load "+c.want.what()) {
			t.Errorf("failed %v: the screen does not say could not load %s:\n%s", c.failed, c.want.what(), v)
		}
	}
	if _, _, ok := newForm(t, 100, 40, plainSrc).firstLoadError(); ok {
		t.Error("a new form reports a failed look-up")
	}
}

// A new form loads the Regions and the source Region's facts, and starts
// them in the fixed order.
func TestFirstLookups(t *testing.T) {
	m := newForm(t, 100, 40, plainSrc)
	want := []lookup{aliasesOf("us-west-2"), encryptionOf("us-west-2"), regionsLookup(), zonesOf("us-west-2")}
	var got []lookup
	for l, on := range m.loading {
		if on {
			got = append(got, l)
		}
	}
	slices.SortFunc(got, compareLookups)
	if !slices.Equal(got, want) {
		t.Errorf("a new form loads %v, want %v", got, want)
	}
}

func TestLooksUpOnlyEnabledRegions(t *testing.T) {
	m := newForm(t, 100, 40, plainSrc)
	for _, k := range []lookup{regionsLookup(), zonesOf("us-west-2"), encryptionOf("us-west-2"), aliasesOf("us-west-2")} {
		if !m.loading[k] {
			t.Errorf("a new form does not load %s", k)
		}
	}
	m, _ = press(m, "tab")
	m = typeText(clearField(m), "us-east-1")
	if m.loading[encryptionOf("us-east-1")] {
		t.Error("the form asked us-east-1 before knowing it is an enabled Region")
	}
	m = loadFacts(m)
	m = typeText(clearField(m), "ap-southeast-2")
	if !m.loading[encryptionOf("ap-southeast-2")] && m.facts.Encryption["ap-southeast-2"] == (model.EncryptionDefault{}) {
		t.Error("the form does not load the encryption default of the chosen Region")
	}
	for _, r := range []string{"a", "ap", "ap-", "ap-southeast", "ap-southeast-", "af-south-1"} {
		for _, k := range []lookup{encryptionOf(r), aliasesOf(r)} {
			if m.loading[k] {
				t.Errorf("the form looks up %s", k)
			}
		}
	}
	m = typeText(clearField(m), "af-south-1")
	if m.loading[encryptionOf("af-south-1")] || m.loading[aliasesOf("af-south-1")] {
		t.Error("the form looks up a Region that is not enabled")
	}
}

func TestLoadErrorIsShownWithWhatToDo(t *testing.T) {
	m := newForm(t, 100, 40, plainSrc)
	err := &model.APIError{Op: "DescribeRegions", Region: "us-west-2", Code: "UnauthorizedOperation", Message: "You are not authorized to perform this operation.", Kind: model.ErrPermission}
	m, _ = m.Update(regionsMsg{err: err})
	v := m.View()
	for _, want := range []string{"✗ could not load the Regions: DescribeRegions in us-west-2: UnauthorizedOperation", "ask for it or switch profile"} {
		if !strings.Contains(strings.Join(strings.Fields(v), " "), want) {
			t.Errorf("the screen does not say %q:\n%s", want, v)
		}
	}
	// The form still works with the Region code alone.
	if !m.result.OK() {
		t.Errorf("without the Region list the form refuses: %v", m.result.Problems)
	}
	m, _ = m.Update(regionsMsg{err: errors.New("ignored")})
	m, _ = m.Update(regionsMsg{regions: testRegions})
	if strings.Contains(m.View(), "could not load") {
		t.Error("the error stays after the Regions loaded")
	}
}
