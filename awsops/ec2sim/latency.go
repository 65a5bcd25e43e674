package ec2sim

import (
	"net/http"
	"time"
)

// BenchPageLatency is the service time the benchmarks give one
// DescribeSnapshots page of 1000 snapshots. UNCONFIRMED: AWS documents no
// latency for DescribeSnapshots; this is an assumption, set in this one
// place, for modelling what paging costs on the real service.
const BenchPageLatency = 500 * time.Millisecond

// pageItemShare divides PageLatency into the cost of one snapshot in an
// answer: a full page of 1000 costs 5 % more than an empty one, so many
// small answers are not free (UNCONFIRMED, with BenchPageLatency).
const pageItemShare = 20_000

// pageDelay holds a DescribeSnapshots answer back by the PageLatency in
// force plus its per-snapshot share. It runs after the world's lock is
// released, so concurrent requests wait concurrently. False when the
// client went away meanwhile.
func (s *Server) pageDelay(r *http.Request, rq *request) bool {
	if rq.action != "DescribeSnapshots" {
		return true
	}
	s.fmu.Lock()
	d := time.Duration(s.faults.PageLatency)
	s.fmu.Unlock()
	return waitFor(r, d+time.Duration(rq.items)*d/pageItemShare)
}
