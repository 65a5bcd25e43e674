package form

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/ui/status"
	"github.com/snapcopy/snapcopy/validate"
)

// loadTimeout bounds one look-up of destination facts or one dry run.
const loadTimeout = 60 * time.Second

// fact is a kind of destination fact the form looks up. The order is the
// order failed look-ups are told in the status line.
type fact int

// The facts, in the order failures are told.
const (
	factAliases    fact = iota // the KMS aliases of a Region
	factEncryption             // the EBS encryption default of a Region
	factRegions                // the account's Regions (no Region of its own)
	factZones                  // the Local Zones of a Region
	factEarlier                // the earlier copies in a Region, for the incremental preview
	factQuota                  // the time-based copy throughput quota into a Region
	factCopies                 // the copies of the sources in a Region, by provenance tag (dup.go)
	factKey                    // what DescribeKey tells of the KMS key typed, in a Region
	factPrice                  // the prices of copying into a Region (price.go)
)

// lookup names one look-up of destination facts: what, and of which Region.
// It keys the look-ups in flight and the failed ones.
type lookup struct {
	fact   fact
	region string // empty for factRegions
	key    string // the KMS key asked about (factKey)
}

// The look-ups, by what they load.
func regionsLookup() lookup             { return lookup{fact: factRegions} }
func zonesOf(region string) lookup      { return lookup{fact: factZones, region: region} }
func encryptionOf(region string) lookup { return lookup{fact: factEncryption, region: region} }
func aliasesOf(region string) lookup    { return lookup{fact: factAliases, region: region} }
func earlierIn(region string) lookup    { return lookup{fact: factEarlier, region: region} }
func quotaInto(region string) lookup    { return lookup{fact: factQuota, region: region} }
func keyIn(region, key string) lookup   { return lookup{fact: factKey, region: region, key: key} }

// what names the look-up in a sentence: "could not load <what>".
func (l lookup) what() string {
	switch l.fact {
	case factRegions:
		return "the Regions"
	case factZones:
		return "the Local Zones of " + l.region
	case factEncryption:
		return "the encryption default of " + l.region
	case factAliases:
		return "the KMS aliases of " + l.region
	case factEarlier:
		return "the earlier copies in " + l.region
	case factQuota:
		return "the time-based copy quota into " + l.region
	case factCopies:
		return "the copies already made in " + l.region
	case factKey:
		return "KMS key " + l.key + " in " + l.region
	case factPrice:
		return "the prices of a copy into " + l.region
	}
	return "destination facts"
}

// String is what, for test failures and debugging.
func (l lookup) String() string { return l.what() }

// compareLookups orders look-ups by fact, then Region, so commands are
// started and failures told in a fixed order.
func compareLookups(a, b lookup) int {
	if c := cmp.Compare(a.fact, b.fact); c != 0 {
		return c
	}
	if c := cmp.Compare(a.region, b.region); c != 0 {
		return c
	}
	return cmp.Compare(a.key, b.key)
}

// Messages of the look-ups, each carrying its own error.
type (
	regionsMsg struct {
		regions []model.Region
		err     error
	}
	zonesMsg struct {
		region string
		zones  []model.LocalZone
		err    error
	}
	encryptionMsg struct {
		region string
		def    model.EncryptionDefault
		err    error
	}
	aliasesMsg struct {
		region  string
		aliases []model.KMSAlias
		err     error
	}
	earlierMsg struct {
		region string
		copies []model.Snapshot
		err    error
	}
	// quotaMsg carries a quota usable even when err is set: AWS's
	// default, marked Default, when Service Quotas could not be read.
	quotaMsg struct {
		region string
		quota  model.ThroughputQuota
		err    error
	}
	keyMsg struct {
		region, key string
		state       model.KMSKey
		err         error
	}
)

// firstLookups is what a new form loads at once: the Regions, and the
// source Region's facts, since it is the first destination offered.
func firstLookups(region string) []lookup {
	return []lookup{regionsLookup(), zonesOf(region), encryptionOf(region), aliasesOf(region)}
}

