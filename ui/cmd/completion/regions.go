package completion

import (
	"regexp"
	"slices"
	"strings"
)

// partition is one of AWS's partitions and its Regions, as the SDK's
// endpoint rules data (partitions.json) lists them.
type partition struct {
	id          string
	regionRegex string
	regions     []region
}

// region is a Region's code and AWS's description of it.
type region struct{ code, description string }

// partitionOf is the partition of Region code r as the SDK resolves it:
// the one that lists it, else the first whose pattern it matches, else
// aws.
func partitionOf(r string) partition {
	for _, p := range partitions {
		if slices.ContainsFunc(p.regions, func(x region) bool { return x.code == r }) {
			return p
		}
	}
	for _, p := range partitions {
		if regexp.MustCompile(p.regionRegex).MatchString(r) {
			return p
		}
	}
	return partitions[0]
}

// regions are the Regions of near's partition (aws when near is "") that
// start with prefix, each with its description.
func regions(near, prefix string) []string {
	var out []string
	for _, r := range partitionOf(near).regions {
		if strings.HasPrefix(r.code, prefix) {
			out = append(out, describe(r.code, r.description))
		}
	}
	return out
}
