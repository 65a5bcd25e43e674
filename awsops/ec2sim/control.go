package ec2sim

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// serveControl answers the endpoints a test drives a separate simulator
// process with:
//
//	GET    /_sim/counts          request counts, {"Action region": n}
//	DELETE /_sim/counts          reset the counts
//	GET    /_sim/faults          the faults in force
//	PUT    /_sim/faults          replace them (JSON body of Faults)
//	POST   /_sim/advance?d=30s   move a manual clock forward (400 otherwise)
//	GET    /_sim/clock           the clock's time
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_sim/counts":
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, s.Counts())
		case http.MethodDelete:
			s.ResetCounts()
			w.WriteHeader(http.StatusNoContent)
		default:
			http.Error(w, "use GET or DELETE", http.StatusMethodNotAllowed)
		}
	case "/_sim/faults":
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, s.Faults())
		case http.MethodPut, http.MethodPost:
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<16))
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			var f Faults
			if err := json.Unmarshal(body, &f); err != nil {
				http.Error(w, "faults: "+err.Error(), http.StatusBadRequest)
				return
			}
			s.SetFaults(f)
			writeJSON(w, s.Faults())
		default:
			http.Error(w, "use GET or PUT", http.StatusMethodNotAllowed)
		}
	case "/_sim/advance":
		if r.Method != http.MethodPost {
			http.Error(w, "use POST", http.StatusMethodNotAllowed)
			return
		}
		mc, ok := s.clock.(*ManualClock)
		if !ok {
			http.Error(w, "the simulator runs on real time; start it with a manual clock to advance it", http.StatusBadRequest)
			return
		}
		d, err := time.ParseDuration(r.URL.Query().Get("d"))
		if err != nil || d < 0 {
			http.Error(w, "d must be a non-negative duration such as 30s", http.StatusBadRequest)
			return
		}
		mc.Advance(d)
		writeJSON(w, map[string]time.Time{"now": mc.Now()})
	case "/_sim/clock":
		writeJSON(w, map[string]time.Time{"now": s.clock.Now()})
	default:
		http.NotFound(w, r)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
