package stop

import (
	"syscall"
	"testing"
)

func TestMessage(t *testing.T) {
	term := signals[syscall.SIGTERM]
	if term.Code != 143 || term.What != "SIGTERM" {
		t.Fatalf("SIGTERM is %+v", term)
	}
	for _, tc := range []struct {
		why        Reason
		unfinished int
		want       string
	}{
		{term, 0, "snapcopy: stopped by SIGTERM"},
		{TerminalGone, 2, "snapcopy: stopped by its terminal closing before every copy ended (2 unfinished); they stay in /s/copies.json and `snapcopy watch` resumes them"},
	} {
		if got := Message(&tc.why, tc.unfinished, "/s/copies.json"); got != tc.want {
			t.Errorf("Message(%+v, %d):\n got %s\nwant %s", tc.why, tc.unfinished, got, tc.want)
		}
	}
}
