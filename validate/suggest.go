package validate

import "strings"

// SuggestRegion finds the known Region closest to a mistyped one, for "did
// you mean us-west-2?": the smallest edit distance (insertions, deletions,
// substitutions and swaps of two neighbours, so "us-wset-2" is one edit
// from "us-west-2"), ties going to the first in known. ok is false when
// typed is itself known, or when nothing is close enough to be what was
// meant (more than a third of the longer name would have to change).
func SuggestRegion(typed string, known []string) (string, bool) {
	typed = strings.ToLower(strings.TrimSpace(typed))
	if typed == "" {
		return "", false
	}
	best, bestDist := "", -1
	for _, k := range known {
		if k == typed {
			return "", false
		}
		d := editDistance(typed, k)
		if bestDist < 0 || d < bestDist {
			best, bestDist = k, d
		}
	}
	if bestDist < 0 || bestDist*3 > max(len(typed), len(best)) {
		return "", false
	}
	return best, true
}

// editDistance is the optimal string alignment distance between a and b:
// Levenshtein's, with a swap of two adjacent characters counted as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows of the table: two back (for swaps), one back, this one.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
