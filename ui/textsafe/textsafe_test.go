package textsafe

import (
	"strings"
	"testing"
)

func TestCleanShowsControlCharactersAsPlaceholders(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"red \x1b[31mALERT\x1b[0m", "red ␛[31mALERT␛[0m"},
		{"bell\x07", "bell␇"},
		{"two\nlines", "two␤lines"},
		{"tab\there", "tab␉here"},
		{"del\x7f", "del␡"},
		{"c1 \u009b31m", "c1 \uFFFD31m"},
		{"osc \x1b]52;c;ZXZpbA==\x07", "osc ␛]52;c;ZXZpbA==␇"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"bidi \u202eevil", "bidi \uFFFDevil"},
		{"日本語 ok", "日本語 ok"},
	}
	for _, c := range cases {
		if got := Clean(c.in); got != c.want {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzCleanNeverLetsControlsThrough(f *testing.F) {
	f.Add("\x1b[2J\x1b[H\x07")
	f.Add("ok")
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		for _, r := range out {
			if r < 0x20 || (r >= 0x7f && r < 0xa0) {
				t.Fatalf("Clean(%q) let %U through: %q", s, r, out)
			}
		}
		if strings.ContainsRune(Strip(s), 0x1b) {
			t.Fatalf("Strip(%q) kept ESC", s)
		}
	})
}

func TestStripDropsControls(t *testing.T) {
	cases := []struct{ in, want string }{
		{"a\x1b[31mb\x07c\n", "abc"},
		{"web\x1b[31m root\x1b[0m", "web root"},
		{"title\x1b]0;pwned\x07 here", "title here"},
		{"osc st\x1b]52;c;eA==\x1b\\ end", "osc st end"},
		{"lone esc\x1b", "lone esc"},
		{"c1 \u009b31mRED\u009b0m done", "c1 RED done"},
		{"osc \u009d0;title\u009c end", "osc  end"},
		{"osc bel \u009d0;title\x07 end", "osc bel  end"},
		{"restore test \u009b31mRED ALERT\u009b0m ring\uFFFD", "restore test RED ALERT ring\uFFFD"},
		{"esc c\x1bc reset", "esc c reset"},
		{"d\u00e9j\u00e0 vu", "d\u00e9j\u00e0 vu"},
	}
	for _, c := range cases {
		if got := Strip(c.in); got != c.want {
			t.Errorf("Strip(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
