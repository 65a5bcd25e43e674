package form

import (
	"sort"
	"strconv"
	"strings"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/validate"
)

// option is one destination the pickers offer.
type option struct {
	value string // what goes into the field
	note  string // shown beside it: "not enabled", the zone group
}

// destOptions lists what the picker of a destination kind offers: every
// Region (not enabled ones marked, validate refuses them), the Local Zones
// the sources may go to, or the known Outposts.
func (m Model) destOptions(k model.DestinationKind) []option {
	var opts []option
	switch k {
	case model.ToRegion:
		for _, r := range m.facts.Regions {
			o := option{value: r.Name}
			if !r.Enabled() {
				o.note = "not enabled"
			}
			opts = append(opts, o)
		}
	case model.ToLocalZone:
		seen := map[string]bool{}
		for _, s := range m.sources {
			if ok, _ := validate.Copyable(s, m.now()); !ok {
				continue
			}
			for _, z := range validate.AllowedLocalZones(s, m.facts) {
				if !seen[z.Name] {
					seen[z.Name] = true
					opts = append(opts, option{value: z.Name, note: "zone group " + z.GroupName})
				}
			}
		}
		sort.Slice(opts, func(i, j int) bool { return opts[i].value < opts[j].value })
	case model.ToOutpost:
		for _, a := range m.outposts {
			opts = append(opts, option{value: a})
		}
	}
	return opts
}

// matching is the indexes of the options that contain text (any case).
func matching(opts []option, text string) []int {
	text = strings.ToLower(strings.TrimSpace(text))
	var out []int
	for i, o := range opts {
		if strings.Contains(strings.ToLower(o.value), text) {
			out = append(out, i)
		}
	}
	return out
}

// maxCompletions is how many KMS aliases are listed under the field.
const maxCompletions = 5

// plural is "1 copy" / "3 copies", "1 tag" / "2 tags".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") {
		return itoa(n) + " " + strings.TrimSuffix(word, "y") + "ies"
	}
	return itoa(n) + " " + word + "s"
}

func itoa(n int) string { return strconv.Itoa(n) }
