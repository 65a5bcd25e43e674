package ec2sim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// faultsJSON is Faults on the wire: latency as a duration string ("250ms")
// or a number of nanoseconds.
type faultsJSON struct {
	ThrottleRate       float64         `json:"throttleRate"`
	ServerErrorRate    float64         `json:"serverErrorRate"`
	Latency            json.RawMessage `json:"latency,omitempty"`
	DropRate           float64         `json:"dropRate"`
	DropNext           int             `json:"dropNext"`
	DropAfterApply     bool            `json:"dropAfterApply"`
	ExpiredCredentials bool            `json:"expiredCredentials"`
	DenyPermission     bool            `json:"denyPermission"`
	SignatureMismatch  bool            `json:"signatureMismatch"`
	ClockSkew          json.RawMessage `json:"clockSkew,omitempty"`
	RawControls        bool            `json:"rawControlCharacters"`
	Actions            []string        `json:"actions,omitempty"`
	ThrottleNext       int             `json:"throttleNext"`
	ThrottleFilter     string          `json:"throttleFilter,omitempty"`
	PageLatency        json.RawMessage `json:"pageLatency,omitempty"`
	NoWildcards        bool            `json:"noWildcards"`
}

// MarshalJSON writes camelCase names and the latency as a duration string.
func (f Faults) MarshalJSON() ([]byte, error) {
	lat, _ := json.Marshal(f.Latency.String())
	skew, _ := json.Marshal(f.ClockSkew.String())
	page, _ := json.Marshal(f.PageLatency.String())
	return json.Marshal(faultsJSON{
		ThrottleRate: f.ThrottleRate, ServerErrorRate: f.ServerErrorRate, Latency: lat,
		DropRate: f.DropRate, DropNext: f.DropNext, DropAfterApply: f.DropAfterApply,
		ExpiredCredentials: f.ExpiredCredentials, DenyPermission: f.DenyPermission,
		SignatureMismatch: f.SignatureMismatch, ClockSkew: skew, RawControls: f.RawControlCharacters,
		Actions:      f.Actions,
		ThrottleNext: f.ThrottleNext, ThrottleFilter: f.ThrottleFilter, PageLatency: page, NoWildcards: f.NoWildcards,
	})
}

// UnmarshalJSON reads camelCase or Go field names (encoding/json matches
// names without regard to case) and a latency string or number.
func (f *Faults) UnmarshalJSON(b []byte) error {
	var j faultsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*f = Faults{
		ThrottleRate: j.ThrottleRate, ServerErrorRate: j.ServerErrorRate,
		DropRate: j.DropRate, DropNext: j.DropNext, DropAfterApply: j.DropAfterApply,
		ExpiredCredentials: j.ExpiredCredentials, DenyPermission: j.DenyPermission,
		SignatureMismatch: j.SignatureMismatch, RawControlCharacters: j.RawControls, Actions: j.Actions,
		ThrottleNext: j.ThrottleNext, ThrottleFilter: j.ThrottleFilter, NoWildcards: j.NoWildcards,
	}
	var err error
	if f.Latency, err = durationJSON("latency", j.Latency); err != nil {
		return err
	}
	if f.ClockSkew, err = durationJSON("clockSkew", j.ClockSkew); err != nil {
		return err
	}
	f.PageLatency, err = durationJSON("pageLatency", j.PageLatency)
	return err
}

// durationJSON reads a duration string ("250ms", "-7m") or a number of
// nanoseconds; absent or null is zero.
func durationJSON(name string, raw json.RawMessage) (time.Duration, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		return d, nil
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, fmt.Errorf("%s: want a duration string or nanoseconds", name)
	}
	return time.Duration(n), nil
}

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
