package ec2sim

import (
	"math/rand"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// frontFaults are the faults that stand between a client and the service
// for one request: what a hostile network or a proxy does to it.
type frontFaults struct {
	hangUntil     time.Time
	htmlPage      bool
	oversizedBody int64
	gzipGarbage   bool
	trickleRate   int
	clockOffset   time.Duration
}

// frontFor reads the front faults in force for a request of action.
func (s *Server) frontFor(action string) frontFaults {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	f := &s.faults
	ff := frontFaults{clockOffset: time.Duration(f.ClockOffset)}
	if len(f.Actions) > 0 && !slices.Contains(f.Actions, action) {
		return ff
	}
	if f.Hang > 0 {
		ff.hangUntil = s.faultsSet.Add(time.Duration(f.Hang))
	}
	ff.htmlPage, ff.oversizedBody, ff.gzipGarbage, ff.trickleRate = f.HTMLPage, f.OversizedBody, f.GzipGarbage, f.TrickleRate
	return ff
}

// front runs what happens to a request before AWS sees it: a hang, or an
// answer that is not AWS's (a proxy's page, an oversized body, gzip
// garbage). It returns the writer of AWS's answer, or nil when the request
// was answered here or its client left. It sets rq.offset, AWS's clock.
func (s *Server) front(w http.ResponseWriter, r *http.Request, rq *request) *answerWriter {
	ff := s.frontFor(rq.action)
	rq.offset = ff.clockOffset
	if rest := time.Until(ff.hangUntil); rest > 0 && !waitFor(r, rest) {
		return nil
	}
	switch {
	case ff.htmlPage:
		writeHTMLPage(w, rq.region)
		return nil
	case ff.oversizedBody > 0:
		writeOversized(w, ff.oversizedBody)
		return nil
	case ff.gzipGarbage:
		writeGzipGarbage(w)
		return nil
	}
	return &answerWriter{ResponseWriter: w, r: r, offset: rq.offset, trickle: ff.trickleRate}
}

// answerWriter writes AWS's answer to one request: its Date header on
// AWS's clock, stamped as the answer is written, and under a trickle
// fault its body a few bytes at a time (held until finish, so that its
// Content-Length is known).
type answerWriter struct {
	http.ResponseWriter
	r       *http.Request
	offset  time.Duration
	trickle int // bytes per second; 0: at once
	status  int
	held    []byte
}

// Unwrap lets http.ResponseController reach the connection (a dropped
// answer hijacks it).
func (a *answerWriter) Unwrap() http.ResponseWriter { return a.ResponseWriter }

// WriteHeader sends the status, or holds it while trickling.
func (a *answerWriter) WriteHeader(code int) {
	if a.status != 0 {
		return
	}
	a.status = code
	if a.trickle == 0 {
		a.stampDate()
		a.ResponseWriter.WriteHeader(code)
	}
}

// Write sends p, or holds it while trickling.
func (a *answerWriter) Write(p []byte) (int, error) {
	if a.status == 0 {
		a.WriteHeader(http.StatusOK)
	}
	if a.trickle > 0 {
		a.held = append(a.held, p...)
		return len(p), nil
	}
	return a.ResponseWriter.Write(p)
}

// stampDate sets the Date header on AWS's clock, unless a fault answer set
// its own.
func (a *answerWriter) stampDate() {
	if a.offset != 0 && a.Header().Get("Date") == "" {
		a.Header().Set("Date", awsDate(time.Now(), a.offset))
	}
}

// finish writes a trickled answer: the status and headers at once, then
// the body in pieces, until it is all written or the client leaves.
func (a *answerWriter) finish() {
	if a.trickle == 0 || a.status == 0 {
		return
	}
	a.Header().Set("Content-Length", strconv.Itoa(len(a.held)))
	a.stampDate()
	a.ResponseWriter.WriteHeader(a.status)
	rc := http.NewResponseController(a.ResponseWriter)
	_ = rc.Flush()
	piece, every := tricklePace(a.trickle)
	for body := a.held; len(body) > 0; {
		if !waitFor(a.r, every) {
			return
		}
		n := min(piece, len(body))
		if _, err := a.ResponseWriter.Write(body[:n]); err != nil {
			return
		}
		_ = rc.Flush()
		body = body[n:]
	}
}

// tricklePace is how many bytes a trickle writes at a time and how often:
// a tenth of the rate every 100 ms, or one byte at a time below 10 bytes
// per second.
func tricklePace(rate int) (piece int, every time.Duration) {
	if rate >= 10 {
		return rate / 10, 100 * time.Millisecond
	}
	return 1, time.Second / time.Duration(rate)
}

// captivePortal is what a proxy or a hotel's network answers in AWS's place.
const captivePortal = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Network sign-in required</title></head>
<body>
<h1>Sign in to continue</h1>
<p>Your request to ENDPOINT was stopped by this network's access gateway.
Sign in with your company account to continue browsing.</p>
<form method="post" action="/portal/login">
<label>User name <input name="user"></label>
<label>Password <input type="password" name="password"></label>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`

func writeHTMLPage(w http.ResponseWriter, region string) {
	page := strings.Replace(captivePortal, "ENDPOINT", "ec2."+region+".amazonaws.com", 1)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(page)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(page))
}

// writeOversized answers n bytes of XML that is not EC2's document: a
// proxy's buffer of padding, written as it streams.
func writeOversized(w http.ResponseWriter, n int64) {
	head := []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<ProxyBuffer>\n")
	tail := []byte("</ProxyBuffer>\n")
	pad := []byte("<padding>" + strings.Repeat("x", 1014) + "</padding>\n") // 1 KiB
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
	w.WriteHeader(http.StatusOK)
	write := func(b []byte) bool {
		if int64(len(b)) > n {
			b = b[:n]
		}
		n -= int64(len(b))
		_, err := w.Write(b)
		return err == nil && n > 0
	}
	if !write(head) {
		return
	}
	for n > int64(len(tail)) {
		chunk := pad
		if rest := n - int64(len(tail)); rest < int64(len(chunk)) {
			chunk = []byte(strings.Repeat(" ", int(rest)))
		}
		if !write(chunk) {
			return
		}
	}
	write(tail)
}

// writeGzipGarbage answers bytes that say they are gzip and are not: they
// do not begin with gzip's magic number.
func writeGzipGarbage(w http.ResponseWriter) {
	garbage := make([]byte, 4096)
	rand.New(rand.NewSource(0x9a7ba9e)).Read(garbage)
	garbage[0] = 0 // gzip begins 0x1f 0x8b
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Content-Length", strconv.Itoa(len(garbage)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(garbage)
}
