package form

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/validate"
)

// option is one destination the pickers offer.
type option struct {
	value string // what goes into the field
	note  string // shown beside it: "not enabled", the zone group
}

// destOptions lists what the picker of a destination kind offers: the
// Regions some source may go to (every Region, but only its parent Region
// for a snapshot in a Local Zone; not enabled ones marked, validate refuses
// them), the Local Zones the sources may go to, or the known Outposts; the
// destination of the last request from the source Region first.
func (m Model) destOptions(k model.DestinationKind) []option {
	var opts []option
	switch k {
	case model.ToRegion:
		copyable := m.copyableSources()
		for _, r := range m.facts.Regions {
			if len(copyable) > 0 && !slices.ContainsFunc(copyable, func(s model.Snapshot) bool { return validate.RegionAllowed(s, r.Name) }) {
				continue
			}
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
	return m.lastFirst(k, opts)
}

// copyableSources are the sources a copy can be made of now.
func (m Model) copyableSources() []model.Snapshot {
	var out []model.Snapshot
	for _, s := range m.sources {
		if ok, _ := validate.Copyable(s, m.now()); ok {
			out = append(out, s)
		}
	}
	return out
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

// maxCompletions is how many completions (destinations that match, KMS
// aliases) are listed under a field.
const maxCompletions = 5

// allowedKinds is every destination kind some copyable source allows, in
// the order Region, Outpost, Local Zone.
func allowedKinds(sources []model.Snapshot, now time.Time) []model.DestinationKind {
	allowed := map[model.DestinationKind]bool{}
	for _, s := range sources {
		if ok, _ := validate.Copyable(s, now); !ok {
			continue
		}
		for _, k := range validate.AllowedKinds(s) {
			allowed[k] = true
		}
	}
	var kinds []model.DestinationKind
	for _, k := range []model.DestinationKind{model.ToRegion, model.ToOutpost, model.ToLocalZone} {
		if allowed[k] {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		// Nothing can be copied; validate says why on the sources.
		kinds = []model.DestinationKind{model.ToRegion}
	}
	return kinds
}

// kind is the chosen destination kind.
func (m Model) kind() model.DestinationKind {
	if len(m.kinds) == 0 {
		return model.ToRegion
	}
	return m.kinds[m.kindIdx]
}

// cycleKind steps to the next (d=1) or previous (d=-1) destination kind,
// filling in the first destination offered when that kind has none yet.
func (m *Model) cycleKind(d int) {
	n := len(m.kinds)
	if n == 0 {
		return
	}
	m.kindIdx = (m.kindIdx + d + n) % n
	k := m.kind()
	if m.dest[k].Value() == "" {
		if opts := m.destOptions(k); len(opts) > 0 {
			m.chooseDest(k, opts[0].value)
		}
	}
}

// picking reports whether ←/→ on the destination choose among the offered
// destinations: the field is empty, holds one of them, or begins one. Text
// that matches none (an Outpost ARN being typed) keeps the arrows for
// moving the cursor, so fixing a typo never replaces what was typed.
func (m Model) picking() bool {
	k := m.kind()
	text := strings.TrimSpace(m.dest[k].Value())
	if text == "" {
		return true
	}
	opts := m.destOptions(k)
	return slices.ContainsFunc(opts, func(o option) bool { return o.value == text }) || len(matching(opts, text)) > 0
}

// cycleDest picks the next or previous destination offered: from the one
// typed, or from the first (last) that matches what is typed so far.
func (m *Model) cycleDest(d int) {
	k := m.kind()
	opts := m.destOptions(k)
	if len(opts) == 0 {
		return
	}
	text := strings.TrimSpace(m.dest[k].Value())
	next := -1
	if i := slices.IndexFunc(opts, func(o option) bool { return o.value == text }); i >= 0 {
		next = (i + d + len(opts)) % len(opts)
	} else if matches := matching(opts, text); len(matches) > 0 {
		next = matches[0]
		if d < 0 {
			next = matches[len(matches)-1]
		}
	} else if d > 0 {
		next = 0
	} else {
		next = len(opts) - 1
	}
	m.chooseDest(k, opts[next].value)
}

// destLines is the destination field: the text, where it stands among
// the destinations offered, and, while typing, the ones that match.
func (m Model) destLines(focused bool, vw int) []string {
	k := m.kind()
	in := m.dest[k]
	placeholder := map[model.DestinationKind]string{
		model.ToRegion:    "a Region, such as us-east-1",
		model.ToLocalZone: "a Local Zone, such as us-west-2-lax-1a",
		model.ToOutpost:   "arn:aws:outposts:REGION:ACCOUNT:outpost/op-…",
	}[k]
	line := inputView(in, focused, min(vw, 72), placeholder)
	opts := m.destOptions(k)
	text := strings.TrimSpace(in.Value())
	var hint string
	var extra []string
	what := map[model.DestinationKind]string{model.ToRegion: "Regions", model.ToLocalZone: "Local Zones", model.ToOutpost: "known Outposts"}[k]
	exact := -1
	for i, o := range opts {
		if o.value == text {
			exact = i
		}
	}
	switch {
	case k == model.ToRegion && m.loading[regionsLookup()]:
		hint = "loading Regions…"
	case k == model.ToLocalZone && m.loading[zonesOf(m.region)]:
		hint = "loading Local Zones…"
	case exact >= 0:
		hint = fmt.Sprintf("%s %d of %d %s", keys.PickDest().Help().Key, exact+1, len(opts), what)
		if n := opts[exact].note; n != "" {
			hint = n + " · " + hint
		}
	case len(opts) == 0 && k == model.ToLocalZone:
		hint = "no enabled Local Zone this snapshot may be copied to"
	case len(opts) == 0:
	case focused:
		idx := matching(opts, text)
		if len(idx) == 0 {
			hint = fmt.Sprintf("no match among %d %s; %s picks one", len(opts), what, keys.PickDest().Help().Key)
			break
		}
		names := make([]string, 0, maxCompletions)
		for _, i := range idx[:min(len(idx), maxCompletions)] {
			n := clean(opts[i].value)
			if opts[i].note == "not enabled" {
				n += " (not enabled)"
			}
			names = append(names, n)
		}
		more := ""
		if len(idx) > maxCompletions {
			more = fmt.Sprintf(" … %d more", len(idx)-maxCompletions)
		}
		extra = append(extra, m.row(fDest, false, dimStyle.Render("matches: "+strings.Join(names, ", ")+more+"  ("+keys.Right.Help().Key+" picks the first)")))
	}
	if hint != "" {
		line += dimStyle.Render("  " + hint)
	}
	return append([]string{m.row(fDest, true, line)}, extra...)
}

// chooseDest puts a destination the form chose (the default, a pick with
// the arrows, the last request) into the field of kind k. Typing over it
// replaces it, as in a search box (typeDest).
func (m *Model) chooseDest(k model.DestinationKind, value string) {
	m.dest[k].SetValue(value)
	m.dest[k].CursorEnd()
	m.destChosen[k] = true
}

// typeDest hands a key to the destination field: a letter typed over a
// chosen destination starts a new one; any change makes the text the
// operator's own.
func (m *Model) typeDest(msg tea.KeyMsg) {
	k := m.kind()
	before := m.dest[k].Value()
	if m.destChosen[k] && msg.Type == tea.KeyRunes {
		m.dest[k].SetValue("")
	}
	m.dest[k], _ = m.dest[k].Update(msg)
	if m.dest[k].Value() != before {
		m.destChosen[k] = false
	} else if msg.Type == tea.KeyRunes {
		m.dest[k].SetValue(before) // a key that typed nothing leaves the choice
		m.dest[k].CursorEnd()
	}
}
