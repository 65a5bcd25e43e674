package list

import tea "github.com/charmbracelet/bubbletea"

// UnderProfile lists snapshots under another profile (the profile
// picker's choice): through its client, in region, and names its account
// in the header ("" until the owned snapshots say it). What belonged to the
// other account goes: the rows, marks, KMS key names and the Region
// picker's Regions (opt-in Regions are enabled per account). The scope and
// the sort stay; answers still coming for the other profile are dropped.
func (m *Model) UnderProfile(client Lister, profile, account, region string) tea.Cmd {
	m.client = client
	m.profile, m.account, m.region = profile, account, region
	m.epoch++
	m.marks = map[string]struct{}{}
	m.aliases = nil
	m.t.aliases = nil
	m.hold(heldListing, "listing "+region+" under profile "+profile+"…")
	m.regions, m.regionsErr, m.regionsBusy = nil, nil, false
	if m.mode == picking || m.mode == detailing {
		m.mode = browsing
	}
	return tea.Batch(m.startLoad(false), m.fetchAliases())
}

// Profile is the profile the list is under, as its header names it.
func (m Model) Profile() string { return m.profile }