// ask is the command of one look-up, to the account the form copies into
// (load, account.go, tags its answer with that account).
func (m Model) ask(l lookup) tea.Cmd {
	c := m.aws
	region := l.region
	switch l.fact {
	case factRegions:
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
			defer cancel()
			r, err := c.Regions(ctx)
			return regionsMsg{regions: r, err: err}
		}
	case factZones:
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
			defer cancel()
			z, err := c.LocalZones(ctx, region)
			return zonesMsg{region: region, zones: z, err: err}
		}
	case factEncryption:
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
			defer cancel()
			d, err := c.EncryptionDefault(ctx, region)
			return encryptionMsg{region: region, def: d, err: err}
		}
	case factAliases:
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
			defer cancel()
			a, err := c.KMSAliases(ctx, region)
			return aliasesMsg{region: region, aliases: a, err: err}
		}
	case factEarlier:
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
			defer cancel()
			e, err := c.EarlierCopies(ctx, region)
			return earlierMsg{region: region, copies: e, err: err}
		}
	case factQuota:
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
			defer cancel()
			q, err := c.TimeBasedCopyQuota(ctx, region)
			return quotaMsg{region: region, quota: q, err: err}
		}
	case factCopies:
		return m.loadCopies(region)
	case factPrice:
		return m.loadPrice(region)
	case factKey:
		key := l.key
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
			defer cancel()
			k, err := c.DescribeKMSKey(ctx, region, key)
			return keyMsg{region: region, key: key, state: k, err: err}
		}
	}
	return nil
}

// answered takes the answer of a look-up into the facts; ok is false for
// a message that is no look-up's.
func (m Model) answered(msg tea.Msg) (_ Model, ok bool) {
	switch msg := msg.(type) {
	case regionsMsg:
		m.loaded(regionsLookup(), msg.err)
		if msg.err == nil {
			regions := slices.Clone(msg.regions)
			sort.Slice(regions, func(i, j int) bool { return regions[i].Name < regions[j].Name })
			m.facts.Regions = regions
		}
	case zonesMsg:
		m.loaded(zonesOf(msg.region), msg.err)
		if msg.err == nil {
			zones := slices.DeleteFunc(slices.Clone(m.facts.LocalZones), func(z model.LocalZone) bool { return z.Region == msg.region })
			zones = append(zones, msg.zones...)
			sort.Slice(zones, func(i, j int) bool { return zones[i].Name < zones[j].Name })
			m.facts.LocalZones = zones
			if m.dest[model.ToLocalZone].Value() == "" {
				if opts := m.destOptions(model.ToLocalZone); len(opts) > 0 {
					m.chooseDest(model.ToLocalZone, opts[0].value)
				}
			}
		}
	case encryptionMsg:
		m.loaded(encryptionOf(msg.region), msg.err)
		if msg.err == nil {
			enc := make(map[string]model.EncryptionDefault, len(m.facts.Encryption)+1)
			for k, v := range m.facts.Encryption {
				enc[k] = v
			}
			enc[msg.region] = msg.def
			m.facts.Encryption = enc
		}
	case aliasesMsg:
		m.loaded(aliasesOf(msg.region), msg.err)
		if msg.err == nil {
			al := make(map[string][]model.KMSAlias, len(m.facts.Aliases)+1)
			for k, v := range m.facts.Aliases {
				al[k] = v
			}
			aliases := slices.Clone(msg.aliases)
			sort.Slice(aliases, func(i, j int) bool { return aliases[i].Name < aliases[j].Name })
			al[msg.region] = aliases
			m.facts.Aliases = al
		}
	case earlierMsg:
		m.loaded(earlierIn(msg.region), msg.err)
		if msg.err == nil {
			earlier := make(map[string][]model.Snapshot, len(m.earlier)+1)
			for k, v := range m.earlier {
				earlier[k] = v
			}
			earlier[msg.region] = slices.Clone(msg.copies)
			m.earlier = earlier
		}
	case copiesMsg:
		m = m.copiesAnswered(msg)
	case priceMsg:
		m = m.priceAnswered(msg)
	case keyMsg:
		m.loaded(keyIn(msg.region, msg.key), msg.err)
		if msg.err == nil {
			keys := make(map[string]model.KMSKey, len(m.facts.Keys)+1)
			for k, v := range m.facts.Keys {
				keys[k] = v
			}
			keys[model.KeyFact(msg.region, msg.key)] = msg.state
			m.facts.Keys = keys
		}
	case quotaMsg:
		// Not a failure to tell: the quota is AWS's default then, and the
		// quota warning says so.
		m.loaded(quotaInto(msg.region), nil)
		q := msg.quota
		if msg.err != nil || q.MiBps <= 0 {
			q = model.ThroughputQuota{MiBps: model.DefaultTimeBasedQuotaMiBps, Default: true}
		}
		quotas := make(map[string]model.ThroughputQuota, len(m.quotas)+1)
		for k, v := range m.quotas {
			quotas[k] = v
		}
		quotas[msg.region] = q
		m.quotas = quotas
	default:
		return m, false
	}
	return m, true
}

