package cmd

import (
	"io"
	"sync"
)

// Synced is w with one write at a time: what a command prints from its own
// goroutine and what AWS calls tell while under way (awsops notices, from
// the SDK's goroutines) never interleave within a line.
func Synced(w io.Writer) io.Writer {
	if s, ok := w.(*synced); ok {
		return s
	}
	return &synced{w: w}
}

type synced struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *synced) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
