package ec2sim

import (
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// listParam collects an EC2 Query list (Owner.1, Owner.2, ...) in index order.
func listParam(p url.Values, name string) []string {
	type item struct {
		n int
		v string
	}
	var items []item
	prefix := name + "."
	for k, vs := range p {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || len(vs) == 0 {
			continue
		}
		n, err := strconv.Atoi(rest)
		if err != nil {
			continue
		}
		items = append(items, item{n, vs[0]})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].n < items[j].n })
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.v
	}
	return out
}

// indexes returns the distinct N of keys "name.N.<anything>", sorted.
func indexes(p url.Values, name string) []int {
	seen := map[int]bool{}
	prefix := name + "."
	for k := range p {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(rest, ".")
		if n, err := strconv.Atoi(num); err == nil {
			seen[n] = true
		}
	}
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// has reports whether the parameter was sent (even empty).
func has(p url.Values, name string) bool {
	_, ok := p[name]
	return ok
}

// boolParam reads true/false; absent is false.
func boolParam(p url.Values, name string) (bool, *apiError) {
	if !has(p, name) {
		return false, nil
	}
	switch strings.ToLower(p.Get(name)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, invalidValue("Invalid value '%s' for %s. Valid values are true or false.", p.Get(name), name)
}

// filter is one Filter.N of a request.
type filter struct {
	name   string
	values []string
}

func parseFilters(p url.Values) []filter {
	var out []filter
	for _, n := range indexes(p, "Filter") {
		prefix := "Filter." + strconv.Itoa(n) + "."
		out = append(out, filter{name: p.Get(prefix + "Name"), values: listParam(p, prefix+"Value")})
	}
	return out
}

// glob matches EC2 filter wildcards: * any run, ? any one character,
// backslash escapes.
func glob(pattern, s string) bool {
	if !strings.ContainsAny(pattern, `*?\`) {
		return pattern == s
	}
	p, t := []rune(pattern), []rune(s)
	var pi, ti int
	star, mark := -1, 0
	for ti < len(t) {
		if pi < len(p) {
			switch c := p[pi]; {
			case c == '*':
				star, mark = pi, ti
				pi++
				continue
			case c == '?':
				pi++
				ti++
				continue
			case c == '\\' && pi+1 < len(p):
				if p[pi+1] == t[ti] {
					pi += 2
					ti++
					continue
				}
			case c == t[ti]:
				pi++
				ti++
				continue
			}
		}
		if star < 0 {
			return false
		}
		pi, mark = star+1, mark+1
		ti = mark
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

func anyGlob(patterns []string, s string) bool {
	for _, p := range patterns {
		if glob(p, s) {
			return true
		}
	}
	return false
}

var (
	// Region codes of every partition (us-isob-east-1, eusc-de-east-1 too).
	reRegion     = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-\d+$`)
	reSnapshotID = regexp.MustCompile(`^snap-([0-9a-f]{8}|[0-9a-f]{17})$`)
	reKeyUUID    = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	reKeyMRK     = regexp.MustCompile(`^mrk-[0-9a-fA-F]{32}$`)
	// An alias name is 1-256 characters with its "alias/" prefix, as KMS counts it.
	reAliasName  = regexp.MustCompile(`^alias/[A-Za-z0-9/_-]{1,250}$`)
	reKMSArn     = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):kms:([a-z]{2,4}(?:-[a-z]+)+-\d+):(\d{12}):(key/.+|alias/.+)$`)
	reOutpostArn = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):outposts:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):outpost/op-[0-9a-f]{17}$`)
)