// loaded records the end of a look-up, and what the status line holds
// since. Maps are copied before they are changed: Model is a value, and an
// earlier value must not change under whoever holds it.
func (m *Model) loaded(l lookup, err error) {
	loading := make(map[lookup]bool, len(m.loading))
	for k, v := range m.loading {
		if k != l {
			loading[k] = v
		}
	}
	m.loading = loading
	errs := make(map[lookup]error, len(m.loadErrs)+1)
	for k, v := range m.loadErrs {
		if k != l {
			errs[k] = v
		}
	}
	if err != nil {
		errs[l] = err
	}
	m.loadErrs = errs
	if len(m.loading) == 0 {
		m.reloading = false // done; a failed look-up is told in its place
	}
	m.holdCondition()
}

// lookUpDestination starts the look-ups the chosen destination needs (its
// encryption default and KMS aliases; for another Region its earlier
// copies, and once a completion duration is typed its time-based copy
// quota), once per Region: not again while one is in flight, once it
// answered, or once it failed (the status line says so; it is not asked
// again on every key).
func (m Model) lookUpDestination() (Model, tea.Cmd) {
	region := m.result.Destination.Region
	if region == "" || !m.regionUsable(region) {
		return m, nil
	}
	var cmds []tea.Cmd
	for _, l := range m.destinationLookups(region) {
		if m.loading[l] || m.have(l) {
			continue
		}
		if _, failed := m.loadErrs[l]; failed {
			continue
		}
		loading := make(map[lookup]bool, len(m.loading)+1)
		for k, v := range m.loading {
			loading[k] = v
		}
		loading[l] = true
		m.loading = loading
		cmds = append(cmds, m.load(l))
	}
	return m, tea.Batch(cmds...)
}

// destinationLookups are the facts of region the form needs as it stands.
func (m Model) destinationLookups(region string) []lookup {
	want := []lookup{encryptionOf(region), aliasesOf(region), copiesIn(region)}
	if region != m.region && m.result.Destination.Kind == model.ToRegion {
		want = append(want, earlierIn(region))
	}
	if m.result.Destination.Kind == model.ToRegion && strings.TrimSpace(m.duration.Value()) != "" {
		want = append(want, quotaInto(region))
	}
	if m.result.Destination.Kind == model.ToRegion {
		want = append(want, priceOf(region))
	}
	// The KMS key typed, once whole: DescribeKey tells whether the copy
	// can use it; a key id not found is looked for in the source Region.
	if key := strings.TrimSpace(m.kms.Value()); validate.DescribeFirst(key, region, m.facts) {
		want = append(want, keyIn(region, key))
		k, asked := m.facts.Key(region, key)
		if other := validate.AlsoDescribeIn(key, m.region, region); asked && !k.Found && other != "" {
			want = append(want, keyIn(other, key))
		}
	}
	return want
}

