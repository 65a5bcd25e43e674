package ec2sim

import (
	"net/url"
	"sort"
	"strings"
)

// wildcardsOff reports whether the NoWildcards switch is on.
func (s *Server) wildcardsOff() bool {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.faults.NoWildcards
}

// literalFilters escapes every wildcard in the filters' values, so that
// "snap-0*" matches only a snapshot whose id is those seven characters.
func literalFilters(fs []filter) []filter {
	out := make([]filter, len(fs))
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`)
	for i, f := range fs {
		vals := make([]string, len(f.values))
		for j, v := range f.values {
			vals[j] = r.Replace(v)
		}
		out[i] = filter{name: f.name, values: vals}
	}
	return out
}

// idPrefixWindow narrows snaps (sorted by id) to the ids a snapshot-id
// filter of prefix patterns ("snap-3*") can match, so a shard of a
// listing is found by binary search instead of a scan of the Region. The
// answer is the same as scanning: only where the scan starts and stops.
func idPrefixWindow(snaps []*snapshot, fs []filter) []*snapshot {
	var prefixes []string
	for _, f := range fs {
		if f.name != "snapshot-id" || len(f.values) == 0 {
			continue
		}
		for _, v := range f.values {
			p, ok := strings.CutSuffix(v, "*")
			if !ok || strings.ContainsAny(p, `*?\`) {
				return snaps
			}
			prefixes = append(prefixes, p)
		}
		break // only the first snapshot-id filter: several are ANDed
	}
	if len(prefixes) == 0 {
		return snaps
	}
	sort.Strings(prefixes)
	lo := sort.Search(len(snaps), func(i int) bool { return snaps[i].id >= prefixes[0] })
	hi := lo
	for _, p := range prefixes {
		// Past every id starting with p: the first id above p that lacks it.
		end := sort.Search(len(snaps), func(i int) bool {
			return snaps[i].id > p && !strings.HasPrefix(snaps[i].id, p)
		})
		hi = max(hi, end)
	}
	return snaps[lo:hi]
}

// hasFilterValue reports whether a request carries v as a Filter value.
func hasFilterValue(p url.Values, v string) bool {
	for _, f := range parseFilters(p) {
		for _, x := range f.values {
			if x == v {
				return true
			}
		}
	}
	return false
}
