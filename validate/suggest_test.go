package validate

import "testing"

func TestSuggestRegion(t *testing.T) {
	known := []string{"ap-southeast-2", "eu-central-1", "eu-west-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"}
	cases := []struct {
		typed string
		want  string // "": no suggestion
	}{
		{"us-wset-2", "us-west-2"},           // two letters swapped
		{"us-west2", "us-west-2"},            // a dash left out
		{"us-west-22", "us-west-2"},          // a key pressed twice
		{"US-EAST-1", ""},                    // known, in another case
		{"eu-centrl-1", "eu-central-1"},      // a letter left out
		{"ap-southeast-3", "ap-southeast-2"}, // a Region this account does not have
		{"us-west-2", ""},                    // known: nothing to suggest
		{"xx-nowhere-9", ""},                 // nothing close
		{"", ""},
		{"  ", ""},
	}
	for _, c := range cases {
		got, ok := SuggestRegion(c.typed, known)
		if ok != (c.want != "") || got != c.want {
			t.Errorf("SuggestRegion(%q) = %q, %v; want %q", c.typed, got, ok, c.want)
		}
	}
	if _, ok := SuggestRegion("us-west-2", nil); ok {
		t.Error("a suggestion from no known Regions")
	}
}

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "abc", 3}, {"abc", "abc", 0},
		{"us-wset-2", "us-west-2", 1}, {"kitten", "sitting", 3}, {"ab", "ba", 1}, {"ca", "abc", 3},
	}
	for _, c := range cases {
		if got := editDistance(c.a, c.b); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
