package model

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestUnanswered(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{context.DeadlineExceeded, true},
		{context.Canceled, false},
		{&APIError{Kind: ErrTransient}, true},              // no answer in time, a dropped connection
		{&APIError{Kind: ErrTransient, Status: 200}, true}, // a body that never came whole
		{&APIError{Kind: ErrTransient, Status: 500, Code: "InternalError"}, false}, // AWS's 5xx
		{&APIError{Kind: ErrUnreachable}, true},
		{&APIError{Kind: ErrNotAWS, Status: 200}, true},
		{&APIError{Kind: ErrThrottled, Status: 503}, false},
		{&APIError{Kind: ErrCredentials, Status: 400}, false},
		{fmt.Errorf("poll: %w", &APIError{Kind: ErrUnreachable}), true},
		{errors.New("disk full"), false},
	}
	for _, c := range cases {
		if got := Unanswered(c.err); got != c.want {
			t.Errorf("Unanswered(%#v) = %v, want %v", c.err, got, c.want)
		}
	}
}