// regionUsable says whether facts of region may be asked for: the source
// Region always; another one once DescribeRegions shows it enabled, so no
// look-up goes to a Region that was mistyped or is not enabled.
func (m Model) regionUsable(region string) bool {
	if region == m.region {
		return true
	}
	r, ok := m.facts.RegionByName(region)
	return ok && r.Enabled()
}

// have reports whether the fact a look-up asks for is known already.
func (m Model) have(l lookup) bool {
	switch l.fact {
	case factEncryption:
		_, ok := m.facts.Encryption[l.region]
		return ok
	case factAliases:
		_, ok := m.facts.Aliases[l.region]
		return ok
	case factEarlier:
		_, ok := m.earlier[l.region]
		return ok
	case factQuota:
		_, ok := m.quotas[l.region]
		return ok
	case factCopies:
		_, ok := m.tagged[l.region]
		return ok
	case factKey:
		_, ok := m.facts.Key(l.region, l.key)
		return ok
	case factPrice:
		_, ok := m.prices[l.region]
		return ok
	}
	return false
}

// firstLoadError is the failed look-up told in the status line, if any.
func (m Model) firstLoadError() (lookup, error, bool) {
	if len(m.loadErrs) == 0 {
		return lookup{}, nil, false
	}
	ls := make([]lookup, 0, len(m.loadErrs))
	for l := range m.loadErrs {
		// A key that could not be described (no kms:DescribeKey) is
		// simply not checked: the KMS key field says so.
		if l.fact != factKey {
			ls = append(ls, l)
		}
	}
	if len(ls) == 0 {
		return lookup{}, nil, false
	}
	slices.SortFunc(ls, compareLookups)
	return ls[0], m.loadErrs[ls[0]], true
}

// reloadingText is the status line while reloaded look-ups are under way.
const reloadingText = "reloading the Regions, Local Zones, encryption defaults and KMS aliases…"

// holdCondition puts the form's standing condition on the status line,
// under whatever flash is shown: a dry run waiting for AWS's answer or a
// send waiting for the duplicate check (each held when it began), a
// reload under way, else the first failed look-up with what to do about it.
func (m *Model) holdCondition() {
	switch {
	case m.dryRunning:
	case m.sendPending:
		// Held by send until the destination's copies answered.
	case m.reloading:
		m.status.Hold(status.Info, reloadingText)
	default:
		l, err, failed := m.firstLoadError()
		if !failed {
			m.status.Release()
			return
		}
		again := "press " + status.KeyName(keys.Reload) + " on a choice field"
		m.status.Hold(status.Error, "could not load "+l.what()+": "+model.Explain(err, model.RetryBy(again)))
	}
}

// reload asks AWS again for the Regions, the source Region's Local Zones and
// the encryption default and KMS aliases of the source and destination
// Regions (a key or alias made since the form opened shows up). What is
// known stays shown until the new answers arrive.
func (m Model) reload() (Model, tea.Cmd) {
	if m.region == "" {
		return m, nil
	}
	want := firstLookups(m.region)
	if d := m.result.Destination.Region; d != "" && d != m.region && m.regionUsable(d) {
		want = append(want, m.destinationLookups(d)...)
	}
	loading := make(map[lookup]bool, len(m.loading)+len(want))
	for k, v := range m.loading {
		loading[k] = v
	}
	errs := make(map[lookup]error, len(m.loadErrs))
	for k, v := range m.loadErrs {
		errs[k] = v
	}
	var cmds []tea.Cmd
	for _, l := range want {
		delete(errs, l)
		if loading[l] {
			continue // its answer is on the way
		}
		loading[l] = true
		cmds = append(cmds, m.load(l))
	}
	m.loading, m.loadErrs = loading, errs
	m.reloading = true
	m.holdCondition()
	return m, tea.Batch(cmds...)
}
