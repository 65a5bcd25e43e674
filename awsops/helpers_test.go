package awsops_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/simtest"
)

// newClient builds the real awsops client against a local endpoint, the
// way main does with --endpoint-url, with fixed test credentials.
func newClient(t *testing.T, endpoint, region string, opts ...func(*awsops.Options)) *awsops.Client {
	t.Helper()
	return simtest.Client(t, endpoint, func(o *awsops.Options) {
		o.Region = region
		for _, f := range opts {
			f(o)
		}
	})
}

// wire is a recording proxy in front of a server: it keeps the EC2 Query
// requests it forwards, so a test can assert what AWS would receive even
// where the server behind ignores a parameter.
type wire struct {
	mu   sync.Mutex
	sent []url.Values
	// answered, when set, runs after the server behind answered a request
	// and before the answer is passed on (to cancel the caller mid-flight).
	// When it returns true the answer is withheld until the caller hangs up.
	answered func(req url.Values) (withhold bool)
}

// front starts the proxy to target and returns its URL.
func (w *wire) front(t *testing.T, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var form url.Values
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(rw, err.Error(), http.StatusBadRequest)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			if v, err := url.ParseQuery(string(body)); err == nil {
				form = v
				w.mu.Lock()
				w.sent = append(w.sent, v)
				w.mu.Unlock()
			}
		}
		if w.answered == nil || form == nil {
			proxy.ServeHTTP(rw, r)
			return
		}
		// The caller's cancellation must not reach the server behind.
		rec := httptest.NewRecorder()
		proxy.ServeHTTP(rec, r.WithContext(context.WithoutCancel(r.Context())))
		if w.answered(form) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
				t.Errorf("the caller did not hang up within 10 s")
			}
			return
		}
		for k, v := range rec.Header() {
			rw.Header()[k] = v
		}
		rw.WriteHeader(rec.Code)
		_, _ = rw.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// requests returns the recorded requests of one action, in order.
func (w *wire) requests(action string) []url.Values {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []url.Values
	for _, v := range w.sent {
		if v.Get("Action") == action {
			out = append(out, v)
		}
	}
	return out
}
