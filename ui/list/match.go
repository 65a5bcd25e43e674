package list

import (
	"runtime"
	"slices"
	"strings"
	"sync"
)

// setFilter applies a new query. When every word of the old query is
// implied by a word of the new one (the usual case: one more letter
// typed), the new matches are a subset of the old, so only the rows shown
// now can match.
func (t *table) setFilter(q string) {
	words := strings.Fields(strings.ToLower(q))
	terms := make([]term, len(words))
	for i, w := range words {
		terms[i] = parseTerm(w)
	}
	narrower := len(t.terms) > 0 && within(t.terms, terms)
	old := t.terms
	t.query, t.terms = q, terms
	switch {
	case len(terms) == 0:
		t.shown = t.order
	case narrower && slices.Equal(old, terms):
		// same words (only spaces changed): same rows
	case narrower:
		// The rows shown hold every old word: only new words need looking for.
		var fresh []term
		for _, w := range terms {
			if !slices.Contains(old, w) {
				fresh = append(fresh, w)
			}
		}
		if len(fresh) == 0 { // a word repeated: "db db"
			break
		}
		t.shown = t.pick(t.shown, t.matching(fresh, t.shown))
	default:
		t.shown = t.pick(t.order, t.matching(terms, nil))
	}
}

// pick returns the indices of idx whose match is set, in idx's order.
func (t *table) pick(idx []int32, match []bool) []int32 {
	out := make([]int32, 0, len(idx)/2)
	for _, r := range idx {
		if match[r] {
			out = append(out, r)
		}
	}
	return out
}

// matching says, per row, whether it holds every term. With among, only
// those rows can match. Rows are ruled out by their byte-pair blooms first
// (a column term's value is in its field, so in the text) and only the
// survivors are searched. Words of one letter have no pair: when no term
// has one, over all rows, the page texts are scanned for a one-letter
// word with strings.Index, a fast vector search for a single byte.
func (t *table) matching(terms []term, among []int32) []bool {
	match := make([]bool, len(t.rows))
	var q bloom
	lead := ""
	for _, w := range terms {
		if !w.inText() {
			continue
		}
		for i := 0; i+1 < len(w.value); i++ {
			q.set(pairBit(w.value[i], w.value[i+1]))
		}
		if w.field == -1 && lead == "" {
			lead = w.value
		}
	}
	if among == nil && q == (bloom{}) && lead != "" {
		t.scanPages(lead, terms, match)
		return match
	}
	// A few rows are looked up one by one; many are read in load order,
	// which reads memory in order rather than jumping about.
	if among != nil && len(among) < len(t.rows)/32 {
		for _, r := range among {
			p := t.pageOf(r)
			k := int(r - p.base)
			if p.blooms[k].covers(&q) && rowMatches(p, k, terms) {
				match[r] = true
			}
		}
		return match
	}
	var cand []bool
	if among != nil {
		cand = make([]bool, len(t.rows))
		for _, r := range among {
			cand[r] = true
		}
	}
	t.eachPages(func(from, to int) {
		for p := from; p < to; p++ {
			pg := &t.search[p]
			for k := range pg.blooms {
				r := pg.base + int32(k)
				if (cand == nil || cand[r]) && pg.blooms[k].covers(&q) && rowMatches(pg, k, terms) {
					match[r] = true
				}
			}
		}
	})
	return match
}

// parallelRows is the table size from which a search is split across
// cores: below it one core answers well within a frame.
const parallelRows = 20_000

// eachPages calls f over the search pages, split into contiguous ranges
// run on up to four cores when the table is large. Each range writes only
// its own rows' entries of a result, so the ranges never race.
func (t *table) eachPages(f func(from, to int)) {
	n := len(t.search)
	workers := min(runtime.GOMAXPROCS(0), 4, n)
	if workers <= 1 || len(t.rows) < parallelRows {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		from, to := n*i/workers, n*(i+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(from, to)
		}()
	}
	wg.Wait()
}

// scanPages searches every page text for lead (a plain word one byte
// long), checking every term only in the rows it hits.
func (t *table) scanPages(lead string, terms []term, match []bool) {
	t.eachPages(func(from, to int) {
		for p := from; p < to; p++ {
			pg := &t.search[p]
			text, pos, k := pg.text, 0, 0
			for pos < len(text) {
				j := strings.Index(text[pos:], lead)
				if j < 0 {
					break
				}
				hit := int32(pos + j)
				for pg.ends[k] <= hit {
					k++
				}
				if len(terms) == 1 || rowMatches(pg, k, terms) {
					match[pg.base+int32(k)] = true
				}
				pos = int(pg.ends[k]) // on to the next row
				k++
			}
		}
	})
}

// pageOf is the search page holding row r.
func (t *table) pageOf(r int32) *searchPage {
	p, found := slices.BinarySearchFunc(t.search, r, func(pg searchPage, r int32) int {
		return cmpInt(int64(pg.base), int64(r))
	})
	if !found {
		p--
	}
	return &t.search[p]
}

// window is the text length up to which strings.Index compares with one
// vector loop (bytealg.MaxBruteForce on amd64). On longer text it hops from
// one occurrence of the word's first byte to the next, which is slow on
// text full of hex ids where every letter a-f is frequent.
const window = 64

// containsWord is strings.Contains(s, w), searched in overlapping windows
// so that each search takes the vector path: 2 to 2.5 times faster on
// snapshot search texts. The result is the same on every platform.
func containsWord(s, w string) bool {
	if len(s) <= window || len(w) < 2 || len(w) > window/2 {
		return strings.Contains(s, w)
	}
	step := window - len(w) + 1
	for i := 0; ; i += step {
		end := min(i+window, len(s))
		if strings.Contains(s[i:end], w) {
			return true
		}
		if end == len(s) {
			return false
		}
	}
}

// within reports whether each old term is implied by some new term.
func within(old, terms []term) bool {
	for _, o := range old {
		found := false
		for _, n := range terms {
			if n.implies(o) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
