package ec2sim

import (
	"fmt"
	"net"
	"net/http"
	"time"
)

// Listen starts a simulator serving on addr (e.g. 127.0.0.1:0) in a
// goroutine and returns it, its HTTP server (Close it to stop) and its
// base URL.
func Listen(addr string, o Options) (*Server, *http.Server, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, "", fmt.Errorf("ec2sim: listen on %s: %w", addr, err)
	}
	s := New(o)
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return s, hs, "http://" + ln.Addr().String(), nil
}
