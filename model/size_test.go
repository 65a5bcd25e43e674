package model

import "testing"

func TestFormatBytes(t *testing.T) {
	cases := []struct {
		n    int64
		want string
	}{
		{0, "0.0 GiB"},
		{1 << 20, "<0.1 GiB"},
		{512 << 20, "0.5 GiB"},
		{39943195852, "37 GiB"},
		{7 << 29, "3.5 GiB"},
		{100 << 30, "100 GiB"},
		{2000 << 30, "2000 GiB"},
		{9895604649984, "9216 GiB"},
	}
	for _, c := range cases {
		if got := FormatBytes(c.n); got != c.want {
			t.Errorf("FormatBytes(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
